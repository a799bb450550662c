// Issue 6 item 4: the database failing under the service. Backends are terminated
// (pg_terminate_backend) mid-request and under load; the database is made unreachable for a
// few seconds through a TCP proxy the test owns (the machine's Postgres server is shared with
// other test files, so it is not stopped here: the proxy cuts every connection and refuses new
// ones, which is what a stopped server looks like to a client; the real stop and start is
// server-restart.test.ts, run alone by .ci/run). Serialization failures and
// deadlocks: serialization-retries.test.ts. Needs a Postgres server: skipped, saying why, on
// PGlite.
import t, { type Test } from 'tap'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { build, type Harness } from '../helpers/app.js'
import { onServer } from '../helpers/database.js'
import { answeredAcceptably, loadClients, loadOperations, statusCounts, type Acknowledged, type LoadClient, type LoadRecord } from '../helpers/fault-load.js'
import { backendsOf, HANG_BOUND_MS, isUnavailableProblem, terminateBackends, timedInject, waitFor } from '../helpers/faults.js'
import { payrollOrganisation } from '../helpers/payroll.js'
import { assertAcknowledgedWrites, managerOf, outageUnderLoad } from '../helpers/outage.js'
import { buildProxiedApp } from '../helpers/proxied-app.js'
import { query } from '../helpers/sql.js'

const serverOnly = onServer() ? false : 'terminating backends and cutting connections need a Postgres server: runs on the server pass (DATABASE_URL)'
const now = new Date('2026-11-29T12:00:00Z')

/** The application_name of the harness app's connections: its database's name. */
const applicationNameOf = (h: Harness): string => new URL(h.database.url!).pathname.slice(1)

function outsideConnection (t: Test, h: Harness): postgres.Sql {
  const outside = postgres(h.database.url!, { max: 2, onnotice: () => {} })
  t.teardown(() => outside.end({ timeout: 5 }))
  return outside
}

t.test('a backend terminated mid-transaction: 503 + Retry-After at once, nothing half-written, and the retried request succeeds once', { skip: serverOnly }, async (t) => {
  const h = await build(t, { now })
  const org = await payrollOrganisation(h)
  const worker = await h.worker({ teamIds: [org.team.id] })
  const key = await h.key('worker', { personId: worker.id })
  const outside = outsideConnection(t, h)
  // Hold the worker's row: the service's transaction waits on it (a session is written under a
  // lock on its worker), after the idempotency claim has been made.
  const holder = await outside.reserve()
  await holder`begin`
  await holder`select 1 from workers where id = ${worker.id} for update`
  const request = {
    method: 'POST' as const,
    url: '/entries',
    headers: { ...key.headers, 'idempotency-key': 'terminated-once' },
    payload: { activityTypeId: org.activity.id, workDate: '2025-06-02', startTime: '10:00', endTime: '11:00', submit: true }
  }
  const pending = timedInject(h.app, request)
  const waiting = await waitFor('the insert to wait on the held row', async () =>
    (await backendsOf(outside, applicationNameOf(h))).find((backend) => backend.waiting === 'Lock'))
  await outside`select pg_terminate_backend(${waiting.pid})`
  const { res, ms } = await pending
  t.ok(res !== undefined, `answered in ${Math.round(ms)} ms (bound ${HANG_BOUND_MS} ms)`)
  t.ok(isUnavailableProblem(res!), `503 + Retry-After problem (got ${res!.statusCode})`)
  t.notMatch(res!.body, /terminat|57P01|timesheet|insert|select/i, 'no database detail leaks')
  await holder`rollback`
  holder.release()

  const db = h.database.handle.db
  const count = async () => (await query<{ n: number }>(db, sql`select count(*)::int as n from timesheet_entries where worker_id = ${worker.id}`))[0]!.n
  t.equal(await count(), 0, 'the terminated transaction wrote nothing')
  const retried = await h.app.inject(request)
  t.equal(retried.statusCode, 201, 'the same request, retried with its Idempotency-Key, succeeds')
  const replayed = await h.app.inject(request)
  t.equal(replayed.statusCode, 201)
  t.equal(replayed.headers['idempotent-replayed'], 'true', 'a second retry replays the first success')
  t.equal(await count(), 1, 'one entry in all')
  t.comment(`mid-transaction: faults injected 1 (backend ${waiting.pid} terminated), requests sent 3, answered 503 in ${Math.round(ms)} ms, violations ${t.counts.fail}`)
})

