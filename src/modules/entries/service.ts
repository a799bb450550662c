import { and, desc, eq, gte, isNotNull, lte, ne, sql } from 'drizzle-orm'
import type { Actor, ChangeContext } from '../../domain/actor.js'
import { compareDates } from '../../domain/calendar-date.js'
import { classifyDatabaseError } from '../../db/errors.js'
import type { Db } from '../../db/open.js'
import { decodeCursor, toPage, type Page } from '../../db/pagination.js'
import { activityTypes, teams, timesheetEntries } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { AppError, conflict, forbidden, notFound, ruleViolated } from '../../errors.js'
import { entryVisibleTo } from '../access/entry-visibility.js'
import { managesTeam } from '../access/visibility.js'
import { recordAudit } from '../audit/service.js'
import { findWorker, type WorkerRecord } from '../workers/service.js'
import { guardEntry, lockWorker } from './earnings.js'
import { payFor } from './pay.js'
import { sessionTimes, type SessionInput, type SessionTimes } from './session-times.js'
import { changeSet, checkVersion } from '../../db/versioned.js'

export type EntryRow = typeof timesheetEntries.$inferSelect
export type EntryState = EntryRow['state']

export interface EntryResult { entry: EntryRow, warnings: string[] }

export interface EntryFields extends SessionInput {
  activityTypeId: string
  teamId?: string | null
  notes?: string | null
}

export interface CreateEntryInput extends EntryFields {
  /** Whose entry: the caller's own for a worker key; required for managers and admins. */
  workerId?: string
  /** Submit at once instead of keeping a draft. */
  submit?: boolean
  overrideReason?: string
}

/** The audit view of an entry: everything but bookkeeping. */
export const entryAuditView = (entry: EntryRow) => {
  const { createdAt: _created, updatedAt: _updated, ...fields } = entry
  return { ...fields, startsAt: entry.startsAt?.toISOString() ?? null, endsAt: entry.endsAt?.toISOString() ?? null, sortAt: undefined }
}

const systemReader: Actor = { keyId: null, role: 'system', label: 'entries', personId: null }

/** One entry the actor may see, optionally locked for a change; others are not found. */
export async function findEntry (db: Db, actor: Actor, id: string, forUpdate = false): Promise<EntryRow> {
  const query = db.select().from(timesheetEntries).where(and(eq(timesheetEntries.id, id), entryVisibleTo(actor)))
  const [entry] = forUpdate ? await query.for('update') : await query
  if (entry === undefined) throw notFound('Entry')
  return entry
}

export interface EntryFilter {
  workerId?: string
  teamId?: string
  state?: EntryState
  awaitingSecondApproval?: boolean
  from?: string
  to?: string
  limit: number
  cursor?: string
}

/** Entries the actor may see, newest work first: (workDate, sortAt, id) descending. */
export async function listEntries (db: Db, actor: Actor, filter: EntryFilter): Promise<Page<EntryRow>> {
  const after = decodeCursor(filter.cursor, ['date', 'instant', 'uuid'])
  const rows = await db.select().from(timesheetEntries).where(and(
    entryVisibleTo(actor),
    filter.workerId === undefined ? undefined : eq(timesheetEntries.workerId, filter.workerId),
    filter.teamId === undefined ? undefined : eq(timesheetEntries.teamId, filter.teamId),
    filter.state === undefined ? undefined : eq(timesheetEntries.state, filter.state),
    filter.awaitingSecondApproval === undefined
      ? undefined
      : filter.awaitingSecondApproval
        ? and(eq(timesheetEntries.state, 'submitted'), isNotNull(timesheetEntries.firstApprovedAt))
        : sql`not (${timesheetEntries.state} = 'submitted' and ${timesheetEntries.firstApprovedAt} is not null)`,
    filter.from === undefined ? undefined : gte(timesheetEntries.workDate, filter.from),
    filter.to === undefined ? undefined : lte(timesheetEntries.workDate, filter.to),
    after === undefined
      ? undefined
      : sql`(${timesheetEntries.workDate}, ${timesheetEntries.sortAt}, ${timesheetEntries.id}) < (${after[0]}::date, ${after[1]}::timestamptz, ${after[2]}::uuid)`
  )).orderBy(desc(timesheetEntries.workDate), desc(timesheetEntries.sortAt), desc(timesheetEntries.id)).limit(filter.limit + 1)
  return toPage(rows, filter.limit, (row) => row, (row) => [row.workDate, row.sortAt.toISOString(), row.id])
}

