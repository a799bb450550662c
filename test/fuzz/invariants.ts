import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../src/db/open.js'
import { countOf, query } from '../helpers/sql.js'

/**
 * Rules the database must hold whatever requests came before: each statement counts the rows
 * breaking its rule, so every count must be 0.
 */
export const invariants: Array<{ name: string, violations: SQL }> = [
  {
    name: 'no two live work entries of a worker overlap',
    violations: sql`select count(*) from timesheet_entries a join timesheet_entries b
      on a.worker_id = b.worker_id and a.id < b.id
      where a.kind = 'work' and b.kind = 'work' and a.state <> 'rejected' and b.state <> 'rejected'
        and tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange(b.starts_at, b.ends_at, '[)')`
  },
  {
    name: 'no entry is in two batches',
    violations: sql`select count(*) from (select entry_id from export_entries group by entry_id having count(distinct batch_id) > 1) twice`
  },
  {
    name: 'every exported entry is in exactly one batch, and every batch entry is exported',
    violations: sql`select count(*) from timesheet_entries e full join export_entries x on x.entry_id = e.id
      where (e.state = 'exported') is distinct from (x.entry_id is not null)`
  },
  {
    name: 'every approved or exported entry has its pay frozen',
    violations: sql`select count(*) from timesheet_entries
      where state in ('approved', 'exported') and (gross_pence is null or rate_pence_per_unit is null or rate_unit is null
        or payment_mode is null or decided_at is null)`
  },
  {
    name: 'a batch snapshot holds the frozen gross of each claimed entry',
    violations: sql`select count(*) from export_entries x join timesheet_entries e on e.id = x.entry_id
      where x.gross_pence <> e.gross_pence or x.minutes <> e.worked_minutes`
  },
  {
    name: 'each batch: lines sum to its claimed entries\' gross plus holiday pay, and to its totals',
    violations: sql`select count(*) from (
      select b.gross_pence, b.holiday_pay_pence,
        (select coalesce(sum(l.gross_pence), 0) from export_lines l where l.batch_id = b.id) as lines,
        (select coalesce(sum(l.gross_pence), 0) from export_lines l where l.batch_id = b.id and l.kind = 'holiday_pay') as holiday_lines,
        (select coalesce(sum(e.gross_pence), 0) from export_entries x join timesheet_entries e on e.id = x.entry_id where x.batch_id = b.id) as entries,
        (select count(*) from export_entries x where x.batch_id = b.id) as entry_rows
      from export_batches b) totals
      where lines <> entries + holiday_pay_pence or lines <> gross_pence or holiday_lines <> holiday_pay_pence or entry_rows = 0`
  },
  ...([
    ['timesheet_entries', ['entry']],
    ['rates', ['rate']],
    ['workers', ['worker']],
    ['teams', ['team']],
    // A worker's person row is made with the worker and audited as the worker (same id).
    ['people', ['person', 'worker']],
    ['activity_types', ['activity_type']],
    ['api_keys', ['api_key']],
    ['pay_schedules', ['pay_schedule']],
    ['export_batches', ['export_batch']]
  ] as const).map(([table, entityTypes]) => ({
    name: `every ${table} row has an audit event`,
    violations: sql`select count(*) from ${sql.identifier(table)} r
      where not exists (select 1 from audit_events a where a.entity_type in (${sql.join(entityTypes.map((type) => sql`${type}`), sql`, `)}) and a.entity_id = r.id::text)`
  })),
  {
    name: 'every entry has an audit event for each change of its version (the export claim aside)',
    violations: sql`select count(*) from timesheet_entries e
      where e.version - (case when e.state = 'exported' then 1 else 0 end)
        > (select count(*) from audit_events a where a.entity_type = 'entry' and a.entity_id = e.id::text)`
  }
]

/** Each invariant with its count of breaking rows. */
export async function checkInvariants (db: Db): Promise<Array<{ name: string, count: number }>> {
  const results: Array<{ name: string, count: number }> = []
  for (const invariant of invariants) results.push({ name: invariant.name, count: await countOf(db, invariant.violations) })
  return results
}

/** How many rows of each kind the run left, for the report. */
export async function rowCounts (db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of ['timesheet_entries', 'export_batches', 'export_entries', 'rates', 'workers', 'teams', 'people', 'api_keys', 'audit_events']) {
    counts[table] = await countOf(db, sql`select count(*) from ${sql.identifier(table)}`)
  }
  const states = await query<{ state: string, n: number | string }>(db, sql`select state::text as state, count(*) as n from timesheet_entries group by state order by state`)
  for (const row of states) counts[`entries ${row.state}`] = Number(row.n)
  return counts
}
