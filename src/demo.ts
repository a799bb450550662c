import type { ChangeContext, Role } from './domain/actor.js'
import { addDays, weekContaining } from './domain/calendar-date.js'
import { todayIn } from './domain/local-time.js'
import { periodContaining } from './domain/pay-period.js'
import type { Db } from './db/open.js'
import { people } from './db/schema.js'
import { conflict } from './errors.js'
import { createActivityType } from './modules/activity-types/service.js'
import { createApiKey } from './modules/api-keys/service.js'
import { approveEntry, rejectEntry, type DecisionPolicy } from './modules/entries/decisions.js'
import { createEntry } from './modules/entries/service.js'
import { createExport } from './modules/exports/claim.js'
import { closePayPeriod, createPaySchedule, periodForDate } from './modules/pay-periods/service.js'
import { createPerson } from './modules/people/service.js'
import { createRate } from './modules/rates/service.js'
import { createTeam } from './modules/teams/service.js'
import { createWorker, type CreateWorkerInput, type WorkerRecord } from './modules/workers/service.js'

export interface DemoKeys { role: Role, name: string, secret: string }

/**
 * A small organisation to try the service on (`npm run cli -- demo`): two teams, eight workers
 * across age bands, payment modes, holiday modes and benefit guards, a rate card, a monthly pay
 * schedule (with the Sage 50 numbers its files print), last month exported and this month's
 * entries in every state. Made through the
 * services, as an admin would, so every rule and audit event applies. Refused once anyone exists.
 */
