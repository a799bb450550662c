import t from 'tap'
import fc from 'fast-check'
import {
  formatPounds, grossPenceForMinutes, hoursForMinutes, isAtLeastHourlyRate, payrollComputedPence
} from '../../src/domain/money.js'
import { holds } from './property.js'

t.test('a 50-minute session at £12.21 pays £10.18 (exact £10.175, rounded up)', async (t) => {
  t.equal(grossPenceForMinutes(50, 1221), 1018)
})

t.test('gross is minutes × rate / 60 rounded up to the penny', async (t) => {
  const cases: Array<[number, number, number, string]> = [
    [60, 1221, 1221, 'a whole hour pays the rate'],
    [0, 1221, 0, 'no minutes pay nothing'],
    [1, 1221, 21, 'one minute at £12.21 (20.35p) pays 21p'],
    [90, 1271, 1907, 'an hour and a half at £12.71 (£19.065) pays £19.07'],
    [150, 1221, 3053, '2½ hours at £12.21 (£30.525) pays £30.53'],
    [480, 1144, 9152, 'a full day at £11.44 pays exactly £91.52'],
    [7, 1, 1, 'a fraction of a penny rounds up to a penny'],
    [-50, 1221, -1017, 'clawing back 50 minutes (−£10.175) takes back £10.17, never more than exact'],
    [-1, 1221, -20, 'clawing back a minute (−20.35p) takes back 20p'],
    [-1, 1, 0, 'a clawback under a penny takes back nothing']
  ]
  for (const [minutes, rate, gross, name] of cases) t.equal(grossPenceForMinutes(minutes, rate), gross, name)
})

t.test('gross is never below exact and less than a penny above it', async (t) => {
  const minutes = fc.integer({ min: -100_000, max: 100_000 })
  const rate = fc.integer({ min: 0, max: 100_000 })
  holds(t, 'exact ≤ gross < exact + 1p, compared in integers', fc.property(minutes, rate, (m, r) => {
    const gross = grossPenceForMinutes(m, r)
    return gross * 60 >= m * r && (gross - 1) * 60 < m * r
  }))
  holds(t, 'more minutes never pay less', fc.property(minutes, rate, (m, r) => grossPenceForMinutes(m + 1, r) >= grossPenceForMinutes(m, r)))
})

t.test('hours are minutes / 60 to 2 decimal places, rounded up', async (t) => {
  const cases: Array<[number, number, string]> = [
    [150, 250, '2.50'],
    [50, 84, '0.84'],
    [-50, -83, '-0.83'],
    [0, 0, '0.00'],
    [60, 100, '1.00'],
    [1, 2, '0.02'],
    [3, 5, '0.05'],
    [-3, -5, '-0.05'],
    [-1, -1, '-0.01'],
    [6000, 10000, '100.00']
  ]
  for (const [minutes, hundredths, text] of cases) t.same(hoursForMinutes(minutes), { hundredths, text }, `${minutes} minutes → ${text}`)
  holds(t, 'hours never show less time than was worked', fc.property(fc.integer({ min: -1e9, max: 1e9 }), (m) => {
    const { hundredths } = hoursForMinutes(m)
    return hundredths * 60 >= m * 100 && (hundredths - 1) * 60 < m * 100
  }))
})

t.test('payroll computes hours × rate rounded half away from zero', async (t) => {
  t.equal(payrollComputedPence(250, 1221), 3053, '2.50 h × £12.21 = £30.525 → £30.53')
  t.equal(payrollComputedPence(84, 1221), 1026, '0.84 h × £12.21 = £10.2564 → £10.26')
  t.equal(payrollComputedPence(-83, 1221), -1013, '−0.83 h × £12.21 = −£10.1343 → −£10.13')
  t.equal(payrollComputedPence(-50, 1221), -611, '−0.50 h × £12.21 = −£6.105 → −£6.11')
  t.equal(payrollComputedPence(0, 1221), 0)
})

