// Ages and compulsory school age for minimum-wage bands (README "UK rules", National Minimum Wage).
import { addDays, addYears, assertDate, compareDates, isoDayOfWeek } from './calendar-date.js'

const FRIDAY = 5

/**
 * Age in whole years on `date`. Someone born on 29 February turns a year older on 28 February
 * in a common year: the law is unsettled (1 March is also argued), and the earlier day is
 * conservative for minimum wage, since the higher band then applies sooner.
 */
export function ageOn (dateOfBirth: string, date: string): number {
  assertDate('dateOfBirth', dateOfBirth)
  assertDate('date', date)
  if (compareDates(date, dateOfBirth) < 0) throw new RangeError(`${date} is before the date of birth ${dateOfBirth}`)
  const birthYear = Number(dateOfBirth.slice(0, 4))
  const years = Number(date.slice(0, 4)) - birthYear
  // addYears clamps 29 February to 28 February in a common year, which is the rule above.
  return compareDates(date, addYears(dateOfBirth, years)) < 0 ? years - 1 : years
}

function lastFridayOfJune (year: number): string {
  const june30 = `${String(year).padStart(4, '0')}-06-30`
  return addDays(june30, -((isoDayOfWeek(june30) - FRIDAY + 7) % 7))
}

/**
 * The day compulsory schooling ends in England: the last Friday of June of the school year
 * (1 September to 31 August) in which the person turns 16 (Education Act 1996 s.8 and the
 * school leaving date order). Wales uses the same date; Scotland and Northern Ireland differ.
 */
export function schoolLeavingDate (dateOfBirth: string): string {
  assertDate('dateOfBirth', dateOfBirth)
  const sixteenthBirthday = addYears(dateOfBirth, 16)
  const year = Number(sixteenthBirthday.slice(0, 4))
  // A birthday from September on falls in the school year that ends the next summer.
  const schoolYearEnds = Number(sixteenthBirthday.slice(5, 7)) >= 9 ? year + 1 : year
  return lastFridayOfJune(schoolYearEnds)
}

/**
 * Whether someone is still below school-leaving age on `date` (before their school leaving
 * date). Such a child has no minimum-wage entitlement and must not be paid through payroll as a
 * wage earner (README "UK rules"). Under-fives count too: they are no more employable.
 */
export function isOfCompulsorySchoolAge (dateOfBirth: string, date: string): boolean {
  assertDate('date', date)
  return compareDates(date, schoolLeavingDate(dateOfBirth)) < 0
}

/** An age bracket that says what the minimum-wage rules need without the date of birth. */
export type AgeBand = 'age_under_16' | 'age_16_to_17' | 'age_18_to_20' | 'age_21_and_over'

/**
 * The age band on `date`: the minimum-wage age brackets (21 and over, 18 to 20, 16 to 17) and
 * under 16. A date before the birth (a clock set back) counts as under 16 rather than failing.
 */
export function ageBandOn (dateOfBirth: string, date: string): AgeBand {
  const age = compareDates(date, dateOfBirth) < 0 ? 0 : ageOn(dateOfBirth, date)
  if (age >= 21) return 'age_21_and_over'
  if (age >= 18) return 'age_18_to_20'
  if (age >= 16) return 'age_16_to_17'
  return 'age_under_16'
}
