// Money controls across processes (issue 11): the service as three processes over one Postgres
// database, with approvals, corrections, caps, exports and failed sign-ins raced across them.
// Every lock and counter the invariants rely on lives in the database, so they must hold
// whichever process each request reaches. Postgres server only: PGlite is one process's database.
import t from 'tap'
import { sql } from 'drizzle-orm'
import { build, type TestKey } from '../helpers/app.js'
import { onServer } from '../helpers/database.js'
import { organisation } from '../helpers/entries.js'
import { moneyInvariantViolations } from '../helpers/money-invariants.js'
import { startServer } from '../helpers/server-process.js'
import { query } from '../helpers/sql.js'

const skip = onServer() ? false : 'runs the service as three processes over one Postgres database: runs on the Postgres server pass'

t.test('three processes over one database: caps, clawbacks, dual control, exports and sign-in limits hold', { skip }, async (t) => {
  const h = await build(t, { now: new Date('2026-11-29T12:00:00Z') })
  const org = await organisation(h, { ratePence: 1300 })
  const finance = await h.key('finance')
  const secondFinance = await h.key('finance')
  const env = { DATABASE_URL: h.database.url!, LOG_LEVEL: 'info', AUTH_FAILURE_LIMIT: '5', AUTH_FAILURE_WINDOW_MS: '60000' }
  const servers = [startServer(env), startServer(env), startServer(env)]
  t.teardown(async () => {
    for (const server of servers) server.child.kill('SIGTERM')
    await Promise.all(servers.map((s) => s.exited))
  })
  const bases = await Promise.all(servers.map((s) => s.listening))
  let requests = 0
  const call = async (i: number, key: TestKey | undefined, method: string, path: string, body?: object, headers: Record<string, string> = {}) => {
    requests++
    const res = await fetch(`${bases[i % bases.length]!}${path}`, {
      method,
      headers: { ...(key?.headers ?? {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await res.text()
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text), etag: res.headers.get('etag') ?? undefined }
  }
  const db = h.database.handle.db
  const figures = { rounds: 0, operations: 0 }

  let week = 0
  const nextMonday = () => new Date(Date.UTC(2025, 0, 6) + (week++) * 7 * 86_400_000).toISOString().slice(0, 10)
  const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

  // 1. A blocking cap: six entries, six managers approving at once across the three processes.
  const managers = await Promise.all(Array.from({ length: 6 }, async () => {
    const person = await h.person('Manager')
    await db.execute(sql`insert into team_managers (team_id, person_id) values (${org.team.id}, ${person.id})`)
    return h.key('manager', { personId: person.id })
  }))
  for (let round = 0; round < 5; round++) {
    const worker = await h.worker({ teamIds: [org.team.id], holidayPayMode: 'accrued' })
    const workerKey = await h.key('worker', { personId: worker.id })
    const monday = nextMonday()
    const made = []
    for (let i = 0; i < 6; i++) {
      const res = await call(i, workerKey, 'POST', '/entries', {
        activityTypeId: org.activity.id, workDate: plusDays(monday, i), startTime: '09:00', endTime: '10:00', submit: true
      })
      made.push(res)
    }
    // £13.00 each; the cap fits three.
    await db.execute(sql`update workers set benefit_guard = 'custom', benefit_policy = 'block', benefit_cap_pence = 4550 where id = ${worker.id}`)
    const answers = await Promise.all(made.map((entry, i) =>
      call(i, managers[i]!, 'POST', `/entries/${entry.body.id}/approve`, {}, { 'if-match': entry.etag! })))
    figures.operations += answers.length
    t.same(answers.map((a) => a.status).sort(), [200, 200, 200, 409, 409, 409], `round ${round + 1}: three approved, three refused at the cap`)
    figures.rounds++
  }

  // 2. A clawback raced with the rejection of the rise it relied on, on different processes.
  for (let round = 0; round < 5; round++) {
    const worker = await h.worker({ teamIds: [org.team.id], holidayPayMode: 'accrued' })
    const workerKey = await h.key('worker', { personId: worker.id })
    const entry = await call(round, workerKey, 'POST', '/entries', {
      activityTypeId: org.activity.id, workDate: nextMonday(), startTime: '09:00', endTime: '11:30', submit: true
    })
    await call(round + 1, org.checkerKey, 'POST', `/entries/${entry.body.id}/approve`, {}, { 'if-match': entry.etag! })
    const rise = await call(round, org.managerKey, 'POST', `/entries/${entry.body.id}/corrections`, { minutes: 60, reason: 'stayed on' })
    const cut = await call(round + 1, finance, 'POST', `/entries/${entry.body.id}/corrections`, { minutes: -180, reason: 'left early' })
    t.equal(cut.status, 201, 'the cut is raised while the rise is pending')
    const [rejected, approved] = await Promise.all([
      call(round, org.checkerKey, 'POST', `/entries/${rise.body.id}/reject`, { reason: 'not agreed' }, { 'if-match': rise.etag! }),
      call(round + 2, org.checkerKey, 'POST', `/entries/${cut.body.id}/approve`, {}, { 'if-match': cut.etag! })
    ])
    figures.operations += 2
    t.equal(rejected.status, 200)
    t.equal(approved.status, 422, `round ${round + 1}: the cut is refused whichever ran first (only approved corrections count)`)
    figures.rounds++
  }

  // 3. Dual control: three second approvers on three processes, one approval.
  for (let round = 0; round < 5; round++) {
    const worker = await h.worker({ teamIds: [org.team.id], holidayPayMode: 'accrued' })
    const workerKey = await h.key('worker', { personId: worker.id })
    const entry = await call(round, workerKey, 'POST', '/entries', {
      activityTypeId: org.activity.id, workDate: nextMonday(), startTime: '09:00', endTime: '11:00', submit: true
    })
    const bonus = await call(round, org.managerKey, 'POST', `/entries/${entry.body.id}/approve`, {}, { 'if-match': entry.etag! })
    const raised = await call(round, org.managerKey, 'POST', `/entries/${bonus.body.id}/corrections`, { pence: 60_000, reason: 'Backdated pay award' })
    const first = await call(round + 1, org.checkerKey, 'POST', `/entries/${raised.body.id}/approve`, {}, { 'if-match': raised.etag! })
    t.match(first.body, { state: 'submitted', dualControl: { awaitingSecondApproval: true } }, 'a £600 correction waits for a second approver')
    const answers = await Promise.all([finance, secondFinance, org.checkerKey].map((key, i) =>
      call(i, key, 'POST', `/entries/${raised.body.id}/approve`, {}, { 'if-match': first.etag! })))
    figures.operations += 3
    t.equal(answers.filter((a) => a.status === 200).length, 1, `round ${round + 1}: exactly one second approval (${answers.map((a) => a.status).join(' ')})`)
    t.match(answers[2], { status: 403, body: { rule: 'second_approver_role' } }, 'the manager is never the second approver')
    figures.rounds++
  }

  // 4. Exports of one period raced on three processes, while approvals continue.
  const schedule = await call(0, finance, 'POST', '/pay-schedules', {
    name: 'Monthly', frequency: 'monthly', anchorDate: '2025-01-01', payDateOffsetDays: 5, payrollCalendarCode: 'CAL-1', isDefault: true
  })
  t.equal(schedule.status, 201)
  await db.execute(sql`update workers set payroll_reference = 'MP' || substr(id::text, 1, 8) where payroll_reference is null`)
  const lateWorker = await h.worker({ teamIds: [org.team.id], holidayPayMode: 'accrued', payrollReference: 'LATE1' })
  const lateKey = await h.key('worker', { personId: lateWorker.id })
  const late = []
  for (let i = 0; i < 6; i++) {
    late.push(await call(i, lateKey, 'POST', '/entries', { activityTypeId: org.activity.id, workDate: plusDays('2025-01-06', i), startTime: '12:00', endTime: '13:00', submit: true }))
  }
  for (const month of ['2025-01', '2025-02', '2025-03']) {
    const period = await call(0, finance, 'GET', `/pay-schedules/${schedule.body.id}/period-for-date?date=${month}-15`)
    const closed = await call(1, finance, 'POST', `/pay-periods/${period.body.id}/close`, {}, { 'if-match': period.etag! })
    t.equal(closed.status, 200, `${month} closed`)
    const answers = await Promise.all([
      ...[0, 1, 2].map((i) => call(i, finance, 'POST', `/pay-periods/${period.body.id}/exports`)),
      ...late.splice(0, 2).map((entry, i) => call(i, org.checkerKey, 'POST', `/entries/${entry.body.id}/approve`, {}, { 'if-match': entry.etag! }))
    ])
    figures.operations += answers.length
    const exports = answers.slice(0, 3)
    t.equal(exports.filter((a) => a.status === 201).length, 1, `${month}: one export of the period (${exports.map((a) => a.status).join(' ')})`)
    t.ok(exports.every((a) => a.status === 201 || a.status === 409), 'the others are told it is exported')
    figures.rounds++
  }

  // 5. Failed sign-ins counted across processes; a valid key is served from the same address.
  const statuses = []
  for (let i = 0; i < 8; i++) statuses.push((await call(i, undefined, 'GET', '/people', undefined, { authorization: `Bearer sp_wrong${i}` })).status)
  t.same(statuses, [401, 401, 401, 401, 401, 429, 429, 429], 'the limit of 5 holds across the processes, not 5 per process')
  for (let i = 0; i < 3; i++) t.equal((await call(i, finance, 'GET', '/people')).status, 200, `process ${i + 1} serves a valid key from the limited address`)
  figures.operations += 11

  const violations = await moneyInvariantViolations(db)
  t.same(violations, [], 'every money invariant holds')
  const [{ n: exported }] = await query<{ n: number }>(db, sql`select count(*)::int as n from export_entries`) as [{ n: number }]
  t.ok(exported > 0, `${exported} entries exported`)
  t.comment(`3 processes: ${figures.rounds} rounds, ${figures.operations} raced operations, ${requests} requests, ${violations.length} violations`)
})
