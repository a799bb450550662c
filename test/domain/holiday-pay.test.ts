import t from 'tap'
import fc from 'fast-check'
import { HOLIDAY_RATE_BASIS_POINTS, accruedHolidayMinutes, rolledUpHolidayPayPence } from '../../src/domain/holiday-pay.js'
import { holds } from './property.js'

t.test('the holiday rate is 12.07 %', async (t) => {
  t.equal(HOLIDAY_RATE_BASIS_POINTS, 1207)
})

t.test('rolled-up holiday pay is 12.07 % of gross, rounded up to the penny', async (t) => {
  const cases: Array<[number, number, string]> = [
    [10000, 1207, '£100.00 → £12.07 exactly'],
    [3054, 369, '£30.54 → 368.6178p → £3.69'],
    [1018, 123, '£10.18 → 122.8726p → £1.23'],
    [1, 1, 'a penny → 0.1207p → 1p'],
    [0, 0, 'nothing → nothing'],
    [-1018, -122, 'a £10.18 clawback → −122.8726p → −£1.22, never more than exact'],
    [-1, 0, 'a penny clawback takes back no holiday pay']
  ]
  for (const [gross, holiday, name] of cases) t.equal(rolledUpHolidayPayPence(gross), holiday, name)
  t.throws(() => rolledUpHolidayPayPence(10.5), RangeError)
})

t.test('holiday accrues at 12.07 % of minutes worked, rounded up to a minute', async (t) => {
  const cases: Array<[number, number, string]> = [
    [60, 8, 'an hour → 7.242 → 8 minutes'],
    [100, 13, '100 minutes → 12.07 → 13'],
    [10000, 1207, '10,000 minutes → 1,207 exactly'],
    [0, 0, 'no work → no holiday'],
    [-60, -7, 'removing an hour → −7.242 → −7'],
    [2784, 337, '46.4 hours → 336.0288 → 337']
  ]
  for (const [minutes, holiday, name] of cases) t.equal(accruedHolidayMinutes(minutes), holiday, name)
  t.throws(() => accruedHolidayMinutes(1.5), RangeError)
})

t.test('holiday is never below 12.07 % and less than one unit above', async (t) => {
  const amount = fc.integer({ min: -1e10, max: 1e10 })
  holds(t, 'pay: exact ≤ holiday < exact + 1p', fc.property(amount, (gross) => {
    const holiday = rolledUpHolidayPayPence(gross)
    return holiday * 10_000 >= gross * 1207 && (holiday - 1) * 10_000 < gross * 1207
  }))
  holds(t, 'minutes: exact ≤ accrued < exact + 1 minute', fc.property(amount, (minutes) => {
    const accrued = accruedHolidayMinutes(minutes)
    return accrued * 10_000 >= minutes * 1207 && (accrued - 1) * 10_000 < minutes * 1207
  }))
})
