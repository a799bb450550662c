import t from 'tap'
import { sql } from 'drizzle-orm'
import { createRate } from '../../src/modules/rates/service.js'
import { build } from '../helpers/app.js'
import { client } from '../helpers/entries.js'
import { query } from '../helpers/sql.js'

const h = await build(t, { now: new Date('2025-11-29T12:00:00Z') })
const admin = client(h, await h.key('admin'))
const finance = client(h, await h.key('finance'))
const managerPerson = await h.person('Manager')
const checkerPerson = await h.person('Second manager')
const team = await h.team({ name: 'Youth Voice', costCentre: 'YV01', managerIds: [managerPerson.id, checkerPerson.id] })
const manager = client(h, await h.key('manager', { personId: managerPerson.id }))
// Whoever records or corrects on a worker's behalf cannot approve it: the second manager does.
const checker = client(h, await h.key('manager', { personId: checkerPerson.id }))
const activity = await h.activity({ code: 'PEER', name: 'Peer support', payElementCode: 'SESS01' })
await createRate(h.database.handle.db, h.ctx, { activityTypeId: activity.id, scope: 'default', pencePerUnit: 1221, validFrom: '2025-04-01' })
const schedule = (await finance.call('POST', '/pay-schedules', { name: 'Monthly', frequency: 'monthly', anchorDate: '2026-01-01', payDateOffsetDays: 5, payrollCalendarCode: 'CAL-MONTHLY' })).body

async function approvedEntry (workerId: string, workDate: string, startTime: string, endTime: string) {
  const made = await manager.create({ workerId, activityTypeId: activity.id, workDate, startTime, endTime, submit: true })
  const approved = await checker.act(made.body.id, 'approve')
  if (approved.status !== 200) throw new Error(JSON.stringify(approved.body))
  return approved.body
}
async function period (date: string) {
  return (await finance.call('GET', `/pay-schedules/${schedule.id}/period-for-date?date=${date}`))
}
async function closeAndExport (date: string) {
  const p = await period(date)
  const closed = await finance.call('POST', `/pay-periods/${p.body.id}/close`, undefined, { 'if-match': p.etag! })
  if (closed.status !== 200) throw new Error(JSON.stringify(closed.body))
  return finance.call('POST', `/pay-periods/${p.body.id}/exports`)
}

t.test('three 50-minute entries at £12.21: 1018p each, one line of 3054p, 2.50 hours, 1p from what payroll computes', async (t) => {
  const sam = await h.worker({ displayName: 'Sam', payrollReference: 'E001', teamIds: [team.id], holidayPayMode: 'rolled_up' })
  for (const day of ['2025-10-05', '2025-10-06', '2025-10-07']) {
    const entry = await approvedEntry(sam.id, day, '10:00', '10:50')
    t.equal(entry.pay.grossPence, 1018)
  }
  const exported = await closeAndExport('2025-10-15')
  t.equal(exported.status, 201)
  const batch = exported.body
  t.match(batch, { periodStartDate: '2025-10-01', periodEndDate: '2025-10-31', payDate: '2025-11-05', totals: { entryCount: 3, workerCount: 1, minutes: 150, lateEntryCount: 0 } })
  t.match(batch.lines, [
    { lineNo: 1, kind: 'pay', paymentMode: 'payroll', payrollReference: 'E001', workerName: 'Sam', department: 'Youth Voice', costCentre: 'YV01', payElementCode: 'SESS01', unit: 'hour', minutes: 150, ratePence: 1221, grossPence: 3054, hoursHundredths: 250, hoursText: '2.50', payrollComputedPence: 3053, differencePence: 1, late: false, entryCount: 3 },
    { lineNo: 2, kind: 'holiday_pay', payElementCode: 'HOLIDAY', unit: 'amount', grossPence: 369, ratePence: null, description: 'Holiday pay (12.07%)' }
  ])
  t.equal(batch.lines.length, 2)
  t.same(batch.payrollDifferences, [{ lineNo: 1, payrollReference: 'E001', hoursText: '2.50', ratePence: 1221, grossPence: 3054, payrollComputedPence: 3053, differencePence: 1 }])
  t.match(batch.totals, { grossPence: 3054 + 369, payrollGrossPence: 3423, voucherGrossPence: 0, holidayPayPence: 369 })
  const [{ total }] = await query<{ total: number }>(h.database.handle.db, sql`select sum(gross_pence)::int as total from timesheet_entries where id in (select entry_id from export_entries where batch_id = ${batch.id})`) as [{ total: number }]
  t.equal(total + batch.totals.holidayPayPence, batch.totals.grossPence, 'totals reconcile to the penny with the claimed entries')
  const states = await query<{ state: string }>(h.database.handle.db, sql`select distinct state from timesheet_entries where worker_id = ${sam.id}`)
  t.same(states, [{ state: 'exported' }])

  const again = await finance.call('POST', `/pay-periods/${batch.payPeriodId}/exports`)
  t.match(again.body, { status: 409, rule: 'period_exported', exportId: batch.id })
  const p = await finance.call('GET', `/pay-periods/${batch.payPeriodId}`)
  t.equal(p.body.state, 'exported')
  t.match((await finance.call('POST', `/pay-periods/${batch.payPeriodId}/reopen`, { reason: 'oops' }, { 'if-match': p.etag! })).body, { status: 409, rule: 'period_exported' })
})

