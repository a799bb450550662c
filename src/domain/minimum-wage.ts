// National Minimum Wage bands and floors (README "UK rules", National Minimum Wage Regulations 2015).
import { ageOn, isOfCompulsorySchoolAge } from './age.js'
import { addYears, assertDate, compareDates } from './calendar-date.js'
import { effectiveOn } from './effective-dated.js'

export const wageBands = ['age_21_and_over', 'age_18_to_20', 'age_16_to_17', 'apprentice'] as const
export type WageBand = typeof wageBands[number]

/** Hourly minimum-wage figures in pence from one date (a row of the statutory table). */
export interface MinimumWageRates {
  effectiveFrom: string
  age21AndOverPence: number
  age18To20Pence: number
  age16To17Pence: number
  apprenticePence: number
}

/** What wageBandOn needs to know about a worker. */
export interface WageBandFacts {
  dateOfBirth: string
  apprentice: boolean
  /** null when not recorded. */
  apprenticeshipStartDate: string | null
}

function ageBand (age: number): WageBand {
  if (age >= 21) return 'age_21_and_over'
  if (age >= 18) return 'age_18_to_20'
  // Also covers a 15-year-old past the school leaving date (born in July or August).
  return 'age_16_to_17'
}

function isOnApprenticeRate (facts: WageBandFacts, age: number, date: string): boolean {
  if (!facts.apprentice) return false
  const start = facts.apprenticeshipStartDate
  // Work before a known start date was not done as an apprentice: the age band applies.
  if (start !== null && compareDates(date, start) < 0) return false
  if (age < 19) return true
  // 19 or over: only in the first year. An unknown start cannot prove that, so the (higher)
  // age band applies: the conservative choice.
  return start !== null && compareDates(date, addYears(start, 1)) < 0
}

/**
 * The minimum-wage band for work on `date`, judged by age on the work date (README "UK rules": the
 * law moves bands from the next pay reference period after a birthday, so the work date is the
 * conservative choice). 'school_age' means no entitlement at all: a child of compulsory school
 * age must not be paid through payroll.
 */
export function wageBandOn (facts: WageBandFacts, date: string): WageBand | 'school_age' {
  if (facts.apprenticeshipStartDate !== null) assertDate('apprenticeshipStartDate', facts.apprenticeshipStartDate)
  if (isOfCompulsorySchoolAge(facts.dateOfBirth, date)) return 'school_age'
  const age = ageOn(facts.dateOfBirth, date)
  return isOnApprenticeRate(facts, age, date) ? 'apprentice' : ageBand(age)
}

/** The minimum-wage figures in force on `date` (latest effectiveFrom on or before it). */
export function ratesOn (table: readonly MinimumWageRates[], date: string): MinimumWageRates | undefined {
  return effectiveOn(table, date)
}

/** The hourly floor in pence for a band. */
export function floorPence (rates: MinimumWageRates, band: WageBand): number {
  switch (band) {
    case 'age_21_and_over': return rates.age21AndOverPence
    case 'age_18_to_20': return rates.age18To20Pence
    case 'age_16_to_17': return rates.age16To17Pence
    case 'apprentice': return rates.apprenticePence
  }
}
