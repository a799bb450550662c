// Generated over the app's route table, not hand-picked: every authenticated route is called
// by every role, aimed at resources outside the worker's and the manager's scope. A route
// without an example request below fails the test, so new routes cannot slip past it.
import { sql } from 'drizzle-orm'
import t, { type Test } from 'tap'
import { roles, type Role } from '../../src/domain/actor.js'
import { build } from '../helpers/app.js'
import { buildScopeWorld, type ScopeWorld } from '../helpers/scope-world.js'
import { query } from '../helpers/sql.js'

interface Example {
  /** The path with its parameters filled in. */
  path: string
  query?: Record<string, string>
  body?: unknown
  /** Whether the request names an out-of-scope resource (a worker or manager must not reach it). */
  targetsForeign: boolean
  /** A bulk call: it answers 200, and each item must fail as not found. */
  perItem?: boolean
}

type Ids = ScopeWorld['foreign']
const session = { workDate: '2026-06-02', startTime: '10:00', endTime: '11:00' }
const NIL = '00000000-0000-4000-8000-000000000000'

/** One request per operation, aimed at the foreign resources where the operation names one. */
const examples: Record<string, (f: Ids) => Example> = {
  listApiKeys: () => ({ path: '/api-keys', targetsForeign: false }),
  createApiKey: (f) => ({ path: '/api-keys', body: { name: 'x', role: 'worker', personId: f.worker }, targetsForeign: true }),
  getApiKey: () => ({ path: '/api-keys/00000000-0000-4000-8000-000000000000', targetsForeign: false }),
  revokeApiKey: () => ({ path: '/api-keys/00000000-0000-4000-8000-000000000000/revoke', targetsForeign: false }),
  listAuditEvents: (f) => ({ path: '/audit-events', query: { entityId: f.worker }, targetsForeign: true }),
  createPerson: () => ({ path: '/people', body: { displayName: 'New Person' }, targetsForeign: false }),
  listPeople: () => ({ path: '/people', targetsForeign: false }),
  getPerson: (f) => ({ path: `/people/${f.person}`, targetsForeign: true }),
  updatePerson: (f) => ({ path: `/people/${f.person}`, body: { displayName: 'Renamed' }, targetsForeign: true }),
  createWorker: (f) => ({ path: '/workers', body: { displayName: 'N', dateOfBirth: '1990-01-01', paymentMode: 'payroll', holidayPayMode: 'accrued', engagementStartDate: '2026-01-01', teamIds: [f.team] }, targetsForeign: true }),
  listWorkers: (f) => ({ path: '/workers', query: { teamId: f.team }, targetsForeign: true }),
  getWorker: (f) => ({ path: `/workers/${f.worker}`, targetsForeign: true }),
  updateWorker: (f) => ({ path: `/workers/${f.worker}`, body: { active: false }, targetsForeign: true }),
  getWorkerMinimumWage: (f) => ({ path: `/workers/${f.worker}/minimum-wage`, query: { date: '2026-06-01' }, targetsForeign: true }),
  createTeam: (f) => ({ path: '/teams', body: { name: `T ${Math.random()}`, costCentre: 'C', managerIds: [f.person] }, targetsForeign: true }),
  listTeams: () => ({ path: '/teams', targetsForeign: false }),
  getTeam: (f) => ({ path: `/teams/${f.team}`, targetsForeign: true }),
  updateTeam: (f) => ({ path: `/teams/${f.team}`, body: { costCentre: 'HACKED' }, targetsForeign: true }),
  createActivityType: () => ({ path: '/activity-types', body: { code: `C${Date.now()}`, name: 'n', payElementCode: 'p', unit: 'hour' }, targetsForeign: false }),
  listActivityTypes: () => ({ path: '/activity-types', targetsForeign: false }),
  getActivityType: (f) => ({ path: `/activity-types/${f.activity}`, targetsForeign: false }),
  updateActivityType: (f) => ({ path: `/activity-types/${f.activity}`, body: { name: 'renamed' }, targetsForeign: false }),
  createRate: (f) => ({ path: '/rates', body: { activityTypeId: f.activity, scope: 'team', teamId: f.team, pencePerUnit: 9999, validFrom: '2030-01-01' }, targetsForeign: true }),
  listRates: (f) => ({ path: '/rates', query: { teamId: f.team }, targetsForeign: true }),
  resolveRate: (f) => ({ path: '/rates/resolve', query: { workerId: f.worker, activityTypeId: f.activity, date: '2026-06-01' }, targetsForeign: true }),
  getRate: (f) => ({ path: `/rates/${f.teamRate}`, targetsForeign: true }),
  updateRate: (f) => ({ path: `/rates/${f.workerRate}`, body: { validTo: '2030-12-31' }, targetsForeign: true }),
  listMinimumWageRates: () => ({ path: '/statutory/minimum-wage-rates', targetsForeign: false }),
  addMinimumWageRates: () => ({ path: '/statutory/minimum-wage-rates', body: { effectiveFrom: '2031-04-01', age21AndOverPence: 1400, age18To20Pence: 1200, age16To17Pence: 900, apprenticePence: 900, source: 's' }, targetsForeign: false }),
  listBenefitThresholds: () => ({ path: '/statutory/benefit-thresholds', targetsForeign: false }),
  createEntry: (f) => ({ path: '/entries', body: { workerId: f.worker, activityTypeId: f.activity, ...session }, targetsForeign: true }),
  listEntries: (f) => ({ path: '/entries', query: { workerId: f.worker }, targetsForeign: true }),
  getEntry: (f) => ({ path: `/entries/${f.entry}`, targetsForeign: true }),
  updateEntry: (f) => ({ path: `/entries/${f.entry}`, body: { notes: 'changed' }, targetsForeign: true }),
  deleteEntry: (f) => ({ path: `/entries/${f.entry}`, targetsForeign: true }),
  submitEntry: (f) => ({ path: `/entries/${f.entry}/submit`, targetsForeign: true }),
  withdrawEntry: (f) => ({ path: `/entries/${f.entry}/withdraw`, targetsForeign: true }),
  approveEntry: (f) => ({ path: `/entries/${f.entry}/approve`, targetsForeign: true }),
  rejectEntry: (f) => ({ path: `/entries/${f.entry}/reject`, body: { reason: 'no' }, targetsForeign: true }),
  getEntryHistory: (f) => ({ path: `/entries/${f.entry}/history`, targetsForeign: true }),
  // Ids inside a bulk body: the item fails as not found (the call itself answers 200 per item).
  decideEntries: (f) => ({ path: '/entries/decisions', body: { decision: 'approve', items: [{ id: f.entry, version: 2 }] }, targetsForeign: true, perItem: true }),
  createCorrection: (f) => ({ path: `/entries/${f.entry}/corrections`, body: { minutes: -10, reason: 'r' }, targetsForeign: true }),
  getWorkerPayRecord: (f) => ({ path: `/workers/${f.worker}/pay-record`, query: { periodId: NIL }, targetsForeign: true }),
  createPaySchedule: () => ({ path: '/pay-schedules', body: { name: `S${Math.random()}`, frequency: 'weekly', anchorDate: '2026-01-05', payrollCalendarCode: 'C' }, targetsForeign: false }),
  listPaySchedules: () => ({ path: '/pay-schedules', targetsForeign: false }),
  getPaySchedule: () => ({ path: `/pay-schedules/${NIL}`, targetsForeign: false }),
  updatePaySchedule: () => ({ path: `/pay-schedules/${NIL}`, body: { name: 'x' }, targetsForeign: false }),
  listPayPeriods: () => ({ path: `/pay-schedules/${NIL}/periods`, query: { from: '2026-01-01', to: '2026-02-01' }, targetsForeign: false }),
  getPayPeriodForDate: () => ({ path: `/pay-schedules/${NIL}/period-for-date`, query: { date: '2026-01-01' }, targetsForeign: false }),
  getPayPeriod: () => ({ path: `/pay-periods/${NIL}`, targetsForeign: false }),
  closePayPeriod: () => ({ path: `/pay-periods/${NIL}/close`, targetsForeign: false }),
  reopenPayPeriod: () => ({ path: `/pay-periods/${NIL}/reopen`, body: { reason: 'r' }, targetsForeign: false }),
  createExport: () => ({ path: `/pay-periods/${NIL}/exports`, targetsForeign: false }),
  listExports: () => ({ path: '/exports', targetsForeign: false }),
  getExport: () => ({ path: `/exports/${NIL}`, targetsForeign: false }),
  downloadExportFile: () => ({ path: `/exports/${NIL}/files/csv`, targetsForeign: false }),
  getPeriodSummary: () => ({ path: '/reports/period-summary', query: { periodId: NIL }, targetsForeign: false }),
  getTimeToPay: () => ({ path: '/reports/time-to-pay', targetsForeign: false }),
  getMe: () => ({ path: '/me', targetsForeign: false }),
  listMyEntries: () => ({ path: '/me/entries', targetsForeign: false }),
  getMyEarnings: () => ({ path: '/me/earnings', query: { from: '2026-06-01', to: '2026-06-07' }, targetsForeign: false }),
  addBenefitThresholds: () => ({ path: '/statutory/benefit-thresholds', body: { effectiveFrom: '2031-04-01', esaPermittedWorkWeeklyPence: 21000, esaPermittedWorkWeeklyHours: 16, ucWorkAllowanceMonthlyPence: 42000, source: 's' }, targetsForeign: false })
}

