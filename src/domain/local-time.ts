// Wall-clock times in a named zone (Europe/London by default, but always passed in) and the
// instants they name. Offsets come from the zone database via @date-fns/tz, never from code.
import { tz, tzOffset } from '@date-fns/tz'
import { format } from 'date-fns'
import { assertDate } from './calendar-date.js'

const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/
const MINUTE_MS = 60_000
const DAY_MS = 24 * 60 * MINUTE_MS

/** A local date and time that cannot be turned into an instant (clocks skipped it). */
export class LocalTimeError extends Error {
  constructor (readonly date: string, readonly time: string, readonly zone: string) {
    super(`${time} on ${date} does not exist in ${zone} because clocks go forward that night; record the time the clock showed`)
    this.name = 'LocalTimeError'
  }
}

/** Whether `time` is a wall-clock time written 'HH:mm' from 00:00 to 23:59. */
export function isValidTime (time: string): boolean {
  return typeof time === 'string' && TIME_PATTERN.test(time)
}

// Zones already checked: making an Intl.DateTimeFormat to check one took 7 % of the service's
// CPU time on the write path (test/bench profile), where every entry checks the same zone.
const knownZones = new Set<string>()

/** Whether `zone` is an IANA time zone name this runtime knows. */
export function isTimeZone (zone: string): boolean {
  if (knownZones.has(zone)) return true
  try {
    // Intl throws RangeError for a zone it does not know.
    Intl.DateTimeFormat('en-GB', { timeZone: zone })
  } catch {
    return false
  }
  if (typeof zone === 'string') knownZones.add(zone)
  return true
}

function assertZone (zone: string): void {
  if (!isTimeZone(zone)) throw new RangeError(`zone must be an IANA time zone name (got ${JSON.stringify(zone)})`)
}

function assertInstant (name: string, instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError(`${name} must be a valid Date`)
}

function wallClockOf (instant: Date, zone: string): string {
  return format(instant, 'yyyy-MM-dd HH:mm', { in: tz(zone) })
}

function instantsFor (date: string, time: string, zone: string): Date[] {
  assertDate('date', date)
  if (!isValidTime(time)) throw new RangeError(`time must be written HH:mm (got ${JSON.stringify(time)})`)
  assertZone(zone)
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const [hour, minute] = time.split(':').map(Number) as [number, number]
  // The wall clock read as if it were UTC; each instant is that minus an offset the zone used.
  const asUtc = new Date(0)
  asUtc.setUTCFullYear(year, month - 1, day)
  asUtc.setUTCHours(hour, minute, 0, 0)
  const wall = asUtc.getTime()
  // The offsets in force a day either side: a zone changes its clocks at most once in between.
  const offsets = new Set([tzOffset(zone, new Date(wall - DAY_MS)), tzOffset(zone, new Date(wall + DAY_MS))])
  const wanted = `${date} ${time}`
  return [...offsets]
    .map((offsetMinutes) => new Date(wall - offsetMinutes * MINUTE_MS))
    .filter((instant) => wallClockOf(instant, zone) === wanted)
    .sort((a, b) => a.getTime() - b.getTime())
}

/**
 * The instant a local date and time name in `zone`. A time the clocks skip (spring forward,
 * e.g. 01:30 on 2026-03-29 in London) throws LocalTimeError. A time that happens twice (fall
 * back, e.g. 01:30 on 2026-10-25 in London) resolves to the EARLIER instant (the first pass, in
 * BST), the first time the clock showed it, unless `resolve` is 'later'. isAmbiguousLocalTime
 * tells callers when that choice was made, so a session ending in the repeated hour can be
 * checked rather than silently shortened.
 * (TZDate alone would pick the later instant and move a skipped time forward without saying.)
 */
export function localDateTimeToInstant (date: string, time: string, zone: string, resolve: 'earlier' | 'later' = 'earlier'): Date {
  const instants = instantsFor(date, time, zone)
  const chosen = resolve === 'earlier' ? instants[0] : instants[instants.length - 1]
  if (chosen === undefined) throw new LocalTimeError(date, time, zone)
  return chosen
}

/** Whether a local date and time happen twice in `zone` (the hour repeated when clocks go back). */
export function isAmbiguousLocalTime (date: string, time: string, zone: string): boolean {
  return instantsFor(date, time, zone).length > 1
}

/** Whole minutes from `start` to `end` (negative when end is earlier); both must be on a whole minute. */
export function minutesBetween (start: Date, end: Date): number {
  assertInstant('start', start)
  assertInstant('end', end)
  for (const [name, instant] of [['start', start], ['end', end]] as const) {
    if (instant.getTime() % MINUTE_MS !== 0) throw new RangeError(`${name} must be on a whole minute (got ${instant.toISOString()})`)
  }
  return (end.getTime() - start.getTime()) / MINUTE_MS
}

/** The local calendar date of an instant in `zone`. */
export function localDateOf (instant: Date, zone: string): string {
  assertInstant('instant', instant)
  assertZone(zone)
  return format(instant, 'yyyy-MM-dd', { in: tz(zone) })
}

/** Today's local date in `zone`, given the current instant (callers pass `now`; the domain has no clock). */
export function todayIn (zone: string, now: Date): string {
  return localDateOf(now, zone)
}
