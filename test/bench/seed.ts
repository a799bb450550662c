// Seeds a payroll organisation for the benchmarks through the services, as the app would make
// it (workers, teams, rates, keys, entries created, submitted and approved), and for the large
// export cases only multiplies the service-made approved entries with one INSERT ... SELECT.
import { performance } from 'node:perf_hooks'
import { sql } from 'drizzle-orm'
import { addMonths } from '../../src/domain/calendar-date.js'
import { todayIn } from '../../src/domain/local-time.js'
import { systemContext, type Actor, type ChangeContext } from '../../src/domain/actor.js'
import { rowsOf, type Db } from '../../src/db/open.js'
import { createActivityType } from '../../src/modules/activity-types/service.js'
import { createApiKey } from '../../src/modules/api-keys/service.js'
import { approveEntry } from '../../src/modules/entries/decisions.js'
import { createEntry } from '../../src/modules/entries/service.js'
import { closePayPeriod, createPaySchedule, periodForDate } from '../../src/modules/pay-periods/service.js'
import { createPerson } from '../../src/modules/people/service.js'
import { createRate } from '../../src/modules/rates/service.js'
import { createTeam } from '../../src/modules/teams/service.js'
import { createWorker } from '../../src/modules/workers/service.js'
import type { BenchSettings } from './settings.js'

const ZONE = 'Europe/London'
/** Sessions start on the hour from 06:00; the 17th of a day starts at 22:00. */
const FIRST_HOUR = 6
const SLOTS_PER_DAY = 17
const SESSION_MINUTES = 50

export interface ItemRef { id: string, version: number }

export interface ExportPeriod {
  label: string
  month: string
  periodId: string
  entries: number
  /** Entries created, submitted and approved through the services. */
  serviceMade: number
  /** Entries copied in SQL from the service-made ones (large cases only). */
  copied: number
  copySeconds: number | null
}

