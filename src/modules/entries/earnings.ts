import { and, eq, gte, inArray, lte, ne } from 'drizzle-orm'
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

export interface GuardOutcome extends EarningsGuardResult {
  weekStart: string
  weekGrossPence: number
  capPence: number | null
}

/**
 * The earnings guard for one entry (UK-RULES.md "Benefits"): the worker's week including the
 * entry, against their cap. On submit the week counts other submitted entries too (an early
 * warning); on approval only what is approved, so a pending entry never blocks an earlier
 * one. The caller decides what a block means.
 */
export async function guardEntry (db: Db, worker: WorkerRecord, entry: { id: string, workDate: string, workedMinutes: number }, entryGrossPence: number, stage: 'submit' | 'approve'): Promise<GuardOutcome> {
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
