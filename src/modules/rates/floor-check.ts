import { and, eq, lte, sql } from 'drizzle-orm'
import { formatPounds } from '../../domain/money.js'
import type { Db } from '../../db/open.js'
import { people, teamMembers, workers } from '../../db/schema.js'
import { ruleViolated } from '../../errors.js'
import { minimumWageOn, minimumWageTable } from '../statutory/service.js'

const bandNames = {
  age_21_and_over: '21 and over',
  age_18_to_20: '18 to 20',
  age_16_to_17: '16 to 17',
  apprentice: 'apprentice'
} as const

export interface HourlyRateToCheck {
  scope: 'default' | 'team' | 'worker'
  teamId: string | null
  workerId: string | null
  pencePerUnit: number
  validFrom: string
}

/**
 * Minimum-wage check of a new hourly rate on its first day (README "UK rules"): a worker's own rate
 * below their floor is refused (422 naming both figures); a team or default rate below the
 * floor of any active worker it would cover comes back as warnings naming who. Approval checks
 * every entry again.
 */
export async function checkRateAgainstFloor (tx: Db, rate: HourlyRateToCheck): Promise<string[]> {
  const table = await minimumWageTable(tx)
  const covered = await tx.select({
    id: workers.id,
    displayName: people.displayName,
    dateOfBirth: workers.dateOfBirth,
    apprentice: workers.apprentice,
    apprenticeshipStartDate: workers.apprenticeshipStartDate
  }).from(workers).innerJoin(people, eq(people.id, workers.id)).where(and(
    // A worker's own rate is always checked; team and default rates against the active workers
    // they would pay who were born by the rate's first day.
    rate.scope === 'worker' ? eq(workers.id, rate.workerId!) : and(eq(workers.active, true), lte(workers.dateOfBirth, rate.validFrom)),
    rate.scope === 'team' ? sql`exists (select 1 from ${teamMembers} where ${teamMembers.workerId} = ${workers.id} and ${teamMembers.teamId} = ${rate.teamId})` : undefined
  )).orderBy(people.displayName)

  const warnings: string[] = []
  if (table.every((row) => row.effectiveFrom > rate.validFrom)) {
    warnings.push(`No minimum-wage figures are held for ${rate.validFrom}: the rate could not be checked`)
    return warnings
  }
  for (const worker of covered) {
    if (worker.dateOfBirth > rate.validFrom) continue
    const floor = minimumWageOn(worker, rate.validFrom, table)
    if (floor.band === 'school_age' || floor.floorPencePerHour === null || rate.pencePerUnit >= floor.floorPencePerHour) continue
    const detail = `£${formatPounds(rate.pencePerUnit)} an hour is below the minimum wage of £${formatPounds(floor.floorPencePerHour)} an hour for ${worker.displayName} (${bandNames[floor.band]}) on ${rate.validFrom}`
    if (rate.scope === 'worker') {
      throw ruleViolated('below_minimum_wage', detail, {
        field: '/pencePerUnit',
        ratePencePerHour: rate.pencePerUnit,
        floorPencePerHour: floor.floorPencePerHour,
        band: floor.band,
        date: rate.validFrom
      })
    }
    warnings.push(detail)
  }
  return warnings
}
