// A GET never changes state (issue 12, item 6). Every GET operation of openapi/openapi.json is
// called, as GET and as HEAD, by every role, on the fuzzer's seeded world (something in every
// state), and a snapshot of every table of the public schema (its row count and a digest of its
// rows) must be the same after each operation as before it. An operation without requests below
// fails the test, so a new GET cannot slip past it.
//
// Left out of the snapshot, each for its reason:
// - api_keys.last_used_at: authentication records when a key was last used (at most once a
//   minute, documented on the key), on every request whatever its method; it is about the
//   credential, not the resource read.
// - export_files, for downloadExportFile only: the SHA-256 of a batch file is worked out on its
//   first download and kept (the ETag needs it before the body is streamed; working it out at
//   the export would render every format inside the claim). The batch is immutable, so the
//   digest is the same whenever it is worked out; the test checks that only digests of the
//   files downloaded were added.
import { sql } from 'drizzle-orm'
import t from 'tap'
import { roles } from '../../src/domain/actor.js'
import { exportFormats } from '../../src/modules/exports/formats/index.js'
import { build } from '../helpers/app.js'
import { query } from '../helpers/sql.js'
import { loadDocument, operationsOf } from '../fuzz/operations.js'
import { buildFuzzWorld, FIXED_NOW, type FuzzWorld } from '../fuzz/world.js'

interface Read { path: string, query?: Record<string, string> }

const h = await build(t, { now: FIXED_NOW })
const world = await buildFuzzWorld(h)
const db = h.database.handle.db
const { pools } = world
const self = world.credentials.worker.personId!
const [march] = pools.period
const periods = pools.period
const formats = exportFormats.map((format) => format.name)

/**
 * Requests per GET operation, with real ids. Periods and dates never asked about before are
 * among them: a read of something not yet looked at is where a read used to record it.
 */
const reads: Record<string, (w: FuzzWorld) => Read[]> = {
  getHealth: () => [{ path: '/healthz' }],
  getReadiness: () => [{ path: '/readyz' }],
  listApiKeys: () => [{ path: '/api-keys' }, { path: '/api-keys', query: { role: 'worker', revoked: 'true' } }],
  getApiKey: (w) => w.pools.apiKey.map((id) => ({ path: `/api-keys/${id}` })),
  listAuditEvents: () => [{ path: '/audit-events' }, { path: '/audit-events', query: { entityId: self } }],
  listPeople: () => [{ path: '/people' }, { path: '/people', query: { active: 'true', limit: '2' } }],
  getPerson: (w) => w.pools.person.map((id) => ({ path: `/people/${id}` })),
  listWorkers: (w) => [{ path: '/workers' }, { path: '/workers', query: { teamId: w.pools.team[0]!, paymentMode: 'payroll' } }],
  getWorker: (w) => w.pools.worker.map((id) => ({ path: `/workers/${id}` })),
  getWorkerMinimumWage: (w) => w.pools.worker.map((id) => ({ path: `/workers/${id}/minimum-wage`, query: { date: '2026-06-01' } })),
  getWorkerPayRecord: (w) => w.pools.worker.flatMap((id) => [
    ...periods.map((periodId) => ({ path: `/workers/${id}/pay-record`, query: { periodId } })),
    { path: `/workers/${id}/pay-record`, query: { periodId: march!, format: 'csv' } }
  ]),
  listTeams: () => [{ path: '/teams' }],
  getTeam: (w) => w.pools.team.map((id) => ({ path: `/teams/${id}` })),
  listActivityTypes: () => [{ path: '/activity-types' }],
  getActivityType: (w) => w.pools.activity.map((id) => ({ path: `/activity-types/${id}` })),
  listRates: (w): Read[] => [{ path: '/rates' }, { path: '/rates', query: { workerId: self, date: '2026-06-01' } }, { path: '/rates', query: { teamId: w.pools.team[1]! } }],
  resolveRate: (w) => w.pools.worker.map((workerId) => ({ path: '/rates/resolve', query: { workerId, activityTypeId: w.pools.activity[0]!, date: '2026-06-01' } })),
  getRate: (w) => w.pools.rate.map((id) => ({ path: `/rates/${id}` })),
  listMinimumWageRates: () => [{ path: '/statutory/minimum-wage-rates' }],
  listBenefitThresholds: () => [{ path: '/statutory/benefit-thresholds' }],
  listEntries: (w): Read[] => [{ path: '/entries' }, { path: '/entries', query: { workerId: self, state: 'approved' } }, { path: '/entries', query: { teamId: w.pools.team[0]!, awaitingSecondApproval: 'true' } }],
  getEntry: (w) => w.pools.entry.map((id) => ({ path: `/entries/${id}` })),
  getEntryHistory: (w) => w.pools.entry.map((id) => ({ path: `/entries/${id}/history` })),
  getMe: () => [{ path: '/me' }],
  listMyEntries: () => [{ path: '/me/entries' }],
  getMyEarnings: () => [{ path: '/me/earnings', query: { from: '2026-03-01', to: '2026-06-30' } }],
  listPaySchedules: () => [{ path: '/pay-schedules' }],
  getPaySchedule: (w) => w.pools.schedule.map((id) => ({ path: `/pay-schedules/${id}` })),
  listPayPeriods: (w) => w.pools.schedule.flatMap((id) => [
    { path: `/pay-schedules/${id}/periods`, query: { from: '2026-01-01', to: '2026-12-31' } },
    { path: `/pay-schedules/${id}/periods`, query: { from: '2030-01-01', to: '2039-12-31' } }
  ]),
  getPayPeriodForDate: (w) => w.pools.schedule.flatMap((id) => ['2026-03-15', '2026-06-15', '2041-02-28'].map((date) => ({ path: `/pay-schedules/${id}/period-for-date`, query: { date } }))),
  getPayPeriod: () => periods.map((id) => ({ path: `/pay-periods/${id}` })),
  listExports: (w) => [{ path: '/exports' }, { path: '/exports', query: { payScheduleId: w.pools.schedule[0]!, limit: '1' } }],
  getExport: (w) => w.pools.export.map((id) => ({ path: `/exports/${id}` })),
  downloadExportFile: (w) => w.pools.export.flatMap((id) => formats.map((format) => ({ path: `/exports/${id}/files/${format}` }))),
  getPeriodSummary: () => periods.map((periodId) => ({ path: '/reports/period-summary', query: { periodId } })),
  getTimeToPay: (w) => [{ path: '/reports/time-to-pay' }, { path: '/reports/time-to-pay', query: { payScheduleId: w.pools.schedule[0]! } }]
}

