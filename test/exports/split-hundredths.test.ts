import t from 'tap'
import fc from 'fast-check'
import { hoursForMinutes } from '../../src/domain/money.js'
import { splitHundredths } from '../../src/modules/exports/source.js'

t.test('daily hours add up exactly to the line\'s hours, each day within a hundredth of its exact share', async (t) => {
  t.same(splitHundredths([50, 50, 50], 250), [84, 83, 83], 'remainders tie: the earliest day takes the spare hundredth')
  t.same(splitHundredths([60, 30], 150), [100, 50])
  t.same(splitHundredths([-20], -33), [-33], 'a clawback day')
  t.doesNotThrow(() => fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 1440 }), { minLength: 1, maxLength: 31 }), (days) => {
    const target = hoursForMinutes(days.reduce((a, b) => a + b, 0)).hundredths
    const split = splitHundredths(days, target)
    if (split.reduce((a, b) => a + b, 0) !== target) return false
    return split.every((h, i) => Math.abs(h * 60 - days[i]! * 100) < 2 * 60)
  }), { seed: 42, numRuns: 500 }), 'for any days of work')
})
