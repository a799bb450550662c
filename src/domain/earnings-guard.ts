// Weekly earnings caps that protect contributors on benefits (README "UK rules"; README
// "Earnings guard"). Gross is compared, the safe over-estimate of the net figure ESA measures.
import { assertDate } from './calendar-date.js'
import { effectiveOn } from './effective-dated.js'
import { assertSafeInteger, floorDiv, multiplyExact } from './integer-math.js'
import { formatPounds, hoursForMinutes } from './money.js'

export type BenefitGuard = 'none' | 'esa_permitted_work' | 'universal_credit' | 'custom'
export type GuardPolicy = 'warn' | 'block'

/** Benefit figures from one date (a row of the statutory table). */
export interface BenefitThresholds {
  effectiveFrom: string
  /** ESA permitted work higher limit, per week. */
  esaPermittedWorkWeeklyPence: number
  /** Permitted work must be under this many hours a week (16). */
  esaPermittedWorkWeeklyHours: number
  /** Universal Credit work allowance, per monthly assessment period. */
  ucWorkAllowanceMonthlyPence: number
}

/** What evaluateEarningsGuard weighs for one worker's Monday-to-Sunday week. */
export interface EarningsGuardInput {
  guard: BenefitGuard
  policy: GuardPolicy
  /** From weeklyCapPence; null when there is no cap. */
  capPence: number | null
  /** Monday of the week, named in the warnings. */
  weekStart: string
  /** The week's gross including the entry being submitted or approved. */
  weekGrossPence: number
  weekMinutes: number
  /** Hours a week the work must stay under (ESA permitted work: 16), or null. */
  weeklyHoursLimit: number | null
}

export interface EarningsGuardResult {
  overCap: boolean
  blocked: boolean
  /** Plain-English sentences for the worker and manager; empty when all is well. */
  warnings: string[]
}

const CAP_NAMES: Record<BenefitGuard, string> = {
  none: 'weekly cap',
  esa_permitted_work: 'ESA permitted-work limit',
  universal_credit: 'Universal Credit work allowance (as a weekly figure)',
  custom: 'agreed weekly cap'
}

/** The benefit figures in force on `date` (latest effectiveFrom on or before it). */
export function thresholdsOn (table: readonly BenefitThresholds[], date: string): BenefitThresholds | undefined {
  return effectiveOn(table, date)
}

/**
 * The weekly gross cap for a guard, or null for none. ESA: the permitted-work higher limit.
 * UC: the monthly work allowance as a weekly figure, ⌊monthly × 12 / 52⌋. UC is assessed per
 * monthly assessment period, not per week, so this is only an approximation that warns early.
 * Custom: the cap agreed with the worker.
 */
export function weeklyCapPence (guard: BenefitGuard, thresholds: BenefitThresholds | undefined, customWeeklyCapPence: number | null): number | null {
  switch (guard) {
    case 'none':
      return null
    case 'custom':
      if (customWeeklyCapPence === null) throw new RangeError('a custom benefit guard needs a weekly cap')
      assertSafeInteger('customWeeklyCapPence', customWeeklyCapPence)
      return customWeeklyCapPence
    case 'esa_permitted_work':
      return requireThresholds(thresholds, guard).esaPermittedWorkWeeklyPence
    case 'universal_credit':
      return floorDiv(multiplyExact(requireThresholds(thresholds, guard).ucWorkAllowanceMonthlyPence, 12), 52)
  }
}

function requireThresholds (thresholds: BenefitThresholds | undefined, guard: BenefitGuard): BenefitThresholds {
  if (thresholds === undefined) throw new RangeError(`no benefit thresholds are in force for the ${guard} guard`)
  return thresholds
}

/**
 * Weighs a week's gross and hours against a worker's guard. Over the cap means strictly more
 * than it; 'block' then refuses (a manager may override, elsewhere), 'warn' only warns. The
 * hours limit only ever warns: ESA permitted work must be under 16 hours a week.
 */
export function evaluateEarningsGuard (input: EarningsGuardInput): EarningsGuardResult {
  assertDate('weekStart', input.weekStart)
  assertSafeInteger('weekGrossPence', input.weekGrossPence)
  assertSafeInteger('weekMinutes', input.weekMinutes)
  const warnings: string[] = []
  const cap = input.capPence
  if (cap !== null) assertSafeInteger('capPence', cap)
  const overCap = cap !== null && input.weekGrossPence > cap
  if (overCap) {
    warnings.push(`Week of ${input.weekStart}: gross £${formatPounds(input.weekGrossPence)} would exceed the ${CAP_NAMES[input.guard]} of £${formatPounds(cap)}`)
  }
  if (input.weeklyHoursLimit !== null) {
    assertSafeInteger('weeklyHoursLimit', input.weeklyHoursLimit)
    if (input.weekMinutes >= multiplyExact(input.weeklyHoursLimit, 60)) {
      const rule = input.guard === 'esa_permitted_work' ? 'ESA permitted work' : 'work'
      warnings.push(`Week of ${input.weekStart}: ${hoursForMinutes(input.weekMinutes).text} hours worked, but ${rule} must be under ${input.weeklyHoursLimit} hours a week`)
    }
  }
  return { overCap, blocked: overCap && input.policy === 'block', warnings }
}
