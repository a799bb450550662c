import { eq } from 'drizzle-orm'
import { floorDiv } from '../../domain/integer-math.js'
import { formatPounds, grossPenceForMinutes, isAtLeastHourlyRate } from '../../domain/money.js'
import type { Db } from '../../db/open.js'
import { activityTypes } from '../../db/schema.js'
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
 * The pay an entry earns at the rate in force on its work date for its team (DESIGN.md pay
 * rules): hourly work pays minutes x rate / 60 rounded up to the penny, so rounding never pays
 * below the exact figure; a session pays its fee.
 */
export async function payFor (db: Db, entry: EntryForPay, paymentMode: WorkerRecord['paymentMode']): Promise<FrozenPay> {
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
 * The hourly equivalent of the pay must reach the worker's minimum wage on the work date
 * (UK-RULES.md); otherwise 422 naming the floor and the figure. Workers who decline payment and
 * children of school age (no entitlement; never on payroll) are not checked.
 */
export function checkMinimumWage (worker: WorkerRecord, entry: EntryForPay, pay: FrozenPay, table: readonly MinimumWageRow[]): void {
  if (worker.paymentMode === 'declined') return
  const floor = minimumWageOn(worker, entry.workDate, table)
  if (floor.floorPencePerHour === null) return
  if (isAtLeastHourlyRate(pay.earnedPence, entry.workedMinutes, floor.floorPencePerHour)) return
  // Shown rounded down, so the message never overstates what the entry pays.
  const hourlyPence = floorDiv(pay.earnedPence * 60, entry.workedMinutes)
  throw ruleViolated('below_minimum_wage',
    `This entry pays £${formatPounds(hourlyPence)} an hour, below the minimum wage of £${formatPounds(floor.floorPencePerHour)} an hour for the worker's band (${floor.band}) on ${entry.workDate}`,
    { hourlyEquivalentPence: hourlyPence, floorPencePerHour: floor.floorPencePerHour, band: floor.band, date: entry.workDate })
}