/** Columns left out of a table's digest (see the top of the file). */
const unsnapped: Record<string, string[]> = { api_keys: ['last_used_at'] }
/** Tables an operation may add rows to (see the top of the file). */
const mayAdd: Record<string, string[]> = { downloadExportFile: ['export_files'] }

const tables = (await query<{ name: string }>(db, sql`select table_name as name from information_schema.tables
  where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`)).map((row) => row.name)

/** Every table: its rows, counted and digested (each row as JSON, in a fixed order). */
async function snapshot (): Promise<Map<string, string>> {
  const tablesNow = new Map<string, string>()
  for (const table of tables) {
    const row = sql.raw(`to_jsonb(r)${(unsnapped[table] ?? []).map((column) => ` - '${column}'`).join('')}`)
    const [state] = await query<{ n: number, digest: string | null }>(db, sql`
      select count(*)::int as n, md5(string_agg(md5((${row})::text), '' order by md5((${row})::text))) as digest
      from ${sql.identifier(table)} r`)
    tablesNow.set(table, `${state!.n} rows, ${state!.digest ?? '-'}`)
  }
  return tablesNow
}

const exportFileRows = async () => query<{ key: string, row: string }>(db, sql`select batch_id || ' ' || format as key, to_jsonb(f)::text as row from export_files f`)

let sent = 0
let changedTables = 0
const getOperations = operationsOf(loadDocument()).filter((op) => op.method === 'GET')

t.test('the snapshot sees every kind of change', async (t) => {
  t.ok(tables.length >= 20, `${tables.length} tables`)
  t.ok(tables.includes('pay_periods') && tables.includes('audit_events'))
  const before = await snapshot()
  await query(db, sql`update teams set cost_centre = cost_centre || 'x' where id = ${pools.team[0]!}`)
  const changed = await snapshot()
  t.not(changed.get('teams'), before.get('teams'), 'an update of one column of one row')
  await query(db, sql`update teams set cost_centre = left(cost_centre, -1) where id = ${pools.team[0]!}`)
  t.same(await snapshot(), before, 'and is the same once it is undone')
})

t.test('every GET operation has requests', async (t) => {
  t.ok(getOperations.length >= 30, `${getOperations.length} GET operations`)
  t.same(getOperations.map((op) => op.id).filter((id) => reads[id] === undefined), [], 'GET operations without requests in this file')
})

for (const op of getOperations) {
  const requestsOf = reads[op.id]
  if (requestsOf === undefined) continue
  t.test(`${op.id}: ${op.path}`, async (t) => {
    const before = await snapshot()
    const exportFilesBefore = await exportFileRows()
    let answered = 0
    const statuses = new Set<number>()
    for (const read of requestsOf(world)) {
      for (const role of roles) {
        for (const method of ['GET', 'HEAD'] as const) {
          const res = await h.app.inject({ method, url: read.path, ...(read.query === undefined ? {} : { query: read.query }), headers: world.credentials[role].headers })
          sent++
          statuses.add(res.statusCode)
          if (res.statusCode < 300) answered++
        }
      }
    }
    t.ok(answered > 0, `some request was answered 2xx (statuses ${[...statuses].sort().join(', ')})`)
    const after = await snapshot()
    const allowed = mayAdd[op.id] ?? []
    for (const table of tables) {
      if (allowed.includes(table)) continue
      if (after.get(table) !== before.get(table)) changedTables++
      t.equal(after.get(table), before.get(table), `${table} is unchanged`)
    }
    if (allowed.includes('export_files')) {
      const exportFilesAfter = await exportFileRows()
      t.same(exportFilesBefore.filter((row) => !exportFilesAfter.some((now) => now.row === row.row)), [], 'export_files: no row changed or went')
      const downloaded = new Set(pools.export.flatMap((id) => formats.map((format) => `${id} ${format}`)))
      const added = exportFilesAfter.filter((row) => !exportFilesBefore.some((was) => was.key === row.key))
      t.same(added.filter((row) => !downloaded.has(row.key)), [], 'export_files: only digests of the files downloaded were added')
    }
  })
}

t.test('figures', async (t) => {
  t.comment(`reads: ${getOperations.length} GET operations, ${sent} requests (GET and HEAD, every role), ${tables.length} tables snapshotted, changes found ${changedTables}`)
})
