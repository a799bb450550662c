import t from 'tap'
import { sql } from 'drizzle-orm'
import { build } from '../helpers/app.js'
import { query } from '../helpers/sql.js'

t.test('an admin creates a key; its secret is shown once and works', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  const mo = await h.person('Mo')
  const created = await h.app.inject({ method: 'POST', url: '/api-keys', headers: admin.headers, payload: { name: 'Mo (manager)', role: 'manager', personId: mo.id } })
  t.equal(created.statusCode, 201)
  const body = created.json()
  t.match(body, { id: String, name: 'Mo (manager)', role: 'manager', personId: mo.id, secret: /^sp_[A-Za-z0-9_-]{43}$/, revokedAt: null, createdBy: admin.id, version: 1 })
  t.equal(created.headers.location, `/api-keys/${body.id}`)
  t.equal(created.headers.etag, `"${body.id}:1"`)

  const read = await h.app.inject({ method: 'GET', url: `/api-keys/${body.id}`, headers: admin.headers })
  t.equal(read.statusCode, 200)
  t.notOk('secret' in read.json(), 'reading a key never shows the secret')
  t.notOk(read.body.includes(body.secret.slice(10)), 'nor any part beyond its prefix')
  t.equal(read.headers.etag, created.headers.etag)

  const list = await h.app.inject({ method: 'GET', url: '/api-keys', headers: admin.headers })
  t.notOk(list.body.includes(body.secret.slice(10)), 'the list never shows secrets')

  const used = await h.app.inject({ method: 'GET', url: '/healthz', headers: { authorization: `Bearer ${body.secret}` } })
  t.equal(used.statusCode, 200)
  const [event] = await query<{ action: string, actor_key_id: string, after: Record<string, unknown> }>(h.database.handle.db, sql`select action, actor_key_id, after from audit_events where entity_id = ${body.id}`)
  t.match(event, { action: 'api_key.created', actor_key_id: admin.id, after: { name: 'Mo (manager)', role: 'manager' } })
  t.notOk(JSON.stringify(event).includes(body.secret.slice(10)), 'the audit trail holds no secret')
})

t.test('revoking needs the current ETag', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  const target = await h.key('worker')
  const url = `/api-keys/${target.id}/revoke`
  const missing = await h.app.inject({ method: 'POST', url, headers: admin.headers })
  t.equal(missing.statusCode, 428)
  t.match(missing.json(), { code: 'precondition_required' })
  const star = await h.app.inject({ method: 'POST', url, headers: { ...admin.headers, 'if-match': '*' } })
  t.equal(star.statusCode, 428, 'If-Match: * does not name a version')
  const otherResource = await h.app.inject({ method: 'POST', url, headers: { ...admin.headers, 'if-match': `"${admin.id}:1"` } })
  t.equal(otherResource.statusCode, 412, 'an ETag of another resource does not match')
  const stale = await h.app.inject({ method: 'POST', url, headers: { ...admin.headers, 'if-match': `"${target.id}:2"` } })
  t.equal(stale.statusCode, 412)
  t.match(stale.json(), { code: 'precondition_failed', currentVersion: 1 })
  const weak = await h.app.inject({ method: 'POST', url, headers: { ...admin.headers, 'if-match': `W/"${target.id}:1"` } })
  t.equal(weak.statusCode, 412, 'weak tags never match (strong comparison)')

  const ok = await h.app.inject({ method: 'POST', url, headers: { ...admin.headers, 'if-match': `"${admin.id}:1", "${target.id}:1"` } })
  t.equal(ok.statusCode, 200, 'a list of tags matches when one of them is current')
  t.match(ok.json(), { id: target.id, revokedAt: String, version: 2 })
  t.equal(ok.headers.etag, `"${target.id}:2"`)

  const again = await h.app.inject({ method: 'POST', url, headers: { ...admin.headers, 'if-match': ok.headers.etag as string } })
  t.equal(again.statusCode, 409, 'revoking twice is a conflict, not a silent success')

  const [event] = await query<{ before: { revokedAt: unknown }, after: { revokedAt: unknown } }>(h.database.handle.db, sql`select before, after from audit_events where action = 'api_key.revoked' and entity_id = ${target.id}`)
  t.equal(event!.before.revokedAt, null)
  t.not(event!.after.revokedAt, null, 'the audit event holds before and after')

  const self = await h.app.inject({ method: 'POST', url: `/api-keys/${admin.id}/revoke`, headers: { ...admin.headers, 'if-match': `"${admin.id}:1"` } })
  t.equal(self.statusCode, 409, 'a key cannot revoke itself (no locking yourself out by accident)')
  const unknown = await h.app.inject({ method: 'POST', url: '/api-keys/00000000-0000-4000-8000-000000000000/revoke', headers: { ...admin.headers, 'if-match': '"00000000-0000-4000-8000-000000000000:1"' } })
  t.equal(unknown.statusCode, 404)
})

