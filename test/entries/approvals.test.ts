import t from 'tap'
import { sql } from 'drizzle-orm'
import { createRate } from '../../src/modules/rates/service.js'
import { build } from '../helpers/app.js'
import { client, organisation } from '../helpers/entries.js'
import { query } from '../helpers/sql.js'

const h = await build(t, { now: new Date('2026-11-29T12:00:00Z') })
const org = await organisation(h, { ratePence: 1300 })
const manager = client(h, org.managerKey)
const checker = client(h, org.checkerKey)
let day = 0
/** A fresh session on its own day, so tests never overlap each other. */
const nextSession = (fields: Record<string, unknown> = {}) => {
  day++
  const date = new Date(Date.UTC(2026, 5, 1) + day * 86_400_000).toISOString().slice(0, 10)
  return { activityTypeId: org.activity.id, workDate: date, startTime: '10:00', endTime: '11:40', breakMinutes: 0, ...fields }
}
async function workerWith (fields: Parameters<typeof h.worker>[0] = {}) {
  const worker = await h.worker({ teamIds: [org.team.id], ...fields })
  return { worker, api: client(h, await h.key('worker', { personId: worker.id })) }
}

t.test('the whole state machine, including every illegal move', async (t) => {
  const { api } = await workerWith()
  const draft = (await api.create(nextSession())).body
  t.match((await manager.act(draft.id, 'approve')).body, { status: 409, rule: 'illegal_transition', state: 'draft' }, 'a draft cannot be approved')
  t.match((await manager.act(draft.id, 'reject', { reason: 'x' })).body, { status: 409, rule: 'illegal_transition' }, 'nor rejected')
  t.match((await api.act(draft.id, 'withdraw')).body, { status: 409, rule: 'illegal_transition' }, 'nor withdrawn')
  t.match((await api.act(draft.id, 'submit')).body, { state: 'submitted', submittedAt: String })
  t.match((await api.act(draft.id, 'submit')).body, { status: 409 }, 'submitted twice is refused')
  t.match((await api.act(draft.id, 'withdraw')).body, { state: 'draft', submittedAt: null }, 'the worker withdraws it')
  await api.act(draft.id, 'submit')
  const rejected = await manager.act(draft.id, 'reject', { reason: 'Wrong day, please check' })
  t.match(rejected.body, { state: 'rejected', rejectionReason: 'Wrong day, please check' })
  t.match((await manager.act(draft.id, 'reject')).body, { status: 400 }, 'a rejection needs a reason')
  t.match((await api.patch(draft.id, { breakMinutes: 10 })).body, { state: 'rejected', workedMinutes: 90 }, 'a rejected entry can be edited')
  t.match((await api.act(draft.id, 'submit')).body, { state: 'submitted' }, 'and resubmitted')
  const approved = await manager.act(draft.id, 'approve')
  t.match(approved.body, { state: 'approved', pay: { pencePerUnit: 1300, unit: 'hour', source: 'default', grossPence: 1950, paymentMode: 'payroll' } })
  for (const action of ['submit', 'withdraw', 'approve'] as const) {
    t.match((await (action === 'approve' ? manager : api).act(draft.id, action)).body, { status: 409 }, `an approved entry cannot be ${action}ed`)
  }
  t.match((await manager.act(draft.id, 'reject', { reason: 'changed my mind' })).body, { status: 409 }, 'nor rejected')
  t.match((await api.patch(draft.id, { notes: 'x' })).body, { status: 409, rule: 'entry_not_editable' }, 'nor edited')

  const history = await api.call('GET', `/entries/${draft.id}/history`)
  t.same(history.body.items.map((e: { action: string }) => e.action), [
    'entry.created', 'entry.submitted', 'entry.withdrawn', 'entry.submitted', 'entry.rejected', 'entry.updated', 'entry.submitted', 'entry.approved'
  ], 'every transition is in the history, in order')
  t.match(history.body.items[4], { actorRole: 'manager', before: { state: 'submitted' }, after: { state: 'rejected' }, reason: 'Wrong day, please check' })
})