const h = await build(t)
const world = await buildScopeWorld(h)
const scoped: Role[] = ['worker', 'manager']

const routes = h.app.routeTable.filter((route) => route.access !== undefined && route.access !== 'public' && route.method !== 'HEAD')

/** Every worker's date of birth as stored now (the matrix itself adds workers). */
const storedDatesOfBirth = async () => (await query<{ date: string }>(h.database.handle.db,
  sql`select distinct date_of_birth::text as date from workers`)).map((row) => row.date)

/**
 * Data minimisation, checked on any answer: only an admin is shown dates of birth, and a worker
 * their own one on /me. Anyone else's answer holds no date-of-birth field and no worker's date of
 * birth (bar one the caller sent). Returns the number of leaks found.
 */
function checkDatesOfBirth (t: Test, role: Role, operationId: string, sent: string, body: string, dates: string[]) {
  if (role === 'admin') return 0
  const ownRecord = role === 'worker' && operationId === 'getMe'
  const mayHold = (date: string) => sent.includes(date) || (ownRecord && date === world.ownDateOfBirth)
  const leaks = dates.filter((date) => !mayHold(date) && body.includes(date))
  if (!ownRecord && /dateOfBirth|date_of_birth/i.test(body)) leaks.push('a date-of-birth field')
  for (const leak of leaks) t.fail(`${role}: ${operationId} answers with ${leak}`)
  return leaks.length
}

