import t from 'tap'
import { sql } from 'drizzle-orm'
import { build } from '../helpers/app.js'
import { query } from '../helpers/sql.js'

t.test('routes other than health and docs need a valid key', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  for (const url of ['/healthz', '/readyz', '/openapi.json', '/docs']) {
    const res = await h.app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 200, `${url} is public`)
  }
  const attempts: Array<[string, Record<string, string>]> = [
    ['no header', {}],
    ['not bearer', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ['unknown key', { authorization: 'Bearer sp_thisIsNotAKeyThisIsNotAKeyThisIsNotAKey1' }],
    ['empty bearer', { authorization: 'Bearer ' }],
    ['key with junk after it', { authorization: `${admin.headers.authorization} extra` }]
  ]
  for (const [name, headers] of attempts) {
    const res = await h.app.inject({ method: 'GET', url: '/api-keys', headers })
    t.equal(res.statusCode, 401, name)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.equal(res.headers['www-authenticate'], 'Bearer')
    t.equal(res.json().code, 'unauthenticated')
  }
  const ok = await h.app.inject({ method: 'GET', url: '/api-keys', headers: admin.headers })
  t.equal(ok.statusCode, 200, 'the real key works')
  t.equal(ok.headers['cache-control'], 'no-store', 'authenticated answers are not cached')
  const lowercase = await h.app.inject({ method: 'GET', url: '/api-keys', headers: { authorization: admin.headers.authorization.replace('Bearer', 'bearer') } })
  t.equal(lowercase.statusCode, 200, 'the scheme name is case-insensitive (RFC 9110)')
})

t.test('a key of the wrong role gets 403', async (t) => {
  const h = await build(t)
  for (const role of ['worker', 'manager', 'finance'] as const) {
    const key = await h.key(role)
    const res = await h.app.inject({ method: 'GET', url: '/api-keys', headers: key.headers })
    t.equal(res.statusCode, 403, role)
    t.match(res.json(), { code: 'forbidden', detail: /admin/ })
  }
  const finance = await h.key('finance')
  const audit = await h.app.inject({ method: 'GET', url: '/audit-events', headers: finance.headers })
  t.equal(audit.statusCode, 200, 'finance reads the audit trail')
})

t.test('keys are stored only as SHA-256 digests and record their last use', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  const rows = await query<{ secret_hash: string, secret_prefix: string, last_used_at: unknown }>(h.database.handle.db, sql`select secret_hash, secret_prefix, last_used_at from api_keys where id = ${admin.id}`)
  const row = rows[0]!
  t.match(row.secret_hash, /^[0-9a-f]{64}$/)
  t.not(row.secret_hash.includes(admin.secret.slice(3)), true)
  t.ok(admin.secret.startsWith(row.secret_prefix), 'only a short prefix is kept, to tell keys apart')
  t.ok(admin.secret.length >= 43 + 3, 'the secret carries at least 32 random bytes')
  t.equal(row.last_used_at, null)
  await h.app.inject({ method: 'GET', url: '/api-keys', headers: admin.headers })
  const [after] = await query<{ last_used_at: unknown }>(h.database.handle.db, sql`select last_used_at from api_keys where id = ${admin.id}`)
  t.not(after!.last_used_at, null, 'last use is recorded')
})

t.test('a revoked key stops working at once', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  const other = await h.key('finance')
  const before = await h.app.inject({ method: 'GET', url: '/audit-events', headers: other.headers })
  t.equal(before.statusCode, 200)
  const read = await h.app.inject({ method: 'GET', url: `/api-keys/${other.id}`, headers: admin.headers })
  const revoke = await h.app.inject({ method: 'POST', url: `/api-keys/${other.id}/revoke`, headers: { ...admin.headers, 'if-match': read.headers.etag as string } })
  t.equal(revoke.statusCode, 200)
  const after = await h.app.inject({ method: 'GET', url: '/audit-events', headers: other.headers })
  t.equal(after.statusCode, 401)
})

t.test('repeated failed authentication from one client is refused with 429 and Retry-After', async (t) => {
  const h = await build(t, { env: { AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_WINDOW_MS: '60000' } })
  const admin = await h.key('admin')
  const bad = { authorization: 'Bearer sp_wrongwrongwrongwrongwrongwrongwrongwrongwro' }
  const statuses: number[] = []
  for (let i = 0; i < 5; i++) {
    statuses.push((await h.app.inject({ method: 'GET', url: '/api-keys', headers: bad, remoteAddress: '10.0.0.1' })).statusCode)
  }
  t.same(statuses, [401, 401, 401, 429, 429], 'three failures are allowed, then the client is refused')
  const served = await h.app.inject({ method: 'GET', url: '/api-keys', headers: admin.headers, remoteAddress: '10.0.0.1' })
  t.equal(served.statusCode, 200, 'a valid key is never refused, even from a limited address (a shared NAT)')
  const limited = await h.app.inject({ method: 'GET', url: '/api-keys', remoteAddress: '10.0.0.1' })
  t.equal(limited.statusCode, 429, 'no key at all counts as a failure too')
  t.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(limited.json(), { code: 'rate_limited' })
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After says how long to wait')
  const elsewhere = await h.app.inject({ method: 'GET', url: '/api-keys', headers: admin.headers, remoteAddress: '10.0.0.2' })
  t.equal(elsewhere.statusCode, 200, 'other clients are unaffected')
  const successes = await Promise.all([1, 2, 3, 4].map(() => h.app.inject({ method: 'GET', url: '/api-keys', headers: admin.headers, remoteAddress: '10.0.0.3' })))
  t.same(successes.map((r) => r.statusCode), [200, 200, 200, 200], 'successful requests are not counted')
})