t.test('approval freezes the rate: later rate changes never touch an approved entry', async (t) => {
  const activity = await h.activity()
  const first = await createRate(h.database.handle.db, h.ctx, { activityTypeId: activity.id, scope: 'default', pencePerUnit: 1400, validFrom: '2026-01-01' })
  const { api } = await workerWith()
  const entry = (await api.create(nextSession({ activityTypeId: activity.id, endTime: '10:50', submit: true }))).body
  const approved = (await manager.act(entry.id, 'approve')).body
  t.match(approved.pay, { rateId: first.rate.id, pencePerUnit: 1400, grossPence: 1167 }, '50 minutes at £14.00 = £11.666..., rounded up to £11.67')
  await createRate(h.database.handle.db, h.ctx, { activityTypeId: activity.id, scope: 'default', pencePerUnit: 2000, validFrom: '2026-02-01' })
  await createRate(h.database.handle.db, h.ctx, { activityTypeId: activity.id, scope: 'team', teamId: org.team.id, pencePerUnit: 2500, validFrom: '2026-01-01' })
  t.same((await manager.get(entry.id)).body.pay, approved.pay, 'the frozen pay is unchanged')
  await t.rejects(h.database.handle.db.execute(sql`update timesheet_entries set gross_pence = 1 where id = ${entry.id}`),
    { cause: { code: '23514', message: /an approved entry cannot change/ } }, 'the database refuses to change frozen pay')
  await t.rejects(h.database.handle.db.execute(sql`delete from timesheet_entries where id = ${entry.id}`),
    { cause: { code: '23514' } }, 'or delete an approved entry')
})

t.test('session activities pay their fee; declined workers are approved at £0; vouchers are flagged', async (t) => {
  const sessionActivity = await h.activity({ unit: 'session' })
  await createRate(h.database.handle.db, h.ctx, { activityTypeId: sessionActivity.id, scope: 'default', pencePerUnit: 4000, validFrom: '2026-01-01' })
  const { api } = await workerWith()
  const fee = (await api.create(nextSession({ activityTypeId: sessionActivity.id, endTime: '12:00', submit: true }))).body
  t.match((await manager.act(fee.id, 'approve')).body.pay, { unit: 'session', pencePerUnit: 4000, grossPence: 4000 })

  const declined = await workerWith({ paymentMode: 'declined' })
  const unpaid = (await declined.api.create(nextSession({ submit: true }))).body
  const approvedUnpaid = (await manager.act(unpaid.id, 'approve')).body
  t.match(approvedUnpaid, { state: 'approved', workedMinutes: 100, pay: { grossPence: 0, paymentMode: 'declined', pencePerUnit: 1300 } })
  t.match(approvedUnpaid.warnings, [/declines payment/])

  const voucher = await workerWith({ paymentMode: 'voucher' })
  const paidInVouchers = (await voucher.api.create(nextSession({ submit: true }))).body
  const approvedVoucher = (await manager.act(paidInVouchers.id, 'approve')).body
  t.match(approvedVoucher.pay, { grossPence: 2167, paymentMode: 'voucher' })
  t.match(approvedVoucher.warnings, [/vouchers/])
})