t.test('three 50-minute sessions at £12.21: line £30.54, 2.50 hours, payroll computes £30.53, 1p apart', async (t) => {
  const entries = [50, 50, 50].map((minutes) => ({ minutes, grossPence: grossPenceForMinutes(minutes, 1221) }))
  t.same(entries.map((e) => e.grossPence), [1018, 1018, 1018], 'each entry pays £10.18')
  const lineMinutes = entries.reduce((sum, e) => sum + e.minutes, 0)
  const lineGrossPence = entries.reduce((sum, e) => sum + e.grossPence, 0)
  t.equal(lineGrossPence, 3054, 'the line carries the sum of frozen gross')
  t.equal(hoursForMinutes(lineMinutes).text, '2.50', 'the line shows 2.50 hours')
  t.equal(payrollComputedPence(hoursForMinutes(lineMinutes).hundredths, 1221), 3053, 'payroll would compute £30.53')
  t.equal(lineGrossPence - payrollComputedPence(hoursForMinutes(lineMinutes).hundredths, 1221), 1, 'the batch reports a 1p difference (differencePence, src/modules/exports/claim.ts)')
  t.equal(formatPounds(lineGrossPence), '30.54')
})

t.test('a line whose hours × rate matches its gross reports no difference', async (t) => {
  t.equal(payrollComputedPence(hoursForMinutes(60).hundredths, 1221), 1221)
  t.equal(payrollComputedPence(hoursForMinutes(-60).hundredths, 1221), grossPenceForMinutes(-60, 1221), 'a whole-hour clawback agrees too')
})

t.test('pence print as pounds with two decimals and no currency sign', async (t) => {
  const cases: Array<[number, string]> = [
    [3054, '30.54'], [-5, '-0.05'], [0, '0.00'], [-0, '0.00'], [5, '0.05'], [100, '1.00'],
    [-12345, '-123.45'], [20350, '203.50'], [Number.MAX_SAFE_INTEGER, '90071992547409.91']
  ]
  for (const [pence, text] of cases) t.equal(formatPounds(pence), text, `${pence}p → ${text}`)
  holds(t, 'the text reads back as exactly the pence it came from', fc.property(fc.maxSafeInteger(), (pence) =>
    /^-?\d+\.\d{2}$/.test(formatPounds(pence)) && BigInt(formatPounds(pence).replace('.', '')) === BigInt(pence)))
  t.throws(() => formatPounds(1.5), RangeError)
})

t.test('pay is compared with an hourly floor exactly', async (t) => {
  t.ok(isAtLeastHourlyRate(1018, 50, 1221), '£10.18 for 50 minutes is at least £12.21 an hour')
  t.notOk(isAtLeastHourlyRate(1017, 50, 1221), '£10.17 for 50 minutes is below £12.21 an hour (£12.204)')
  t.ok(isAtLeastHourlyRate(1221, 60, 1221), 'exactly the floor is enough')
  t.ok(isAtLeastHourlyRate(0, 0, 1221), 'no time worked is never below the floor')
  t.ok(isAtLeastHourlyRate(5000, 0, 1221), 'a fee with no minutes is never below the floor')
  t.notOk(isAtLeastHourlyRate(0, 1, 1), 'nothing for a minute is below any positive floor')
  t.throws(() => isAtLeastHourlyRate(-1017, -50, 1221), { name: 'RangeError', message: /period's totals/ }, 'an adjustment alone is not checked')
  t.throws(() => isAtLeastHourlyRate(10.5, 50, 1221), RangeError)
  t.throws(() => isAtLeastHourlyRate(10, 50, 12.21), RangeError)
  holds(t, 'gross at a rate always meets that rate as a floor, and a penny less does not when it matters',
    fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), (m, r) => {
      const gross = grossPenceForMinutes(m, r)
      return isAtLeastHourlyRate(gross, m, r) && isAtLeastHourlyRate(gross - 1, m, r) === ((gross - 1) * 60 >= m * r)
    }))
})
