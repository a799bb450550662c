// Exact integer arithmetic for money and minutes. Every quotient is formed from the integer
// remainder, never from a float division, so results stay exact across the safe-integer range.

/** Throws a RangeError unless `value` is a safe integer; `name` says which input was wrong. */
export function assertSafeInteger (name: string, value: number): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a safe integer (got ${value})`)
}

/** a × b, refusing a product that would lose precision. */
export function multiplyExact (a: number, b: number): number {
  assertSafeInteger('factor', a)
  assertSafeInteger('factor', b)
  const product = a * b
  if (!Number.isSafeInteger(product)) throw new RangeError(`${a} × ${b} is too large to compute exactly`)
  // Avoids -0 from a negative times zero, which would print as "-0.00".
  return product === 0 ? 0 : product
}

function quotientAndRemainder (dividend: number, divisor: number): { quotient: number, remainder: number } {
  assertSafeInteger('dividend', dividend)
  assertSafeInteger('divisor', divisor)
  if (divisor <= 0) throw new RangeError(`divisor must be positive (got ${divisor})`)
  // % is exact on integers and takes the dividend's sign, so quotient is the truncated quotient.
  const remainder = dividend % divisor
  return { quotient: (dividend - remainder) / divisor, remainder }
}

/** ⌈dividend / divisor⌉ (toward +∞) for a positive divisor; exact, correct for negatives. */
export function ceilDiv (dividend: number, divisor: number): number {
  const { quotient, remainder } = quotientAndRemainder(dividend, divisor)
  return remainder > 0 ? quotient + 1 : quotient
}

/** ⌊dividend / divisor⌋ (toward −∞) for a positive divisor; exact, correct for negatives. */
export function floorDiv (dividend: number, divisor: number): number {
  const { quotient, remainder } = quotientAndRemainder(dividend, divisor)
  return remainder < 0 ? quotient - 1 : quotient
}

/** dividend / divisor rounded to the nearest integer, halves away from zero (as spreadsheets and payroll do). */
export function roundHalfAwayFromZeroDiv (dividend: number, divisor: number): number {
  const { quotient, remainder } = quotientAndRemainder(dividend, divisor)
  if (2 * Math.abs(remainder) < divisor) return quotient
  return remainder > 0 ? quotient + 1 : quotient - 1
}