t.test('minimum wage at approval: a £10.00 rate is fine at 17, refused at 18 and 21', async (t) => {
  const activity = await h.activity()
  await createRate(h.database.handle.db, h.ctx, { activityTypeId: activity.id, scope: 'default', pencePerUnit: 1000, validFrom: '2026-01-01' })
  const cases = [
    { dateOfBirth: '2008-12-01', status: 200, band: 'age_16_to_17' },
    { dateOfBirth: '2008-06-01', status: 422, band: 'age_18_to_20', floor: 1085 },
    { dateOfBirth: '1990-01-01', status: 422, band: 'age_21_and_over', floor: 1271 }
  ]
  for (const c of cases) {
    const { api } = await workerWith({ dateOfBirth: c.dateOfBirth })
    const entry = (await api.create(nextSession({ activityTypeId: activity.id, workDate: '2026-06-30', submit: true }))).body
    const res = await manager.act(entry.id, 'approve')
    t.equal(res.status, c.status, c.band)
    if (c.status === 422) {
      t.match(res.body, { rule: 'below_minimum_wage', hourlyEquivalentPence: 1000, floorPencePerHour: c.floor, band: c.band, detail: new RegExp(`£10.00 an hour, below the minimum wage of £${(c.floor! / 100).toFixed(2)}`) })
      t.equal((await manager.get(entry.id)).body.state, 'submitted', 'a refused approval changes nothing')
    }
  }
  const sessionActivity = await h.activity({ unit: 'session' })
  await createRate(h.database.handle.db, h.ctx, { activityTypeId: sessionActivity.id, scope: 'default', pencePerUnit: 2000, validFrom: '2026-01-01' })
  const { api } = await workerWith({ dateOfBirth: '1990-01-01' })
  const long = (await api.create(nextSession({ activityTypeId: sessionActivity.id, startTime: '09:00', endTime: '11:00', submit: true }))).body
  t.match((await manager.act(long.id, 'approve')).body, { status: 422, rule: 'below_minimum_wage', hourlyEquivalentPence: 1000 }, 'a £20 fee for two hours is £10.00 an hour: refused')
})