export interface Seeded {
  financeKey: string
  adminKey: string
  activities: { peer: string, training: string, panel: string }
  teams: Array<{ id: string, name: string, managerPersonId: string, managerKey: string }>
  writers: Array<{ workerId: string, teamId: string, key: string }>
  /** The warm-up export first, then one per measured size, in date order. */
  exportPeriods: ExportPeriod[]
  /** Submitted (service-made) entries per team, for the bulk-approval case and its baseline. */
  submittedByTeam: ItemRef[][]
  bulkWarmup: number
  months: { exports: string[], bulk: string, writeApp: string, writeBare: string }
  counts: { workers: number, teams: number, serviceApproved: number, serviceSubmitted: number, copiedApproved: number }
  seconds: { organisation: number, serviceEntries: number, copies: number, vacuum: number }
  serviceEntriesPerSecond: number
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')
const daysIn = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate()
const hhmm = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`

/** The k-th session of a worker in a month: one a day first, then a later hour on each day. */
export function slotOf (month: string, k: number): { workDate: string, startTime: string, endTime: string } {
  const days = daysIn(month)
  const slot = Math.floor(k / days)
  if (slot >= SLOTS_PER_DAY) throw new Error(`more than ${SLOTS_PER_DAY * days} sessions per worker in ${month}: add workers (BENCH_WORKERS)`)
  const start = (FIRST_HOUR + slot) * 60
  return { workDate: `${month}-${pad(1 + (k % days))}`, startTime: hhmm(start), endTime: hhmm(start + SESSION_MINUTES) }
}

/** Runs `work` over the items with at most `lanes` at once. */
async function inLanes<T> (items: readonly T[], lanes: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++
      await work(items[index]!, index)
    }
  }))
}

const seconds = (since: number) => Math.round((performance.now() - since) / 10) / 100

export async function seed (db: Db, settings: BenchSettings, log: (line: string) => void): Promise<Seeded> {
  const { workers: workerCount, teams: teamCount, exportSizes } = settings
  if (teamCount < 1 || workerCount < teamCount) throw new Error('BENCH_WORKERS must be at least BENCH_TEAMS')
  const now = new Date()
  const admin = systemContext('bench seed', now, ZONE)
  const as = (actor: Actor): ChangeContext => ({ actor, requestId: null, now: new Date(), zone: ZONE })

  // Months, oldest first, ending with the last complete month: the warm-up export, each measured
  // export, the bulk-approval entries, then the write-path case's two months (app, bare route).
  const thisMonth = todayIn(ZONE, now).slice(0, 7)
  const monthList = Array.from({ length: exportSizes.length + 4 }, (_, i) => addMonths(`${thisMonth}-01`, i - exportSizes.length - 4).slice(0, 7))
  const months = {
    exports: monthList.slice(0, exportSizes.length + 1),
    bulk: monthList[exportSizes.length + 1]!,
    writeApp: monthList[exportSizes.length + 2]!,
    writeBare: monthList[exportSizes.length + 3]!
  }
  const since = `${monthList[0]!}-01`

  let started = performance.now()
  log(`seeding an organisation of ${workerCount} workers in ${teamCount} teams through the services`)
  const adminKey = await createApiKey(db, admin, { name: 'bench admin', role: 'admin' })
  const finance = await createApiKey(db, admin, { name: 'bench finance', role: 'finance' })
  const financeCtx = () => as({ keyId: finance.key.id, role: 'finance', label: finance.key.name, personId: null })
  // Sessions are recorded by the admin and decided by the team's manager (maker and checker).
  const recorderCtx = () => as({ keyId: adminKey.key.id, role: 'admin', label: adminKey.key.name, personId: null })
  const policy = { dualControlAbovePence: 50_000 }

  // With their Sage 50 numbers (payment numbers here, department numbers on the teams), so every
  // file format of a bench batch downloads, sage50 included.
  const peer = await createActivityType(db, admin, { code: 'PEER', name: 'Peer support session', payElementCode: 'SESS01', sagePaymentNumber: 1, unit: 'hour' })
  const training = await createActivityType(db, admin, { code: 'TRAIN', name: 'Training', payElementCode: 'TRN01', sagePaymentNumber: 2, unit: 'hour' })
  const panel = await createActivityType(db, admin, { code: 'PANEL', name: 'Interview panel', payElementCode: 'PANEL01', sagePaymentNumber: 3, unit: 'session' })
  await createRate(db, admin, { activityTypeId: peer.id, scope: 'default', pencePerUnit: 1500, validFrom: since })
  await createRate(db, admin, { activityTypeId: training.id, scope: 'default', pencePerUnit: 1400, validFrom: since })
  await createRate(db, admin, { activityTypeId: panel.id, scope: 'default', pencePerUnit: 3000, validFrom: since })
  const schedule = await createPaySchedule(db, admin, {
    name: 'Monthly',
    frequency: 'monthly',
    anchorDate: `${since.slice(0, 4)}-01-01`,
    payDateOffsetDays: 5,
    payrollCalendarCode: 'CAL-MONTHLY',
    sageHolidayPaymentNumber: 4,
    isDefault: true
  })

  const teams: Seeded['teams'] = []
  const managerCtx: Array<() => ChangeContext> = []
  for (let t = 0; t < teamCount; t++) {
    const person = await createPerson(db, admin, { displayName: `Manager ${pad(t + 1)}` })
    const team = await createTeam(db, admin, { name: `Team ${pad(t + 1)}`, costCentre: `CC${pad(t + 1, 3)}`, sageDepartment: (t + 1) % 1000, managerIds: [person.id] })
    const { key, secret } = await createApiKey(db, admin, { name: `manager ${pad(t + 1)}`, role: 'manager', personId: person.id })
    teams.push({ id: team.id, name: team.name, managerPersonId: person.id, managerKey: secret })
    managerCtx.push(() => as({ keyId: key.id, role: 'manager', label: key.name, personId: person.id }))
    // Every other team pays peer support at a team rate (worker beats team beats default).
    if (t % 2 === 0) await createRate(db, admin, { activityTypeId: peer.id, scope: 'team', teamId: team.id, pencePerUnit: 1600, validFrom: since })
  }

  const workerIds: string[] = new Array(workerCount)
  await inLanes(Array.from({ length: workerCount }, (_, w) => w), settings.seedConcurrency, async (w) => {
    const worker = await createWorker(db, admin, {
      displayName: `Worker ${pad(w + 1, 5)}`,
      payrollReference: `W${pad(w + 1, 5)}`,
      // A tenth are 18 to 20 (their own minimum-wage band); the rest adults.
      dateOfBirth: w % 10 === 9 ? '2007-03-14' : `19${70 + (w % 30)}-0${1 + (w % 9)}-1${w % 10}`,
      paymentMode: w % 50 === 0 ? 'voucher' : w % 50 === 1 ? 'declined' : 'payroll',
      holidayPayMode: w % 10 === 2 ? 'accrued' : 'rolled_up',
      engagementStartDate: addMonths(since, -12),
      teamIds: [teams[w % teamCount]!.id]
    })
    workerIds[w] = worker.id
    if (w % 100 === 3) await createRate(db, admin, { activityTypeId: peer.id, scope: 'worker', workerId: worker.id, pencePerUnit: 1700, validFrom: since })
  })

  const writers: Seeded['writers'] = []
  for (let w = 0; w < settings.writers; w++) {
    const { secret } = await createApiKey(db, admin, { name: `worker ${pad(w + 1, 5)}`, role: 'worker', personId: workerIds[w]! })
    writers.push({ workerId: workerIds[w]!, teamId: teams[w % teamCount]!.id, key: secret })
  }
  const organisationSeconds = seconds(started)
  log(`organisation seeded in ${organisationSeconds} s`)

  // Entries through the services: a manager records each session on the worker's behalf and
  // submits it; for exports the manager then approves it.
  const activityOf = (w: number, k: number) => [peer.id, peer.id, training.id, panel.id][(w + k) % 4]!
  let serviceApproved = 0
  let serviceSubmitted = 0
  async function sessions (month: string, perWorker: (w: number) => number, approve: boolean, made?: (w: number, ref: ItemRef) => void) {
    await inLanes(workerIds, settings.seedConcurrency, async (workerId, w) => {
      const team = w % teamCount
      for (let k = 0; k < perWorker(w); k++) {
        const { entry } = await createEntry(db, recorderCtx(), { workerId, activityTypeId: activityOf(w, k), teamId: teams[team]!.id, breakMinutes: 0, submit: true, ...slotOf(month, k) })
        if (approve) {
          await approveEntry(db, managerCtx[team]!(), policy, entry.id, entry.version)
          serviceApproved++
        } else {
          serviceSubmitted++
          made?.(w, { id: entry.id, version: entry.version })
        }
      }
    })
  }

  started = performance.now()
  const exportPeriods: ExportPeriod[] = []
  const targets = [workerCount, ...exportSizes]
  for (const [i, size] of targets.entries()) {
    const month = months.exports[i]!
    // Small exports are made wholly through the services; large ones get one service-made
    // session per worker, multiplied below.
    const throughServices = size <= settings.serviceEntriesMax || i === 0 ? size : workerCount
    log(`${month}: ${throughServices} approved entries through the services`)
    await sessions(month, (w) => Math.floor(throughServices / workerCount) + (w < throughServices % workerCount ? 1 : 0), true)
    exportPeriods.push({ label: i === 0 ? 'warm-up' : `${size}`, month, periodId: '', entries: size, serviceMade: throughServices, copied: 0, copySeconds: null })
  }

  const callsPerTeam = Math.ceil(settings.bulkCalls / teamCount)
  const bulkWarmup = Math.min(50, settings.bulkPerCall)
  const needPerTeam = 2 * (callsPerTeam * settings.bulkPerCall + bulkWarmup)
  const submittedByTeam: ItemRef[][] = teams.map(() => [])
  const teamSizes = teams.map((_, t) => workerIds.filter((_, w) => w % teamCount === t).length)
  const perWorker = Math.ceil(needPerTeam / Math.min(...teamSizes))
  log(`${months.bulk}: ${perWorker * workerCount} submitted entries through the services (bulk approval and its baseline)`)
  await sessions(months.bulk, () => perWorker, false, (w, ref) => { submittedByTeam[w % teamCount]!.push(ref) })
  const serviceSeconds = seconds(started)
  const serviceEntriesPerSecond = Math.round((serviceApproved + serviceSubmitted) / serviceSeconds)
  log(`service-made entries: ${serviceApproved} approved, ${serviceSubmitted} submitted in ${serviceSeconds} s (${serviceEntriesPerSecond}/s)`)

  // Large cases: copy each worker's service-made session of the month to later days and hours
  // (the same worker, team, activity, frozen rate and pay), so the no-overlap constraint holds.
  started = performance.now()
  let copiedApproved = 0
  for (const period of exportPeriods) {
    if (period.serviceMade >= period.entries) continue
    const t0 = performance.now()
    const first = `${period.month}-01`
    const days = daysIn(period.month)
    const perWorkerMax = Math.ceil(period.entries / workerCount)
    slotOf(period.month, perWorkerMax - 1)
    await db.execute(sql`
      insert into timesheet_entries (worker_id, activity_type_id, team_id, kind, work_date, start_time, end_date, end_time, starts_at, ends_at,
        break_minutes, worked_minutes, notes, state, recorded_by_key_id, submitted_at, decided_at, decided_by_key_id, decided_by_person_id,
        rate_id, rate_pence_per_unit, rate_unit, rate_source, gross_pence, payment_mode, version)
      select b.worker_id, b.activity_type_id, b.team_id, b.kind, s.work_date, to_char(s.work_date + s.start_local, 'HH24:MI'), s.work_date,
        to_char(s.work_date + s.start_local + (b.ends_at - b.starts_at), 'HH24:MI'),
        (s.work_date + s.start_local) at time zone ${ZONE}, ((s.work_date + s.start_local) at time zone ${ZONE}) + (b.ends_at - b.starts_at),
        b.break_minutes, b.worked_minutes, b.notes, b.state, b.recorded_by_key_id, b.submitted_at, b.decided_at, b.decided_by_key_id, b.decided_by_person_id,
        b.rate_id, b.rate_pence_per_unit, b.rate_unit, b.rate_source, b.gross_pence, b.payment_mode, b.version
      from (
        select e.*, (row_number() over (order by e.worker_id) - 1)::int as w_idx from timesheet_entries e
        where e.work_date = ${first}::date and e.start_time = ${hhmm(FIRST_HOUR * 60)} and e.state = 'approved' and e.kind = 'work'
      ) b
      cross join lateral (
        select ${first}::date + (k % ${days}) as work_date, time '00:00' + make_interval(hours => ${FIRST_HOUR} + k / ${days}) as start_local
        from generate_series(1, ${perWorkerMax - 1}) as k
        where k * ${workerCount} + b.w_idx < ${period.entries}
      ) s`)
    const [made] = rowsOf<{ n: number | string }>(await db.execute(sql`select count(*) as n from timesheet_entries where state = 'approved' and work_date between ${first}::date and ${`${period.month}-${days}`}::date`))
    period.copied = Number(made!.n) - period.serviceMade
    period.copySeconds = seconds(t0)
    copiedApproved += period.copied
    if (Number(made!.n) !== period.entries) throw new Error(`${period.month}: ${made!.n} approved entries, expected ${period.entries}`)
    log(`${period.month}: copied ${period.copied} approved entries in SQL (${period.copySeconds} s)`)
  }
  const copySeconds = seconds(started)

  // Finance closes the export months (through the service, as POST /pay-periods/{id}/close does).
  for (const period of exportPeriods) {
    const row = await periodForDate(db, schedule.id, `${period.month}-15`)
    await closePayPeriod(db, financeCtx(), row.id, row.version)
    period.periodId = row.id
  }

  // Statistics and the visibility map as autovacuum would leave them, so it does not start
  // half-way through a measurement.
  started = performance.now()
  await db.execute(sql`vacuum (analyze)`)
  const vacuumSeconds = seconds(started)

  return {
    financeKey: finance.secret,
    adminKey: adminKey.secret,
    activities: { peer: peer.id, training: training.id, panel: panel.id },
    teams,
    writers,
    exportPeriods,
    submittedByTeam,
    bulkWarmup,
    months,
    counts: { workers: workerCount, teams: teamCount, serviceApproved, serviceSubmitted, copiedApproved },
    seconds: { organisation: organisationSeconds, serviceEntries: serviceSeconds, copies: copySeconds, vacuum: vacuumSeconds },
    serviceEntriesPerSecond
  }
}
