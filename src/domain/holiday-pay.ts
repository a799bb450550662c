// Holiday for irregular-hours and part-year workers, for leave years from 2024-04-01:
// 12.07 % (5.6 / 46.4 weeks) of hours worked or of pay for work done (README "UK rules"; Employment
// Rights (Amendment, Revocation and Transitional Provision) Regulations 2023).
import { ceilDiv, multiplyExact } from './integer-math.js'

/** 12.07 % in basis points (hundredths of a percent), so the maths stays in integers. */
export const HOLIDAY_RATE_BASIS_POINTS = 1207

const BASIS_POINTS_PER_WHOLE = 10_000

/**
 * Rolled-up holiday pay for gross pay for work done in a period: 12.07 % rounded up (toward +∞)
 * to the penny, never below the exact figure; paid as its own pay element (README "UK rules").
 */
export function rolledUpHolidayPayPence (grossPence: number): number {
  return ceilDiv(multiplyExact(grossPence, HOLIDAY_RATE_BASIS_POINTS), BASIS_POINTS_PER_WHOLE)
}

/**
 * Holiday accrued by minutes worked in a pay period: 12.07 % rounded up (toward +∞) to a whole
 * minute. The 28-day yearly cap depends on the leave year so far, which callers hold.
 */
export function accruedHolidayMinutes (minutesWorked: number): number {
  return ceilDiv(multiplyExact(minutesWorked, HOLIDAY_RATE_BASIS_POINTS), BASIS_POINTS_PER_WHOLE)
}