t.test('late entries, vouchers, declined workers, accrued holiday and a negative correction', async (t) => {
  const ali = await h.worker({ displayName: 'Ali', payrollReference: 'E002', teamIds: [team.id], holidayPayMode: 'accrued' })
  const vic = await h.worker({ displayName: 'Vic', payrollReference: null, teamIds: [team.id], paymentMode: 'voucher' })
  const dee = await h.worker({ displayName: 'Dee', payrollReference: null, teamIds: [team.id], paymentMode: 'declined' })
  const late = await approvedEntry(ali.id, '2025-10-20', '09:00', '11:00') // October is exported already
  await approvedEntry(ali.id, '2025-11-02', '09:00', '10:00')
  await approvedEntry(vic.id, '2025-11-03', '09:00', '10:00')
  await approvedEntry(dee.id, '2025-11-04', '09:00', '12:00')
  const october = await finance.call('GET', `/exports?payScheduleId=${schedule.id}`)
  const samEntries = await query<{ id: string }>(h.database.handle.db, sql`select e.id from timesheet_entries e join export_entries x on x.entry_id = e.id where x.batch_id = ${october.body.items[0].id} order by e.work_date limit 1`)
  const correction = await manager.call('POST', `/entries/${samEntries[0]!.id}/corrections`, { minutes: -20, reason: 'Session ended early' })
  t.equal(correction.status, 201)
  t.match(correction.body, { kind: 'adjustment', state: 'submitted', workedMinutes: -20, correctsEntryId: samEntries[0]!.id, workDate: '2025-10-05' })
  const approvedCorrection = await checker.act(correction.body.id, 'approve')
  t.match(approvedCorrection.body.pay, { grossPence: -407, pencePerUnit: 1221, paymentMode: 'payroll' }, '-20 minutes at £12.21 is -£4.07 (rounded toward the worker)')

  const exported = await closeAndExport('2025-11-15')
  t.equal(exported.status, 201)
  const lines = exported.body.lines as Array<Record<string, unknown>>
  t.match(lines.filter((l) => l.paymentMode === 'payroll' && l.kind !== 'holiday_pay'), [
    { payrollReference: 'E001', kind: 'adjustment', unit: 'hour', minutes: -20, grossPence: -407, late: true, description: 'Correction: Peer support' },
    { payrollReference: 'E002', kind: 'pay', minutes: 60, grossPence: 1221, late: false },
    { payrollReference: 'E002', kind: 'pay', minutes: 120, grossPence: 2442, late: true }
  ], 'late entries and corrections are lines of their own; a clawback is negative')
  t.match(lines.filter((l) => l.kind === 'holiday_pay'), [
    { payrollReference: 'E001', paymentMode: 'payroll', grossPence: -49 },
    { workerName: 'Vic', paymentMode: 'voucher', grossPence: 148 }
  ], 'rolled-up holiday follows the clawback (12.07% of -407, rounded toward the worker) and vouchers; accrued workers get none')
  t.match(lines.filter((l) => l.paymentMode === 'voucher'), [{ workerName: 'Vic', kind: 'pay', grossPence: 1221 }, { kind: 'holiday_pay' }], 'vouchers are listed apart')
  t.same(exported.body.declined, [{ workerId: dee.id, workerName: 'Dee', minutes: 180, entryCount: 1 }], 'declined workers: hours recorded, paid nothing')
  t.match(exported.body.accruedHoliday, [{ payrollReference: 'E002', minutesWorked: 180, accruedMinutes: 22, accruedHoursText: '0.37' }])
  t.match(exported.body.totals, { entryCount: 5, lateEntryCount: 2, voucherGrossPence: 1221 + 148, payrollGrossPence: -407 + 1221 + 2442 - 49, holidayPayPence: -49 + 148 })
  t.equal(exported.body.totals.grossPence, -407 + 1221 + 2442 + 1221 - 49 + 148)
  t.equal((await manager.get(late.id)).body.state, 'exported')
  const history = await manager.call('GET', `/entries/${samEntries[0]!.id}/history`)
  t.match(history.body.items.map((e: { action: string }) => e.action), ['entry.created', 'entry.submitted', 'entry.approved', 'entry.created', 'entry.corrected', 'entry.approved'], 'the history shows the correction chain')
})

