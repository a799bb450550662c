// The database going away under load and coming back (issue 6 item 4), shared by the TCP-proxy
// outage (test/faults/database-faults.test.ts, every server pass) and a real stop and start of
// the Postgres server (test/faults/server-restart.test.ts, a step of its own in .ci/run).
import type { Test } from 'tap'
import { sql } from 'drizzle-orm'
import type { Harness, TestApp } from './app.js'
import { answeredAcceptably, loadClients, loadOperations, statusCounts, type Acknowledged, type LoadClient, type LoadRecord } from './fault-load.js'
import { HANG_BOUND_MS, isUnavailableProblem, timedInject, waitFor } from './faults.js'
import { payrollOrganisation } from './payroll.js'
import { query } from './sql.js'

export interface Outage {
  /** Names the outage in the figures printed. */
  name: string
  /** The app under load: it must lose its database on `down()`. */
  app: TestApp
  down: () => Promise<void>
  up: () => Promise<void>
  /** What was done, for the figures (connections cut, commands run). */
  describe: () => string
}

/** Every write the service said succeeded is in the database afterwards. */
export async function assertAcknowledgedWrites (t: Test, h: Harness, acknowledged: Acknowledged): Promise<{ missing: number, unknownCommitted: number }> {
  const db = h.database.handle.db
  const created = [...acknowledged.created]
  const approved = [...acknowledged.approved]
  const present = await query<{ id: string, state: string, approved_events: number }>(db, sql`
    select e.id, e.state, (select count(*)::int from audit_events a where a.entity_id = e.id::text and a.action = 'entry.approved') as approved_events
    from timesheet_entries e where e.id = any(${`{${created.join(',')}}`}::uuid[])`)
  const byId = new Map(present.map((row) => [row.id, row]))
  let missing = created.filter((id) => !byId.has(id)).length
  for (const id of approved) {
    const row = byId.get(id)
    if (row?.state !== 'approved' || row.approved_events !== 1) missing++
  }
  t.equal(missing, 0, `all ${created.length} acknowledged creates and ${approved.length} acknowledged approvals are in the database`)
  // Writes answered 503 whose commit nevertheless landed (the connection died after COMMIT):
  // allowed (the client was told to retry, and If-Match or the overlap rule stops a duplicate).
  const [row] = await query<{ n: number }>(db, sql`select count(*)::int as n from timesheet_entries where not (id = any(${`{${created.join(',')}}`}::uuid[]))`)
  return { missing, unknownCommitted: row!.n }
}

export async function managerOf (h: Harness, teamId: string): Promise<string> {
  const [row] = await query<{ person_id: string }>(h.database.handle.db, sql`select person_id from team_managers where team_id = ${teamId} limit 1`)
  return row!.person_id
}

/**
 * 8 clients create and approve entries through `outage.app` before, during and after an outage
 * of at least 3 s. Before and after: every request succeeds; during: every request answers 503
 * + Retry-After at once (none hangs past HANG_BOUND_MS); /readyz is 503 during and 200 after,
 * without a restart; every write answered 2xx is in the database afterwards.
 */
export async function outageUnderLoad (t: Test, h: Harness, outage: Outage): Promise<void> {
  const org = await payrollOrganisation(h)
  const manager = await h.key('manager', { personId: await managerOf(h, org.team.id) })
  const clients = await loadClients(h, org.team.id, 8)
  const { app } = outage
  let phase = 'before'
  const acknowledged: Acknowledged = { created: new Set(), approved: new Set() }
  const step = loadOperations({ app, manager, activityTypeId: org.activity.id, acknowledged, phase: () => phase })
  const records: LoadRecord[] = []
  const control = { stop: false }
  const client = async (c: LoadClient): Promise<void> => {
    for (let i = 0; !control.stop; i++) records.push(await step(c, i))
  }
  const load = Promise.all(clients.map(client))
  const answered = (sentIn: string) => records.filter((r) => r.sentIn === sentIn && r.answeredIn === sentIn).length

  await waitFor('20 answers before the outage', () => answered('before') >= 20 ? true : undefined, 30_000)
  // A real server takes a moment to stop and to start: requests sent meanwhile may go either way.
  phase = 'stopping'
  await outage.down()
  phase = 'down'
  const downAt = performance.now()
  const readyChecks: Array<{ status: number | 'hang', ms: number }> = []
  const ready = async () => {
    const { res, ms } = await timedInject(app, { method: 'GET', url: '/readyz' })
    readyChecks.push({ status: res?.statusCode ?? 'hang', ms })
    return res
  }
  const notReady = await waitFor('/readyz to report not ready', async () => {
    const res = await ready()
    return res?.statusCode === 503 ? res : undefined
  })
  t.ok(isUnavailableProblem(notReady), '/readyz: 503 + Retry-After while the database is unreachable')
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, '/healthz: the process itself is still up')
  // Down for a few seconds, and long enough for every client to be refused several times.
  await waitFor('an outage of at least 3 s with 24 answers inside it', () =>
    performance.now() - downAt >= 3000 && answered('down') >= 24 ? true : undefined, 30_000, 50)
  const outageMs = performance.now() - downAt
  phase = 'recovering'
  await outage.up()
  const recoveredAt = await waitFor('/readyz to report ready again', async () => (await ready())?.statusCode === 200 ? performance.now() : undefined, 30_000, 50)
  phase = 'after'
  await waitFor('40 answers after recovery', () => answered('after') >= 40 ? true : undefined, 30_000)
  control.stop = true
  await load

  const hung = records.filter((r) => r.status === 'hang').length + readyChecks.filter((r) => r.status === 'hang').length
  t.equal(hung, 0, `no request hung past ${HANG_BOUND_MS} ms`)
  const inPhase = (sent: string, answer = sent) => records.filter((r) => r.sentIn === sent && r.answeredIn === answer)
  const wrong = (rs: LoadRecord[], ok: (r: LoadRecord) => boolean) => rs.filter((r) => !ok(r)).map((r) => `${r.op} ${r.sentIn}->${r.answeredIn} ${r.status} ${r.res?.body.slice(0, 160) ?? ''}`)
  const success = (r: LoadRecord) => r.status === 200 || r.status === 201
  t.same(wrong(inPhase('before'), success), [], 'before the outage: every request succeeds')
  t.same(wrong(inPhase('down'), (r) => r.res !== undefined && isUnavailableProblem(r.res)), [], 'during the outage: every request answers 503 + Retry-After')
  const downMs = inPhase('down').map((r) => r.ms)
  t.same(wrong(records.filter((r) => r.sentIn !== r.answeredIn || r.sentIn === 'stopping' || r.sentIn === 'recovering'), answeredAcceptably), [], 'across the edges: success or 503 + Retry-After')
  t.same(wrong(inPhase('after'), success), [], 'after recovery, without a restart: every request succeeds')
  const { missing, unknownCommitted } = await assertAcknowledgedWrites(t, h, acknowledged)
  t.comment(`${outage.name}: faults injected 1 outage of ${Math.round(outageMs)} ms (${outage.describe()}); ` +
    `requests sent ${records.length} (${statusCounts(records)}) + ${readyChecks.length} /readyz checks; during the outage ${downMs.length} answered 503, slowest ${Math.round(Math.max(...downMs))} ms; ` +
    `ready again ${Math.round(recoveredAt - downAt - outageMs)} ms after bringing the database back began; acknowledged creates ${acknowledged.created.size}, approvals ${acknowledged.approved.size}; ` +
    `503-answered writes that committed anyway ${unknownCommitted}; violations ${hung + missing}`)
}
