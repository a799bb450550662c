import { and, desc, eq, gte, inArray, isNull, lt, lte, or, type SQL } from 'drizzle-orm'
import type { Actor, ChangeContext } from '../../domain/actor.js'
import { addDays } from '../../domain/calendar-date.js'
import { lockRateKey } from '../../db/advisory-locks.js'
import type { Db } from '../../db/open.js'
import { newestFirstAfter, newestFirstKey, toPage, type Page } from '../../db/pagination.js'
import { activityTypes, rates, teamMembers, teams, workers } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { conflict, notFound, ruleViolated } from '../../errors.js'
import { teamVisibleTo, workerVisibleTo } from '../access/visibility.js'
import { recordAudit } from '../audit/service.js'
import { checkRateAgainstFloor } from './floor-check.js'
import { changeSet, lockForChange } from '../../db/versioned.js'

export type RateRow = typeof rates.$inferSelect
export type RateScope = RateRow['scope']

export interface RateInput {
  activityTypeId: string
  scope: RateScope
  teamId?: string | null
  workerId?: string | null
  pencePerUnit: number
  validFrom: string
  validTo?: string | null
}

const auditView = (row: RateRow) => {
  const { createdAt: _created, updatedAt: _updated, id: _id, ...fields } = row
  return fields
}

/** Rates the actor may see: everyone's default rates, and those of teams and workers in scope. */
function rateVisibleTo (actor: Actor): SQL | undefined {
  const team = teamVisibleTo(actor, rates.teamId)
  const worker = workerVisibleTo(actor, rates.workerId)
  if (team === undefined && worker === undefined) return undefined
  return or(eq(rates.scope, 'default'), and(eq(rates.scope, 'team'), team), and(eq(rates.scope, 'worker'), worker))
}

/** Rates in force on a date: validFrom on or before it, validTo (inclusive) open or on or after it. */
const coversDate = (date: string): SQL => and(lte(rates.validFrom, date), or(isNull(rates.validTo), gte(rates.validTo, date)))!

export async function findRate (db: Db, actor: Actor, id: string): Promise<RateRow> {
  const [row] = await db.select().from(rates).where(and(eq(rates.id, id), rateVisibleTo(actor)))
  if (row === undefined) throw notFound('Rate')
  return row
}

export interface RateFilter { activityTypeId?: string, scope?: RateScope, teamId?: string, workerId?: string, date?: string, limit: number, cursor?: string }

export async function listRates (db: Db, actor: Actor, filter: RateFilter): Promise<Page<RateRow>> {
  const rows = await db.select().from(rates).where(and(
    rateVisibleTo(actor),
    newestFirstAfter(rates.createdAt, rates.id, filter.cursor),
    filter.activityTypeId === undefined ? undefined : eq(rates.activityTypeId, filter.activityTypeId),
    filter.scope === undefined ? undefined : eq(rates.scope, filter.scope),
    filter.teamId === undefined ? undefined : eq(rates.teamId, filter.teamId),
    filter.workerId === undefined ? undefined : eq(rates.workerId, filter.workerId),
    filter.date === undefined ? undefined : coversDate(filter.date)
  )).orderBy(desc(rates.createdAt), desc(rates.id)).limit(filter.limit + 1)
  return toPage(rows, filter.limit, (row) => row, newestFirstKey)
}

/** The rate key: activity and scope (with its team or worker). */
const sameKey = (input: { activityTypeId: string, scope: RateScope, teamId: string | null, workerId: string | null }): SQL => and(
  eq(rates.activityTypeId, input.activityTypeId),
  eq(rates.scope, input.scope),
  input.teamId === null ? isNull(rates.teamId) : eq(rates.teamId, input.teamId),
  input.workerId === null ? isNull(rates.workerId) : eq(rates.workerId, input.workerId)
)!

export interface CreatedRate { rate: RateRow, warnings: string[], closedRate: RateRow | null }

/**
 * Adds a rate. When an open-ended rate of the same activity and scope started earlier, it is
 * closed the day before the new one starts (audited), so a rate card is edited without gaps.
 * Any other overlap is refused by the database's exclusion constraint (409).
 */