t.test('every authenticated route has an example request', async (t) => {
  const missing = routes.map((route) => (route.schema as { operationId?: string }).operationId ?? `${route.method} ${route.url}`).filter((id) => examples[id] === undefined)
  t.same(missing, [], 'routes without an example in test/access/scope-matrix.test.ts')
})

let calls = 0
let unauthorisedSuccesses = 0
for (const route of routes) {
  const operationId = (route.schema as { operationId?: string }).operationId!
  const example = examples[operationId]
  if (example === undefined) continue
  const allowed = (route.access as { roles: readonly Role[] }).roles
  t.test(`${route.method} ${route.url} (${operationId})`, async (t) => {
    const dates = await storedDatesOfBirth()
    for (const role of roles) {
      const request = example(world.foreign)
      const key = world.keys[role]
      const res = await h.app.inject({
        method: route.method as 'GET',
        url: request.path,
        ...(request.query === undefined ? {} : { query: request.query }),
        headers: { ...key.headers, 'if-match': `"${request.path.split('/')[2] ?? ''}:1"` },
        ...(request.body === undefined ? {} : { payload: request.body as object })
      })
      calls++
      const body = res.body
      if (!allowed.includes(role)) {
        t.equal(res.statusCode, 403, `${role}: not allowed`)
        if (res.statusCode < 300) unauthorisedSuccesses++
      } else if (scoped.includes(role) && request.targetsForeign) {
        if (request.perItem === true) {
          t.equal(res.statusCode, 200, `${role}: the bulk call answers`)
          t.match(res.json(), { decided: 0, results: [{ outcome: 'failed', status: 404 }] }, `${role}: the foreign item is not found`)
          if (res.json().decided !== 0) unauthorisedSuccesses++
        } else if (route.method === 'GET' && res.statusCode === 200) {
          // A list aimed at another team answers, but with nothing of theirs in it.
          t.equal(res.json().nextCursor, null, `${role}: empty list`)
          t.same(res.json().items, [], `${role}: nothing out of scope is listed`)
        } else {
          t.equal(res.statusCode, 404, `${role}: out of scope is not found`)
          if (res.statusCode < 300) unauthorisedSuccesses++
        }
      }
      if (scoped.includes(role)) {
        // Ids the caller sent may be echoed (e.g. in `instance`); anything else of theirs may not.
        const sent = JSON.stringify(request)
        for (const marker of world.foreignMarkers.filter((m) => !sent.includes(m))) {
          if (body.includes(marker)) {
            t.fail(`${role}: the answer holds ${marker}`)
            unauthorisedSuccesses++
          }
        }
      }
      unauthorisedSuccesses += checkDatesOfBirth(t, role, operationId, JSON.stringify(request), body, dates)
      t.notOk(res.statusCode >= 500, `${role}: no server error`)
    }
  })
}

