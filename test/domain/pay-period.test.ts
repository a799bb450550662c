import t from 'tap'
import fc from 'fast-check'
import { payDateOf, periodByIndex, periodContaining, periodsBetween, type PayFrequency, type PaySchedule } from '../../src/domain/pay-period.js'
import { addDays, compareDates, daysBetween } from '../../src/domain/calendar-date.js'
import { dateBetween, holds } from './property.js'

const schedule = (frequency: PayFrequency, anchorDate: string): PaySchedule => ({ frequency, anchorDate })

t.test('weekly periods run seven days from the anchor, before and after it', async (t) => {
  const weekly = schedule('weekly', '2026-04-06')
  t.same(periodContaining(weekly, '2026-04-06'), { index: 0, startDate: '2026-04-06', endDate: '2026-04-12' })
  t.same(periodContaining(weekly, '2026-04-12'), { index: 0, startDate: '2026-04-06', endDate: '2026-04-12' })
  t.same(periodContaining(weekly, '2026-04-13'), { index: 1, startDate: '2026-04-13', endDate: '2026-04-19' })
  t.same(periodContaining(weekly, '2026-04-05'), { index: -1, startDate: '2026-03-30', endDate: '2026-04-05' })
  t.same(periodContaining(weekly, '2026-05-01'), { index: 3, startDate: '2026-04-27', endDate: '2026-05-03' }, 'across a month end')
})

t.test('fortnightly and four-weekly periods run 14 and 28 days', async (t) => {
  t.same(periodContaining(schedule('fortnightly', '2026-01-05'), '2026-02-01'), { index: 1, startDate: '2026-01-19', endDate: '2026-02-01' })
  t.same(periodContaining(schedule('fortnightly', '2026-01-05'), '2026-01-04'), { index: -1, startDate: '2025-12-22', endDate: '2026-01-04' }, 'across a year end')
  t.same(periodContaining(schedule('four_weekly', '2026-01-05'), '2026-03-01'), { index: 1, startDate: '2026-02-02', endDate: '2026-03-01' })
  t.same(periodContaining(schedule('four_weekly', '2026-01-05'), '2026-03-02'), { index: 2, startDate: '2026-03-02', endDate: '2026-03-29' })
})

t.test('a leap day sits inside its period like any other day', async (t) => {
  t.same(periodContaining(schedule('weekly', '2028-02-28'), '2028-02-29'), { index: 0, startDate: '2028-02-28', endDate: '2028-03-05' })
  t.same(periodContaining(schedule('four_weekly', '2028-02-01'), '2028-02-29'), { index: 1, startDate: '2028-02-29', endDate: '2028-03-27' })
  t.same(periodContaining(schedule('monthly', '2028-01-01'), '2028-02-29'), { index: 1, startDate: '2028-02-01', endDate: '2028-02-29' })
})

t.test('clock-change weekends change nothing: periods are dates, not instants', async (t) => {
  // London springs forward on 2026-03-29 and falls back on 2026-10-25, both Sundays.
  const weekly = schedule('weekly', '2026-03-23')
  t.same(periodContaining(weekly, '2026-03-29'), { index: 0, startDate: '2026-03-23', endDate: '2026-03-29' })
  t.same(periodContaining(weekly, '2026-03-30'), { index: 1, startDate: '2026-03-30', endDate: '2026-04-05' })
  const endingOnFallBack = periodContaining(weekly, '2026-10-25')
  t.same(endingOnFallBack, { index: 30, startDate: '2026-10-19', endDate: '2026-10-25' })
  t.equal(daysBetween(endingOnFallBack.startDate, endingOnFallBack.endDate), 6, 'still seven days')
  const spanning = periodsBetween(weekly, '2026-03-28', '2026-03-31')
  t.same(spanning.map((p) => [p.startDate, p.endDate]), [['2026-03-23', '2026-03-29'], ['2026-03-30', '2026-04-05']])
})

t.test('monthly periods start on the anchor day, clamped in shorter months and counted from the anchor', async (t) => {
  const fromThe31st = schedule('monthly', '2026-01-31')
  const starts = [0, 1, 2, 3, 4, 12, 13].map((index) => periodByIndex(fromThe31st, index))
  t.same(starts.map((p) => [p.startDate, p.endDate]), [
    ['2026-01-31', '2026-02-27'],
    ['2026-02-28', '2026-03-30'],
    ['2026-03-31', '2026-04-29'],
    ['2026-04-30', '2026-05-30'],
    ['2026-05-31', '2026-06-29'],
    ['2027-01-31', '2027-02-27'],
    ['2027-02-28', '2027-03-30']
  ])
  t.same(periodByIndex(schedule('monthly', '2028-01-31'), 1), { index: 1, startDate: '2028-02-29', endDate: '2028-03-30' }, 'a leap February')
  t.same(periodByIndex(fromThe31st, -1), { index: -1, startDate: '2025-12-31', endDate: '2026-01-30' })
  t.same(periodByIndex(fromThe31st, -2), { index: -2, startDate: '2025-11-30', endDate: '2025-12-30' })
  t.same(periodContaining(fromThe31st, '2026-03-30'), { index: 1, startDate: '2026-02-28', endDate: '2026-03-30' })
  t.same(periodContaining(fromThe31st, '2025-12-15'), { index: -2, startDate: '2025-11-30', endDate: '2025-12-30' })
  t.same(periodContaining(schedule('monthly', '2026-01-30'), '2026-03-01'), { index: 1, startDate: '2026-02-28', endDate: '2026-03-29' }, 'anchor on the 30th')
  t.same(periodContaining(schedule('monthly', '2026-01-29'), '2026-02-27'), { index: 0, startDate: '2026-01-29', endDate: '2026-02-27' }, 'anchor on the 29th, common year')
  t.same(periodContaining(schedule('monthly', '2026-01-29'), '2026-02-28'), { index: 1, startDate: '2026-02-28', endDate: '2026-03-28' }, 'clamped to 28 February, then back to the 29th')
  t.same(periodContaining(schedule('monthly', '2028-01-29'), '2028-02-29'), { index: 1, startDate: '2028-02-29', endDate: '2028-03-28' }, 'anchor on the 29th, leap year')
  t.same(periodContaining(schedule('monthly', '2026-01-01'), '2026-12-31'), { index: 11, startDate: '2026-12-01', endDate: '2026-12-31' }, 'calendar months')
})

