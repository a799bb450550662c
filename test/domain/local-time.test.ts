import t from 'tap'
import { tz } from '@date-fns/tz'
import { format } from 'date-fns'
import fc from 'fast-check'
import {
  LocalTimeError, isAmbiguousLocalTime, isTimeZone, isValidTime, localDateOf, localDateTimeToInstant,
  minutesBetween, todayIn
} from '../../src/domain/local-time.js'
import { dateBetween, holds, timeOfDay } from './property.js'

const LONDON = 'Europe/London'
const iso = (date: Date): string => date.toISOString()
/** The wall-clock time of an instant in a zone, read by date-fns (the service stores times as entered). */
const localTimeOf = (instant: Date, zone: string): string => format(instant, 'HH:mm', { in: tz(zone) })
const sessionMinutes = (date: string, start: string, end: string, zone = LONDON): number =>
  minutesBetween(localDateTimeToInstant(date, start, zone), localDateTimeToInstant(date, end, zone))

t.test('a session 00:30–02:30 on the night the clocks go back (2026-10-25) is 180 minutes', async (t) => {
  t.equal(sessionMinutes('2026-10-25', '00:30', '02:30'), 180)
})

t.test('a session 00:30–02:30 on the night the clocks go forward (2026-03-29) is 60 minutes', async (t) => {
  t.equal(sessionMinutes('2026-03-29', '00:30', '02:30'), 60)
})

t.test('01:30 on 2026-03-29 does not exist in London: clocks go forward', async (t) => {
  const error = t.throws(() => localDateTimeToInstant('2026-03-29', '01:30', LONDON), LocalTimeError)
  t.match(error, { name: 'LocalTimeError', date: '2026-03-29', time: '01:30', zone: LONDON, message: /does not exist in Europe\/London because clocks go forward/ })
  for (const time of ['01:00', '01:59']) t.throws(() => localDateTimeToInstant('2026-03-29', time, LONDON), LocalTimeError, `${time} does not exist either`)
  t.equal(iso(localDateTimeToInstant('2026-03-29', '00:59', LONDON)), '2026-03-29T00:59:00.000Z', 'the minute before the gap is GMT')
  t.equal(iso(localDateTimeToInstant('2026-03-29', '02:00', LONDON)), '2026-03-29T01:00:00.000Z', 'the minute after the gap is BST')
})

t.test('01:30 on 2026-10-25 happens twice in London and resolves to the first (BST) pass, 00:30Z', async (t) => {
  t.equal(iso(localDateTimeToInstant('2026-10-25', '01:30', LONDON)), '2026-10-25T00:30:00.000Z')
  t.equal(iso(localDateTimeToInstant('2026-10-25', '01:30', LONDON, 'later')), '2026-10-25T01:30:00.000Z', 'the second (GMT) pass on request')
  t.equal(iso(localDateTimeToInstant('2026-10-25', '01:00', LONDON)), '2026-10-25T00:00:00.000Z', 'the repeated hour starts at 01:00 BST')
  t.equal(iso(localDateTimeToInstant('2026-10-25', '02:00', LONDON)), '2026-10-25T02:00:00.000Z', '02:00 happens once, in GMT')
  t.ok(isAmbiguousLocalTime('2026-10-25', '01:30', LONDON), '01:30 is flagged as ambiguous')
  t.notOk(isAmbiguousLocalTime('2026-10-25', '02:00', LONDON), '02:00 is not')
  t.notOk(isAmbiguousLocalTime('2026-10-25', '00:59', LONDON), '00:59 is not')
  t.equal(iso(localDateTimeToInstant('2026-06-15', '10:00', LONDON, 'later')), '2026-06-15T09:00:00.000Z', 'later changes nothing on an ordinary day')
})

t.test('ordinary summer and winter days convert with BST and GMT', async (t) => {
  t.equal(iso(localDateTimeToInstant('2026-07-01', '09:15', LONDON)), '2026-07-01T08:15:00.000Z', 'summer: BST is UTC+1')
  t.equal(iso(localDateTimeToInstant('2026-01-15', '09:15', LONDON)), '2026-01-15T09:15:00.000Z', 'winter: GMT is UTC')
  t.equal(sessionMinutes('2026-07-01', '09:15', '12:45'), 210)
  t.equal(sessionMinutes('2026-01-15', '00:00', '23:59'), 1439)
  t.equal(iso(localDateTimeToInstant('2028-02-29', '23:59', LONDON)), '2028-02-29T23:59:00.000Z', 'a leap day')
})

t.test('other zones follow their own clock changes', async (t) => {
  const newYork = 'America/New_York'
  t.throws(() => localDateTimeToInstant('2026-03-08', '02:30', newYork), LocalTimeError, 'New York skips 02:00–03:00 on 8 March 2026')
  t.equal(iso(localDateTimeToInstant('2026-11-01', '01:30', newYork)), '2026-11-01T05:30:00.000Z', 'New York repeats 01:30 on 1 November: EDT first')
  t.equal(sessionMinutes('2026-11-01', '00:30', '02:30', newYork), 180)
  t.equal(iso(localDateTimeToInstant('2026-07-04', '12:00', newYork)), '2026-07-04T16:00:00.000Z')
  // Lord Howe Island moves its clocks by half an hour.
  t.equal(iso(localDateTimeToInstant('2026-04-05', '01:45', 'Australia/Lord_Howe')), '2026-04-04T14:45:00.000Z', 'first pass at UTC+11')
  t.equal(iso(localDateTimeToInstant('2026-04-05', '01:45', 'Australia/Lord_Howe', 'later')), '2026-04-04T15:15:00.000Z', 'second pass at UTC+10:30')
  t.equal(iso(localDateTimeToInstant('2026-01-01', '05:30', 'Asia/Kolkata')), '2026-01-01T00:00:00.000Z', 'a half-hour offset')
  t.equal(iso(localDateTimeToInstant('2026-03-29', '01:30', 'UTC')), '2026-03-29T01:30:00.000Z', 'UTC never skips')
})

