// The money invariants judged again at export (issue 11): an entry never pays below zero with its
// corrections, a blocking cap holds, and a worker whose batch pays less than nothing (a recovery
// of an earlier overpayment) is listed for finance, never netted away.
import t from 'tap'
import { sql } from 'drizzle-orm'
import { rolledUpHolidayPayPence } from '../../src/domain/holiday-pay.js'
import { build } from '../helpers/app.js'
import { payrollOrganisation } from '../helpers/payroll.js'
import { query } from '../helpers/sql.js'

const h = await build(t, { now: new Date('2026-11-29T12:00:00Z') })
const org = await payrollOrganisation(h)
const db = h.database.handle.db

const exportOf = async (date: string) => {
  const period = await org.close(date)
  return org.finance.call('POST', `/pay-periods/${period.id}/exports`)
}
const stateOf = async (id: string) => (await query<{ state: string }>(db, sql`select state::text from timesheet_entries where id = ${id}`))[0]!.state

t.test('a worker clawed back more than a batch pays them is listed as a recovery, holiday pay included', async (t) => {
  const worker = await h.worker({ teamIds: [org.team.id], payrollReference: 'REC1', holidayPayMode: 'rolled_up' })
  const paid = await org.approved(worker.id, '2025-05-05', '09:00', '13:00') // 4 hours at £12.21: £48.84
  t.equal((await exportOf('2025-05-15')).status, 201)
  const clawback = await org.manager.call('POST', `/entries/${paid.id}/corrections`, { minutes: -120, reason: 'Left at 11:00' })
  t.equal(clawback.status, 201)
  t.equal((await org.checker.act(clawback.body.id, 'approve')).status, 200)
  const batch = await exportOf('2025-06-15')
  t.equal(batch.status, 201)
  const lines = batch.body.lines.filter((l: { workerId: string }) => l.workerId === worker.id)
  const holiday = rolledUpHolidayPayPence(-2442)
  t.ok(holiday < 0)
  t.match(lines, [{ kind: 'adjustment', grossPence: -2442 }, { kind: 'holiday_pay', grossPence: holiday }], 'the clawback and the holiday pay it recovers')
  t.same(batch.body.recoveries, [{ workerId: worker.id, payrollReference: 'REC1', workerName: worker.displayName, paymentMode: 'payroll', netPence: -2442 + holiday }],
    'the worker is listed as owing what the batch recovers, not netted into the batch total')
  t.equal((await org.finance.call('GET', `/exports/${batch.body.id}`)).body.recoveries.length, 1, 'and so on every read of the batch')
})

t.test('an export refuses a correction that takes back more than its entry paid, naming it, and claims nothing', async (t) => {
  const worker = await h.worker({ teamIds: [org.team.id], payrollReference: 'OVER1', holidayPayMode: 'accrued' })
  const paid = await org.approved(worker.id, '2025-07-07', '09:00', '10:00')
  // Round the service: an approved correction written straight into the database.
  await db.execute(sql`insert into timesheet_entries (worker_id, activity_type_id, team_id, kind, work_date, worked_minutes, corrects_entry_id,
      correction_reason, state, rate_id, rate_pence_per_unit, rate_unit, rate_source, gross_pence, payment_mode, decided_at)
    select worker_id, activity_type_id, team_id, 'adjustment', work_date, -90, id, 'hand-written', 'approved', rate_id, rate_pence_per_unit,
      rate_unit, rate_source, -1832, payment_mode, now() from timesheet_entries where id = ${paid.id}`)
  const refused = await exportOf('2025-07-15')
  t.equal(refused.status, 422)
  t.match(refused.body, { rule: 'correction_exceeds_entry', entries: [{ entryId: paid.id, netMinutes: -30, netPence: -611 }] })
  t.equal(await stateOf(paid.id), 'approved', 'nothing was claimed')
  t.equal((await query(db, sql`select 1 from export_batches where period_start_date = '2025-07-01'`)).length, 0, 'no batch was made')
  // Put right with a correction that brings the entry back to nothing owed; then it exports.
  const putRight = await org.manager.call('POST', `/entries/${paid.id}/corrections`, { minutes: 30, reason: 'Reverses the excess' })
  t.equal((await org.checker.act(putRight.body.id, 'approve')).status, 200)
  const period = (await org.periodOf('2025-07-15')).body
  t.equal((await org.finance.call('POST', `/pay-periods/${period.id}/exports`)).status, 201, 'exported once the entry nets to zero')
})

t.test('an export refuses a week over a blocking cap with no override, naming the week and the cap', async (t) => {
  const worker = await h.worker({ teamIds: [org.team.id], payrollReference: 'CAP1', holidayPayMode: 'accrued' })
  const first = await org.approved(worker.id, '2025-08-04', '09:00', '11:00')
  await org.approved(worker.id, '2025-08-05', '09:00', '11:00')
  // The cap set (too low) after the approvals: the export is the last line of defence.
  await db.execute(sql`update workers set benefit_guard = 'custom', benefit_policy = 'block', benefit_cap_pence = 3000 where id = ${worker.id}`)
  const refused = await exportOf('2025-08-15')
  t.equal(refused.status, 409)
  t.match(refused.body, { rule: 'earnings_cap_exceeded', weeks: [{ workerId: worker.id, weekStart: '2025-08-04', weekGrossPence: 4884, capPence: 3000 }] })
  t.equal(await stateOf(first.id), 'approved', 'nothing was claimed')
  // Put right with a clawback that brings the week under the cap; then it exports.
  const clawback = await org.manager.call('POST', `/entries/${first.id}/corrections`, { minutes: -120, reason: 'Over the agreed cap' })
  t.equal((await org.checker.act(clawback.body.id, 'approve')).status, 200)
  const period = (await org.periodOf('2025-08-15')).body
  t.equal((await org.finance.call('POST', `/pay-periods/${period.id}/exports`)).status, 201, 'exported once the week is under the cap')
})
