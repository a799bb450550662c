import t from 'tap'
import fc from 'fast-check'
import {
  evaluateEarningsGuard, thresholdsOn, weeklyCapPence, type BenefitThresholds, type EarningsGuardInput
} from '../../src/domain/earnings-guard.js'
import { holds } from './property.js'

// README "UK rules": ESA permitted-work higher limit 195.50 (2025/26), about 203.50 (2026/27);
// UC work allowance 411/month (2025/26, with housing costs).
const THRESHOLDS: BenefitThresholds[] = [
  { effectiveFrom: '2026-04-01', esaPermittedWorkWeeklyPence: 20350, esaPermittedWorkWeeklyHours: 16, ucWorkAllowanceMonthlyPence: 41100 },
  { effectiveFrom: '2025-04-01', esaPermittedWorkWeeklyPence: 19550, esaPermittedWorkWeeklyHours: 16, ucWorkAllowanceMonthlyPence: 41100 }
]
const THRESHOLDS_2026 = THRESHOLDS[0]!

const week = (overrides: Partial<EarningsGuardInput>): EarningsGuardInput => ({
  guard: 'esa_permitted_work',
  policy: 'warn',
  capPence: 20350,
  weekStart: '2026-03-02',
  weekGrossPence: 10000,
  weekMinutes: 600,
  weeklyHoursLimit: 16,
  ...overrides
})

t.test('the thresholds in force are the latest from on or before the date', async (t) => {
  t.equal(thresholdsOn(THRESHOLDS, '2026-03-31')?.esaPermittedWorkWeeklyPence, 19550)
  t.equal(thresholdsOn(THRESHOLDS, '2026-04-01')?.esaPermittedWorkWeeklyPence, 20350)
  t.equal(thresholdsOn(THRESHOLDS, '2025-03-31'), undefined)
})

t.test('each guard has its weekly cap', async (t) => {
  t.equal(weeklyCapPence('none', THRESHOLDS_2026, null), null, 'no guard, no cap')
  t.equal(weeklyCapPence('none', undefined, 5000), null, 'a custom figure is ignored without a custom guard')
  t.equal(weeklyCapPence('esa_permitted_work', THRESHOLDS_2026, null), 20350, 'ESA: the permitted-work higher limit')
  t.equal(weeklyCapPence('universal_credit', THRESHOLDS_2026, null), 9484, 'UC: £411 a month × 12 / 52 = £94.846… → £94.84')
  t.equal(weeklyCapPence('universal_credit', { ...THRESHOLDS_2026, ucWorkAllowanceMonthlyPence: 68400 }, null), 15784, 'UC: £684 a month → £157.846… → £157.84')
  t.equal(weeklyCapPence('custom', undefined, 5000), 5000, 'custom: the agreed cap')
  t.throws(() => weeklyCapPence('custom', THRESHOLDS_2026, null), { name: 'RangeError', message: /custom benefit guard needs a weekly cap/ })
  t.throws(() => weeklyCapPence('custom', THRESHOLDS_2026, 50.5), RangeError)
  t.throws(() => weeklyCapPence('esa_permitted_work', undefined, null), { message: /no benefit thresholds are in force for the esa_permitted_work guard/ })
  t.throws(() => weeklyCapPence('universal_credit', undefined, null), RangeError)
})

t.test('a week over the ESA limit warns, naming both figures in pounds', async (t) => {
  t.same(evaluateEarningsGuard(week({ weekGrossPence: 21000 })), {
    overCap: true,
    blocked: false,
    warnings: ['Week of 2026-03-02: gross £210.00 would exceed the ESA permitted-work limit of £203.50']
  })
})

t.test('a block policy blocks a week over the cap', async (t) => {
  t.match(evaluateEarningsGuard(week({ policy: 'block', weekGrossPence: 20351 })), { overCap: true, blocked: true, warnings: [/£203.51 would exceed/] })
})

t.test('a week exactly at the cap is not over it', async (t) => {
  t.same(evaluateEarningsGuard(week({ policy: 'block', weekGrossPence: 20350 })), { overCap: false, blocked: false, warnings: [] })
})

