import t from 'tap'
import fc from 'fast-check'
import {
  addDays, addMonths, addYears, assertDate, compareDates, daysBetween, isoDayOfWeek, isValidDate, weekContaining
} from '../../src/domain/calendar-date.js'
import { dateBetween, holds } from './property.js'

t.test('only real dates written YYYY-MM-DD are valid', async (t) => {
  for (const date of ['2026-01-01', '2028-02-29', '2000-02-29', '2026-12-31', '1930-06-15', '0001-01-01', '9999-12-31']) t.ok(isValidDate(date), `${date} is valid`)
  const invalid = ['2026-02-30', '2026-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-1', '26-01-01', '2026/01/01', '2026-01-01T00:00', ' 2026-01-01', '', '+2026-01-01', '0000-01-01', '2026-01-01\n']
  for (const date of invalid) t.notOk(isValidDate(date), `${JSON.stringify(date)} is not valid`)
  t.throws(() => assertDate('workDate', '2026-02-30'), { name: 'RangeError', message: 'workDate must be a date written YYYY-MM-DD (got "2026-02-30")' })
  t.throws(() => assertDate('workDate', 20260101 as unknown as string), RangeError)
})

t.test('dates compare in calendar order', async (t) => {
  t.equal(compareDates('2026-03-01', '2026-02-28'), 1)
  t.equal(compareDates('2025-12-31', '2026-01-01'), -1)
  t.equal(compareDates('2026-01-01', '2026-01-01'), 0)
  t.throws(() => compareDates('2026-02-30', '2026-01-01'), RangeError)
  t.throws(() => compareDates('2026-01-01', 'soon'), RangeError)
})

t.test('adding days crosses month ends, leap days and clock changes without slipping', async (t) => {
  const cases: Array<[string, number, string]> = [
    ['2026-01-31', 1, '2026-02-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2028-02-29', 1, '2028-03-01'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2026-03-28', 1, '2026-03-29'], // London springs forward on 29 March 2026
    ['2026-03-29', 1, '2026-03-30'],
    ['2026-10-24', 2, '2026-10-26'], // and falls back on 25 October 2026
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-06-15', 0, '2026-06-15'],
    ['2026-01-01', 365, '2027-01-01'],
    ['2028-01-01', 366, '2029-01-01']
  ]
  for (const [date, days, expected] of cases) t.equal(addDays(date, days), expected, `${date} + ${days} → ${expected}`)
  t.throws(() => addDays('2026-01-01', 1.5), { message: /days must be an integer/ })
  t.throws(() => addDays('2026-02-30', 1), RangeError)
  t.throws(() => addDays('9999-12-31', 1), { message: /outside the years 1 to 9999/ })
  t.throws(() => addDays('0001-01-01', -1), { message: /outside the years 1 to 9999/ })
  t.equal(addDays('0099-12-31', 1), '0100-01-01', 'two-digit years are not read as 19xx')
})

t.test('adding months and years clamps to the end of shorter months', async (t) => {
  t.equal(addMonths('2026-01-31', 1), '2026-02-28')
  t.equal(addMonths('2028-01-31', 1), '2028-02-29')
  t.equal(addMonths('2026-01-31', 2), '2026-03-31')
  t.equal(addMonths('2026-03-31', -1), '2026-02-28')
  t.equal(addMonths('2026-05-15', 12), '2027-05-15')
  t.equal(addYears('2028-02-29', 1), '2029-02-28')
  t.equal(addYears('2028-02-29', 4), '2032-02-29')
  t.equal(addYears('2084-02-29', 16), '2100-02-28', '2100 is not a leap year')
  t.throws(() => addMonths('2026-01-31', 0.5), { message: /months must be an integer/ })
  t.throws(() => addYears('2026-01-31', Number.NaN), { message: /years must be an integer/ })
})

t.test('days between dates count calendar days, whatever the clocks do', async (t) => {
  t.equal(daysBetween('2026-03-28', '2026-03-30'), 2, 'across the spring clock change')
  t.equal(daysBetween('2026-10-24', '2026-10-26'), 2, 'across the autumn clock change')
  t.equal(daysBetween('2028-02-28', '2028-03-01'), 2, 'across a leap day')
  t.equal(daysBetween('2026-01-10', '2026-01-01'), -9)
  t.equal(daysBetween('2026-01-01', '2026-01-01'), 0)
})

t.test('a week runs Monday to Sunday', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['2026-03-02', '2026-03-02', '2026-03-08'], // a Monday
    ['2026-03-08', '2026-03-02', '2026-03-08'], // a Sunday
    ['2026-03-29', '2026-03-23', '2026-03-29'], // the Sunday clocks go forward
    ['2026-10-25', '2026-10-19', '2026-10-25'], // the Sunday clocks go back
    ['2026-12-31', '2026-12-28', '2027-01-03'], // across a year end
    ['2028-02-29', '2028-02-28', '2028-03-05'] // a leap day
  ]
  for (const [date, start, end] of cases) t.same(weekContaining(date), { start, end }, `${date} is in ${start}..${end}`)
  t.equal(isoDayOfWeek('2026-03-02'), 1, 'Monday is 1')
  t.equal(isoDayOfWeek('2026-03-08'), 7, 'Sunday is 7')
  t.equal(isoDayOfWeek('2026-06-26'), 5, 'Friday is 5')
})