t.test('nothing to export is a 409, and an open period cannot be exported', async (t) => {
  const p = await period('2025-12-10')
  t.match((await finance.call('POST', `/pay-periods/${p.body.id}/exports`)).body, { status: 409, rule: 'period_open' })
  const empty = await closeAndExport('2025-05-10')
  t.match(empty.body, { status: 409, rule: 'nothing_to_export' })
  const after = await period('2025-05-10')
  t.equal(after.body.state, 'closed', 'the period stays closed')
  t.equal((await manager.call('POST', `/pay-periods/${p.body.id}/exports`)).status, 403, 'only finance exports')
})

t.test('a worker paid through payroll without a payroll reference blocks the export, named', async (t) => {
  const noRef = await h.worker({ displayName: 'Nobody Ref', payrollReference: null, teamIds: [team.id] })
  await approvedEntry(noRef.id, '2025-09-10', '09:00', '10:00')
  const res = await closeAndExport('2025-09-10')
  t.equal(res.status, 422)
  t.match(res.body, { rule: 'missing_payroll_reference', workers: [{ id: noRef.id, displayName: 'Nobody Ref' }], detail: /Nobody Ref/ })
  const [{ n }] = await query<{ n: number }>(h.database.handle.db, sql`select count(*)::int as n from export_batches where period_start_date = '2025-09-01'`) as [{ n: number }]
  t.equal(n, 0, 'no batch was made')
  const w = await admin.call('GET', `/workers/${noRef.id}`)
  await admin.call('PATCH', `/workers/${noRef.id}`, { payrollReference: 'E009' }, { 'if-match': w.etag! })
  const p = await period('2025-09-10')
  t.equal((await finance.call('POST', `/pay-periods/${p.body.id}/exports`)).status, 201, 'once it is set, the export goes through')
})

t.test('period reopening takes a reason and is audited', async (t) => {
  const p = await period('2026-01-10')
  const closed = await finance.call('POST', `/pay-periods/${p.body.id}/close`, undefined, { 'if-match': p.etag! })
  t.equal(closed.body.state, 'closed')
  t.equal((await finance.call('POST', `/pay-periods/${p.body.id}/reopen`, {}, { 'if-match': closed.etag! })).status, 400, 'a reason is required')
  const reopened = await finance.call('POST', `/pay-periods/${p.body.id}/reopen`, { reason: 'late timesheets from the youth panel' }, { 'if-match': closed.etag! })
  t.equal(reopened.body.state, 'open')
  const [event] = await query<{ reason: string }>(h.database.handle.db, sql`select reason from audit_events where action = 'pay_period.reopened' and entity_id = ${p.body.id}`)
  t.equal(event?.reason, 'late timesheets from the youth panel')
})

