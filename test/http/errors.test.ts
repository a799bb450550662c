import t from 'tap'
import { sql } from 'drizzle-orm'
import { build } from '../helpers/app.js'
import { MAX_BODY_VALUES } from '../../src/http/json-body.js'
import { countOf } from '../helpers/sql.js'

const PROBLEM = 'application/problem+json; charset=utf-8'

t.test('every kind of bad request is answered with problem+json', async (t) => {
  const h = await build(t, { env: { BODY_LIMIT_BYTES: '2048' } })
  const admin = await h.key('admin')
  const post = (payload: string, contentType = 'application/json') => h.app.inject({
    method: 'POST', url: '/api-keys', headers: { ...admin.headers, 'content-type': contentType }, payload
  })

  const cases = [
    { name: 'malformed JSON', res: await post('{"name": '), status: 400, code: 'bad_request' },
    { name: 'empty JSON body', res: await post(''), status: 400, code: 'bad_request' },
    { name: 'wrong content type', res: await post('name=x', 'application/x-www-form-urlencoded'), status: 415, code: 'unsupported_media_type' },
    { name: 'text/plain body', res: await post('hello', 'text/plain'), status: 415, code: 'unsupported_media_type' },
    { name: 'oversize body', res: await post(JSON.stringify({ name: 'x'.repeat(4096), role: 'admin' })), status: 413, code: 'payload_too_large' },
    { name: 'unknown route', res: await h.app.inject({ method: 'GET', url: '/no/such/route' }), status: 404, code: 'route_not_found' },
    { name: 'wrong method on a known path', res: await h.app.inject({ method: 'DELETE', url: '/healthz' }), status: 404, code: 'route_not_found' },
    { name: 'malformed URL encoding', res: await h.app.inject({ method: 'GET', url: '/workers/%E0%A4%A' }), status: 400, code: 'bad_request' }
  ]
  for (const c of cases) {
    t.equal(c.res.statusCode, c.status, `${c.name}: status`)
    t.equal(c.res.headers['content-type'], PROBLEM, `${c.name}: content type`)
    const body = c.res.json()
    t.match(body, { type: `urn:sessional-pay:problem:${c.code}`, title: String, status: c.status, detail: String, code: c.code, requestId: String }, `${c.name}: body`)
    t.equal(body.requestId, c.res.headers['x-request-id'], `${c.name}: request id matches the header`)
  }
  t.equal(await countOf(h.database.handle.db, sql`select count(*) from api_keys`), 1, 'no bad request created a key')
})

t.test('validation problems point at every failing field', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  const res = await h.app.inject({
    method: 'POST',
    url: '/api-keys',
    headers: admin.headers,
    payload: { role: 'overlord', colour: 'red', 'a/b': 1 }
  })
  t.equal(res.statusCode, 400)
  const body = res.json()
  t.equal(body.code, 'validation_failed')
  t.same(
    body.errors.map((e: { in: string, pointer: string }) => `${e.in} ${e.pointer}`).sort(),
    ['body /a~1b', 'body /colour', 'body /name', 'body /role'],
    'missing, unknown (JSON-pointer escaped) and invalid fields are all listed'
  )
  t.match(body.errors.find((e: { pointer: string }) => e.pointer === '/colour'), { detail: 'is not a known field' })
  t.match(body.errors.find((e: { pointer: string }) => e.pointer === '/name'), { detail: 'is required' })

  const query = await h.app.inject({ method: 'GET', url: '/api-keys?limit=1000&colour=red', headers: admin.headers })
  t.equal(query.statusCode, 400)
  t.same(query.json().errors.map((e: { in: string, pointer: string }) => `${e.in} ${e.pointer}`).sort(), ['query /colour', 'query /limit'])

  const params = await h.app.inject({ method: 'GET', url: '/api-keys/not-a-uuid', headers: admin.headers })
  t.equal(params.statusCode, 400)
  t.same(params.json().errors, [{ in: 'params', pointer: '/id', detail: 'must match format "uuid"' }])
})

t.test('a thrown bug is a generic 500: no stack, SQL or message leaves, and none is logged', async (t) => {
  const h = await build(t, {
    extend: (app) => {
      app.get('/test/bug', { config: { access: 'public' } }, async () => {
        throw new Error('secret internal detail at /srv/app/src/thing.ts:42')
      })
      app.get('/test/sql-bug', { config: { access: 'public' } }, async () => {
        await app.db.execute(sql`select * from no_such_table where password = ${'hunter2'}`)
      })
    }
  })
  for (const url of ['/test/bug', '/test/sql-bug']) {
    const res = await h.app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 500, url)
    t.equal(res.headers['content-type'], PROBLEM)
    t.match(res.json(), { code: 'internal_error', detail: 'An unexpected error occurred. Quote the request id when reporting it.' })
    t.notMatch(res.body, /secret internal|thing\.ts|no_such_table|select|hunter2|at .*\(/, `${url}: body reveals nothing`)
  }
  const logs = h.rawLogs()
  t.notMatch(logs, /no_such_table|select \*|hunter2/, 'the SQL and its parameters are not logged')
  t.notMatch(logs, /thing\.ts:42\)|\n\s+at /, 'no stack trace is logged')
  const failures = h.logs.filter((line) => line.msg === 'request failed')
  t.equal(failures.length, 2, 'each failure is logged once')
  t.match(failures[1], { err: { type: 'DatabaseError', code: '42P01' }, problem: 'internal_error' }, 'logged by kind and code')
})

