import { sql, type SQL } from 'drizzle-orm'
import { systemContext } from '../../domain/actor.js'
import { rowsOf, type Db } from '../../db/open.js'
import { AppError, ruleViolated } from '../../errors.js'
import { guardEntry } from '../entries/earnings.js'
import { findWorker, type WorkerRecord } from '../workers/service.js'

const systemReader = systemContext('export checks').actor

/**
 * The money invariants, judged again over what an export is about to claim (`claimable`, a
 * condition on entries `e`): approval already enforces them under a lock, so a failure here
 * means something went round the service (a hand-edited row, a bug), and nothing is paid until
 * it is put right. Each refusal names the figures.
 * - An entry with its approved corrections never pays below zero minutes or pence.
 * - With policy `block`, a worker's approved week never exceeds their cap without an override.
 */
export async function assertClaimInvariants (tx: Db, claimable: SQL): Promise<void> {
  const overdrawn = rowsOf<{ id: string, minutes: number, pence: number }>(await tx.execute(sql`
    select o.id, (o.worked_minutes + sum(c.worked_minutes))::int as minutes,
      (o.gross_pence + sum(c.gross_pence))::int as pence
    from timesheet_entries o
    join timesheet_entries c on c.corrects_entry_id = o.id and c.state in ('approved', 'exported')
    where o.id in (select e.corrects_entry_id from timesheet_entries e where ${claimable} and e.kind = 'adjustment')
    group by o.id, o.worked_minutes, o.gross_pence
    having o.worked_minutes + sum(c.worked_minutes) < 0 or o.gross_pence + sum(c.gross_pence) < 0
    order by o.id`))
  if (overdrawn.length > 0) {
    throw ruleViolated('correction_exceeds_entry',
      `${overdrawn.length} entr${overdrawn.length === 1 ? 'y' : 'ies'} would pay less than nothing ` +
      'with their approved corrections; ' +
      'reverse the excess with a correction before exporting',
      { entries: overdrawn.map((row) => ({ entryId: row.id, netMinutes: row.minutes, netPence: row.pence })) })
  }

  const weeks = rowsOf<{ worker_id: string, week_start: string }>(await tx.execute(sql`
    select distinct e.worker_id, date_trunc('week', e.work_date)::date::text as week_start
    from timesheet_entries e join workers w on w.id = e.worker_id
    where ${claimable} and w.benefit_policy = 'block' and w.benefit_guard <> 'none'
      and not exists (select 1 from timesheet_entries o
        where o.worker_id = e.worker_id and o.override_reason is not null
        and o.state in ('approved', 'exported') and date_trunc('week', o.work_date) = date_trunc('week', e.work_date))
    order by 1, 2`))
  const over = []
  let worker: WorkerRecord | undefined
  for (const week of weeks) {
    // Weeks come ordered by worker: each worker is read once.
    if (worker?.id !== week.worker_id) worker = await findWorker(tx, systemReader, week.worker_id)
    const guard = await guardEntry(tx, worker, { workDate: week.week_start, workedMinutes: 0 }, 0, 'approve')
    if (!guard.blocked) continue
    over.push({ workerId: worker.id, weekStart: guard.weekStart, weekGrossPence: guard.weekGrossPence, capPence: guard.capPence })
  }
  if (over.length > 0) {
    throw new AppError('conflict',
      `${over.length} worker week(s) to be paid are over a blocking earnings cap with no override recorded; ` +
      'nothing was exported',
      { rule: 'earnings_cap_exceeded', weeks: over })
  }
}