t.test('earnings guard: warn succeeds with warnings, block needs a manager\'s reason', async (t) => {
  // Accrued holiday here, so the week is pay alone (rolled-up holiday pay counts: tested below).
  const custom = { benefitGuard: 'custom' as const, benefitCapPence: 3000, holidayPayMode: 'accrued' as const }
  const warned = await workerWith({ ...custom, benefitPolicy: 'warn' })
  const a = (await warned.api.create(nextSession({ workDate: '2026-06-15', startTime: '09:00', endTime: '11:00', submit: true }))).body
  t.same(a.warnings, [], 'under the cap: no warning (£26.00 of £30.00)')
  const b = await warned.api.create(nextSession({ workDate: '2026-06-16', startTime: '09:00', endTime: '10:00', submit: true }))
  t.equal(b.status, 201)
  t.match(b.body.warnings, [/Week of 2026-06-15: gross £39.00 would exceed the agreed weekly cap of £30.00/])
  t.match((await manager.act(b.body.id, 'approve')).body, { state: 'approved', warnings: [] }, 'approving, only approved pay counts: £13.00 so far')
  t.match((await manager.act(a.id, 'approve')).body, { state: 'approved', warnings: [/gross £39.00 would exceed/] }, 'the second approval takes the week over: a warning')

  const blocked = await workerWith({ ...custom, benefitPolicy: 'block' })
  const c = (await blocked.api.create(nextSession({ workDate: '2026-06-22', startTime: '09:00', endTime: '11:00', submit: true }))).body
  const d = await blocked.api.create(nextSession({ workDate: '2026-06-23', startTime: '09:00', endTime: '10:00', submit: true }))
  t.equal(d.status, 409, 'the worker cannot submit over a blocking cap')
  t.match(d.body, { rule: 'earnings_cap_exceeded', weekStart: '2026-06-22', weekGrossPence: 3900, capPence: 3000, detail: /a manager must approve it with a reason/ })
  const onBehalf = await manager.create(nextSession({ workerId: blocked.worker.id, workDate: '2026-06-23', startTime: '09:00', endTime: '10:00' }))
  const refused = await manager.act(onBehalf.body.id, 'submit')
  t.match(refused.body, { status: 409, rule: 'earnings_cap_exceeded' })
  const overridden = await manager.act(onBehalf.body.id, 'submit', { overrideReason: 'Agreed with Sam: one-off event week' })
  t.equal(overridden.body.state, 'submitted')
  t.match((await manager.act(c.id, 'approve')).body, { state: 'approved' }, 'the first entry is under the cap')
  t.match((await manager.act(onBehalf.body.id, 'approve', { overrideReason: 'Agreed with Sam: one-off event week' })).body,
    { status: 403, rule: 'maker_checker' }, 'the manager who recorded it on the worker\'s behalf cannot approve it')
  t.match((await checker.act(onBehalf.body.id, 'approve')).body, { status: 409, rule: 'earnings_cap_exceeded' }, 'approval checks again')
  const first = await checker.act(onBehalf.body.id, 'approve', { overrideReason: 'Agreed with Sam: one-off event week' })
  t.match(first.body, {
    state: 'submitted',
    overrideReason: 'Agreed with Sam: one-off event week',
    dualControl: { reason: /overrides the worker's blocking earnings cap/, awaitingSecondApproval: true },
    pay: null
  }, 'an override of a blocking cap needs a second approver: the first is recorded')
  const finance = client(h, await h.key('finance'))
  t.match((await checker.act(onBehalf.body.id, 'approve')).body, { status: 403, rule: 'second_approver_role' }, 'a manager never gives the second approval')
  const approved = await finance.act(onBehalf.body.id, 'approve')
  t.match(approved.body, { state: 'approved', overrideReason: 'Agreed with Sam: one-off event week', dualControl: { awaitingSecondApproval: false } },
    'finance confirms the first approver\'s override')
  const audits = await query<{ action: string, reason: string, after: { capOverridden: boolean } }>(h.database.handle.db,
    sql`select action, reason, after from audit_events where action in ('entry.first_approved', 'entry.approved') and entity_id = ${onBehalf.body.id} order by id`)
  t.match(audits, [
    { action: 'entry.first_approved', reason: 'Agreed with Sam: one-off event week', after: { capOverridden: true, awaitingSecondApproval: true } },
    { action: 'entry.approved', reason: 'Agreed with Sam: one-off event week', after: { capOverridden: true, firstApprover: { personId: /./ } } }
  ], 'the override and both approvals are audited')

  const esa = await workerWith({ benefitGuard: 'esa_permitted_work', holidayPayMode: 'accrued' })
  const long = await esa.api.create(nextSession({ workDate: '2026-06-29', startTime: '06:00', endDate: '2026-06-29', endTime: '22:30', submit: true }))
  t.match(long.body.warnings, [/£214.50 would exceed the ESA permitted-work limit of £203.50/, /16.50 hours worked, but ESA permitted work must be under 16 hours a week/])
})

t.test('nobody decides their own entry; finance never decides; managers only their teams', async (t) => {
  const person = await h.person('Manager who also works')
  const myTeam = await h.team({ managerIds: [person.id] })
  const { createWorker } = await import('../../src/modules/workers/service.js')
  await createWorker(h.database.handle.db, h.ctx, { personId: person.id, dateOfBirth: '1985-01-01', paymentMode: 'payroll', holidayPayMode: 'accrued', engagementStartDate: '2025-01-01', teamIds: [myTeam.id] })
  const asWorker = client(h, await h.key('worker', { personId: person.id }))
  const asManager = client(h, await h.key('manager', { personId: person.id }))
  const own = (await asWorker.create(nextSession({ submit: true }))).body
  t.match((await asManager.act(own.id, 'approve')).body, { status: 403, detail: /own entry/ })
  const finance = client(h, await h.key('finance'))
  t.equal((await finance.act(own.id, 'approve')).status, 403)
  t.equal((await manager.act(own.id, 'approve')).status, 404, 'a manager of another team does not see it')
  const admin = client(h, await h.key('admin'))
  t.equal((await admin.act(own.id, 'approve')).body.state, 'approved', 'an admin may decide it')
})

t.test('bulk decisions answer per item; one bad item spoils nothing', async (t) => {
  const { api } = await workerWith()
  const ids: Array<{ id: string, version: number }> = []
  for (let i = 0; i < 4; i++) {
    const e = (await api.create(nextSession({ submit: true }))).body
    ids.push({ id: e.id, version: e.version })
  }
  const draft = (await api.create(nextSession())).body
  const body = {
    decision: 'approve',
    items: [ids[0], { ...ids[1]!, version: 99 }, ids[2], { id: draft.id, version: draft.version }, { id: '00000000-0000-4000-8000-000000000000', version: 1 }, ids[3]]
  }
  const res = await manager.call('POST', '/entries/decisions', body)
  t.equal(res.status, 200)
  t.match(res.body, { decided: 3, failed: 3 })
  t.match(res.body.results, [
    { id: ids[0]!.id, outcome: 'approved', version: 3 },
    { id: ids[1]!.id, outcome: 'failed', status: 412, code: 'precondition_failed' },
    { id: ids[2]!.id, outcome: 'approved' },
    { id: draft.id, outcome: 'failed', status: 409, rule: 'illegal_transition' },
    { id: '00000000-0000-4000-8000-000000000000', outcome: 'failed', status: 404 },
    { id: ids[3]!.id, outcome: 'approved' }
  ])
  t.equal((await manager.get(ids[1]!.id)).body.state, 'submitted', 'the failed item is untouched')
  const reject = await manager.call('POST', '/entries/decisions', { decision: 'reject', items: [{ id: ids[1]!.id, version: 2 }] })
  t.match(reject.body, { status: 422, rule: 'reason_required' })
  const rejected = await manager.call('POST', '/entries/decisions', { decision: 'reject', reason: 'Duplicate', items: [{ id: ids[1]!.id, version: 2 }] })
  t.match(rejected.body.results, [{ outcome: 'rejected' }])
  const tooMany = await manager.call('POST', '/entries/decisions', { decision: 'approve', items: Array.from({ length: 501 }, () => ids[0]) })
  t.equal(tooMany.status, 400, 'at most 500 items')
})

t.test('creating and approving are safe to retry with an Idempotency-Key', async (t) => {
  const { worker, api } = await workerWith()
  const body = nextSession({ submit: true })
  const first = await api.call('POST', '/entries', body, { 'idempotency-key': 'create-1' })
  const again = await api.call('POST', '/entries', body, { 'idempotency-key': 'create-1' })
  t.equal(again.status, 201)
  t.equal(again.res.headers['idempotent-replayed'], 'true')
  t.equal(again.body.id, first.body.id)
  const [{ n }] = await query<{ n: number }>(h.database.handle.db, sql`select count(*)::int as n from timesheet_entries where worker_id = ${worker.id}`) as [{ n: number }]
  t.equal(n, 1, 'one entry')
  const headers = { 'if-match': first.etag!, 'idempotency-key': 'approve-1' }
  const approved = await manager.call('POST', `/entries/${first.body.id}/approve`, undefined, headers)
  const replay = await manager.call('POST', `/entries/${first.body.id}/approve`, undefined, headers)
  t.equal(approved.status, 200)
  t.equal(replay.status, 200)
  t.equal(replay.res.headers['idempotent-replayed'], 'true')
  t.same(replay.body, approved.body)
  const events = await query(h.database.handle.db, sql`select 1 from audit_events where action = 'entry.approved' and entity_id = ${first.body.id}`)
  t.equal(events.length, 1, 'approved once')
})

t.test('a worker sees their own record, entries and weekly earnings, never anyone else\'s', async (t) => {
  const { worker, api } = await workerWith({ benefitGuard: 'custom', benefitCapPence: 10_000 })
  const other = await workerWith()
  await other.api.create(nextSession({ workDate: '2026-07-06', submit: true }))
  const approved = (await api.create(nextSession({ workDate: '2026-07-06', startTime: '09:00', endTime: '11:00', submit: true }))).body
  await manager.act(approved.id, 'approve')
  await api.create(nextSession({ workDate: '2026-07-07', startTime: '09:00', endTime: '10:00', submit: true }))
  await api.create(nextSession({ workDate: '2026-07-08', startTime: '09:00', endTime: '10:00' }))
  t.match((await api.call('GET', '/me')).body, { id: worker.id, displayName: worker.displayName })
  const mine = await api.call('GET', '/me/entries')
  t.equal(mine.body.items.length, 3)
  t.ok(mine.body.items.every((e: { workerId: string }) => e.workerId === worker.id))
  const earnings = await api.call('GET', '/me/earnings?from=2026-07-06&to=2026-07-19')
  t.same(earnings.body.weeks, [
    // Headroom counts rolled-up holiday pay: £100.00 - (£39.00 + 12.07% of it, £4.71) = £56.29.
    { weekStart: '2026-07-06', weekEnd: '2026-07-12', minutes: 180, approvedGrossPence: 2600, pendingGrossPence: 1300, capPence: 10_000, headroomPence: 5629 },
    { weekStart: '2026-07-13', weekEnd: '2026-07-19', minutes: 0, approvedGrossPence: 0, pendingGrossPence: 0, capPence: 10_000, headroomPence: 10_000 }
  ])
  const othersEntry = await api.call('GET', `/entries?workerId=${other.worker.id}`)
  t.same(othersEntry.body.items, [], 'filtering by another worker finds nothing')
  t.equal((await manager.call('GET', '/me')).status, 403, '/me is for worker keys')
  t.match((await api.call('GET', '/me/earnings?from=2026-07-19&to=2026-07-06')).body, { status: 422, rule: 'from_after_to' })
  t.match((await api.call('GET', '/me/earnings?from=2025-01-01&to=2026-07-06')).body, { status: 422, rule: 'range_too_long' })
})

t.test('work done at compulsory school age is never paid through payroll', async (t) => {
  // Born 2010-07-15: of school age until 2026-06-26; moved to payroll for work after that.
  const { api } = await workerWith({ dateOfBirth: '2010-07-15', engagementStartDate: '2026-01-01' })
  const entry = (await api.create(nextSession({ workDate: '2026-03-02', submit: true }))).body
  const res = await manager.act(entry.id, 'approve')
  t.equal(res.status, 422)
  t.match(res.body, { rule: 'school_age_payroll', detail: /compulsory school age/ })
  const later = (await api.create(nextSession({ workDate: '2026-07-01', submit: true }))).body
  t.equal((await manager.act(later.id, 'approve')).status, 200, 'after the school leaving date it is')
})

t.test('the earnings guard counts rolled-up holiday pay as earnings', async (t) => {
  const rolled = await workerWith({ benefitGuard: 'custom', benefitCapPence: 2600, benefitPolicy: 'block', holidayPayMode: 'rolled_up' })
  const entry = (await rolled.api.create(nextSession({ workDate: '2026-08-03', startTime: '09:00', endTime: '11:00' }))).body
  const submitted = await rolled.api.act(entry.id, 'submit')
  t.equal(submitted.status, 409, '£26.00 of pay is £29.14 with holiday pay: over a £26.00 cap')
  t.match(submitted.body, { rule: 'earnings_cap_exceeded', weekGrossPence: 2600 + 314 })
  const accrued = await workerWith({ benefitGuard: 'custom', benefitCapPence: 2600, benefitPolicy: 'block', holidayPayMode: 'accrued' })
  const fine = await accrued.api.create(nextSession({ workDate: '2026-08-03', startTime: '09:00', endTime: '11:00', submit: true }))
  t.equal(fine.status, 201, 'an accrued-holiday worker earns the £26.00 alone')
})

t.test('resubmitting a rejected session over one recorded since is refused, naming it', async (t) => {
  const { api } = await workerWith()
  const first = (await api.create(nextSession({ startTime: '09:00', endTime: '10:00', submit: true }))).body
  await manager.act(first.id, 'reject', { reason: 'wrong time' })
  const second = (await api.create({ ...nextSession(), workDate: first.workDate, startTime: '09:30', endTime: '10:30' })).body
  t.equal(second.state, 'draft', 'a rejected entry does not block a new one')
  const again = await api.act(first.id, 'submit')
  t.equal(again.status, 409)
  t.match(again.body, { rule: 'overlapping_entry', conflictingEntryId: second.id })
})
