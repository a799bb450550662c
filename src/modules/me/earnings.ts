import { addDays, compareDates, daysBetween, weekContaining } from '../../domain/calendar-date.js'
import { thresholdsOn, weeklyCapPence } from '../../domain/earnings-guard.js'
import { rolledUpHolidayPayPence } from '../../domain/holiday-pay.js'
import type { Db } from '../../db/open.js'
import { ruleViolated } from '../../errors.js'
import { weekTotals, type WeekTotals } from '../entries/earnings.js'
import { benefitThresholdsTable } from '../statutory/service.js'
import type { WorkerRecord } from '../workers/service.js'

export interface WeekEarnings extends WeekTotals {
  /** The worker's weekly cap; null without a guard (or without figures for the week). */
  capPence: number | null
  /** Cap minus approved and pending gross (negative when over); null without a cap. */
  headroomPence: number | null
}

const MAX_WEEKS = 53

/** A worker's Monday-to-Sunday weeks overlapping [from, to]: minutes, gross and cap headroom. */
export async function earningsByWeek (db: Db, worker: WorkerRecord, from: string, to: string): Promise<WeekEarnings[]> {
  if (compareDates(from, to) > 0) throw ruleViolated('from_after_to', '`from` must not be after `to`', { field: '/from' })
  const first = weekContaining(from).start
  if (daysBetween(first, to) >= MAX_WEEKS * 7) throw ruleViolated('range_too_long', `Ask for at most ${MAX_WEEKS} weeks at a time`, { field: '/to' })
  const thresholds = await benefitThresholdsTable(db)
  const weeks: WeekEarnings[] = []
  for (let start = first; compareDates(start, to) <= 0; start = addDays(start, 7)) {
    const totals = await weekTotals(db, worker, start)
    const figures = thresholdsOn(thresholds, start)
    const capPence = worker.benefitGuard === 'none' || (figures === undefined && worker.benefitGuard !== 'custom')
      ? null
      : weeklyCapPence(worker.benefitGuard, figures, worker.benefitCapPence)
    // As the earnings guard counts it: rolled-up holiday pay is paid with the work.
    const payPence = totals.approvedGrossPence + totals.pendingGrossPence
    const countedPence = worker.holidayPayMode === 'rolled_up' ? payPence + rolledUpHolidayPayPence(payPence) : payPence
    weeks.push({
      ...totals,
      capPence,
      headroomPence: capPence === null ? null : capPence - countedPence
    })
  }
  return weeks
}
