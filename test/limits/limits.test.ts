// Limits (issue 6, item 6): body size, page size, failed authentications, slow requests and slow
// statements are all cut off with a problem+json answer, never left to run or hang.
import type { AddressInfo } from 'node:net'
import { sql } from 'drizzle-orm'
import t from 'tap'
import { roles, type Role } from '../../src/domain/actor.js'
import { build, type Harness, type TestKey } from '../helpers/app.js'
import { onServer } from '../helpers/database.js'
import { loadDocument, operationsOf, type Operation } from '../fuzz/operations.js'
import { rawExchange } from './raw-http.js'

const PROBLEM = /^application\/problem\+json/
const NIL = '00000000-0000-4000-8000-000000000000'
const operations = operationsOf(loadDocument())
const urlOf = (op: Operation) => op.path.replace(/\{id\}/g, NIL).replace(/\{format\}/g, 'csv')

// A list's URL with the query it needs besides its page (a schedule's periods need a range).
const listUrl = (op: Operation, page: string) => `${urlOf(op)}?${op.id === 'listPayPeriods' ? 'from=2026-01-01&to=2026-12-31&' : ''}${page}`

/** Sends as the first role the route takes (403 means the role check came first). */
async function asAnyRole<R extends { statusCode: number }> (keys: Record<Role, TestKey>, request: (key: TestKey) => Promise<R>): Promise<R> {
  let last: R | undefined
  for (const role of ['admin', 'finance', 'manager', 'worker'] as const) {
    last = await request(keys[role])
    if (last.statusCode !== 403) return last
  }
  return last!
}

async function keysOf (h: Harness): Promise<Record<Role, TestKey>> {
  const entries = await Promise.all(roles.map(async (role) => [role, await h.key(role)] as const))
  return Object.fromEntries(entries) as Record<Role, TestKey>
}

t.test('a body over BODY_LIMIT_BYTES is refused with 413 on every operation that takes one', async (t) => {
  const limit = 2048
  const h = await build(t, { env: { BODY_LIMIT_BYTES: String(limit) } })
  const keys = await keysOf(h)
  const padded = (bytes: number) => {
    const json = JSON.stringify({ displayName: 'Body Limit' })
    return json.slice(0, -1) + ' '.repeat(bytes - json.length) + '}'
  }
  const atLimit = await h.app.inject({ method: 'POST', url: '/people', headers: { ...keys.admin.headers, 'content-type': 'application/json' }, payload: padded(limit) })
  t.equal(atLimit.statusCode, 201, `a body of exactly ${limit} bytes is read`)
  const over = await h.app.inject({ method: 'POST', url: '/people', headers: { ...keys.admin.headers, 'content-type': 'application/json' }, payload: padded(limit + 1) })
  t.equal(over.statusCode, 413, `${limit + 1} bytes is one too many`)

  const withBodies = operations.filter((op) => op.body !== undefined)
  let refused = 0
  for (const op of withBodies) {
    const res = await asAnyRole(keys, (key) => h.app.inject({
      method: op.method, url: urlOf(op), headers: { ...key.headers, 'content-type': 'application/json', 'if-match': `"${NIL}:1"` }, payload: padded(limit * 4)
    }))
    t.equal(res.statusCode, 413, `${op.id}: 413`)
    t.match(res.headers['content-type'], PROBLEM, `${op.id}: problem+json`)
    t.match(res.json(), { status: 413, code: 'payload_too_large', title: String, detail: String })
    if (res.statusCode === 413) refused++
  }
  t.comment(`body limit: ${refused} of ${withBodies.length} operations with a body refused ${limit * 4} bytes (limit ${limit})`)

  // Over a real connection, a declared size over the limit is answered before any body is sent.
  await h.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = h.app.server.address() as AddressInfo
  const declared = await rawExchange(port, `POST /people HTTP/1.1\r\nHost: limits\r\nAuthorization: ${keys.admin.headers.authorization}\r\nContent-Type: application/json\r\nContent-Length: 10485760\r\n\r\n`, { untilAnswered: true })
  t.match(declared.response, /^HTTP\/1\.1 413 /, 'a 10 MiB Content-Length is refused without waiting for the body')
  t.match(declared.response, /content-type: application\/problem\+json/i)
  t.notOk(declared.timedOut, 'the answer came without the body being sent')
})