t.test('matrix figures', async (t) => {
  t.comment(`access matrix: ${routes.length} routes x ${roles.length} roles = ${calls} calls, ${unauthorisedSuccesses} unauthorised successes`)
  t.equal(unauthorisedSuccesses, 0)
  t.equal(calls, routes.length * roles.length)
})

t.test('in scope, the same keys do reach their own resources', async (t) => {
  for (const role of scoped) {
    const key = world.keys[role]
    for (const path of [`/workers/${world.own.worker}`, `/teams/${world.own.team}`, `/rates/${world.own.teamRate}`, `/rates/${world.own.workerRate}`]) {
      t.equal((await h.app.inject({ method: 'GET', url: path, headers: key.headers })).statusCode, 200, `${role} reads ${path.split('/')[1]}`)
    }
    const resolved = await h.app.inject({ method: 'GET', url: '/rates/resolve', query: { workerId: world.own.worker, activityTypeId: world.own.activity, date: '2026-06-01' }, headers: key.headers })
    t.match(resolved.json(), { source: 'worker', rate: { pencePerUnit: 1500 } })
  }
  const workers = await h.app.inject({ method: 'GET', url: '/workers', headers: world.keys.worker.headers })
  t.same(workers.json().items.map((w: { id: string }) => w.id), [world.own.worker], 'a worker lists only themself')
})