t.test('calendar arithmetic is consistent for any date', async (t) => {
  const date = dateBetween('1900-01-01', '2200-12-31')
  const days = fc.integer({ min: -20_000, max: 20_000 })
  holds(t, 'adding then subtracting days returns the same date', fc.property(date, days, (d, n) => addDays(addDays(d, n), -n) === d))
  holds(t, 'days between a date and that date plus n is n', fc.property(date, days, (d, n) => daysBetween(d, addDays(d, n)) === n))
  holds(t, 'added days keep the order of the offsets', fc.property(date, days, (d, n) => compareDates(addDays(d, n), d) === Math.sign(n)))
  holds(t, 'a week holds its date, starts on a Monday and spans seven days', fc.property(date, (d) => {
    const { start, end } = weekContaining(d)
    return isoDayOfWeek(start) === 1 && daysBetween(start, end) === 6 && compareDates(start, d) <= 0 && compareDates(d, end) <= 0
  }))
  holds(t, 'every generated date is valid and survives a round trip', fc.property(date, (d) => isValidDate(d) && addDays(d, 0) === d))
})

t.test('the process time zone never moves a date, even one that zone skipped', async (t) => {
  const saved = process.env.TZ
  t.teardown(() => { process.env.TZ = saved })
  // Samoa skipped 30 December 2011 and Kiribati's Line Islands 31 December 1994.
  process.env.TZ = 'Pacific/Apia'
  t.equal(addDays('2011-12-29', 1), '2011-12-30')
  t.equal(addMonths('2011-11-30', 1), '2011-12-30')
  t.equal(daysBetween('2011-12-29', '2011-12-31'), 2)
  t.ok(isValidDate('2011-12-30'))
  process.env.TZ = 'Pacific/Kiritimati'
  t.equal(addYears('1988-12-31', 6), '1994-12-31')
  t.same(weekContaining('1994-12-31'), { start: '1994-12-26', end: '1995-01-01' })
})

t.test('calendar arithmetic agrees with independent definitions', async (t) => {
  const date = dateBetween('1900-01-01', '2200-12-31')
  holds(t, 'days between agrees with UTC milliseconds of the ISO dates', fc.property(date, date, (a, b) =>
    daysBetween(a, b) === (Date.parse(b) - Date.parse(a)) / 86_400_000))
  holds(t, 'adding months lands in the right month on the same day, or the last day of a shorter month',
    fc.property(date, fc.integer({ min: -1200, max: 1200 }), (d, n) => {
      const result = addMonths(d, n)
      const monthIndex = Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1 + n
      const firstOfMonth = `${String(Math.floor(monthIndex / 12)).padStart(4, '0')}-${String(monthIndex % 12 + 1).padStart(2, '0')}-01`
      const daysInMonth = daysBetween(firstOfMonth, addDays(firstOfMonth, 40).slice(0, 8) + '01')
      return result.slice(0, 8) === firstOfMonth.slice(0, 8) && Number(result.slice(8)) === Math.min(Number(d.slice(8)), daysInMonth)
    }))
})
