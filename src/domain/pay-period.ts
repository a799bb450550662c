// Pay periods tile the calendar from a schedule's anchor date: no gaps, no overlaps. Dates only,
// so clock changes cannot move a boundary.
import { addDays, addMonths, assertDate, compareDates, daysBetween } from './calendar-date.js'
import { assertSafeInteger, floorDiv } from './integer-math.js'

export type PayFrequency = 'weekly' | 'fortnightly' | 'four_weekly' | 'monthly'

/** How a pay schedule's periods are laid out: period 0 starts on the anchor date. */
export interface PaySchedule {
  frequency: PayFrequency
  anchorDate: string
}

/** One pay period: index 0 starts on the anchor, negative indexes lie before it. Dates are inclusive. */
export interface PayPeriod {
  index: number
  startDate: string
  endDate: string
}

const DAYS_PER_PERIOD = { weekly: 7, fortnightly: 14, four_weekly: 28 } as const

/**
 * Start of period `index`. Monthly periods start on the anchor's day of the month, on the last
 * day of shorter months, always counted from the anchor (not chained), so an anchor on the
 * 31st gives 28/29 Feb then 31 Mar, never drifting to the 28th.
 */
function startOf (schedule: PaySchedule, index: number): string {
  if (schedule.frequency === 'monthly') return addMonths(schedule.anchorDate, index)
  return addDays(schedule.anchorDate, index * DAYS_PER_PERIOD[schedule.frequency])
}

function assertSchedule (schedule: PaySchedule): void {
  assertDate('anchorDate', schedule.anchorDate)
  if (schedule.frequency !== 'monthly' && !(schedule.frequency in DAYS_PER_PERIOD)) {
    throw new RangeError(`unknown pay frequency ${JSON.stringify(schedule.frequency)}`)
  }
}

/** Period number `index` of a schedule; each ends the day before the next one starts. */
export function periodByIndex (schedule: PaySchedule, index: number): PayPeriod {
  assertSchedule(schedule)
  assertSafeInteger('index', index)
  return { index, startDate: startOf(schedule, index), endDate: addDays(startOf(schedule, index + 1), -1) }
}

function indexContaining (schedule: PaySchedule, date: string): number {
  if (schedule.frequency !== 'monthly') {
    return floorDiv(daysBetween(schedule.anchorDate, date), DAYS_PER_PERIOD[schedule.frequency])
  }
  // Period n starts in the nth month after the anchor's; it holds the date unless the date
  // falls earlier in that month than the period's start day.
  const monthsApart = (Number(date.slice(0, 4)) - Number(schedule.anchorDate.slice(0, 4))) * 12 +
    Number(date.slice(5, 7)) - Number(schedule.anchorDate.slice(5, 7))
  return compareDates(date, startOf(schedule, monthsApart)) < 0 ? monthsApart - 1 : monthsApart
}

/** The period of a schedule that holds `date`. */
export function periodContaining (schedule: PaySchedule, date: string): PayPeriod {
  assertSchedule(schedule)
  assertDate('date', date)
  return periodByIndex(schedule, indexContaining(schedule, date))
}

/** The pay date of a period: `payDateOffsetDays` days after its end (0: paid on the last day). */
export function payDateOf (period: PayPeriod, payDateOffsetDays: number): string {
  return addDays(period.endDate, payDateOffsetDays)
}

/** The consecutive periods that overlap `fromDate`..`toDate` (inclusive), in order. */
export function periodsBetween (schedule: PaySchedule, fromDate: string, toDate: string): PayPeriod[] {
  if (compareDates(fromDate, toDate) > 0) throw new RangeError(`fromDate ${fromDate} is after toDate ${toDate}`)
  const first = periodContaining(schedule, fromDate).index
  const last = periodContaining(schedule, toDate).index
  const periods: PayPeriod[] = []
  for (let index = first; index <= last; index++) periods.push(periodByIndex(schedule, index))
  return periods
}