t.test('a worker in two teams: the manager of one never learns of the other', async (t) => {
  const manager = world.keys.manager.headers
  const read = await h.app.inject({ method: 'GET', url: `/workers/${world.shared}`, headers: manager })
  t.same(read.json().teamIds, [world.own.team], 'only the team they manage is listed')
  const named = await h.app.inject({ method: 'GET', url: '/rates/resolve', query: { workerId: world.shared, activityTypeId: world.own.activity, date: '2026-06-01', teamId: world.foreign.team }, headers: manager })
  t.not(named.statusCode, 200, 'naming the other team does not reveal its rate')
  t.notOk(named.body.includes(world.foreign.teamRate), 'nor its rate id')
  const unnamed = await h.app.inject({ method: 'GET', url: '/rates/resolve', query: { workerId: world.shared, activityTypeId: world.own.activity, date: '2026-06-01' }, headers: manager })
  t.match(unnamed.json(), { source: 'team', teamId: world.own.team, rate: { id: world.own.teamRate } }, 'the rate of the manager\'s own team applies')
  const admin = await h.app.inject({ method: 'GET', url: '/rates/resolve', query: { workerId: world.shared, activityTypeId: world.own.activity, date: '2026-06-01' }, headers: world.keys.admin.headers })
  t.equal(admin.statusCode, 200, 'an admin sees both teams\' rates (equal here, so no conflict)')
  t.same((await h.app.inject({ method: 'GET', url: `/workers/${world.shared}`, headers: world.keys.admin.headers })).json().teamIds.sort(), [world.own.team, world.foreign.team].sort())
})

t.test('dates of birth: an admin and the worker on /me see them; managers and finance get the bands', async (t) => {
  const read = async (role: Role, url: string) =>
    h.app.inject({ method: 'GET', url, headers: world.keys[role].headers })
  const bands = { minimumWageBand: 'age_21_and_over', ageBand: 'age_21_and_over' }
  const dated = { id: world.own.worker, dateOfBirth: world.ownDateOfBirth, ...bands }
  t.match((await read('admin', `/workers/${world.own.worker}`)).json(), dated, 'admin: the date and the bands')
  t.match((await read('worker', '/me')).json(), dated, 'the worker on /me: their own date')
  for (const role of ['manager', 'finance', 'worker'] as const) {
    const one = await read(role, `/workers/${world.own.worker}`)
    t.equal(one.statusCode, 200, `${role} reads the worker`)
    t.match(one.json(), { id: world.own.worker, ...bands }, `${role}: the bands`)
    t.notOk('dateOfBirth' in one.json(), `${role}: no date of birth on /workers/{id}`)
    const list = (await read(role, '/workers')).json().items as Array<Record<string, unknown>>
    const banded = list.every((w) => !('dateOfBirth' in w) && typeof w.ageBand === 'string')
    t.ok(list.length > 0 && banded, `${role}: the list, banded`)
  }
  const admins = (await read('admin', '/workers')).json().items as Array<Record<string, unknown>>
  t.ok(admins.every((w) => typeof w.dateOfBirth === 'string' && typeof w.minimumWageBand === 'string'), 'admin: dates')
  const trail = async (role: Role) => (await read(role, `/audit-events?entityId=${world.own.worker}`)).body
  t.ok((await trail('admin')).includes(world.ownDateOfBirth), 'the audit trail keeps the date for an admin')
  t.notOk(/dateOfBirth|1991-01-11/.test(await trail('finance')), 'but not for finance')
})

// Last, as it changes the world: every route again for every role, aimed at the resources in the
// worker's and the manager's scope this time, so their successful answers are checked too.
t.test('no answer in scope shows a date of birth to anyone but an admin or the worker on /me', async (t) => {
  const dates = await storedDatesOfBirth()
  let inScopeSuccesses = 0
  for (const route of routes) {
    const operationId = (route.schema as { operationId?: string }).operationId!
    const example = examples[operationId]
    if (example === undefined) continue
    for (const role of roles) {
      const request = example(world.own)
      const res = await h.app.inject({
        method: route.method as 'GET',
        url: request.path,
        ...(request.query === undefined ? {} : { query: request.query }),
        headers: { ...world.keys[role].headers, 'if-match': `"${request.path.split('/')[2] ?? ''}:1"` },
        ...(request.body === undefined ? {} : { payload: request.body as object })
      })
      if (scoped.includes(role) && res.statusCode < 300) inScopeSuccesses++
      const leaks = checkDatesOfBirth(t, role, operationId, JSON.stringify(request), res.body, dates)
      t.equal(leaks, 0, `${role}: ${operationId}`)
    }
  }
  t.ok(inScopeSuccesses > 20, `the worker and manager keys were answered in scope (${inScopeSuccesses} times)`)
})
