import { sql } from 'drizzle-orm'
import type { Db } from '../../src/db/open.js'
import { rolledUpHolidayPayPence } from '../../src/domain/holiday-pay.js'
import { query } from './sql.js'

/**
 * The money invariants of issue 11, read from the database after any run (the model run, the
 * multi-process race): each returns the violations it finds, as text.
 * - paid exactly once: an exported entry in exactly one batch, any other in none;
 * - an entry's net (original plus approved and exported corrections) is never below zero
 *   minutes or pence;
 * - with a blocking custom cap, a worker's approved gross in a Monday-to-Sunday week (rolled-up
 *   holiday pay included) never exceeds the cap unless an approval in that week gave an override;
 * - under dual control, the second approver is never the first.
 */
export async function moneyInvariantViolations (db: Db): Promise<string[]> {
  const violations: string[] = []
  const fail = (what: string, rows: unknown[]) => {
    if (rows.length > 0) violations.push(`${what}: ${JSON.stringify(rows.slice(0, 5))}${rows.length > 5 ? ` and ${rows.length - 5} more` : ''}`)
  }
  fail('entries not paid exactly once', await query(db, sql`
    select e.id, e.state, count(x.entry_id)::int as batches from timesheet_entries e left join export_entries x on x.entry_id = e.id
    group by e.id, e.state having (e.state = 'exported' and count(x.entry_id) <> 1) or (e.state <> 'exported' and count(x.entry_id) <> 0)`))
  fail('entries whose approved corrections take back more than they paid', await query(db, sql`
    select o.id, o.worked_minutes + coalesce(sum(c.worked_minutes), 0) as minutes, o.gross_pence + coalesce(sum(c.gross_pence), 0) as pence
    from timesheet_entries o join timesheet_entries c on c.corrects_entry_id = o.id and c.state in ('approved', 'exported')
    where o.state in ('approved', 'exported')
    group by o.id having o.worked_minutes + coalesce(sum(c.worked_minutes), 0) < 0 or o.gross_pence + coalesce(sum(c.gross_pence), 0) < 0`))
  const weeks = await query<{ worker_id: string, week: string, gross: number, cap: number, rolled_up: boolean, overridden: boolean }>(db, sql`
    select e.worker_id, date_trunc('week', e.work_date)::date::text as week, sum(e.gross_pence)::int as gross, w.benefit_cap_pence as cap,
      w.holiday_pay_mode = 'rolled_up' as rolled_up, bool_or(e.override_reason is not null) as overridden
    from timesheet_entries e join workers w on w.id = e.worker_id
    where w.benefit_policy = 'block' and w.benefit_guard = 'custom' and e.state in ('approved', 'exported')
    group by e.worker_id, date_trunc('week', e.work_date), w.benefit_cap_pence, w.holiday_pay_mode`)
  fail('weeks over a blocking cap without an override', weeks.filter((w) =>
    !w.overridden && (w.rolled_up ? w.gross + rolledUpHolidayPayPence(w.gross) : w.gross) > w.cap))
  fail('second approvals by the first approver', await query(db, sql`
    select id from timesheet_entries where first_approved_at is not null and state in ('approved', 'exported')
      and (decided_by_key_id = first_approved_by_key_id or decided_by_person_id = first_approved_by_person_id)`))
  return violations
}