t.test('the pay date is the period end plus the offset', async (t) => {
  const period = periodByIndex(schedule('monthly', '2026-01-01'), 1)
  t.equal(payDateOf(period, 0), '2026-02-28')
  t.equal(payDateOf(period, 5), '2026-03-05')
  t.equal(payDateOf(periodByIndex(schedule('weekly', '2026-10-19'), 0), 5), '2026-10-30')
  t.throws(() => payDateOf(period, 1.5), RangeError)
})

t.test('periods between two dates are listed in order, ends included', async (t) => {
  const weekly = schedule('weekly', '2026-04-06')
  t.same(periodsBetween(weekly, '2026-04-08', '2026-04-08').map((p) => p.index), [0], 'a single day')
  t.same(periodsBetween(weekly, '2026-04-12', '2026-04-13').map((p) => p.index), [0, 1], 'two days across a boundary')
  t.same(periodsBetween(schedule('monthly', '2026-01-31'), '2026-02-01', '2026-05-01').map((p) => p.startDate), ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30'])
  t.throws(() => periodsBetween(weekly, '2026-04-13', '2026-04-12'), { name: 'RangeError', message: /is after/ })
})

t.test('bad schedules and inputs are refused', async (t) => {
  t.throws(() => periodContaining(schedule('daily' as PayFrequency, '2026-01-01'), '2026-01-01'), { message: /unknown pay frequency "daily"/ })
  t.throws(() => periodContaining(schedule('weekly', '2026-02-30'), '2026-03-01'), { message: /anchorDate must be a date/ })
  t.throws(() => periodContaining(schedule('weekly', '2026-01-01'), '2026-02-30'), { message: /date must be a date/ })
  t.throws(() => periodByIndex(schedule('weekly', '2026-01-01'), 0.5), { message: /index must be a safe integer/ })
})

t.test('periods of every frequency tile the calendar', async (t) => {
  const frequency = fc.constantFrom<PayFrequency>('weekly', 'fortnightly', 'four_weekly', 'monthly')
  const anchor = dateBetween('2000-01-01', '2040-12-31')
  const date = dateBetween('1990-01-01', '2050-12-31')
  holds(t, 'the containing period holds the date and is the period of its index', fc.property(frequency, anchor, date, (f, a, d) => {
    const period = periodContaining(schedule(f, a), d)
    return compareDates(period.startDate, d) <= 0 && compareDates(d, period.endDate) <= 0 &&
      JSON.stringify(periodByIndex(schedule(f, a), period.index)) === JSON.stringify(period)
  }))
  holds(t, 'consecutive periods abut exactly with consecutive indexes', fc.property(frequency, anchor, fc.integer({ min: -600, max: 600 }), (f, a, index) => {
    const period = periodByIndex(schedule(f, a), index)
    const next = periodContaining(schedule(f, a), addDays(period.endDate, 1))
    return next.index === index + 1 && next.startDate === addDays(period.endDate, 1) && compareDates(period.startDate, period.endDate) <= 0
  }))
  holds(t, 'period 0 starts on the anchor', fc.property(frequency, anchor, (f, a) => periodContaining(schedule(f, a), a).startDate === a && periodByIndex(schedule(f, a), 0).startDate === a))
  holds(t, 'fixed-length periods have their length; monthly ones 28 to 31 days', fc.property(frequency, anchor, date, (f, a, d) => {
    const { startDate, endDate } = periodContaining(schedule(f, a), d)
    const days = daysBetween(startDate, endDate) + 1
    return f === 'monthly' ? days >= 28 && days <= 31 : days === { weekly: 7, fortnightly: 14, four_weekly: 28 }[f]
  }))
  holds(t, 'periods between two dates cover the range without gaps', fc.property(frequency, anchor, date, fc.integer({ min: 0, max: 120 }), (f, a, from, span) => {
    const to = addDays(from, span)
    const periods = periodsBetween(schedule(f, a), from, to)
    const first = periods[0]!
    const last = periods[periods.length - 1]!
    return compareDates(first.startDate, from) <= 0 && compareDates(to, last.endDate) <= 0 &&
      periods.every((p, i) => i === 0 || (p.index === periods[i - 1]!.index + 1 && p.startDate === addDays(periods[i - 1]!.endDate, 1)))
  }), 200)
})