t.test('corrections: their worker cannot withdraw or delete them, and clawbacks never exceed what was paid', async (t) => {
  const kim = await h.worker({ displayName: 'Kim', payrollReference: 'E010', teamIds: [team.id] })
  const kimApi = client(h, await h.key('worker', { personId: kim.id }))
  const entry = await approvedEntry(kim.id, '2025-08-04', '09:00', '10:00') // 60 minutes, 1221p
  const claw = await finance.call('POST', `/entries/${entry.id}/corrections`, { minutes: -40, reason: 'left early' })
  t.equal(claw.status, 201)
  t.equal((await kimApi.act(claw.body.id, 'withdraw')).status, 403, 'the worker cannot withdraw a clawback')
  t.equal((await kimApi.call('DELETE', `/entries/${claw.body.id}`, undefined, { 'if-match': claw.etag! })).status, 403, 'nor delete it')
  t.match((await admin.act(claw.body.id, 'withdraw')).body, { status: 409 }, 'a correction is approved or rejected, never withdrawn')
  const second = await finance.call('POST', `/entries/${entry.id}/corrections`, { minutes: -30, reason: 'again' })
  t.match(second.body, { status: 422, rule: 'correction_exceeds_entry' }, '-40 then -30 of 60 minutes: refused')
  const pence = await finance.call('POST', `/entries/${entry.id}/corrections`, { pence: -1000, reason: 'refund' })
  t.match(pence.body, { status: 422, rule: 'correction_exceeds_entry' }, 'nor in pence beyond what is left')
  const history = await kimApi.call('GET', `/entries/${claw.body.id}/history`)
  t.match(history.body.items.map((e: { entityId: string }) => e.entityId), [entry.id, entry.id, entry.id, claw.body.id], 'a correction\'s history starts with the entry it corrects')
})

t.test('a correction is judged with its entry against the minimum wage', async (t) => {
  const lee = await h.worker({ displayName: 'Lee', payrollReference: 'E011', teamIds: [team.id] })
  const entry = await approvedEntry(lee.id, '2025-08-05', '09:00', '10:00') // 60 minutes at exactly the 2025 floor
  const cut = await finance.call('POST', `/entries/${entry.id}/corrections`, { pence: -600, reason: 'overpaid' })
  t.equal(cut.status, 201)
  const res = await manager.act(cut.body.id, 'approve')
  t.equal(res.status, 422, 'an hour paid £6.21 after the correction is below the minimum wage')
  t.match(res.body, { rule: 'below_minimum_wage', hourlyEquivalentPence: 621, floorPencePerHour: 1221 })
})

t.test('a worker on another schedule is exported with that schedule only', async (t) => {
  const weekly = (await finance.call('POST', '/pay-schedules', { name: 'Weekly', frequency: 'weekly', anchorDate: '2025-01-06', payrollCalendarCode: 'CAL-W' })).body
  const wes = await h.worker({ displayName: 'Wes', payrollReference: 'E012', teamIds: [team.id], payScheduleId: weekly.id })
  t.equal(wes.payScheduleId, weekly.id)
  const mo = await h.worker({ displayName: 'Mo', payrollReference: 'E013', teamIds: [team.id] })
  await approvedEntry(wes.id, '2025-07-08', '09:00', '10:00')
  await approvedEntry(mo.id, '2025-07-09', '09:00', '10:00')
  const monthly = await closeAndExport('2025-07-10')
  t.equal(monthly.status, 201)
  t.same(monthly.body.lines.filter((l: { kind: string }) => l.kind === 'pay').map((l: { payrollReference: string }) => l.payrollReference), ['E013'], 'the default (monthly) export pays the monthly worker and leaves the weekly one out')
  const week = (await finance.call('GET', `/pay-schedules/${weekly.id}/period-for-date?date=2025-07-08`))
  await finance.call('POST', `/pay-periods/${week.body.id}/close`, undefined, { 'if-match': week.etag! })
  const weeklyExport = await finance.call('POST', `/pay-periods/${week.body.id}/exports`)
  t.match(weeklyExport.body.lines, [{ payrollReference: 'E012', minutes: 60 }])
  const refused = await admin.call('PATCH', `/workers/${wes.id}`, { payScheduleId: '00000000-0000-4000-8000-000000000000' }, { 'if-match': `"${wes.id}:${wes.version}"` })
  t.match(refused.body, { status: 422, rule: 'unknown_pay_schedule' })
})