/** The live entry of the worker this session would overlap, if any. */
async function overlapping (db: Db, workerId: string, times: Pick<SessionTimes, 'startsAt' | 'endsAt'>, excludeId?: string): Promise<EntryRow | undefined> {
  const [other] = await db.select().from(timesheetEntries).where(and(
    eq(timesheetEntries.workerId, workerId),
    eq(timesheetEntries.kind, 'work'),
    ne(timesheetEntries.state, 'rejected'),
    excludeId === undefined ? undefined : ne(timesheetEntries.id, excludeId),
    sql`tstzrange(${timesheetEntries.startsAt}, ${timesheetEntries.endsAt}, '[)') && tstzrange(${times.startsAt.toISOString()}::timestamptz, ${times.endsAt.toISOString()}::timestamptz, '[)')`
  )).limit(1)
  return other
}

/** 409 naming the other entry, when the caller may see it (a manager may not see another team's). */
async function overlapConflict (db: Db, actor: Actor, other: EntryRow): Promise<AppError> {
  const visible = await db.select({ id: timesheetEntries.id }).from(timesheetEntries).where(and(eq(timesheetEntries.id, other.id), entryVisibleTo(actor)))
  if (visible.length === 0) return conflict('This session overlaps another entry of the worker', { rule: 'overlapping_entry' })
  return conflict(
    `This session overlaps entry ${other.id} (${other.workDate} ${other.startTime}-${other.endTime}, ${other.state})`,
    { rule: 'overlapping_entry', conflictingEntryId: other.id }
  )
}

/**
 * Writes a session, turning the database's exclusion-constraint refusal (two concurrent
 * writers) into the same 409 naming the other entry as the check before it.
 */
async function writeChecked<T> (tx: Db, actor: Actor, workerId: string, times: Pick<SessionTimes, 'startsAt' | 'endsAt'>, excludeId: string | undefined, write: (db: Db) => Promise<T>): Promise<T> {
  // One writer of a worker's sessions at a time. Without it, concurrent overlapping inserts
  // each put their index entry in and then wait for the other's on the exclusion constraint:
  // Postgres breaks that as a deadlock (40P01) after deadlock_timeout, again on every retry,
  // and 6 such requests at once got 503s after seconds (test/faults/serialization-retries.test.ts).
  // Queued behind the lock, the check below sees the committed winner and answers 409 at once.
  await lockWorker(tx, workerId)
  const before = await overlapping(tx, workerId, times, excludeId)
  if (before !== undefined) throw await overlapConflict(tx, actor, before)
  try {
    // A savepoint, so the transaction survives the refusal long enough to name the other entry.
    return await tx.transaction(async (savepoint) => write(savepoint))
  } catch (error) {
    if (classifyDatabaseError(error)?.constraint !== 'timesheet_entries_no_overlap') throw error
    const other = await overlapping(tx, workerId, times, excludeId)
    throw other === undefined ? conflict('This session overlaps another entry of the worker', { rule: 'overlapping_entry' }) : await overlapConflict(tx, actor, other)
  }
}

interface Placement { worker: WorkerRecord, teamId: string, times: SessionTimes }

/**
 * Every rule about where and when an entry may be: the worker active and engaged on the work
 * date, the activity and team active, the worker in the team, and a manager only for teams
 * they manage.
 */