export async function createRate (db: Db, ctx: ChangeContext, input: RateInput): Promise<CreatedRate> {
  const teamId = input.teamId ?? null
  const workerId = input.workerId ?? null
  if ((input.scope === 'team') !== (teamId !== null) || (input.scope === 'worker') !== (workerId !== null)) {
    throw ruleViolated('rate_scope', 'A team rate names teamId only, a worker rate workerId only, a default rate neither', { field: '/scope' })
  }
  return inTransaction(db, async (tx) => {
    const [activity] = await tx.select().from(activityTypes).where(eq(activityTypes.id, input.activityTypeId))
    if (activity === undefined) throw ruleViolated('unknown_activity_type', 'No such activity type', { field: '/activityTypeId' })
    if (teamId !== null && (await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId))).length === 0) {
      throw ruleViolated('unknown_team', 'No such team', { field: '/teamId' })
    }
    if (workerId !== null && (await tx.select({ id: workers.id }).from(workers).where(eq(workers.id, workerId))).length === 0) {
      throw ruleViolated('unknown_worker', 'No such worker', { field: '/workerId' })
    }
    const key = { activityTypeId: input.activityTypeId, scope: input.scope, teamId, workerId }
    // Serialise rate changes of one key, so two requests cannot both close the same open rate.
    await lockRateKey(tx, input.activityTypeId, input.scope, teamId ?? workerId)

    let closedRate: RateRow | null = null
    const [open] = await tx.select().from(rates).where(and(sameKey(key), isNull(rates.validTo), lt(rates.validFrom, input.validFrom)))
    if (open !== undefined && input.validTo != null) {
      // Closing the open rate for a rate that itself ends would leave days with no rate.
      throw ruleViolated('rate_would_leave_gap',
        `An open-ended rate (from ${open.validFrom}) covers these dates; a new rate ending ${input.validTo} would leave no rate after it. Add the new rate without an end date, or set the open rate's last day first.`,
        { field: '/validTo', openRateId: open.id })
    }
    if (open !== undefined) {
      const [closed] = await tx.update(rates)
        .set(changeSet(open, { validTo: addDays(input.validFrom, -1) }))
        .where(eq(rates.id, open.id)).returning()
      closedRate = closed!
      await recordAudit(tx, ctx, { action: 'rate.closed', entityType: 'rate', entityId: open.id, before: auditView(open), after: auditView(closed!), reason: 'a later rate for the same activity and scope was added' })
    }
    const [rate] = await tx.insert(rates).values({ ...key, pencePerUnit: input.pencePerUnit, validFrom: input.validFrom, validTo: input.validTo ?? null }).returning()
    const warnings = activity.unit === 'hour' ? await checkRateAgainstFloor(tx, rate!) : []
    await recordAudit(tx, ctx, { action: 'rate.created', entityType: 'rate', entityId: rate!.id, after: { ...auditView(rate!), warnings } })
    return { rate: rate!, warnings, closedRate }
  })
}

/** Sets or clears a rate's last day; the database refuses a change that makes ranges overlap. */
export async function updateRate (db: Db, ctx: ChangeContext, id: string, expectedVersion: number, changes: { validTo: string | null }): Promise<RateRow> {
  return inTransaction(db, async (tx) => {
    const current = await lockForChange(tx, rates, id, expectedVersion, 'Rate')
    if (changes.validTo !== null && changes.validTo < current.validFrom) {
      throw ruleViolated('rate_ends_before_start', 'A rate cannot end before it starts', { field: '/validTo' })
    }
    const [updated] = await tx.update(rates).set(changeSet(current, { validTo: changes.validTo })).where(eq(rates.id, id)).returning()
    await recordAudit(tx, ctx, { action: 'rate.updated', entityType: 'rate', entityId: id, before: auditView(current), after: auditView(updated!) })
    return updated!
  })
}

export interface ResolvedRate {
  rate: RateRow
  source: RateScope
  /** The team whose rate applied, or the team the caller named. */
  teamId: string | null
  reason: string
}

export interface ResolveRateQuery {
  workerId: string
  activityTypeId: string
  date: string
  teamId?: string | null
  /** Only these of the worker's teams are considered (a manager's view: the teams they manage). */
  withinTeams?: readonly string[]
}

/**
 * The rate that pays a worker for an activity on a date: the worker's own rate beats a team
 * rate, which beats the default. A worker in several teams whose team rates differ is a
 * conflict (409 naming the teams) unless the entry names its team.
 */
export async function resolveRate (db: Db, query: ResolveRateQuery): Promise<ResolvedRate> {
  const forActivity = and(eq(rates.activityTypeId, query.activityTypeId), coversDate(query.date))
  const [own] = await db.select().from(rates).where(and(forActivity, eq(rates.scope, 'worker'), eq(rates.workerId, query.workerId)))
  if (own !== undefined) {
    return { rate: own, source: 'worker', teamId: query.teamId ?? null, reason: 'The worker\'s own rate applies (it beats team and default rates)' }
  }

  const memberships = await db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.workerId, query.workerId))
  const memberOf = memberships.map((m) => m.teamId).filter((id) => query.withinTeams === undefined || query.withinTeams.includes(id))
  if (query.teamId != null && !memberOf.includes(query.teamId)) {
    throw ruleViolated('not_a_member', 'The worker is not a member of that team', { field: '/teamId', teamId: query.teamId })
  }
  const candidateTeams = query.teamId != null ? [query.teamId] : memberOf
  const teamRates = candidateTeams.length === 0
    ? []
    : await db.select().from(rates).where(and(forActivity, eq(rates.scope, 'team'), inArray(rates.teamId, candidateTeams))).orderBy(rates.teamId)
  if (teamRates.length > 0) {
    const amounts = new Set(teamRates.map((r) => r.pencePerUnit))
    if (amounts.size > 1) {
      const teamIds = teamRates.map((r) => r.teamId!)
      throw conflict('The worker\'s teams have different rates for this activity on this date; name the team the work was for', {
        rule: 'conflicting_team_rates',
        teamIds,
        rates: teamRates.map((r) => ({ teamId: r.teamId, rateId: r.id, pencePerUnit: r.pencePerUnit }))
      })
    }
    const chosen = teamRates[0]!
    return {
      rate: chosen,
      source: 'team',
      teamId: chosen.teamId,
      reason: teamRates.length === 1 ? 'The team\'s rate applies (no rate of the worker\'s own)' : 'The worker\'s teams have the same rate; it applies (no rate of the worker\'s own)'
    }
  }

  const [fallback] = await db.select().from(rates).where(and(forActivity, eq(rates.scope, 'default')))
  if (fallback !== undefined) {
    return { rate: fallback, source: 'default', teamId: query.teamId ?? null, reason: 'The default rate applies (no worker or team rate)' }
  }
  throw notFound(`A rate for this activity on ${query.date}`)
}