t.test('instants read back as local dates and times', async (t) => {
  const lateEvening = new Date('2026-07-01T23:30:00Z')
  t.equal(localDateOf(lateEvening, LONDON), '2026-07-02', 'half past midnight BST is the next day in London')
  t.equal(localDateOf(lateEvening, 'UTC'), '2026-07-01')
  t.equal(localDateOf(new Date('2026-01-01T23:30:00Z'), LONDON), '2026-01-01', 'in winter London is on UTC')
  t.equal(todayIn(LONDON, new Date('2026-03-29T23:30:00Z')), '2026-03-30', 'today depends on the zone')
  t.equal(todayIn('America/New_York', new Date('2026-03-30T02:00:00Z')), '2026-03-29')
})

t.test('minutes between instants are whole minutes, negative when the end comes first', async (t) => {
  const start = new Date('2026-05-01T09:00:00Z')
  t.equal(minutesBetween(start, new Date('2026-05-01T10:30:00Z')), 90)
  t.equal(minutesBetween(start, start), 0)
  t.equal(minutesBetween(start, new Date('2026-05-01T08:00:00Z')), -60)
  t.throws(() => minutesBetween(start, new Date('2026-05-01T10:30:01Z')), { name: 'RangeError', message: /end must be on a whole minute/ })
  t.throws(() => minutesBetween(new Date('2026-05-01T09:00:00.500Z'), start), { message: /start must be on a whole minute/ })
  t.throws(() => minutesBetween(new Date(Number.NaN), start), { message: /start must be a valid Date/ })
  t.throws(() => minutesBetween(start, '2026-05-01' as unknown as Date), { message: /end must be a valid Date/ })
})

t.test('bad dates, times and zones are refused', async (t) => {
  for (const time of ['24:00', '9:00', '09:60', '09:00:00', '']) {
    t.notOk(isValidTime(time), `${JSON.stringify(time)} is not a time`)
    t.throws(() => localDateTimeToInstant('2026-05-01', time, LONDON), { name: 'RangeError', message: /time must be written HH:mm/ })
  }
  t.ok(isValidTime('00:00'))
  t.ok(isValidTime('23:59'))
  t.notOk(isValidTime(900 as unknown as string))
  t.throws(() => localDateTimeToInstant('2026-02-30', '09:00', LONDON), { message: /date must be a date/ })
  t.ok(isTimeZone(LONDON))
  t.notOk(isTimeZone('Europe/Londres'))
  t.throws(() => localDateTimeToInstant('2026-05-01', '09:00', 'Europe/Londres'), { message: /zone must be an IANA time zone name/ })
  t.throws(() => localDateOf(new Date(0), 'Mars/Olympus'), RangeError)
  t.throws(() => localDateOf(new Date(Number.NaN), LONDON), { message: /instant must be a valid Date/ })
})

t.test('every existing local time converts to an instant on the same local date and time', async (t) => {
  const zones = fc.constantFrom(LONDON, 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Asia/Kathmandu', 'Pacific/Auckland', 'Pacific/Chatham', 'America/Sao_Paulo', 'UTC')
  const date = dateBetween('1990-01-01', '2100-12-31')
  holds(t, 'localDateOf(localDateTimeToInstant(d, t, z), z) === d, and the time reads back too', fc.property(date, timeOfDay, zones, (d, time, zone) => {
    let instant: Date
    try {
      instant = localDateTimeToInstant(d, time, zone)
    } catch (error) {
      // Only a time the clocks skip may fail.
      return error instanceof LocalTimeError
    }
    return localDateOf(instant, zone) === d && localTimeOf(instant, zone) === time && instant.getTime() % 60_000 === 0
  }), 1000)
  holds(t, 'in London a gap exists only on the last Sunday of March between 01:00 and 01:59', fc.property(date, timeOfDay, (d, time) => {
    let skipped = false
    try {
      localDateTimeToInstant(d, time, LONDON)
    } catch {
      skipped = true
    }
    return !skipped || (d.slice(5, 7) === '03' && time.startsWith('01:'))
  }), 1000)
  holds(t, 'the earlier and later resolutions differ only when the time is ambiguous', fc.property(date, timeOfDay, zones, (d, time, zone) => {
    try {
      const earlier = localDateTimeToInstant(d, time, zone)
      const later = localDateTimeToInstant(d, time, zone, 'later')
      return (earlier.getTime() < later.getTime()) === isAmbiguousLocalTime(d, time, zone) && earlier.getTime() <= later.getTime()
    } catch (error) {
      return error instanceof LocalTimeError
    }
  }))
})
