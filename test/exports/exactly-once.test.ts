import t from 'tap'
import { sql } from 'drizzle-orm'
import { build } from '../helpers/app.js'
import { onServer } from '../helpers/database.js'
import { payrollOrganisation } from '../helpers/payroll.js'
import { query } from '../helpers/sql.js'

const serverOnly = onServer() ? false : 'needs concurrent connections (PGlite serves one at a time): runs on the Postgres server pass'

t.test('32 concurrent exports of one period make one batch; every entry is paid exactly once', { skip: serverOnly }, async (t) => {
  const h = await build(t, { now: new Date('2026-11-29T12:00:00Z'), poolMax: 20 })
  const org = await payrollOrganisation(h)
  const workers = []
  for (let i = 0; i < 6; i++) workers.push(await h.worker({ payrollReference: `C${i}`, teamIds: [org.team.id] }))
  let approvedGross = 0
  for (const [i, worker] of workers.entries()) {
    for (let day = 1; day <= 5; day++) approvedGross += (await org.approved(worker.id, `2025-10-${String(day + i).padStart(2, '0')}`)).pay.grossPence
  }
  const period = await org.close('2025-10-15')
  const attempts = await Promise.all(Array.from({ length: 32 }, () => org.finance.call('POST', `/pay-periods/${period.id}/exports`)))
  const created = attempts.filter((a) => a.status === 201)
  t.equal(created.length, 1, 'one batch')
  for (const other of attempts.filter((a) => a.status !== 201)) t.match(other.body, { status: 409, rule: 'period_exported', exportId: created[0]!.body.id })
  const db = h.database.handle.db
  const [counts] = await query<{ batches: number, claims: number, distinct_entries: number }>(db, sql`
    select (select count(*)::int from export_batches) as batches, count(*)::int as claims, count(distinct entry_id)::int as distinct_entries from export_entries`)
  t.same(counts, { batches: 1, claims: 30, distinct_entries: 30 })
  const [sums] = await query<{ entries: number, lines: number }>(db, sql`
    select (select sum(gross_pence)::int from timesheet_entries where state = 'exported') as entries,
           (select sum(gross_pence)::int from export_lines where kind <> 'holiday_pay') as lines`)
  t.equal(sums!.entries, approvedGross, 'the claimed entries are exactly the approved ones')
  t.equal(sums!.lines, approvedGross, 'the batch lines sum to the claimed entries, to the penny')
})

t.test('exports of two periods at once never claim the same entry', { skip: serverOnly }, async (t) => {
  const h = await build(t, { now: new Date('2026-11-29T12:00:00Z'), poolMax: 20 })
  const org = await payrollOrganisation(h)
  const worker = await h.worker({ payrollReference: 'D1', teamIds: [org.team.id] })
  for (let day = 1; day <= 20; day++) await org.approved(worker.id, `2025-09-${String(day).padStart(2, '0')}`)
  const september = await org.close('2025-09-15')
  const october = await org.close('2025-10-15')
  const [a, b] = await Promise.all([
    org.finance.call('POST', `/pay-periods/${september.id}/exports`),
    org.finance.call('POST', `/pay-periods/${october.id}/exports`)
  ])
  const statuses = [a.status, b.status].sort()
  t.ok(statuses[0] === 201, 'one export claims the entries')
  t.ok(statuses[1] === 201 || statuses[1] === 409, `the other finds them claimed or nothing left (${statuses[1]})`)
  const [row] = await query<{ claims: number, distinct_entries: number }>(h.database.handle.db, sql`select count(*)::int as claims, count(distinct entry_id)::int as distinct_entries from export_entries`)
  t.same(row, { claims: 20, distinct_entries: 20 }, 'each entry in exactly one batch')
})

t.test('the database itself refuses an entry in two batches', async (t) => {
  const h = await build(t, { now: new Date('2026-11-29T12:00:00Z') })
  const org = await payrollOrganisation(h)
  const worker = await h.worker({ payrollReference: 'U1', teamIds: [org.team.id] })
  await org.approved(worker.id, '2025-10-01')
  const period = await org.close('2025-10-15')
  const batch = (await org.finance.call('POST', `/pay-periods/${period.id}/exports`)).body
  await t.rejects(h.database.handle.db.execute(sql`insert into export_entries
    select entry_id, batch_id, seq + 1000, line_no, kind, corrects_entry_id, worker_id, payroll_reference, worker_name, department, cost_centre,
      activity_code, activity_name, pay_element_code, work_date, start_time, end_time, starts_at, break_minutes, minutes, unit, line_unit,
      rate_pence, gross_pence, payment_mode, holiday_pay_mode, late, approved_at
    from export_entries where batch_id = ${batch.id}`), { cause: { code: '23505' } })
  await t.rejects(h.database.handle.db.execute(sql`update timesheet_entries set state = 'approved' where state = 'exported'`), { cause: { code: '23514' } }, 'an exported entry cannot go back')
})
