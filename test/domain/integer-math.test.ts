import t from 'tap'
import fc from 'fast-check'
import { assertSafeInteger, ceilDiv, floorDiv, multiplyExact, roundHalfAwayFromZeroDiv } from '../../src/domain/integer-math.js'
import { holds } from './property.js'

t.test('division rounds up, down and half away from zero exactly, for negatives too', async (t) => {
  const cases: Array<[number, number, number, number, number]> = [
    // dividend, divisor, ceil, floor, half away from zero
    [7, 2, 4, 3, 4],
    [-7, 2, -3, -4, -4],
    [6, 3, 2, 2, 2],
    [-6, 3, -2, -2, -2],
    [0, 5, 0, 0, 0],
    [1, 60, 1, 0, 0],
    [-1, 60, 0, -1, 0],
    [30, 60, 1, 0, 1],
    [-30, 60, 0, -1, -1],
    [29, 60, 1, 0, 0],
    [-29, 60, 0, -1, 0],
    [Number.MAX_SAFE_INTEGER, 2, 2 ** 52, 2 ** 52 - 1, 2 ** 52],
    [-Number.MAX_SAFE_INTEGER, 2, -(2 ** 52 - 1), -(2 ** 52), -(2 ** 52)]
  ]
  for (const [dividend, divisor, ceil, floor, half] of cases) {
    t.equal(ceilDiv(dividend, divisor), ceil, `ceil ${dividend}/${divisor}`)
    t.equal(floorDiv(dividend, divisor), floor, `floor ${dividend}/${divisor}`)
    t.equal(roundHalfAwayFromZeroDiv(dividend, divisor), half, `round ${dividend}/${divisor}`)
  }
})

t.test('no rounding ever answers negative zero', async (t) => {
  t.ok(Object.is(ceilDiv(-1, 60), 0))
  t.ok(Object.is(floorDiv(1, 60), 0))
  t.ok(Object.is(roundHalfAwayFromZeroDiv(-1, 60), 0))
  t.ok(Object.is(multiplyExact(-5, 0), 0))
  t.equal(multiplyExact(-3, 4), -12)
})

t.test('integer division agrees with exact rational rounding', async (t) => {
  const ints = fc.integer({ min: -1e12, max: 1e12 })
  const divisors = fc.integer({ min: 1, max: 100_000 })
  holds(t, 'ceil: the least integer q with q × d ≥ n', fc.property(ints, divisors, (n, d) => {
    const q = ceilDiv(n, d)
    return q * d >= n && (q - 1) * d < n
  }))
  holds(t, 'floor: the greatest integer q with q × d ≤ n', fc.property(ints, divisors, (n, d) => {
    const q = floorDiv(n, d)
    return q * d <= n && (q + 1) * d > n
  }))
  holds(t, 'half away from zero: within half of the exact value, and symmetric in sign', fc.property(ints, divisors, (n, d) => {
    const q = roundHalfAwayFromZeroDiv(n, d)
    return Math.abs(2 * (q * d - n)) <= d && roundHalfAwayFromZeroDiv(-n, d) === -q
  }))
})

t.test('inputs that are not safe integers are refused, not rounded', async (t) => {
  t.throws(() => assertSafeInteger('minutes', 1.5), { name: 'RangeError', message: /minutes must be a safe integer/ })
  t.throws(() => assertSafeInteger('minutes', Number.NaN), RangeError)
  t.throws(() => ceilDiv(1, 0), { message: /divisor must be positive/ })
  t.throws(() => floorDiv(1, -2), { message: /divisor must be positive/ })
  t.throws(() => ceilDiv(0.5, 2), RangeError)
  t.throws(() => ceilDiv(1, 2.5), RangeError)
  t.throws(() => multiplyExact(2 ** 30, 2 ** 30), { message: /too large to compute exactly/ })
  t.throws(() => multiplyExact(1.1, 2), RangeError)
  t.throws(() => multiplyExact(2, Infinity), RangeError)
})