t.test('an export whose backend is terminated mid-claim leaves no partial batch; the retried export pays every entry once', { skip: serverOnly }, async (t) => {
  const h = await build(t, { now })
  const org = await payrollOrganisation(h)
  const worker = await h.worker({ payrollReference: 'F1', teamIds: [org.team.id] })
  const entries: string[] = []
  for (let day = 1; day <= 6; day++) entries.push((await org.approved(worker.id, `2025-10-${String(day).padStart(2, '0')}`)).id)
  const period = await org.close('2025-10-15')
  const finance = await h.key('finance')
  const outside = outsideConnection(t, h)
  // Hold the last entry's row: the claiming UPDATE waits on it after the batch row is inserted.
  const holder = await outside.reserve()
  await holder`begin`
  await holder`select 1 from timesheet_entries where id = ${entries.at(-1)!} for update`
  const pending = timedInject(h.app, { method: 'POST', url: `/pay-periods/${period.id}/exports`, headers: finance.headers })
  const waiting = await waitFor('the claim to wait on the held entry', async () =>
    (await backendsOf(outside, applicationNameOf(h))).find((backend) => backend.waiting === 'Lock'))
  const [inFlight] = await outside<Array<{ batches: number }>>`select count(*)::int as batches from export_batches`
  await outside`select pg_terminate_backend(${waiting.pid})`
  const { res, ms } = await pending
  t.ok(res !== undefined && isUnavailableProblem(res), `503 + Retry-After in ${Math.round(ms)} ms`)
  await holder`rollback`
  holder.release()

  const db = h.database.handle.db
  const [after] = await query<{ batches: number, claims: number, exported: number, period_state: string }>(db, sql`
    select (select count(*)::int from export_batches) as batches, (select count(*)::int from export_entries) as claims,
      (select count(*)::int from timesheet_entries where state = 'exported') as exported,
      (select state::text from pay_periods where id = ${period.id}) as period_state`)
  t.same(after, { batches: 0, claims: 0, exported: 0, period_state: 'closed' }, 'nothing of the interrupted export remains')
  t.equal(inFlight!.batches, 0, '(the uncommitted batch was never visible outside)')
  const retried = await org.finance.call('POST', `/pay-periods/${period.id}/exports`)
  t.equal(retried.status, 201)
  const [claims] = await query<{ claims: number, distinct_entries: number, batches: number }>(db, sql`
    select count(*)::int as claims, count(distinct entry_id)::int as distinct_entries, count(distinct batch_id)::int as batches from export_entries`)
  t.same(claims, { claims: 6, distinct_entries: 6, batches: 1 }, 'every entry claimed once, by one batch')
  t.comment(`mid-export: faults injected 1 (backend ${waiting.pid} terminated), requests sent 2, answered 503 in ${Math.round(ms)} ms, violations ${t.counts.fail}`)
})

