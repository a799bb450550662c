import { sql } from 'drizzle-orm'
import { rolledUpHolidayPayPence } from '../../src/domain/holiday-pay.js'
import type { Model } from './entry-model.js'
import { moneyInvariantViolations } from './money-invariants.js'
import type { ModelWorld } from './model-world.js'
import { query } from './sql.js'

/**
 * No lost update: every entry and period is in exactly the state and version the service's
 * 2xx answers led the model to, and the database holds no entry the service never
 * acknowledged.
 */
export async function compareWithDatabase (model: Model, world: ModelWorld): Promise<string[]> {
  const db = world.h.database.handle.db
  const violations: string[] = []
  const rows = await query<{ id: string, state: string, version: number }>(db, sql`select id, state::text, version from timesheet_entries`)
  for (const row of rows) {
    const expected = model.entries.get(row.id)
    if (expected === undefined) violations.push(`entry ${row.id} is in the database but no 2xx created it`)
    else if (expected.state !== row.state || expected.version !== row.version) {
      violations.push(`entry ${row.id}: database ${row.state} v${row.version}, expected ${expected.state} v${expected.version}`)
    }
  }
  const present = new Set(rows.map((r) => r.id))
  for (const id of model.entries.keys()) if (!present.has(id)) violations.push(`entry ${id} was acknowledged but is not in the database`)
  const periods = await query<{ id: string, state: string, version: number }>(db, sql`select id, state::text, version from pay_periods`)
  for (const period of model.periods) {
    // A period never acted on has no row: it is computed on read, open at version 1.
    const row = periods.find((p) => p.id === period.id) ?? { state: 'open', version: 1 }
    if (row.state !== period.state || row.version !== period.version) {
      violations.push(`period ${period.id}: database ${row.state} v${row.version}, expected ${period.state} v${period.version}`)
    }
  }
  return violations
}

/** The invariants of issue 6 item 5, in SQL, after a run. Returns each violation found. */
export async function checkInvariants (model: Model, world: ModelWorld): Promise<string[]> {
  const db = world.h.database.handle.db
  const violations: string[] = []
  const fail = (what: string, rows: unknown[]) => { if (rows.length > 0) violations.push(`${what}: ${JSON.stringify(rows.slice(0, 5))}${rows.length > 5 ? ` and ${rows.length - 5} more` : ''}`) }

  // Paid exactly once, clawbacks within what was paid, caps held, two distinct approvers.
  violations.push(...await moneyInvariantViolations(db))
  // The batch carries the entry's frozen pay, unchanged.
  fail('export snapshots differing from the entries', await query(db, sql`
    select x.entry_id from export_entries x join timesheet_entries e on e.id = x.entry_id
    where x.gross_pence is distinct from e.gross_pence or x.minutes <> e.worked_minutes or x.worker_id <> e.worker_id`))
  // Each approved or exported entry's frozen gross is what its minutes (or pence) at the rate make.
  const frozen = await query<{ id: string, gross_pence: number | null }>(db, sql`select id, gross_pence from timesheet_entries where state in ('approved', 'exported')`)
  fail('frozen gross not minutes x rate rounded up', frozen.filter((row) => row.gross_pence !== model.entries.get(row.id)?.expectedGrossPence))
  // Lines reconcile to their entries to the penny; holiday pay is 12.07 % of each worker's lines.
  fail('batches whose lines do not sum to their entries', await query(db, sql`
    select b.id, (select coalesce(sum(gross_pence), 0)::int from export_lines l where l.batch_id = b.id and l.kind <> 'holiday_pay') as lines,
      (select coalesce(sum(e.gross_pence), 0)::int from export_entries x join timesheet_entries e on e.id = x.entry_id where x.batch_id = b.id) as entries
    from export_batches b
    where (select coalesce(sum(gross_pence), 0) from export_lines l where l.batch_id = b.id and l.kind <> 'holiday_pay')
      <> (select coalesce(sum(e.gross_pence), 0) from export_entries x join timesheet_entries e on e.id = x.entry_id where x.batch_id = b.id)`))
  fail('batch totals differing from their lines', await query(db, sql`
    select b.id from export_batches b
    where b.gross_pence <> (select coalesce(sum(gross_pence), 0) from export_lines l where l.batch_id = b.id)
      or b.holiday_pay_pence <> (select coalesce(sum(gross_pence), 0) from export_lines l where l.batch_id = b.id and l.kind = 'holiday_pay')
      or b.entry_count <> (select count(*) from export_entries x where x.batch_id = b.id)`))
  const workerLines = await query<{ batch_id: string, worker_id: string, pay: number, holiday: number, holiday_lines: number }>(db, sql`
    select batch_id, worker_id, coalesce(sum(gross_pence) filter (where kind <> 'holiday_pay'), 0)::int as pay,
      coalesce(sum(gross_pence) filter (where kind = 'holiday_pay'), 0)::int as holiday, count(*) filter (where kind = 'holiday_pay')::int as holiday_lines
    from export_lines group by batch_id, worker_id`)
  fail('holiday pay lines not 12.07 % of the worker\'s pay in the batch', workerLines.filter((w) => w.holiday_lines !== 1 || w.holiday !== rolledUpHolidayPayPence(w.pay)))
  // The model's batches are the database's.
  for (const [batchId, batch] of model.batches) {
    const rows = await query<{ entry_id: string }>(db, sql`select entry_id from export_entries where batch_id = ${batchId}`)
    if (rows.length !== batch.entries.size || rows.some((r) => !batch.entries.has(r.entry_id))) violations.push(`batch ${batchId} does not hold what it claimed`)
  }
  // No two live sessions of a worker overlap.
  fail('overlapping live entries', await query(db, sql`
    select a.id, b.id as other from timesheet_entries a join timesheet_entries b on a.worker_id = b.worker_id and a.id < b.id
    where a.kind = 'work' and b.kind = 'work' and a.state <> 'rejected' and b.state <> 'rejected'
      and tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange(b.starts_at, b.ends_at, '[)')`))
  // An audit event for each successful transition, and none for a refused one.
  const audit = await query<{ entity_id: string, action: string, n: number }>(db, sql`
    select entity_id, action, count(*)::int as n from audit_events where entity_type in ('entry', 'pay_period', 'export_batch') group by entity_id, action`)
  const seen = new Map(audit.map((a) => [`${a.entity_id} ${a.action}`, a.n]))
  for (const [key, n] of model.audit) if (seen.get(key) !== n) violations.push(`audit ${key}: ${seen.get(key) ?? 0} events, expected ${n}`)
  for (const [key, n] of seen) if (!model.audit.has(key)) violations.push(`audit ${key}: ${n} events for a transition no 2xx reported`)
  violations.push(...await compareWithDatabase(model, world))
  return violations
}
