import { and, desc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm'
import type { Actor, ChangeContext } from '../../domain/actor.js'
import type { BenefitGuard, GuardPolicy } from '../../domain/earnings-guard.js'
import type { Db } from '../../db/open.js'
import { newestFirstAfter, newestFirstKey, toPage, type Page } from '../../db/pagination.js'
import { paySchedules, people, teamMembers, teams, workers } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { conflict, notFound, ruleViolated } from '../../errors.js'
import { teamVisibleTo, workerVisibleTo } from '../access/visibility.js'
import { recordAudit } from '../audit/service.js'
import { checkWorkerRules } from './rules.js'
import { changeSet, checkVersion, sideChangeSet } from '../../db/versioned.js'

type WorkerRow = typeof workers.$inferSelect

/** A worker as the API shows it: the worker row, the person's name and team memberships. */
export interface WorkerRecord extends WorkerRow {
  displayName: string
  teamIds: string[]
}

export interface WorkerFields {
  payrollReference: string | null
  dateOfBirth: string
  apprentice: boolean
  apprenticeshipStartDate: string | null
  paymentMode: 'payroll' | 'voucher' | 'declined'
  holidayPayMode: 'rolled_up' | 'accrued'
  benefitGuard: BenefitGuard
  benefitCapPence: number | null
  benefitPolicy: GuardPolicy
  engagementStartDate: string
  engagementEndDate: string | null
  /** Null: paid on the default schedule. */
  payScheduleId: string | null
  active: boolean
}

export type CreateWorkerInput = Partial<WorkerFields> & Pick<WorkerFields, 'dateOfBirth' | 'paymentMode' | 'holidayPayMode' | 'engagementStartDate'> & {
  /** Make an existing person (e.g. a manager) a worker too; otherwise displayName makes one. */
  personId?: string
  displayName?: string
  teamIds?: string[]
}

export type UpdateWorkerInput = Partial<WorkerFields> & { displayName?: string, teamIds?: string[] }

/** The audit snapshot of a worker: every field pay depends on. */
const auditView = (record: WorkerRecord) => {
  const { createdAt: _created, updatedAt: _updated, ...fields } = record
  return { ...fields, teamIds: [...record.teamIds].sort() }
}

/** Each worker's teams, as far as the actor may see them (a manager: only the teams they manage). */
async function teamIdsOf (db: Db, actor: Actor, workerIds: string[]): Promise<Map<string, string[]>> {
  const byWorker = new Map<string, string[]>(workerIds.map((id) => [id, []]))
  if (workerIds.length === 0) return byWorker
  const rows = await db.select().from(teamMembers)
    .where(and(inArray(teamMembers.workerId, workerIds), teamVisibleTo(actor, teamMembers.teamId)))
    .orderBy(teamMembers.teamId)
  for (const row of rows) byWorker.get(row.workerId)?.push(row.teamId)
  return byWorker
}

async function withTeams (db: Db, actor: Actor, rows: Array<WorkerRow & { displayName: string }>): Promise<WorkerRecord[]> {
  const teamIds = await teamIdsOf(db, actor, rows.map((row) => row.id))
  return rows.map((row) => ({ ...row, teamIds: teamIds.get(row.id) ?? [] }))
}

const selection = { ...getTableColumns(workers), displayName: people.displayName }

/** One worker the actor may see; others are not found. `forUpdate` locks the row. */
export async function findWorker (db: Db, actor: Actor, id: string, forUpdate = false): Promise<WorkerRecord> {
  const query = db.select(selection).from(workers).innerJoin(people, eq(people.id, workers.id))
    .where(and(eq(workers.id, id), workerVisibleTo(actor, workers.id)))
  const [row] = forUpdate ? await query.for('update', { of: workers }) : await query
  if (row === undefined) throw notFound('Worker')
  const [record] = await withTeams(db, actor, [row])
  return record!
}

export interface WorkerFilter { teamId?: string, active?: boolean, paymentMode?: WorkerFields['paymentMode'], limit: number, cursor?: string }

export async function listWorkers (db: Db, actor: Actor, filter: WorkerFilter): Promise<Page<WorkerRecord>> {
  const conditions: Array<SQL | undefined> = [
    workerVisibleTo(actor, workers.id),
    newestFirstAfter(workers.createdAt, workers.id, filter.cursor),
    filter.active === undefined ? undefined : eq(workers.active, filter.active),
    filter.paymentMode === undefined ? undefined : eq(workers.paymentMode, filter.paymentMode),
    // Filtering by a team the caller may not see finds nobody (membership of it is not theirs to learn).
    filter.teamId === undefined ? undefined : sql`exists (select 1 from ${teamMembers} where ${teamMembers.workerId} = ${workers.id} and ${teamMembers.teamId} = ${filter.teamId})`,
    filter.teamId === undefined ? undefined : teamVisibleTo(actor, sql`${filter.teamId}::uuid`)
  ]
  const rows = await db.select(selection).from(workers).innerJoin(people, eq(people.id, workers.id))
    .where(and(...conditions))
    .orderBy(desc(workers.createdAt), desc(workers.id))
    .limit(filter.limit + 1)
  const page = toPage(rows, filter.limit, (row) => row, newestFirstKey)
  return { items: await withTeams(db, actor, page.items), nextCursor: page.nextCursor }
}

async function assertTeamsExist (tx: Db, teamIds: string[]): Promise<void> {
  if (teamIds.length === 0) return
  const found = await tx.select({ id: teams.id }).from(teams).where(inArray(teams.id, teamIds))
  const missing = teamIds.filter((id) => !found.some((team) => team.id === id))
  if (missing.length > 0) throw ruleViolated('unknown_team', `No such team: ${missing.join(', ')}`, { field: '/teamIds', teamIds: missing })
}

async function assertScheduleExists (tx: Db, payScheduleId: string | null): Promise<void> {
  if (payScheduleId === null) return
  const [schedule] = await tx.select({ id: paySchedules.id }).from(paySchedules).where(eq(paySchedules.id, payScheduleId))
  if (schedule === undefined) throw ruleViolated('unknown_pay_schedule', 'No such pay schedule', { field: '/payScheduleId' })
}

async function replaceMemberships (tx: Db, workerId: string, teamIds: string[]): Promise<void> {
  await tx.delete(teamMembers).where(eq(teamMembers.workerId, workerId))
  if (teamIds.length > 0) await tx.insert(teamMembers).values(teamIds.map((teamId) => ({ teamId, workerId })))
}

export async function createWorker (db: Db, ctx: ChangeContext, input: CreateWorkerInput): Promise<WorkerRecord> {
  const fields: WorkerFields = {
    payrollReference: input.payrollReference ?? null,
    dateOfBirth: input.dateOfBirth,
    apprentice: input.apprentice ?? false,
    apprenticeshipStartDate: input.apprenticeshipStartDate ?? null,
    paymentMode: input.paymentMode,
    holidayPayMode: input.holidayPayMode,
    benefitGuard: input.benefitGuard ?? 'none',
    benefitCapPence: input.benefitCapPence ?? null,
    benefitPolicy: input.benefitPolicy ?? 'warn',
    engagementStartDate: input.engagementStartDate,
    engagementEndDate: input.engagementEndDate ?? null,
    payScheduleId: input.payScheduleId ?? null,
    active: input.active ?? true
  }
  checkWorkerRules(fields, ctx.now, ctx.zone)
  if ((input.personId === undefined) === (input.displayName === undefined)) {
    throw ruleViolated('person_or_name', 'Give either personId (an existing person) or displayName (a new one), not both', { field: '/personId' })
  }
  const teamIds = [...new Set(input.teamIds ?? [])]
  return inTransaction(db, async (tx) => {
    let personId = input.personId
    if (personId === undefined) {
      const [person] = await tx.insert(people).values({ displayName: input.displayName! }).returning({ id: people.id })
      personId = person!.id
    } else {
      const [person] = await tx.select({ id: people.id }).from(people).where(eq(people.id, personId))
      if (person === undefined) throw ruleViolated('unknown_person', 'No such person', { field: '/personId' })
      const [existing] = await tx.select({ id: workers.id }).from(workers).where(eq(workers.id, personId))
      if (existing !== undefined) throw conflict('This person is already a worker', { workerId: personId })
    }
    await assertTeamsExist(tx, teamIds)
    await assertScheduleExists(tx, fields.payScheduleId)
    await tx.insert(workers).values({ id: personId, ...fields })
    await replaceMemberships(tx, personId, teamIds)
    const record = await findWorker(tx, ctx.actor, personId)
    await recordAudit(tx, ctx, { action: 'worker.created', entityType: 'worker', entityId: personId, after: auditView(record) })
    return record
  })
}

export async function updateWorker (db: Db, ctx: ChangeContext, id: string, expectedVersion: number, changes: UpdateWorkerInput): Promise<WorkerRecord> {
  return inTransaction(db, async (tx) => {
    const current = await findWorker(tx, ctx.actor, id, true)
    checkVersion(current, expectedVersion)
    const { displayName, teamIds, ...fieldChanges } = changes
    checkWorkerRules({ ...current, ...fieldChanges }, ctx.now, ctx.zone)
    if (fieldChanges.payScheduleId !== undefined) await assertScheduleExists(tx, fieldChanges.payScheduleId)
    if (teamIds !== undefined) {
      const unique = [...new Set(teamIds)]
      await assertTeamsExist(tx, unique)
      await replaceMemberships(tx, id, unique)
    }
    if (displayName !== undefined) {
      await tx.update(people).set(sideChangeSet(people, { displayName })).where(eq(people.id, id))
    }
    await tx.update(workers).set(changeSet(current, fieldChanges)).where(eq(workers.id, id))
    const updated = await findWorker(tx, ctx.actor, id)
    await recordAudit(tx, ctx, { action: 'worker.updated', entityType: 'worker', entityId: id, before: auditView(current), after: auditView(updated) })
    return updated
  })
}
