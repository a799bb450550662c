// Money is integer pence and time worked integer minutes (README "Pay rules"): no floats.
import { assertSafeInteger, ceilDiv, multiplyExact, roundHalfAwayFromZeroDiv } from './integer-math.js'

/**
 * Gross pay for minutes at an hourly rate: minutes × rate / 60 rounded up (toward +∞) to the
 * whole penny, so rounding never pays anyone below the exact figure (README "Pay rules").
 * Negative minutes (an adjustment) round toward +∞ too, so a clawback is never larger than exact.
 */
export function grossPenceForMinutes (minutes: number, ratePencePerHour: number): number {
  return ceilDiv(multiplyExact(minutes, ratePencePerHour), 60)
}

/**
 * Minutes as hours to 2 decimal places, rounded up (toward +∞), as payroll formats that carry
 * hours expect: 150 → 2.50, 50 → 0.84, −50 → −0.83.
 */
export function hoursForMinutes (minutes: number): { hundredths: number, text: string } {
  const hundredths = ceilDiv(multiplyExact(minutes, 100), 60)
  return { hundredths, text: formatHundredths(hundredths) }
}

/**
 * What payroll software computes from hours (in hundredths) × hourly rate: the product rounded
 * half away from zero to the penny. Compared with our line gross to report rounding differences.
 */
export function payrollComputedPence (hoursHundredths: number, ratePencePerHour: number): number {
  return roundHalfAwayFromZeroDiv(multiplyExact(hoursHundredths, ratePencePerHour), 100)
}

/** Pence as pounds with 2 decimal places and no currency sign: 3054 → '30.54', −5 → '-0.05'. */
export function formatPounds (pence: number): string {
  assertSafeInteger('pence', pence)
  return formatHundredths(pence)
}

function formatHundredths (hundredths: number): string {
  const sign = hundredths < 0 ? '-' : ''
  const magnitude = Math.abs(hundredths)
  const whole = (magnitude - magnitude % 100) / 100
  return `${sign}${whole}.${String(magnitude % 100).padStart(2, '0')}`
}

/**
 * Whether gross pay for minutes worked is at least an hourly floor (e.g. the minimum wage),
 * compared exactly as gross × 60 ≥ floor × minutes. No time worked is never below a floor.
 * Negative minutes throw: the minimum wage applies to pay for time worked in a pay reference
 * period, so an adjustment is checked as part of its period's totals, never on its own.
 */
export function isAtLeastHourlyRate (grossPence: number, minutes: number, floorPencePerHour: number): boolean {
  assertSafeInteger('grossPence', grossPence)
  assertSafeInteger('minutes', minutes)
  assertSafeInteger('floorPencePerHour', floorPencePerHour)
  if (minutes < 0) throw new RangeError(`minutes must not be negative (got ${minutes}); check an adjustment with its period's totals`)
  return minutes === 0 || multiplyExact(grossPence, 60) >= multiplyExact(floorPencePerHour, minutes)
}