async function placeEntry (tx: Db, actor: Actor, workerId: string, fields: EntryFields, now: Date, zone: string): Promise<Placement> {
  const worker = await findWorker(tx, actor, workerId)
  const times = sessionTimes(fields, zone, now)
  if (!worker.active) throw ruleViolated('worker_inactive', 'The worker is not active', { field: '/workerId' })
  if (compareDates(times.workDate, worker.engagementStartDate) < 0) {
    throw ruleViolated('before_engagement', `The work date is before the worker's engagement started (${worker.engagementStartDate})`, { field: '/workDate' })
  }
  if (worker.engagementEndDate !== null && compareDates(times.workDate, worker.engagementEndDate) > 0) {
    throw ruleViolated('after_engagement', `The work date is after the worker's engagement ended (${worker.engagementEndDate})`, { field: '/workDate' })
  }
  const [activity] = await tx.select().from(activityTypes).where(eq(activityTypes.id, fields.activityTypeId))
  if (activity === undefined) throw ruleViolated('unknown_activity_type', 'No such activity type', { field: '/activityTypeId' })
  if (!activity.active) throw ruleViolated('activity_inactive', `The activity "${activity.name}" is no longer active`, { field: '/activityTypeId' })

  let teamId = fields.teamId ?? null
  if (teamId === null) {
    if (worker.teamIds.length === 0) throw ruleViolated('worker_has_no_team', 'The worker belongs to no team; an admin must add them to one', { field: '/teamId' })
    if (worker.teamIds.length > 1) throw ruleViolated('team_required', 'The worker is in several teams: name the team the work was for', { field: '/teamId', teamIds: worker.teamIds })
    teamId = worker.teamIds[0]!
  }
  if (!worker.teamIds.includes(teamId)) throw ruleViolated('not_a_member', 'The worker is not a member of that team', { field: '/teamId' })
  const [team] = await tx.select({ active: teams.active, managed: sql<boolean>`${managesTeam(actor, sql`${teamId}::uuid`)}` }).from(teams).where(eq(teams.id, teamId))
  if (!team!.active) throw ruleViolated('team_inactive', 'The team is not active', { field: '/teamId' })
  if (actor.role === 'manager' && !team!.managed) throw forbidden('Managers record and change entries only for the teams they manage')
  return { worker, teamId, times }
}

/** Who may change an entry: its worker, a manager of its team (visibility), or an admin. */
function assertMayChange (actor: Actor, entry: EntryRow): void {
  if (actor.role === 'finance') throw forbidden('Finance does not change entries')
  if (actor.role === 'worker' && entry.workerId !== actor.personId) throw notFound('Entry')
  // A correction (often a clawback) is raised by managers or finance: its worker cannot act on it.
  if (actor.role === 'worker' && entry.kind === 'adjustment') throw forbidden('Corrections are decided by a manager; ask them about this one')
}

export async function createEntry (db: Db, ctx: ChangeContext, input: CreateEntryInput): Promise<EntryResult> {
  const actor = ctx.actor
  let workerId = input.workerId
  if (actor.role === 'worker') {
    if (workerId !== undefined && workerId !== actor.personId) throw notFound('Worker')
    workerId = actor.personId!
  }
  if (workerId === undefined) throw ruleViolated('worker_required', 'Name the worker the entry is for', { field: '/workerId' })
  const onBehalf = workerId !== actor.personId
  return inTransaction(db, async (tx) => {
    const { worker, teamId, times } = await placeEntry(tx, actor, workerId, input, ctx.now, ctx.zone)
    const entry = await writeChecked(tx, actor, worker.id, times, undefined, async (w) => {
      const [row] = await w.insert(timesheetEntries).values({
        workerId: worker.id,
        activityTypeId: input.activityTypeId,
        teamId,
        workDate: times.workDate,
        startTime: times.startTime,
        endDate: times.endDate,
        endTime: times.endTime,
        startsAt: times.startsAt,
        endsAt: times.endsAt,
        breakMinutes: times.breakMinutes,
        workedMinutes: times.workedMinutes,
        notes: input.notes ?? null,
        state: 'draft',
        recordedByKeyId: actor.keyId
      }).returning()
      return row!
    })
    await recordAudit(tx, ctx, { action: 'entry.created', entityType: 'entry', entityId: entry.id, after: { ...entryAuditView(entry), onBehalfOfWorker: onBehalf } })
    if (input.submit !== true) return { entry, warnings: times.warnings }
    const submitted = await submitLocked(tx, ctx, entry, worker, input.overrideReason)
    return { entry: submitted.entry, warnings: [...times.warnings, ...submitted.warnings] }
  })
}

