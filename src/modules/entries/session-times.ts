import { addDays, compareDates } from '../../domain/calendar-date.js'
import { isAmbiguousLocalTime, localDateTimeToInstant, LocalTimeError, minutesBetween, todayIn } from '../../domain/local-time.js'
import { ruleViolated } from '../../errors.js'

export interface SessionInput {
  workDate: string
  startTime: string
  /** Defaults to workDate; the next day for a session past midnight. */
  endDate?: string | null
  endTime: string
  breakMinutes: number
}

export interface SessionTimes {
  workDate: string
  startTime: string
  endDate: string
  endTime: string
  startsAt: Date
  endsAt: Date
  breakMinutes: number
  workedMinutes: number
  /** How an ambiguous local time (the repeated hour when clocks go back) was read. */
  warnings: string[]
}

const DAY_MINUTES = 24 * 60

function toInstant (date: string, time: string, zone: string, field: string, resolve: 'earlier' | 'later' = 'earlier'): Date {
  try {
    return localDateTimeToInstant(date, time, zone, resolve)
  } catch (error) {
    if (error instanceof LocalTimeError) throw ruleViolated('nonexistent_local_time', error.message, { field })
    throw error
  }
}

/**
 * Turns local date and times into instants and worked minutes, across clock changes: a
 * 00:30-02:30 session on the last Sunday of October is 180 minutes, on the last Sunday of
 * March 60. Refuses (422, naming the field) an end not after the start, a span over 24 hours,
 * a break not shorter than the span, and a work date in the future.
 */
export function sessionTimes (input: SessionInput, zone: string, now: Date): SessionTimes {
  const endDate = input.endDate ?? input.workDate
  if (compareDates(input.workDate, todayIn(zone, now)) > 0) {
    throw ruleViolated('work_date_in_future', `The work date ${input.workDate} is in the future`, { field: '/workDate' })
  }
  if (compareDates(endDate, input.workDate) < 0 || compareDates(endDate, addDays(input.workDate, 1)) > 0) {
    throw ruleViolated('end_date_out_of_range', 'endDate is the work date or the day after it', { field: '/endDate' })
  }
  const warnings: string[] = []
  const startsAt = toInstant(input.workDate, input.startTime, zone, '/startTime')
  // Of the two readings of a repeated time, the end takes the first one after the start.
  let endsAt = toInstant(endDate, input.endTime, zone, '/endTime')
  if (endsAt <= startsAt && isAmbiguousLocalTime(endDate, input.endTime, zone)) endsAt = toInstant(endDate, input.endTime, zone, '/endTime', 'later')
  for (const [date, time, which] of [[input.workDate, input.startTime, 'start'], [endDate, input.endTime, 'end']] as const) {
    if (isAmbiguousLocalTime(date, time, zone)) {
      warnings.push(`${time} on ${date} happened twice (clocks went back); the ${which} was read as ${(which === 'start' ? startsAt : endsAt).toISOString()}. If the session ran through the repeated hour, change the times.`)
    }
  }
  // Before standard time (London until 1847) local clocks ran seconds off UTC, so such a
  // session is not a whole number of minutes: refused, not a 500 (the fuzzer sent 0001-01-01).
  if (startsAt.getTime() % 60_000 !== 0 || endsAt.getTime() % 60_000 !== 0) {
    throw ruleViolated('work_date_out_of_range', `The work date ${input.workDate} is too early to record a session on`, { field: '/workDate' })
  }
  const spanMinutes = minutesBetween(startsAt, endsAt)
  if (spanMinutes <= 0) throw ruleViolated('end_not_after_start', 'The session must end after it starts (give endDate for a session past midnight)', { field: '/endTime' })
  if (spanMinutes > DAY_MINUTES) throw ruleViolated('longer_than_24_hours', 'A session cannot be longer than 24 hours', { field: '/endTime' })
  if (input.breakMinutes >= spanMinutes) {
    throw ruleViolated('break_not_less_than_span', `The break (${input.breakMinutes} minutes) must be shorter than the session (${spanMinutes} minutes)`, { field: '/breakMinutes' })
  }
  return {
    workDate: input.workDate,
    startTime: input.startTime,
    endDate,
    endTime: input.endTime,
    startsAt,
    endsAt,
    breakMinutes: input.breakMinutes,
    workedMinutes: spanMinutes - input.breakMinutes,
    warnings
  }
}
