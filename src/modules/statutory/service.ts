import { asc, gt } from 'drizzle-orm'
import type { ChangeContext } from '../../domain/actor.js'
import { ageOn } from '../../domain/age.js'
import { floorPence, ratesOn, wageBandOn, type MinimumWageRates, type WageBand, type WageBandFacts } from '../../domain/minimum-wage.js'
import type { Db } from '../../db/open.js'
import { benefitThresholds, minimumWageRates } from '../../db/schema.js'
import { decodeCursor, toPage, type Page } from '../../db/pagination.js'
import { inTransaction } from '../../db/transaction.js'
import { ruleViolated } from '../../errors.js'
import { recordAudit } from '../audit/service.js'

export type MinimumWageRow = typeof minimumWageRates.$inferSelect
export type BenefitThresholdsRow = typeof benefitThresholds.$inferSelect

/** The whole minimum-wage table (a row a year): small enough to read in full. */
export async function minimumWageTable (db: Db): Promise<MinimumWageRow[]> {
  return db.select().from(minimumWageRates).orderBy(asc(minimumWageRates.effectiveFrom))
}

export async function benefitThresholdsTable (db: Db): Promise<BenefitThresholdsRow[]> {
  return db.select().from(benefitThresholds).orderBy(asc(benefitThresholds.effectiveFrom))
}

/** A page of either table, oldest first: the cursor is the last row's effective date. */
export async function listFigures<Table extends typeof minimumWageRates | typeof benefitThresholds> (
  db: Db,
  table: Table,
  page: { limit: number, cursor?: string }
): Promise<Page<Table['$inferSelect']>> {
  const after = decodeCursor(page.cursor, ['date'])
  const rows: Array<Table['$inferSelect']> = await db.select().from(table as typeof minimumWageRates)
    .where(after === undefined ? undefined : gt(table.effectiveFrom, after[0]))
    .orderBy(asc(table.effectiveFrom)).limit(page.limit + 1)
  return toPage(rows, page.limit, (row) => row, (row) => [row.effectiveFrom])
}

export interface MinimumWageOn {
  date: string
  age: number
  band: WageBand | 'school_age'
  /** Pence per hour; null for school age (no entitlement) or before the first figures held. */
  floorPencePerHour: number | null
  /** The figures' effective date; null when none apply. */
  effectiveFrom: string | null
}

/** A worker's minimum-wage band and hourly floor for work on a date (not before their birth). */
export function minimumWageOn (facts: WageBandFacts, date: string, table: readonly MinimumWageRates[]): MinimumWageOn {
  if (date < facts.dateOfBirth) throw ruleViolated('date_before_birth', 'The date is before the worker was born', { field: '/date' })
  const band = wageBandOn(facts, date)
  const rates = ratesOn(table, date)
  return {
    date,
    age: ageOn(facts.dateOfBirth, date),
    band,
    floorPencePerHour: band === 'school_age' || rates === undefined ? null : floorPence(rates, band),
    effectiveFrom: rates?.effectiveFrom ?? null
  }
}

export type NewMinimumWageRates = Omit<MinimumWageRow, 'createdAt'>
export type NewBenefitThresholds = Omit<BenefitThresholdsRow, 'createdAt'>

/** Next year's figures (a duplicate date is a 409 from the primary key). */
export async function addMinimumWageRates (db: Db, ctx: ChangeContext, row: NewMinimumWageRates): Promise<MinimumWageRow> {
  return inTransaction(db, async (tx) => {
    const [added] = await tx.insert(minimumWageRates).values(row).returning()
    const { createdAt: _createdAt, ...after } = added!
    await recordAudit(tx, ctx, { action: 'minimum_wage_rates.added', entityType: 'minimum_wage_rates', entityId: row.effectiveFrom, after })
    return added!
  })
}

export async function addBenefitThresholds (db: Db, ctx: ChangeContext, row: NewBenefitThresholds): Promise<BenefitThresholdsRow> {
  return inTransaction(db, async (tx) => {
    const [added] = await tx.insert(benefitThresholds).values(row).returning()
    const { createdAt: _createdAt, ...after } = added!
    await recordAudit(tx, ctx, { action: 'benefit_thresholds.added', entityType: 'benefit_thresholds', entityId: row.effectiveFrom, after })
    return added!
  })
}