export async function updateEntry (db: Db, ctx: ChangeContext, id: string, expectedVersion: number, changes: Partial<EntryFields>): Promise<EntryResult> {
  return inTransaction(db, async (tx) => {
    const current = await findEntry(tx, ctx.actor, id, true)
    assertMayChange(ctx.actor, current)
    checkVersion(current, expectedVersion)
    if (current.kind === 'adjustment') throw conflict('A correction cannot be edited; reject it and record another', { rule: 'entry_not_editable', state: current.state })
    if (current.state !== 'draft' && current.state !== 'rejected') {
      throw conflict(`A ${current.state} entry cannot be edited${current.state === 'submitted' ? '; withdraw it first' : ''}`, { rule: 'entry_not_editable', state: current.state })
    }
    const fields: EntryFields = {
      activityTypeId: changes.activityTypeId ?? current.activityTypeId,
      teamId: changes.teamId === undefined ? current.teamId : changes.teamId,
      workDate: changes.workDate ?? current.workDate,
      startTime: changes.startTime ?? current.startTime!,
      // A new work date without a new end date keeps the session on one day.
      endDate: changes.endDate !== undefined ? changes.endDate : changes.workDate !== undefined ? null : current.endDate,
      endTime: changes.endTime ?? current.endTime!,
      breakMinutes: changes.breakMinutes ?? current.breakMinutes,
      notes: changes.notes === undefined ? current.notes : changes.notes
    }
    const { teamId, times } = await placeEntry(tx, ctx.actor, current.workerId, fields, ctx.now, ctx.zone)
    const updated = await writeChecked(tx, ctx.actor, current.workerId, times, id, async (w) => {
      const [row] = await w.update(timesheetEntries).set(changeSet(current, {
        activityTypeId: fields.activityTypeId,
        teamId,
        workDate: times.workDate,
        startTime: times.startTime,
        endDate: times.endDate,
        endTime: times.endTime,
        startsAt: times.startsAt,
        endsAt: times.endsAt,
        breakMinutes: times.breakMinutes,
        workedMinutes: times.workedMinutes,
        notes: fields.notes ?? null
      })).where(eq(timesheetEntries.id, id)).returning()
      return row!
    })
    await recordAudit(tx, ctx, { action: 'entry.updated', entityType: 'entry', entityId: id, before: entryAuditView(current), after: entryAuditView(updated) })
    return { entry: updated, warnings: times.warnings }
  })
}

export async function deleteEntry (db: Db, ctx: ChangeContext, id: string, expectedVersion: number): Promise<void> {
  await inTransaction(db, async (tx) => {
    const current = await findEntry(tx, ctx.actor, id, true)
    assertMayChange(ctx.actor, current)
    checkVersion(current, expectedVersion)
    if (current.kind === 'adjustment') throw conflict('A correction is approved or rejected, never deleted', { rule: 'entry_not_deletable', state: current.state })
    if (current.state !== 'draft') throw conflict(`Only drafts can be deleted; this entry is ${current.state}`, { rule: 'entry_not_deletable', state: current.state })
    await tx.delete(timesheetEntries).where(eq(timesheetEntries.id, id))
    await recordAudit(tx, ctx, { action: 'entry.deleted', entityType: 'entry', entityId: id, before: entryAuditView(current) })
  })
}

const illegal = (entry: EntryRow, action: string, from: string): AppError =>
  conflict(`Only ${from} entries can be ${action}; this one is ${entry.state}`, { rule: 'illegal_transition', state: entry.state })

/** The earnings guard's verdict, raising 409 when a block is not overridden by a manager or admin. */
/** Leaving `submitted` (withdrawn, rejected) undoes a first approval: the next submission starts afresh. */
export const noFirstApproval = {
  firstApprovedAt: null,
  firstApprovedByKeyId: null,
  firstApprovedByPersonId: null,
  dualControlReason: null,
  overrideReason: null
} as const

/**
 * What a blocking earnings cap means for this change: null when it does not block, else the
 * override reason (a manager's or an admin's; or, for a second approval, the one the first
 * approver gave, which the second confirms); otherwise 409 naming the week and the cap.
 */
export function applyGuard (
  ctx: ChangeContext, guard: Awaited<ReturnType<typeof guardEntry>>,
  overrideReason: string | undefined, confirming: string | null = null
): string | null {
  if (!guard.blocked) return null
  if (overrideReason === undefined && confirming !== null) return confirming
  const mayOverride = ctx.actor.role === 'manager' || ctx.actor.role === 'admin'
  if (overrideReason !== undefined && mayOverride) return overrideReason
  throw new AppError('conflict', mayOverride
    ? `${guard.warnings[0] ?? 'The worker\'s weekly earnings cap would be exceeded'}; the worker's guard blocks this unless you give overrideReason`
    : `${guard.warnings[0] ?? 'The worker\'s weekly earnings cap would be exceeded'}; a manager must approve it with a reason`, {
    rule: 'earnings_cap_exceeded', weekStart: guard.weekStart, weekGrossPence: guard.weekGrossPence, capPence: guard.capPence, warnings: guard.warnings
  })
}