t.test('200 mixed requests from 16 clients while the service\'s backends are terminated again and again: 2xx or 503 + Retry-After, no hang, recovery, no acknowledged write lost', { skip: serverOnly }, async (t) => {
  const h = await build(t, { now, poolMax: 10 })
  const org = await payrollOrganisation(h)
  const manager = await h.key('manager', { personId: (await managerOf(h, org.team.id)) })
  const clients = await loadClients(h, org.team.id, 16)
  const acknowledged: Acknowledged = { created: new Set(), approved: new Set() }
  const step = loadOperations({ app: h.app, manager, activityTypeId: org.activity.id, acknowledged, phase: () => 'load' })
  const outside = outsideConnection(t, h)
  const applicationName = applicationNameOf(h)
  const total = 200
  const rounds = 6
  let sent = 0
  const records: LoadRecord[] = []
  const started = performance.now()
  const client = async (c: LoadClient): Promise<void> => {
    for (let i = 0; sent < total; i++) {
      sent++
      records.push(await step(c, i))
    }
  }
  const load = Promise.all(clients.map(client))
  let finished = false
  load.then(() => { finished = true }, () => { finished = true })

  // Terminate every backend of the service each time another slice of the load has been
  // answered, while requests are in flight.
  const faults: Array<{ terminated: number, busy: number }> = []
  for (let round = 1; round <= rounds; round++) {
    await waitFor(`${round} / ${rounds + 1} of the load answered`, () => finished || records.length >= Math.floor(round * total / (rounds + 1)) ? true : undefined, 60_000)
    if (finished) break
    const busy = (await backendsOf(outside, applicationName)).filter((b) => b.state === 'active' || b.state === 'idle in transaction').length
    faults.push({ terminated: await terminateBackends(outside, applicationName), busy })
  }
  await load
  const loadMs = performance.now() - started

  const hung = records.filter((r) => r.status === 'hang')
  const unacceptable = records.filter((r) => !answeredAcceptably(r))
  const unavailable = records.filter((r) => r.status === 503)
  t.equal(records.length, total, `${total} requests sent`)
  t.same(hung.map((r) => `${r.op} sent at +${Math.round(r.sentAtMs)} ms`), [], `no request hung past ${HANG_BOUND_MS} ms (slowest ${Math.round(Math.max(...records.map((r) => r.ms)))} ms)`)
  t.same(unacceptable.map((r) => `${r.op} ${r.status} ${r.res?.body.slice(0, 200) ?? ''}`), [], 'every answer is a success or 503 + Retry-After')
  t.ok(faults.filter((f) => f.terminated > 0).length >= 3, `backends were terminated in several rounds (${faults.map((f) => f.terminated).join(', ')})`)
  t.ok(unavailable.length > 0, 'the faults reached requests in flight (some answered 503)')
  t.equal(records.filter((r) => r.status === 500).length, 0, 'no 500')

  // Recovery without a restart: ready again, and every request succeeds.
  await waitFor('/readyz to answer 200', async () => (await h.app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200 ? true : undefined)
  const after: LoadRecord[] = []
  for (let i = 0; i < 14; i++) after.push(await step(clients[i % clients.length]!, i))
  t.same(after.filter((r) => r.status !== 200 && r.status !== 201).map((r) => `${r.op} ${r.status}`), [], 'after the faults every request succeeds')

  const { missing, unknownCommitted } = await assertAcknowledgedWrites(t, h, acknowledged)
  const terminated = faults.reduce((n, f) => n + f.terminated, 0)
  t.comment(`terminations under load: faults injected ${terminated} backends in ${faults.length} rounds (busy at the time: ${faults.map((f) => f.busy).join(', ')}); ` +
    `requests sent ${total} + ${after.length} after (${statusCounts(records)}); acknowledged creates ${acknowledged.created.size}, approvals ${acknowledged.approved.size}; ` +
    `503-answered writes that committed anyway ${unknownCommitted}; slowest ${Math.round(Math.max(...records.map((r) => r.ms)))} ms; load ${Math.round(loadMs)} ms; ` +
    `violations ${hung.length + unacceptable.length + missing}`)
})

t.test('the database unreachable for a few seconds (a TCP proxy between service and Postgres cuts every connection and refuses new ones, as a stopped server would; the shared server itself keeps running): fast 503s, /readyz not ready, recovery without restart, no acknowledged write lost', { skip: serverOnly }, async (t) => {
  const h = await build(t, { now })
  const { app, proxy } = await buildProxiedApp(t, h)
  let before = 0
  await outageUnderLoad(t, h, {
    name: 'outage through proxy',
    app,
    down: async () => { before = proxy.accepted; await proxy.down() },
    up: () => proxy.up(),
    describe: () => `${proxy.cut} open connections cut (of ${before} made before)`
  })
})