export async function seedDemo (db: Db, now: Date, zone: string, policy: DecisionPolicy): Promise<DemoKeys[]> {
  const [existing] = await db.select({ id: people.id }).from(people).limit(1)
  if (existing !== undefined) throw conflict('The database already holds people: the demo only seeds an empty one')

  const keys: DemoKeys[] = []
  const bootstrap: ChangeContext = { actor: { keyId: null, role: 'system', label: 'demo', personId: null }, requestId: null, now, zone }
  const adminKey = await createApiKey(db, bootstrap, { name: 'Demo admin', role: 'admin' })
  keys.push({ role: 'admin', name: 'Demo admin', secret: adminKey.secret })
  const ctx: ChangeContext = { ...bootstrap, actor: { keyId: adminKey.key.id, role: 'admin', label: 'Demo admin', personId: null } }
  const financeKey = await createApiKey(db, ctx, { name: 'Demo finance', role: 'finance' })
  keys.push({ role: 'finance', name: 'Demo finance', secret: financeKey.secret })
  const financeCtx: ChangeContext = { ...ctx, actor: { keyId: financeKey.key.id, role: 'finance', label: 'Demo finance', personId: null } }
  // Whoever records a session never approves it (maker and checker): the demo admin records,
  // a second admin key (not printed) approves.
  const approver = await createApiKey(db, ctx, { name: 'Demo approvals', role: 'admin' })
  const approverCtx: ChangeContext = {
    ...ctx,
    actor: { keyId: approver.key.id, role: 'admin', label: 'Demo approvals', personId: null }
  }
  // Under dual control (above the threshold, or overriding a blocking cap) finance approves second.
  const approve = async (entry: { id: string, version: number }, overrideReason?: string) => {
    const first = await approveEntry(db, approverCtx, policy, entry.id, entry.version, overrideReason)
    if (first.entry.state === 'submitted') await approveEntry(db, financeCtx, policy, entry.id, first.entry.version)
  }

  const morgan = await createPerson(db, ctx, { displayName: 'Morgan (manager)' })
  const priya = await createPerson(db, ctx, { displayName: 'Priya (manager)' })
  // Teams, activities and the schedule carry their Sage 50 Payroll numbers (department, payment), so
  // the sage50 file the README downloads prints what Sage imports.
  const youthVoice = await createTeam(db, ctx, { name: 'Youth Voice', costCentre: 'YV01', sageDepartment: 1, managerIds: [morgan.id] })
  const peerSupport = await createTeam(db, ctx, { name: 'Peer Support', costCentre: 'PS02', sageDepartment: 2, managerIds: [priya.id] })
  const managerKey = await createApiKey(db, ctx, { name: 'Morgan (manager)', role: 'manager', personId: morgan.id })
  keys.push({ role: 'manager', name: 'Morgan (manager), Youth Voice', secret: managerKey.secret })

  const peer = await createActivityType(db, ctx, {
    code: 'PEER_SUPPORT', name: 'Peer support session', payElementCode: 'SESS01', sagePaymentNumber: 21, unit: 'hour'
  })
  const codesign = await createActivityType(db, ctx, {
    code: 'CO_DESIGN', name: 'Co-design workshop', payElementCode: 'SESS02', sagePaymentNumber: 22, unit: 'hour'
  })
  const panel = await createActivityType(db, ctx, {
    code: 'INTERVIEW_PANEL', name: 'Interview panel', payElementCode: 'SESS03', sagePaymentNumber: 23, unit: 'session'
  })
  for (const activity of [peer, codesign]) {
    await createRate(db, ctx, { activityTypeId: activity.id, scope: 'default', pencePerUnit: 1300, validFrom: '2025-04-01' })
    await createRate(db, ctx, { activityTypeId: activity.id, scope: 'default', pencePerUnit: 1350, validFrom: '2026-04-01' })
  }
  await createRate(db, ctx, { activityTypeId: panel.id, scope: 'default', pencePerUnit: 4000, validFrom: '2025-04-01' })
  await createRate(db, ctx, { activityTypeId: peer.id, scope: 'team', teamId: peerSupport.id, pencePerUnit: 1450, validFrom: '2025-04-01' })

  const today = todayIn(zone, now)
  const year = Number(today.slice(0, 4))
  const born = (age: number, monthDay = '03-15') => `${year - age}-${monthDay}`
  const base = { holidayPayMode: 'rolled_up', engagementStartDate: '2025-04-01' } as const
  const workerSpecs: Array<CreateWorkerInput & { key?: boolean }> = [
    { ...base, displayName: 'Alex', payrollReference: 'SP001', dateOfBirth: born(34), paymentMode: 'payroll', teamIds: [youthVoice.id], key: true },
    { ...base, displayName: 'Billie', payrollReference: 'SP002', dateOfBirth: born(19, '01-20'), paymentMode: 'payroll', teamIds: [youthVoice.id], benefitGuard: 'esa_permitted_work', benefitPolicy: 'warn' },
    { ...base, displayName: 'Casey', payrollReference: 'SP003', dateOfBirth: born(17, '01-05'), paymentMode: 'payroll', teamIds: [youthVoice.id], holidayPayMode: 'accrued' },
    { ...base, displayName: 'Dana', payrollReference: 'SP004', dateOfBirth: born(45), paymentMode: 'payroll', teamIds: [peerSupport.id], benefitGuard: 'universal_credit', benefitPolicy: 'block' },
    { ...base, displayName: 'Eli', payrollReference: 'SP005', dateOfBirth: born(22), paymentMode: 'payroll', teamIds: [peerSupport.id, youthVoice.id], apprentice: true, apprenticeshipStartDate: `${year - 1}-09-01` },
    { ...base, displayName: 'Frankie', payrollReference: null, dateOfBirth: born(58), paymentMode: 'voucher', teamIds: [peerSupport.id], benefitGuard: 'custom', benefitCapPence: 10_000 },
    { ...base, displayName: 'Gabe', payrollReference: null, dateOfBirth: born(63), paymentMode: 'declined', teamIds: [peerSupport.id], holidayPayMode: 'accrued' },
    { ...base, displayName: 'Harper', payrollReference: null, dateOfBirth: born(15, '01-10'), paymentMode: 'voucher', teamIds: [youthVoice.id] }
  ]
  const workers: WorkerRecord[] = []
  for (const { key, ...spec } of workerSpecs) {
    const worker = await createWorker(db, ctx, spec)
    workers.push(worker)
    if (key === true) {
      const workerKey = await createApiKey(db, ctx, { name: `${worker.displayName} (worker)`, role: 'worker', personId: worker.id })
      keys.push({ role: 'worker', name: `${worker.displayName} (worker)`, secret: workerKey.secret })
    }
  }

  const schedule = await createPaySchedule(db, financeCtx, {
    name: 'Monthly',
    frequency: 'monthly',
    anchorDate: '2025-04-01',
    payDateOffsetDays: 7,
    payrollCalendarCode: 'MONTHLY',
    sageHolidayPaymentNumber: 24,
    isDefault: true
  })
  const thisPeriod = periodContaining(schedule, today)
  const lastMonthEnd = addDays(thisPeriod.startDate, -1)

  // Last month: sessions approved, then the period closed and exported.
  const session = (worker: WorkerRecord, workDate: string, activityTypeId: string, startTime: string, endTime: string) => ({
    workerId: worker.id, teamId: worker.teamIds[0]!, activityTypeId, workDate, startTime, endTime, breakMinutes: 0
  })
  let offset = 0
  for (const worker of workers) {
    for (const days of [3, 10, 17]) {
      const workDate = addDays(lastMonthEnd, -(days + offset % 3))
      const activity = days === 17 ? panel.id : peer.id
      const { entry } = await createEntry(db, ctx, { ...session(worker, workDate, activity, '10:00', '12:30'), submit: true })
      await approve(entry, 'Demo: agreed with the worker')
    }
    offset++
  }
  const lastPeriod = await periodForDate(db, schedule.id, lastMonthEnd)
  await closePayPeriod(db, financeCtx, lastPeriod.id, lastPeriod.version)
  await createExport(db, financeCtx, lastPeriod.id)

  // This month so far: one entry in each state for the first workers.
  const monday = weekContaining(today).start
  const earlier = (days: number) => { const date = addDays(monday, -days); return date < thisPeriod.startDate ? thisPeriod.startDate : date }
  const [alex, billie, casey, dana] = workers as [WorkerRecord, WorkerRecord, WorkerRecord, WorkerRecord]
  await createEntry(db, ctx, session(alex, earlier(1), codesign.id, '14:00', '16:00'))
  await createEntry(db, ctx, { ...session(billie, earlier(2), codesign.id, '14:00', '16:00'), submit: true })
  const approved = await createEntry(db, ctx, { ...session(casey, earlier(3), peer.id, '09:30', '11:00'), submit: true })
  await approve(approved.entry)
  const rejected = await createEntry(db, ctx, { ...session(dana, earlier(4), peer.id, '09:30', '11:00'), submit: true })
  await rejectEntry(db, ctx, rejected.entry.id, rejected.entry.version, 'Demo: that day was a training day, please check the date')
  for (const worker of workers.slice(0, 5)) {
    await createEntry(db, ctx, { ...session(worker, earlier(7), peer.id, '12:00', '13:30'), submit: true })
  }
  return keys
}
