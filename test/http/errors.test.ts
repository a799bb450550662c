import t from 'tap'
import { sql } from 'drizzle-orm'
import { build } from '../helpers/app.js'
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