t.test('a page is at most 200 items: limit=201 is refused on every list, 200 is served', async (t) => {
  const h = await build(t)
  const keys = await keysOf(h)
  const lists = operations.filter((op) => op.parameters.some((p) => p.in === 'query' && p.name === 'limit'))
  t.ok(lists.length >= 10, `${lists.length} list operations take a limit`)
  for (const op of lists) {
    const documented = op.parameters.find((p) => p.name === 'limit')!.schema.maximum
    t.equal(documented, 200, `${op.id}: the document caps limit at 200`)
    const over = await asAnyRole(keys, (key) => h.app.inject({ method: 'GET', url: listUrl(op, 'limit=201'), headers: key.headers }))
    t.equal(over.statusCode, 400, `${op.id}: limit=201 is refused`)
    t.match(over.headers['content-type'], PROBLEM)
    t.match(over.json(), { code: 'validation_failed', errors: [{ in: 'query', pointer: '/limit' }] }, `${op.id}: the problem points at limit`)
    const max = await asAnyRole(keys, (key) => h.app.inject({ method: 'GET', url: listUrl(op, 'limit=200'), headers: key.headers }))
    // A list under a resource (an entry's history, a schedule's periods) of the nil id: 404.
    t.equal(max.statusCode, op.path.includes('{id}') ? 404 : 200, `${op.id}: limit=200 is served`)
    const zero = await asAnyRole(keys, (key) => h.app.inject({ method: 'GET', url: listUrl(op, 'limit=0'), headers: key.headers }))
    t.equal(zero.statusCode, 400, `${op.id}: limit=0 is refused`)
  }

  // With more rows than a page holds: 200 items and a cursor to the rest.
  for (let i = 0; i < 205; i++) await h.person(`Paged Person ${i}`)
  const first = await h.app.inject({ method: 'GET', url: '/people?limit=200', headers: keys.admin.headers })
  t.equal(first.json().items.length, 200, 'a full page of 200')
  t.type(first.json().nextCursor, 'string', 'and a cursor to the next')
  const second = await h.app.inject({ method: 'GET', url: `/people?limit=200&cursor=${encodeURIComponent(first.json().nextCursor)}`, headers: keys.admin.headers })
  const total = await h.app.inject({ method: 'GET', url: '/people?limit=1', headers: keys.admin.headers })
  t.equal(total.statusCode, 200)
  t.ok(second.json().items.length >= 5, 'the rest on the next page')
  t.comment(`page size: ${lists.length} list operations refuse limit=201 and serve limit=200; 205+ people listed as 200 + ${second.json().items.length}`)
})

