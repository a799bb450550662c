// Calendar dates as 'YYYY-MM-DD' strings, with no time zone. The arithmetic is pure calendar
// arithmetic on the Date UTC fields, which have no clock changes and ignore the process's zone.
// (date-fns on a TZDate pinned to UTC still goes through the process's local time and slips a
// day when that zone skipped a whole date, e.g. TZ=Pacific/Apia on 2011-12-30.)

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/
const DAY_MS = 24 * 60 * 60 * 1000
const FIRST_YEAR = 1
const LAST_YEAR = 9999

/** UTC midnight of a calendar date; month is 1-based. */
function utcMidnight (year: number, month: number, day: number): Date {
  const instant = new Date(0)
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  instant.setUTCFullYear(year, month - 1, day)
  return instant
}

function fromDay (day: Date): string {
  const year = day.getUTCFullYear()
  if (year < FIRST_YEAR || year > LAST_YEAR) throw new RangeError(`the date falls outside the years ${FIRST_YEAR} to ${LAST_YEAR}`)
  const pad = (value: number, width: number): string => String(value).padStart(width, '0')
  return `${pad(year, 4)}-${pad(day.getUTCMonth() + 1, 2)}-${pad(day.getUTCDate(), 2)}`
}

/** Whether `date` is a real calendar date written 'YYYY-MM-DD' ('2026-02-30' is not), in years 0001 to 9999. */
export function isValidDate (date: string): boolean {
  const match = typeof date === 'string' ? DATE_PATTERN.exec(date) : null
  if (match === null) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  // An impossible day rolls over into the next month, so it does not read back the same.
  return year >= FIRST_YEAR && fromDay(utcMidnight(year, month, day)) === date
}

/** Throws a RangeError unless `date` is a real 'YYYY-MM-DD' date; `name` says which input was wrong. */
export function assertDate (name: string, date: string): void {
  if (!isValidDate(date)) throw new RangeError(`${name} must be a date written YYYY-MM-DD (got ${JSON.stringify(date)})`)
}

function toDay (date: string): Date {
  assertDate('date', date)
  return utcMidnight(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)))
}

function assertCount (name: string, value: number): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be an integer (got ${value})`)
}

/** −1, 0 or 1 as date a is before, the same as or after date b. */
export function compareDates (a: string, b: string): -1 | 0 | 1 {
  assertDate('a', a)
  assertDate('b', b)
  // Same-width 'YYYY-MM-DD' strings sort as the dates they name.
  return a < b ? -1 : a > b ? 1 : 0
}

/** The date `days` calendar days after `date` (before it when negative). */
export function addDays (date: string, days: number): string {
  assertCount('days', days)
  const day = toDay(date)
  day.setUTCDate(day.getUTCDate() + days)
  return fromDay(day)
}

/**
 * The date `months` calendar months after `date`, on the same day of the month or the month's
 * last day when it is shorter: 2026-01-31 + 1 month → 2026-02-28 (as date-fns addMonths).
 */
export function addMonths (date: string, months: number): string {
  assertCount('months', months)
  const day = toDay(date)
  const targetMonth = day.getUTCMonth() + months
  // Day 0 of the following month is the last day of the target month.
  const lastDay = utcMidnight(day.getUTCFullYear(), targetMonth + 2, 0).getUTCDate()
  return fromDay(utcMidnight(day.getUTCFullYear(), targetMonth + 1, Math.min(day.getUTCDate(), lastDay)))
}

/** The date `years` years after `date`; 29 February becomes 28 February in a common year. */
export function addYears (date: string, years: number): string {
  assertCount('years', years)
  return addMonths(date, years * 12)
}

/** Calendar days from `from` to `to`: 1 from a date to the next, negative when `to` is earlier. */
export function daysBetween (from: string, to: string): number {
  // Both are UTC midnights, and UTC days are all 24 hours long.
  return (toDay(to).getTime() - toDay(from).getTime()) / DAY_MS
}

/** ISO day of the week of `date`: 1 for Monday to 7 for Sunday. */
export function isoDayOfWeek (date: string): number {
  return toDay(date).getUTCDay() || 7
}

/** The Monday-to-Sunday week holding `date` (README: earnings guard weeks run Monday to Sunday). */
export function weekContaining (date: string): { start: string, end: string } {
  const start = addDays(date, 1 - isoDayOfWeek(date))
  return { start, end: addDays(start, 6) }
}
