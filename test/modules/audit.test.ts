import t from 'tap'
import { sql } from 'drizzle-orm'
import { build } from '../helpers/app.js'
import { countOf } from '../helpers/sql.js'

t.test('the audit trail cannot be changed or removed, even with SQL', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  await h.app.inject({ method: 'POST', url: '/api-keys', headers: admin.headers, payload: { name: 'x', role: 'finance' } })
  const db = h.database.handle.db
  const before = await countOf(db, sql`select count(*) from audit_events`)
  t.ok(before >= 1)
  await t.rejects(db.execute(sql`update audit_events set action = 'forged'`), { cause: { code: '42501' } }, 'UPDATE is refused by the database')
  await t.rejects(db.execute(sql`delete from audit_events`), { cause: { code: '42501' } }, 'DELETE is refused')
  await t.rejects(db.execute(sql`truncate audit_events`), { cause: { code: '42501' } }, 'TRUNCATE is refused')
  t.equal(await countOf(db, sql`select count(*) from audit_events`), before)
  t.equal(await countOf(db, sql`select count(*) from audit_events where action = 'forged'`), 0)
})

t.test('a change and its audit event commit or fail together', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  // Make the audit insert fail: the key creation must roll back with it.
  await h.database.handle.db.execute(sql`alter table audit_events add constraint test_no_finance_keys check (after->>'role' is distinct from 'finance')`)
  const res = await h.app.inject({ method: 'POST', url: '/api-keys', headers: admin.headers, payload: { name: 'doomed', role: 'finance' } })
  t.equal(res.statusCode, 422)
  t.equal(await countOf(h.database.handle.db, sql`select count(*) from api_keys where name = 'doomed'`), 0, 'no key without its audit event')
})

t.test('admin and finance page through audit events with filters', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  const finance = await h.key('finance')
  const ids: string[] = []
  for (let i = 0; i < 3; i++) {
    const res = await h.app.inject({ method: 'POST', url: '/api-keys', headers: admin.headers, payload: { name: `k${i}`, role: 'finance' } })
    ids.push(res.json().id)
  }
  const target = ids[1]!
  await h.app.inject({ method: 'POST', url: `/api-keys/${target}/revoke`, headers: { ...admin.headers, 'if-match': `"${target}:1"` } })

  const all = await h.app.inject({ method: 'GET', url: `/audit-events?actorKeyId=${admin.id}&limit=2`, headers: finance.headers })
  t.equal(all.statusCode, 200)
  const first = all.json()
  t.equal(first.items.length, 2)
  t.match(first.items[0], { action: 'api_key.revoked', entityId: target, actorKeyId: admin.id, actorRole: 'admin', requestId: String })
  const second = await h.app.inject({ method: 'GET', url: `/audit-events?actorKeyId=${admin.id}&limit=2&cursor=${first.nextCursor}`, headers: finance.headers })
  t.same(second.json().items.map((e: { entityId: string }) => e.entityId), [ids[1], ids[0]])
  t.equal(second.json().nextCursor, null)

  const byEntity = await h.app.inject({ method: 'GET', url: `/audit-events?entityType=api_key&entityId=${target}`, headers: admin.headers })
  t.same(byEntity.json().items.map((e: { action: string }) => e.action), ['api_key.revoked', 'api_key.created'])
  const byAction = await h.app.inject({ method: 'GET', url: '/audit-events?action=api_key.revoked', headers: admin.headers })
  t.equal(byAction.json().items.length, 1)
  const future = await h.app.inject({ method: 'GET', url: '/audit-events?from=2999-01-01T00:00:00Z', headers: admin.headers })
  t.same(future.json().items, [])
  const past = await h.app.inject({ method: 'GET', url: '/audit-events?to=2000-01-01T00:00:00Z', headers: admin.headers })
  t.same(past.json().items, [])
  const worker = await h.key('worker')
  t.equal((await h.app.inject({ method: 'GET', url: '/audit-events', headers: worker.headers })).statusCode, 403)
})