async function submitLocked (tx: Db, ctx: ChangeContext, entry: EntryRow, worker: WorkerRecord, overrideReason: string | undefined): Promise<EntryResult> {
  if (entry.state !== 'draft' && entry.state !== 'rejected') throw illegal(entry, 'submitted', 'draft or rejected')
  const warnings: string[] = []
  const estimate = await payFor(tx, entry, worker.paymentMode).catch((error: unknown) => {
    if (error instanceof AppError && (error.extensions.rule === 'no_rate' || error.extensions.rule === 'conflicting_team_rates')) {
      warnings.push(`No rate applies yet (${error.detail}); approval will need one`)
      return undefined
    }
    throw error
  })
  const guard = await guardEntry(tx, worker, entry, estimate?.grossPence ?? 0, 'submit')
  const overridden = applyGuard(ctx, guard, overrideReason)
  warnings.push(...guard.warnings)
  const submit = async (w: Db) => w.update(timesheetEntries).set(changeSet(entry, {
    state: 'submitted',
    submittedAt: ctx.now
  })).where(eq(timesheetEntries.id, entry.id)).returning()
  // A rejected session becomes live again: it must not overlap one recorded since.
  const [submitted] = entry.kind === 'work' && entry.state === 'rejected'
    ? await writeChecked(tx, ctx.actor, entry.workerId, { startsAt: entry.startsAt!, endsAt: entry.endsAt! }, entry.id, submit)
    : await submit(tx)
  await recordAudit(tx, ctx, {
    action: 'entry.submitted',
    entityType: 'entry',
    entityId: entry.id,
    before: { state: entry.state },
    after: { state: 'submitted', warnings, ...(overridden === null ? {} : { capOverridden: true }) },
    reason: overridden
  })
  return { entry: submitted!, warnings }
}

export async function submitEntry (db: Db, ctx: ChangeContext, id: string, expectedVersion: number, overrideReason?: string): Promise<EntryResult> {
  return inTransaction(db, async (tx) => {
    const entry = await findEntry(tx, ctx.actor, id, true)
    assertMayChange(ctx.actor, entry)
    checkVersion(entry, expectedVersion)
    if (entry.state !== 'draft' && entry.state !== 'rejected') throw illegal(entry, 'submitted', 'draft or rejected')
    if (entry.kind === 'adjustment') {
      return submitLocked(tx, ctx, entry, await findWorker(tx, systemReader, entry.workerId), overrideReason)
    }
    // Anything may have changed since the draft was written: check its place again.
    const { worker } = await placeEntry(tx, systemReader, entry.workerId, { ...entry, startTime: entry.startTime!, endTime: entry.endTime! }, ctx.now, ctx.zone)
    return submitLocked(tx, ctx, entry, worker, overrideReason)
  })
}

/** A worker takes a submitted entry back to draft (to change it), before anyone decides it. */
export async function withdrawEntry (db: Db, ctx: ChangeContext, id: string, expectedVersion: number): Promise<EntryRow> {
  return inTransaction(db, async (tx) => {
    const entry = await findEntry(tx, ctx.actor, id, true)
    if (ctx.actor.role !== 'admin' && entry.workerId !== ctx.actor.personId) throw forbidden('Only the worker (or an admin) withdraws a submitted entry')
    assertMayChange(ctx.actor, entry)
    if (entry.kind === 'adjustment') throw conflict('A correction is approved or rejected, never withdrawn', { rule: 'illegal_transition', state: entry.state })
    checkVersion(entry, expectedVersion)
    if (entry.state !== 'submitted') throw illegal(entry, 'withdrawn', 'submitted')
    const [withdrawn] = await tx.update(timesheetEntries)
      .set(changeSet(entry, { state: 'draft', submittedAt: null, ...noFirstApproval }))
      .where(eq(timesheetEntries.id, id)).returning()
    await recordAudit(tx, ctx, { action: 'entry.withdrawn', entityType: 'entry', entityId: id, before: { state: 'submitted' }, after: { state: 'draft' } })
    return withdrawn!
  })
}
