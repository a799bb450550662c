import { and, eq, gte, inArray, lte, ne, sql } from 'drizzle-orm'
import { weekContaining } from '../../domain/calendar-date.js'
import { evaluateEarningsGuard, thresholdsOn, weeklyCapPence, type EarningsGuardResult } from '../../domain/earnings-guard.js'
import { rolledUpHolidayPayPence } from '../../domain/holiday-pay.js'
import type { Db } from '../../db/open.js'
import { timesheetEntries } from '../../db/schema.js'
import { benefitThresholdsTable } from '../statutory/service.js'
import type { WorkerRecord } from '../workers/service.js'
import { payFor } from './pay.js'

export interface WeekTotals {
  weekStart: string
  weekEnd: string
  minutes: number
  /** Frozen gross of approved and exported entries. */
  approvedGrossPence: number
  /** Gross submitted entries would earn at today's rates (an estimate until approval). */
  pendingGrossPence: number
}

/**
 * A worker's Monday-to-Sunday week: minutes and gross of entries that count (submitted,
 * approved, exported), leaving out one entry when it is the one being judged.
 */
export async function weekTotals (db: Db, worker: WorkerRecord, date: string, excludeEntryId?: string, includePending = true): Promise<WeekTotals> {
  const { start, end } = weekContaining(date)
  const rows = await db.select().from(timesheetEntries).where(and(
    eq(timesheetEntries.workerId, worker.id),
    gte(timesheetEntries.workDate, start),
    lte(timesheetEntries.workDate, end),
    inArray(timesheetEntries.state, includePending ? ['submitted', 'approved', 'exported'] : ['approved', 'exported']),
    excludeEntryId === undefined ? undefined : ne(timesheetEntries.id, excludeEntryId)
  ))
  const totals: WeekTotals = { weekStart: start, weekEnd: end, minutes: 0, approvedGrossPence: 0, pendingGrossPence: 0 }
  for (const row of rows) {
    totals.minutes += row.workedMinutes
    if (row.grossPence !== null) {
      totals.approvedGrossPence += row.grossPence
    } else {
      // A submitted entry with no rate yet counts as nothing until one is added.
      const estimate = await payFor(db, row, worker.paymentMode).catch(() => undefined)
      totals.pendingGrossPence += estimate?.grossPence ?? 0
    }
  }
  return totals
}

/**
 * One writer of a worker's sessions and weeks at a time: whatever writes a session or moves
 * one into a week's total (submit, approve) takes this lock first, in its transaction, so a
 * sum read after it stays true until commit. Two approvals racing for the last of a blocking
 * cap queue here, and the second sees the first. NO KEY UPDATE: foreign keys to the worker
 * (KEY SHARE) are not blocked.
 */
export async function lockWorker (db: Db, workerId: string): Promise<void> {
  await db.execute(sql`select 1 from workers where id = ${workerId} for no key update`)
}

export interface GuardOutcome extends EarningsGuardResult {
  weekStart: string
  weekGrossPence: number
  capPence: number | null
}

/**
 * The earnings guard for one entry (README "UK rules"): the worker's week including the
 * entry, against their cap. On submit the week counts other submitted entries too (an early
 * warning); on approval only what is approved, so a pending entry never blocks an earlier
 * one. The caller decides what a block means. Call it in the transaction that makes the change:
 * it locks the worker first (`lockWorker`), so concurrent decisions cannot both fit the cap.
 * With no entry id (a zero-minute probe), it judges the week as it stands (export checks).
 */
export async function guardEntry (
  db: Db, worker: WorkerRecord, entry: { id?: string, workDate: string, workedMinutes: number },
  entryGrossPence: number, stage: 'submit' | 'approve'
): Promise<GuardOutcome> {
  await lockWorker(db, worker.id)
  const totals = await weekTotals(db, worker, entry.workDate, entry.id, stage === 'submit')
  const payPence = totals.approvedGrossPence + totals.pendingGrossPence + entryGrossPence
  // Rolled-up holiday pay is paid with the work (12.07 %): it is earnings for the benefit too.
  const weekGrossPence = worker.holidayPayMode === 'rolled_up' ? payPence + rolledUpHolidayPayPence(payPence) : payPence
  if (worker.benefitGuard === 'none') return { overCap: false, blocked: false, warnings: [], weekStart: totals.weekStart, weekGrossPence, capPence: null }
  const thresholds = thresholdsOn(await benefitThresholdsTable(db), totals.weekStart)
  if (thresholds === undefined && worker.benefitGuard !== 'custom') {
    return { overCap: false, blocked: false, warnings: [`No benefit figures are held for the week of ${totals.weekStart}: the earnings guard could not be checked`], weekStart: totals.weekStart, weekGrossPence, capPence: null }
  }
  const capPence = weeklyCapPence(worker.benefitGuard, thresholds, worker.benefitCapPence)
  const result = evaluateEarningsGuard({
    guard: worker.benefitGuard,
    policy: worker.benefitPolicy,
    capPence,
    weekStart: totals.weekStart,
    weekGrossPence,
    weekMinutes: totals.minutes + entry.workedMinutes,
    weeklyHoursLimit: worker.benefitGuard === 'esa_permitted_work' ? thresholds?.esaPermittedWorkWeeklyHours ?? null : null
  })
  return { ...result, weekStart: totals.weekStart, weekGrossPence, capPence }
}