t.test('database refusals are mapped to meaning', async (t) => {
  const h = await build(t, {
    extend: (app) => {
      app.get('/test/duplicate', { config: { access: 'public' } }, async () => {
        await app.db.execute(sql`insert into api_keys (name, role, secret_hash, secret_prefix) values ('a', 'admin', 'same', 'p'), ('b', 'admin', 'same', 'p')`)
      })
      app.get('/test/check', { config: { access: 'public' } }, async () => {
        await app.db.execute(sql`insert into idempotency_keys (caller_key_id, key, request_hash, state, locked_until, expires_at)
          select id, 'k', 'h', 'bogus', now(), now() from api_keys limit 1`)
      })
    }
  })
  await h.key('admin')
  const duplicate = await h.app.inject({ method: 'GET', url: '/test/duplicate' })
  t.equal(duplicate.statusCode, 409)
  t.match(duplicate.json(), { code: 'conflict', constraint: 'api_keys_secret_hash_unique', detail: 'An API key with this secret already exists' })
  const check = await h.app.inject({ method: 'GET', url: '/test/check' })
  t.equal(check.statusCode, 422)
  t.match(check.json(), { code: 'rule_violated', rule: 'idempotency_keys_state_check' })
})

t.test('a request with many errors gets a bounded answer: at most 20 errors, and a count of the rest', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  const unknownKeys = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 1]))
  const post = (payload: unknown) => h.app.inject({ method: 'POST', url: '/people', headers: admin.headers, payload: payload as Record<string, unknown> })

  // 100 unknown fields and the name left out: 101 errors, 20 listed.
  const some = await post(unknownKeys(100))
  t.equal(some.statusCode, 400)
  const someBody = some.json()
  t.equal(someBody.errors.length, 20, 'twenty errors are listed')
  t.equal(someBody.errorsOmitted, 81, 'and the other 81 counted')
  t.match(someBody.detail, /and 81 more errors$/)
  t.ok(some.body.length < 4096, `the answer is small (${some.body.length} bytes)`)

  // The most values a body may hold (5,000) is parsed and validated: still 20 errors listed.
  const most = await post(unknownKeys(MAX_BODY_VALUES))
  t.equal(most.statusCode, 400)
  t.equal(most.json().errors.length, 20)
  t.equal(most.json().errorsOmitted, MAX_BODY_VALUES + 1 - 20)
  t.ok(most.body.length < 4096, `${MAX_BODY_VALUES} unknown fields: ${most.body.length} bytes`)

  // 0.9 MB of unknown keys (80,000 of them) is refused before it is parsed.
  const huge = JSON.stringify(unknownKeys(80_000))
  t.ok(huge.length > 850_000 && huge.length < h.config.BODY_LIMIT_BYTES, `a ${huge.length}-byte body within the body limit`)
  for (const [name, payload] of [['80,000 members', huge], ['5,001 members', JSON.stringify(unknownKeys(MAX_BODY_VALUES + 1))]] as const) {
    const res = await h.app.inject({ method: 'POST', url: '/people', headers: { ...admin.headers, 'content-type': 'application/json' }, payload })
    t.equal(res.statusCode, 413, `${name}: 413`)
    t.equal(res.headers['content-type'], PROBLEM)
    t.match(res.json(), { code: 'payload_too_large', detail: /more than 5000 JSON values/ }, `${name}: says why`)
    t.notOk('errors' in res.json(), `${name}: no error list`)
    t.ok(res.body.length < 1024, `${name}: the answer is ${res.body.length} bytes, not megabytes`)
  }

  // The same cap on the query string: every list refuses unknown parameters.
  const query = Array.from({ length: 200 }, (_, i) => `q${i}=1`).join('&')
  const queried = await h.app.inject({ method: 'GET', url: `/people?${query}`, headers: admin.headers })
  t.equal(queried.statusCode, 400)
  t.equal(queried.json().errors.length, 20)
  t.equal(queried.json().errorsOmitted, 180)
  t.equal(await countOf(h.database.handle.db, sql`select count(*) from people`), 0, 'nothing was created')
  t.comment(`error cap: 101 errors -> 20 listed + errorsOmitted 81 (${some.body.length} bytes); ${MAX_BODY_VALUES} unknown fields -> ` +
    `${most.body.length} bytes; a ${huge.length}-byte body of 80,000 unknown keys -> 413 before parsing`)
})
