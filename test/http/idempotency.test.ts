import t from 'tap'
import { sql } from 'drizzle-orm'
import { build } from '../helpers/app.js'
import { countOf, query } from '../helpers/sql.js'

t.test('the same key and body replays the first response instead of acting twice', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  const send = (body: object, key = 'team-1') => h.app.inject({
    method: 'POST', url: '/teams', headers: { ...admin.headers, 'idempotency-key': key }, payload: body
  })
  const first = await send({ name: 'Youth Voice', costCentre: 'YV1' })
  t.equal(first.statusCode, 201)
  t.equal(first.headers['idempotent-replayed'], undefined)
  const again = await send({ costCentre: 'YV1', name: 'Youth Voice' })
  t.equal(again.statusCode, 201, 'the same fields in another order are the same request')
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.equal(again.body, first.body, 'byte-identical body')
  t.equal(again.headers.etag, first.headers.etag)
  t.equal(again.headers.location, first.headers.location)
  t.equal(await countOf(h.database.handle.db, sql`select count(*) from teams where name = 'Youth Voice'`), 1, 'one team was made')
  t.equal(await countOf(h.database.handle.db, sql`select count(*) from audit_events where action = 'team.created'`), 1, 'one audit event')

  const other = await send({ name: 'Youth Voice', costCentre: 'YV2' })
  t.equal(other.statusCode, 422, 'same key, other body')
  t.match(other.json(), { code: 'idempotency_key_reused' })
  t.equal(await countOf(h.database.handle.db, sql`select count(*) from teams`), 1, 'and nothing was made')
})

t.test('a response holding a secret is never stored: a retry learns what was made, not the secret', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  const send = () => h.app.inject({ method: 'POST', url: '/api-keys', headers: { ...admin.headers, 'idempotency-key': 'key-1' }, payload: { name: 'finance', role: 'finance' } })
  const first = await send()
  t.equal(first.statusCode, 201)
  const secret = first.json().secret as string
  const [stored] = await query<{ response_body: string | null, response_headers: Record<string, string> }>(h.database.handle.db, sql`select response_body, response_headers from idempotency_keys where key = 'key-1'`)
  t.equal(stored!.response_body, null, 'no body kept')
  t.notOk(JSON.stringify(stored).includes(secret.slice(3)), 'the secret is nowhere in the table')
  const retry = await send()
  t.equal(retry.statusCode, 409)
  t.match(retry.json(), { rule: 'idempotent_secret_not_replayed', location: first.headers.location })
  t.equal(await countOf(h.database.handle.db, sql`select count(*) from api_keys where name = 'finance'`), 1, 'still one key')
})

t.test('keys are scoped to the caller', async (t) => {
  const h = await build(t)
  const alice = await h.key('admin', 'alice')
  const bob = await h.key('admin', 'bob')
  const byAlice = await h.app.inject({ method: 'POST', url: '/api-keys', headers: { ...alice.headers, 'idempotency-key': 'shared' }, payload: { name: 'a', role: 'finance' } })
  const byBob = await h.app.inject({ method: 'POST', url: '/api-keys', headers: { ...bob.headers, 'idempotency-key': 'shared' }, payload: { name: 'b', role: 'finance' } })
  t.equal(byAlice.statusCode, 201)
  t.equal(byBob.statusCode, 201, 'another caller may use the same key for its own request')
  t.not(byAlice.json().id, byBob.json().id)
})

t.test('a failed request releases its key so the client may retry', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  const target = await h.key('worker')
  const headers = { ...admin.headers, 'idempotency-key': 'revoke-1' }
  const stale = await h.app.inject({ method: 'POST', url: `/api-keys/${target.id}/revoke`, headers: { ...headers, 'if-match': `"${target.id}:99"` } })
  t.equal(stale.statusCode, 412)
  t.equal(await countOf(h.database.handle.db, sql`select count(*) from idempotency_keys where key = 'revoke-1'`), 0, 'nothing kept for a refused request')
  const retried = await h.app.inject({ method: 'POST', url: `/api-keys/${target.id}/revoke`, headers: { ...headers, 'if-match': `"${target.id}:1"` } })
  t.equal(retried.statusCode, 200, 'the same key works once the request is right')
})

t.test('a retry while the first request still runs gets 409', async (t) => {
  let release!: () => void
  const released = new Promise<void>((resolve) => { release = resolve })
  let entered!: () => void
  const inHandler = new Promise<void>((resolve) => { entered = resolve })
  const h = await build(t, {
    extend: (app) => {
      app.post('/test/slow', {
        config: { access: { roles: ['admin'] }, idempotent: true },
        schema: { body: { type: 'object' } }
      }, async (_request, reply) => {
        entered()
        await released
        return reply.code(201).send({ done: true })
      })
    }
  })
  const admin = await h.key('admin')
  const headers = { ...admin.headers, 'idempotency-key': 'slow-1' }
  const first = h.app.inject({ method: 'POST', url: '/test/slow', headers, payload: { n: 1 } })
  await inHandler
  const second = await h.app.inject({ method: 'POST', url: '/test/slow', headers, payload: { n: 1 } })
  t.equal(second.statusCode, 409)
  t.match(second.json(), { code: 'idempotency_key_in_flight' })
  t.equal(second.headers['retry-after'], '1')
  release()
  t.equal((await first).statusCode, 201)
  const third = await h.app.inject({ method: 'POST', url: '/test/slow', headers, payload: { n: 1 } })
  t.equal(third.statusCode, 201)
  t.equal(third.headers['idempotent-replayed'], 'true', 'after it finished, the retry replays')
})

t.test('a claim left by a request that died is taken over once it lapses', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  await h.database.handle.db.execute(sql`insert into idempotency_keys (caller_key_id, key, request_hash, state, locked_until, expires_at)
    values (${admin.id}, 'orphan', 'whatever', 'in_flight', now() - interval '1 second', now() + interval '1 day')`)
  const res = await h.app.inject({ method: 'POST', url: '/api-keys', headers: { ...admin.headers, 'idempotency-key': 'orphan' }, payload: { name: 'x', role: 'finance' } })
  t.equal(res.statusCode, 201)
})

t.test('a malformed Idempotency-Key is a validation problem', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  for (const key of ['', 'x'.repeat(256), 'has space', 'ünïcode']) {
    const res = await h.app.inject({ method: 'POST', url: '/api-keys', headers: { ...admin.headers, 'idempotency-key': key }, payload: { name: 'x', role: 'finance' } })
    t.equal(res.statusCode, 400, JSON.stringify(key).slice(0, 20))
    t.match(res.json().errors, [{ in: 'headers', pointer: '/idempotency-key' }])
  }
  t.equal(await countOf(h.database.handle.db, sql`select count(*) from api_keys where name = 'x'`), 0)
})
