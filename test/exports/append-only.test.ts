// The database keeps approved pay and payroll exports as they were (migration
// 0008_frozen_pay_and_exports_append_only.sql, and 0009_dual_control_and_shared_auth_failures.sql,
// which last replaced the frozen-entry guard): for an exported entry, changing any column that
// says what was worked or paid is refused, whichever column it is (every column of the table is
// tried, so a column added later is covered or must be named here as changeable); export
// batches, lines, claims, file digests and the vendor codes a file was first rendered with
// (0012_payroll_codes.sql) are never updated or deleted. Runs on both engines.
import t from 'tap'
import { sql, type SQL } from 'drizzle-orm'
import { classifyDatabaseError } from '../../src/db/errors.js'
import { build } from '../helpers/app.js'
import { payrollOrganisation } from '../helpers/payroll.js'
import { query } from '../helpers/sql.js'

const h = await build(t, { now: new Date('2026-11-29T12:00:00Z') })
const org = await payrollOrganisation(h)
const worker = await h.worker({ payrollReference: 'AO1', teamIds: [org.team.id] })
const entry = await org.approved(worker.id, '2025-10-06')
const period = await org.close('2025-10-15')
const exported = await org.finance.call('POST', `/pay-periods/${period.id}/exports`)
const db = h.database.handle.db

/** The database's answer to one statement, inside a savepoint-free transaction that is always rolled back. */
async function attempt (statement: SQL): Promise<string> {
  try {
    await db.transaction(async (tx) => {
      await tx.execute(statement)
      throw new Error('rolled back on purpose')
    })
    return 'allowed'
  } catch (error) {
    if ((error as Error).message === 'rolled back on purpose') return 'allowed'
    const info = classifyDatabaseError(error)
    return info === undefined ? String((error as Error).message) : `${info.kind} ${info.constraint ?? info.code}`
  }
}

// Columns whose change is part of the life of an exported entry: none but bookkeeping.
const changeable = new Set(['version', 'updated_at', 'sort_at'])

t.test('an exported entry: a change to any column that says what was worked or paid is refused by the database', async (t) => {
  t.equal(exported.status, 201)
  const columns = await query<{ name: string, type: string, udt: string }>(db, sql`select column_name as name, data_type as type, udt_name as udt
    from information_schema.columns where table_name = 'timesheet_entries' order by ordinal_position`)
  const tried: string[] = []
  for (const column of columns) {
    if (changeable.has(column.name)) continue
    const c = sql.identifier(column.name)
    // A different value of the column's own type (from null, or from what it holds).
    const value: SQL = column.name === 'state'
      ? sql`'approved'`
      : column.type === 'integer' || column.type === 'bigint'
        ? sql`coalesce(${c}, 0) + 1`
        : column.type === 'text'
          ? sql`coalesce(${c}, '') || 'x'`
          : column.type === 'uuid'
            ? sql`gen_random_uuid()`
            : column.type === 'date'
              ? sql`coalesce(${c}, date '2025-01-01') + 1`
              : column.type.startsWith('timestamp')
                ? sql`coalesce(${c}, now()) + interval '1 minute'`
                : column.type === 'USER-DEFINED'
                  ? sql.raw(`(select v from unnest(enum_range(null::${column.udt})) v where v is distinct from timesheet_entries.${column.name} limit 1)`)
                  : sql`${c}`
    const answer = await attempt(sql`update timesheet_entries set ${c} = ${value} where id = ${entry.id}`)
    tried.push(column.name)
    // Foreign keys may refuse a made-up id first: either way it does not change.
    t.match(answer, /^(check timesheet_entries_frozen|foreign_key .*)$/, `${column.name}: refused (${answer})`)
  }
  t.ok(tried.length >= 30, `every column tried (${tried.length})`)
  t.equal(await attempt(sql`delete from timesheet_entries where id = ${entry.id}`), 'check timesheet_entries_frozen', 'and it is never deleted')
})

t.test('export batches, lines, claims, file digests and kept vendor codes are never updated or deleted', async (t) => {
  const batchId = exported.body.id as string
  const csv = await org.finance.call('GET', `/exports/${batchId}/files/csv`)
  t.equal(csv.status, 200, '(a file digest is recorded by the first download)')
  const sage = await org.finance.call('GET', `/exports/${batchId}/files/sage50`)
  t.equal(sage.status, 200, '(and a sage50 download keeps the Sage numbers it printed)')
  const statements: Array<[string, SQL]> = [
    ['update a batch', sql`update export_batches set gross_pence = gross_pence + 1 where id = ${batchId}`],
    ['delete a batch', sql`delete from export_batches where id = ${batchId}`],
    ['truncate batches', sql`truncate export_batches cascade`],
    ['update a line', sql`update export_lines set gross_pence = gross_pence + 1 where batch_id = ${batchId}`],
    ['delete a line', sql`delete from export_lines where batch_id = ${batchId}`],
    ['update a claim', sql`update export_entries set late = not late where batch_id = ${batchId}`],
    ['delete a claim', sql`delete from export_entries where batch_id = ${batchId}`],
    ['update a file digest', sql`update export_files set sha256 = 'x' where batch_id = ${batchId}`],
    ['delete a file digest', sql`delete from export_files where batch_id = ${batchId}`],
    ['update kept vendor codes', sql`update export_file_codes set element_code = element_code + 1 where batch_id = ${batchId}`],
    ['delete kept vendor codes', sql`delete from export_file_codes where batch_id = ${batchId}`]
  ]
  for (const [what, statement] of statements) t.equal(await attempt(statement), 'check exports_append_only', `${what}: refused`)
  const [left] = await query<{ files: number, lines: number, codes: number }>(db, sql`select (select count(*)::int from export_files where batch_id = ${batchId}) as files,
    (select count(*)::int from export_lines where batch_id = ${batchId}) as lines,
    (select count(*)::int from export_file_codes where batch_id = ${batchId}) as codes`)
  t.ok(left!.files >= 2 && left!.lines >= 1 && left!.codes >= 1, 'all still there')
})
