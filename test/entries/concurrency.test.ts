import t from 'tap'
import { sql } from 'drizzle-orm'
import { build } from '../helpers/app.js'
import { onServer } from '../helpers/database.js'
import { client, organisation } from '../helpers/entries.js'
import { query } from '../helpers/sql.js'

const serverOnly = onServer() ? false : 'needs concurrent connections (PGlite serves one at a time): runs on the Postgres server pass'

t.test('two managers approving the same entry at once: exactly one succeeds', { skip: serverOnly }, async (t) => {
  const h = await build(t, { now: new Date('2026-11-29T12:00:00Z') })
  const org = await organisation(h)
  const second = await h.person('Second manager')
  const { updateTeam } = await import('../../src/modules/teams/service.js')
  await updateTeam(h.database.handle.db, h.ctx, org.team.id, org.team.version, { managerIds: [org.manager.id, second.id] })
  const managers = [client(h, org.managerKey), client(h, await h.key('manager', { personId: second.id }))]
  const worker = await h.worker({ teamIds: [org.team.id] })
  const api = client(h, await h.key('worker', { personId: worker.id }))
  for (let round = 0; round < 10; round++) {
    const entry = await api.create({ activityTypeId: org.activity.id, workDate: `2026-10-${String(round + 1).padStart(2, '0')}`, startTime: '10:00', endTime: '11:00', submit: true })
    const results = await Promise.all(managers.map((m) => m.call('POST', `/entries/${entry.body.id}/approve`, undefined, { 'if-match': entry.etag! })))
    const statuses = results.map((r) => r.status).sort()
    t.equal(statuses[0], 200, `round ${round}: one approval`)
    t.ok(statuses[1] === 409 || statuses[1] === 412, `round ${round}: the other is refused (${statuses[1]})`)
    const events = await query(h.database.handle.db, sql`select 1 from audit_events where action = 'entry.approved' and entity_id = ${entry.body.id}`)
    t.equal(events.length, 1, `round ${round}: approved once`)
  }
})

t.test('concurrent overlapping sessions: the database lets exactly one in', { skip: serverOnly }, async (t) => {
  const h = await build(t, { now: new Date('2026-11-29T12:00:00Z') })
  const org = await organisation(h)
  const worker = await h.worker({ teamIds: [org.team.id] })
  const api = client(h, await h.key('worker', { personId: worker.id }))
  const attempts = await Promise.all(Array.from({ length: 8 }, (_, i) => api.create({
    activityTypeId: org.activity.id, workDate: '2026-11-02', startTime: `10:${String(i).padStart(2, '0')}`, endTime: '12:00'
  })))
  const statuses = attempts.map((a) => a.status).sort()
  t.same(statuses, [201, 409, 409, 409, 409, 409, 409, 409])
  for (const refused of attempts.filter((a) => a.status === 409)) t.match(refused.body, { rule: 'overlapping_entry' })
  const [{ n }] = await query<{ n: number }>(h.database.handle.db, sql`select count(*)::int as n from timesheet_entries where worker_id = ${worker.id}`) as [{ n: number }]
  t.equal(n, 1)
})