t.test('16 hours or more in a week warns but never blocks under ESA', async (t) => {
  t.same(evaluateEarningsGuard(week({ policy: 'block', weekMinutes: 959 })).warnings, [], '15 h 59 min is under 16 hours')
  const atLimit = evaluateEarningsGuard(week({ policy: 'block', weekMinutes: 960 }))
  t.same(atLimit, {
    overCap: false,
    blocked: false,
    warnings: ['Week of 2026-03-02: 16.00 hours worked, but ESA permitted work must be under 16 hours a week']
  })
  const both = evaluateEarningsGuard(week({ policy: 'block', weekMinutes: 1000, weekGrossPence: 25000 }))
  t.equal(both.blocked, true, 'blocked by the money, not the hours')
  t.equal(both.warnings.length, 2, 'one warning for each')
  t.match(both.warnings[1], /16.67 hours worked/)
})

t.test('other guards name their own cap', async (t) => {
  t.same(evaluateEarningsGuard(week({ guard: 'universal_credit', capPence: 9484, weekGrossPence: 9500, weeklyHoursLimit: null })).warnings,
    ['Week of 2026-03-02: gross £95.00 would exceed the Universal Credit work allowance (as a weekly figure) of £94.84'])
  t.same(evaluateEarningsGuard(week({ guard: 'custom', policy: 'block', capPence: 5000, weekGrossPence: 5001, weeklyHoursLimit: null })), {
    overCap: true, blocked: true, warnings: ['Week of 2026-03-02: gross £50.01 would exceed the agreed weekly cap of £50.00']
  })
  t.same(evaluateEarningsGuard(week({ guard: 'custom', capPence: 5000, weekMinutes: 1200, weekGrossPence: 100, weeklyHoursLimit: 20 })).warnings,
    ['Week of 2026-03-02: 20.00 hours worked, but work must be under 20 hours a week'])
  t.same(evaluateEarningsGuard(week({ guard: 'none', capPence: null, weekGrossPence: 1_000_000, weeklyHoursLimit: null })), { overCap: false, blocked: false, warnings: [] }, 'no guard never warns')
  t.same(evaluateEarningsGuard(week({ guard: 'none', policy: 'block', capPence: 100, weekGrossPence: 101, weeklyHoursLimit: null })).warnings, ['Week of 2026-03-02: gross £1.01 would exceed the weekly cap of £1.00'])
})

t.test('malformed input is refused', async (t) => {
  t.throws(() => evaluateEarningsGuard(week({ weekStart: '2026-02-30' })), { message: /weekStart must be a date/ })
  t.throws(() => evaluateEarningsGuard(week({ weekGrossPence: 1.5 })), { message: /weekGrossPence/ })
  t.throws(() => evaluateEarningsGuard(week({ weekMinutes: 1.5 })), { message: /weekMinutes/ })
  t.throws(() => evaluateEarningsGuard(week({ weeklyHoursLimit: 15.5 })), { message: /weeklyHoursLimit/ })
  t.throws(() => evaluateEarningsGuard(week({ capPence: 1.5, weekGrossPence: 1 })), { message: /capPence/ })
})

t.test('the guard is consistent for any week', async (t) => {
  const input = fc.record({
    guard: fc.constantFrom('none' as const, 'esa_permitted_work' as const, 'universal_credit' as const, 'custom' as const),
    policy: fc.constantFrom('warn' as const, 'block' as const),
    capPence: fc.option(fc.integer({ min: 0, max: 1_000_000 })),
    weekStart: fc.constant('2026-03-02'),
    weekGrossPence: fc.integer({ min: -100_000, max: 2_000_000 }),
    weekMinutes: fc.integer({ min: 0, max: 7 * 24 * 60 }),
    weeklyHoursLimit: fc.option(fc.integer({ min: 1, max: 60 }))
  })
  holds(t, 'over the cap exactly when gross exceeds it; blocked only when over and blocking; a warning for each breach', fc.property(input, (i) => {
    const result = evaluateEarningsGuard(i)
    const over = i.capPence !== null && i.weekGrossPence > i.capPence
    const hoursBreach = i.weeklyHoursLimit !== null && i.weekMinutes >= i.weeklyHoursLimit * 60
    return result.overCap === over && result.blocked === (over && i.policy === 'block') &&
      result.warnings.length === Number(over) + Number(hoursBreach) && result.warnings.every((w) => w.startsWith('Week of 2026-03-02: '))
  }))
  holds(t, 'the UC weekly figure never exceeds the monthly allowance spread over the year', fc.property(fc.integer({ min: 0, max: 10_000_000 }), (monthly) => {
    const weekly = weeklyCapPence('universal_credit', { ...THRESHOLDS_2026, ucWorkAllowanceMonthlyPence: monthly }, null)!
    return weekly * 52 <= monthly * 12 && (weekly + 1) * 52 > monthly * 12
  }))
})