t.test('keys are listed newest first, a page at a time, with filters', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin', 'the admin')
  for (let i = 0; i < 5; i++) await h.key('worker', `worker ${i}`)
  await h.key('finance', 'finance')
  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const url: string = `/api-keys?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`
    const res = await h.app.inject({ method: 'GET', url, headers: admin.headers })
    t.equal(res.statusCode, 200)
    const page = res.json() as { items: Array<{ name: string }>, nextCursor: string | null }
    t.ok(page.items.length <= 2)
    seen.push(...page.items.map((k) => k.name))
    cursor = page.nextCursor
    pages++
  } while (cursor !== null)
  t.equal(pages, 4)
  t.same(seen, ['finance', 'worker 4', 'worker 3', 'worker 2', 'worker 1', 'worker 0', 'the admin'], 'each key once, newest first')

  const workers = await h.app.inject({ method: 'GET', url: '/api-keys?role=worker&limit=200', headers: admin.headers })
  t.equal(workers.json().items.length, 5)
  const revoked = await h.app.inject({ method: 'GET', url: '/api-keys?revoked=true', headers: admin.headers })
  t.same(revoked.json().items, [])
  const bad = await h.app.inject({ method: 'GET', url: '/api-keys?cursor=bm9wZQ', headers: admin.headers })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { code: 'invalid_cursor' })
})

t.test('worker and manager keys act as a person; a worker key as a worker', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  const manager = await h.person('Mo')
  const worker = await h.worker({ displayName: 'Sam' })
  const create = (payload: object) => h.app.inject({ method: 'POST', url: '/api-keys', headers: admin.headers, payload })
  t.match((await create({ name: 'k', role: 'worker' })).json(), { status: 422, rule: 'key_needs_person' })
  t.match((await create({ name: 'k', role: 'manager', personId: null })).json(), { status: 422, rule: 'key_needs_person' })
  t.match((await create({ name: 'k', role: 'worker', personId: manager.id })).json(), { status: 422, rule: 'not_a_worker' })
  t.match((await create({ name: 'k', role: 'manager', personId: '00000000-0000-4000-8000-000000000000' })).json(), { status: 422, rule: 'unknown_person' })
  t.equal((await create({ name: 'k', role: 'worker', personId: worker.id })).statusCode, 201)
  t.equal((await create({ name: 'k', role: 'manager', personId: worker.id })).statusCode, 201, 'a worker may also be a manager')
  t.equal((await create({ name: 'k', role: 'finance' })).statusCode, 201, 'finance keys need no person')
  const listed = await h.app.inject({ method: 'GET', url: `/api-keys?personId=${worker.id}`, headers: admin.headers })
  t.same(listed.json().items.map((k: { role: string }) => k.role).sort(), ['manager', 'worker'])
})

t.test('deactivating a person stops their keys working', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  const key = await h.key('manager')
  t.equal((await h.app.inject({ method: 'GET', url: '/teams', headers: key.headers })).statusCode, 200)
  const person = await h.app.inject({ method: 'GET', url: `/people/${key.personId}`, headers: admin.headers })
  const off = await h.app.inject({ method: 'PATCH', url: `/people/${key.personId}`, headers: { ...admin.headers, 'if-match': person.headers.etag as string }, payload: { active: false } })
  t.equal(off.statusCode, 200)
  t.equal((await h.app.inject({ method: 'GET', url: '/teams', headers: key.headers })).statusCode, 401)
})