t.test('failed authentications are limited per client, and X-Forwarded-For does not reset the count', async (t) => {
  const h = await build(t, { env: { AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_WINDOW_MS: '60000' } })
  const admin = await h.key('admin')
  const statuses: number[] = []
  for (let i = 0; i < 5; i++) {
    // A client without a trusted proxy cannot pose as others by naming them.
    const res = await h.app.inject({ method: 'GET', url: '/people', headers: { authorization: `Bearer sp_wrong${i}`, 'x-forwarded-for': `203.0.113.${i}` }, remoteAddress: '198.51.100.7' })
    statuses.push(res.statusCode)
  }
  t.same(statuses, [401, 401, 401, 429, 429], 'the fourth failure from one address is refused whatever X-Forwarded-For says')
  t.equal((await h.app.inject({ method: 'GET', url: '/people', headers: admin.headers, remoteAddress: '198.51.100.7' })).statusCode, 200,
    'a valid key from the limited address is served')
  const limited = await h.app.inject({ method: 'GET', url: '/people', headers: { authorization: 'Bearer sp_wrong' }, remoteAddress: '198.51.100.7' })
  t.equal(limited.statusCode, 429)
  t.match(limited.headers['content-type'], PROBLEM)
  const retryAfter = Number(limited.headers['retry-after'])
  t.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After (${retryAfter} s) is within the window`)
  t.notOk(limited.body.includes(admin.secret), 'the refused key is not echoed')

  const proxied = await build(t, { env: { AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_WINDOW_MS: '60000', TRUST_PROXY: '1' } })
  const proxiedAdmin = await proxied.key('admin')
  for (let i = 0; i < 4; i++) {
    await proxied.app.inject({ method: 'GET', url: '/people', headers: { authorization: 'Bearer sp_wrong', 'x-forwarded-for': '203.0.113.1' }, remoteAddress: '10.0.0.1' })
  }
  const blocked = await proxied.app.inject({ method: 'GET', url: '/people', headers: { authorization: 'Bearer sp_wrong', 'x-forwarded-for': '203.0.113.1' }, remoteAddress: '10.0.0.1' })
  const neighbour = await proxied.app.inject({ method: 'GET', url: '/people', headers: { authorization: 'Bearer sp_wrong', 'x-forwarded-for': '203.0.113.2' }, remoteAddress: '10.0.0.1' })
  t.equal(blocked.statusCode, 429, 'behind a trusted proxy, the failing client is limited')
  t.equal(neighbour.statusCode, 401, 'and another client behind the same proxy is not')
  t.equal((await proxied.app.inject({ method: 'GET', url: '/people', headers: { ...proxiedAdmin.headers, 'x-forwarded-for': '203.0.113.1' }, remoteAddress: '10.0.0.1' })).statusCode,
    200, 'a valid key behind the limited address is served')
  t.comment(`failed auth: 3 allowed, then 429 with Retry-After ${retryAfter} s; spoofed X-Forwarded-For ignored; per client behind a trusted proxy`)
})

t.test('a request that does not finish arriving is cut off after REQUEST_TIMEOUT_MS', async (t) => {
  const h = await build(t, { env: { REQUEST_TIMEOUT_MS: '1000' } })
  const admin = await h.key('admin')
  await h.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = h.app.server.address() as AddressInfo
  const auth = admin.headers.authorization

  // Headers complete, body promised but only half sent.
  const partialBody = await rawExchange(port, `POST /people HTTP/1.1\r\nHost: limits\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"displayName":`, { waitMs: 60_000 })
  // Headers never finished (a slowloris client).
  const partialHeaders = await rawExchange(port, `GET /people HTTP/1.1\r\nHost: limits\r\nAuthorization: ${auth}\r\n`, { waitMs: 60_000 })
  for (const [name, result] of [['half a body', partialBody], ['unfinished headers', partialHeaders]] as const) {
    t.notOk(result.timedOut, `${name}: the server ended the exchange (the test's own 60 s guard did not)`)
    t.ok(result.closed, `${name}: the connection is closed`)
    t.ok(result.response === '' || /^HTTP\/1\.1 408 /.test(result.response), `${name}: answered 408 or just closed`)
    if (result.response !== '') {
      t.match(result.response, /content-type: application\/problem\+json/i, `${name}: the 408 is problem+json`)
      t.match(result.response, /"code":"request_timeout"/)
    }
    t.comment(`request timeout (${name}): ${result.response.split('\r\n')[0] || 'closed without an answer'}`)
  }

  // A request that arrives whole on the same server is served.
  const body = JSON.stringify({ displayName: 'On Time' })
  const whole = await rawExchange(port, `POST /people HTTP/1.1\r\nHost: limits\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`, { untilAnswered: true })
  t.match(whole.response, /^HTTP\/1\.1 201 /, 'a complete request is served')
})

const serverOnly = onServer() ? false : 'statement_timeout is a setting of server connections (DB_STATEMENT_TIMEOUT_MS); PGlite has no timeout of its own: runs on the server pass (DATABASE_URL)'

t.test('a statement running past the database statement timeout answers 503 with Retry-After', { skip: serverOnly }, async (t) => {
  const h = await build(t, {
    statementTimeoutMs: 200,
    extend: (app) => {
      // A test-only route whose query outlasts the timeout.
      app.get('/test/slow-statement', { config: { access: 'public' } }, async () => {
        await app.db.execute(sql`select pg_sleep(5)`)
        return { slept: true }
      })
    }
  })
  const res = await h.app.inject({ method: 'GET', url: '/test/slow-statement' })
  t.equal(res.statusCode, 503, 'the statement is cancelled by the database')
  t.match(res.headers['content-type'], PROBLEM)
  t.match(res.json(), { status: 503, code: 'service_unavailable', title: String, detail: String })
  t.ok(Number(res.headers['retry-after']) > 0, 'Retry-After says when to try again')
  t.notMatch(res.body, /pg_sleep|select|57014|statement timeout|canceling/i, 'nothing of the database error leaves')
  const next = await h.app.inject({ method: 'GET', url: '/readyz' })
  t.equal(next.statusCode, 200, 'the connection is usable afterwards')
  t.comment(`statement timeout: 200 ms on the server; pg_sleep(5) answered ${res.statusCode} with Retry-After ${String(res.headers['retry-after'])}`)
})
