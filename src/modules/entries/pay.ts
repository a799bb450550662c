import { eq } from 'drizzle-orm'
import { floorDiv } from '../../domain/integer-math.js'
import { formatPounds, grossPenceForMinutes, isAtLeastHourlyRate } from '../../domain/money.js'
import type { Db } from '../../db/open.js'
import { activityTypes, timesheetEntries } from '../../db/schema.js'
import { AppError, ruleViolated } from '../../errors.js'
import { resolveRate } from '../rates/service.js'
import { minimumWageOn, type MinimumWageRow } from '../statutory/service.js'
import type { WorkerRecord } from '../workers/service.js'

export interface EntryForPay {
  workerId: string
  activityTypeId: string
  teamId: string
  workDate: string
  workedMinutes: number
  kind?: 'work' | 'adjustment'
  /** Corrections: the entry corrected, and the signed pence when the correction is an amount. */
  correctsEntryId?: string | null
  adjustmentPence?: number | null
}

/** What approval freezes onto an entry. */
export interface FrozenPay {
  rateId: string
  ratePencePerUnit: number
  rateUnit: 'hour' | 'session'
  rateSource: 'default' | 'team' | 'worker'
  /** What the work earns at the rate: minutes x rate / 60 rounded up, or the session fee. */
  earnedPence: number
  /** What is paid: the earned pay, or 0 for a worker who declines payment. */
  grossPence: number
  paymentMode: WorkerRecord['paymentMode']
}

/**
 * The pay an entry earns at the rate in force on its work date for its team (README pay
 * rules): hourly work pays minutes x rate / 60 rounded up to the penny, so rounding never pays
 * below the exact figure; a session pays its fee.
 */
export async function payFor (db: Db, entry: EntryForPay, paymentMode: WorkerRecord['paymentMode']): Promise<FrozenPay> {
  if (entry.kind === 'adjustment') return correctionPay(db, entry)
  let resolved
  try {
    resolved = await resolveRate(db, { workerId: entry.workerId, activityTypeId: entry.activityTypeId, date: entry.workDate, teamId: entry.teamId })
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') {
      throw ruleViolated('no_rate', `No rate for this activity applies to the worker on ${entry.workDate}; an admin must add one`, { field: '/activityTypeId' })
    }
    throw error
  }
  const [activity] = await db.select({ unit: activityTypes.unit }).from(activityTypes).where(eq(activityTypes.id, entry.activityTypeId))
  const unit = activity!.unit
  const earnedPence = unit === 'hour' ? grossPenceForMinutes(entry.workedMinutes, resolved.rate.pencePerUnit) : resolved.rate.pencePerUnit
  return {
    rateId: resolved.rate.id,
    ratePencePerUnit: resolved.rate.pencePerUnit,
    rateUnit: unit,
    rateSource: resolved.source,
    earnedPence,
    grossPence: paymentMode === 'declined' ? 0 : earnedPence,
    paymentMode
  }
}

/**
 * A correction is paid at the rate frozen on the entry it corrects, in the way that entry was
 * paid (payroll, vouchers, declined): signed minutes at that rate (rounded up to the penny,
 * toward more pay), or the signed pence given.
 */
async function correctionPay (db: Db, entry: EntryForPay): Promise<FrozenPay> {
  const [original] = await db.select().from(timesheetEntries).where(eq(timesheetEntries.id, entry.correctsEntryId!))
  if (original?.rateId == null || original.ratePencePerUnit === null || original.rateUnit === null || original.rateSource === null || original.paymentMode === null) {
    throw ruleViolated('correction_of_unpaid_entry', 'Only approved or exported entries can be corrected')
  }
  const earnedPence = entry.adjustmentPence ?? (original.rateUnit === 'hour' ? grossPenceForMinutes(entry.workedMinutes, original.ratePencePerUnit) : 0)
  return {
    rateId: original.rateId,
    ratePencePerUnit: original.ratePencePerUnit,
    rateUnit: original.rateUnit,
    rateSource: original.rateSource,
    earnedPence,
    grossPence: original.paymentMode === 'declined' ? 0 : earnedPence,
    paymentMode: original.paymentMode
  }
}

/**
 * The hourly equivalent of the pay must reach the worker's minimum wage on the work date
 * (README "UK rules"); otherwise 422 naming the floor and the figure. Workers who decline payment and
 * children of school age (no entitlement; never on payroll) are not checked.
 */
export function checkMinimumWage (worker: WorkerRecord, entry: EntryForPay, pay: FrozenPay, table: readonly MinimumWageRow[], net?: { minutes: number, pence: number }): void {
  const floor = minimumWageOn(worker, entry.workDate, table)
  // A child of compulsory school age has no minimum-wage entitlement and must not be paid
  // through payroll as a wage earner (README "UK rules"): judged on the work date, not on today.
  if (floor.band === 'school_age' && pay.paymentMode === 'payroll') {
    throw ruleViolated('school_age_payroll', `On ${entry.workDate} the worker was of compulsory school age: this work cannot be paid through payroll (pay it as a voucher, or record it as declined)`)
  }
  if (pay.paymentMode === 'declined' || floor.floorPencePerHour === null) return
  // A correction is judged with the entry it corrects: what the session pays after all its
  // corrections must still reach the floor for the minutes it then pays for.
  const minutes = net?.minutes ?? entry.workedMinutes
  const earned = net?.pence ?? pay.earnedPence
  if (minutes <= 0 || isAtLeastHourlyRate(earned, minutes, floor.floorPencePerHour)) return
  // Shown rounded down, so the message never overstates what the entry pays.
  const hourlyPence = floorDiv(earned * 60, minutes)
  throw ruleViolated('below_minimum_wage',
    `This entry pays £${formatPounds(hourlyPence)} an hour, below the minimum wage of £${formatPounds(floor.floorPencePerHour)} an hour for the worker's band (${floor.band}) on ${entry.workDate}`,
    { hourlyEquivalentPence: hourlyPence, floorPencePerHour: floor.floorPencePerHour, band: floor.band, date: entry.workDate })
}
