import { and, asc, eq, gt, inArray, ne } from 'drizzle-orm'
import { grossPenceForMinutes } from '../../domain/money.js'
import type { ChangeContext } from '../../domain/actor.js'
import type { Db } from '../../db/open.js'
import { decodeCursor, toPage, type Page } from '../../db/pagination.js'
import { auditEvents, timesheetEntries } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { conflict, forbidden, ruleViolated } from '../../errors.js'
import { recordAudit, type AuditEventRow } from '../audit/service.js'
import { entryAuditView, findEntry, type EntryRow } from './service.js'

export interface CorrectionInput {
  /** Signed minutes at the corrected entry's rate; or */
  minutes?: number
  /** signed pence. Exactly one of the two, not zero. */
  pence?: number
  reason: string
}

/**
 * After approval an entry never changes: a correction is a new entry of kind `adjustment`
 * referencing it, with signed minutes or pence and a reason. It starts submitted and goes
 * through the normal approval; the next export carries it as its own line (negative when it
 * claws back).
 */
export async function createCorrection (db: Db, ctx: ChangeContext, originalId: string, input: CorrectionInput): Promise<EntryRow> {
  if ((input.minutes === undefined) === (input.pence === undefined)) {
    throw ruleViolated('minutes_or_pence', 'Give either minutes or pence (signed), not both', { field: '/minutes' })
  }
  if (input.minutes === 0 || input.pence === 0) throw ruleViolated('zero_correction', 'A correction of nothing changes nothing', { field: input.minutes === undefined ? '/pence' : '/minutes' })
  return inTransaction(db, async (tx) => {
    const original = await findEntry(tx, ctx.actor, originalId, true)
    if (ctx.actor.role === 'worker') throw forbidden('Workers ask their manager for a correction')
    if (original.kind !== 'work') throw conflict('A correction cannot itself be corrected; correct the original entry', { rule: 'correction_of_correction' })
    if (original.state !== 'approved' && original.state !== 'exported') {
      throw conflict(`Only approved or exported entries are corrected; a ${original.state} entry can still be changed directly`, { rule: 'illegal_transition', state: original.state })
    }
    if (input.minutes !== undefined && original.rateUnit === 'session') {
      throw ruleViolated('session_correction_in_pence', 'A session is paid a fee, not by the minute: correct it in pence', { field: '/pence' })
    }
    // Clawbacks can take back at most what the entry paid, counting every live correction of it
    // (the original is locked, so two corrections cannot both pass this check).
    const net = await netOfCorrections(tx, original)
    const minutesAfter = net.minutes + (input.minutes ?? 0)
    const penceAfter = net.pence + (input.pence ?? (input.minutes === undefined ? 0 : grossPenceForMinutes(input.minutes, original.ratePencePerUnit!)))
    if (minutesAfter < 0) {
      throw ruleViolated('correction_exceeds_entry', `The entry and its corrections pay for ${net.minutes} minutes; a correction cannot take back more`, { field: '/minutes' })
    }
    if (penceAfter < 0) {
      throw ruleViolated('correction_exceeds_entry', `The entry and its corrections pay ${net.pence} pence; a correction cannot take back more`, { field: input.pence === undefined ? '/minutes' : '/pence' })
    }
    const [correction] = await tx.insert(timesheetEntries).values({
      workerId: original.workerId,
      activityTypeId: original.activityTypeId,
      teamId: original.teamId,
      kind: 'adjustment',
      workDate: original.workDate,
      breakMinutes: 0,
      workedMinutes: input.minutes ?? 0,
      adjustmentPence: input.pence ?? null,
      correctsEntryId: original.id,
      correctionReason: input.reason,
      state: 'submitted',
      submittedAt: ctx.now,
      recordedByKeyId: ctx.actor.keyId
    }).returning()
    await recordAudit(tx, ctx, { action: 'entry.created', entityType: 'entry', entityId: correction!.id, after: entryAuditView(correction!), reason: input.reason })
    await recordAudit(tx, ctx, { action: 'entry.corrected', entityType: 'entry', entityId: original.id, after: { correctionId: correction!.id, minutes: input.minutes ?? null, pence: input.pence ?? null }, reason: input.reason })
    return correction!
  })
}

/**
 * Minutes and pence an entry pays after its corrections: `live` counts every one not rejected
 * (pending ones at the entry's rate, so a clawback cannot be queued twice), `approved` only
 * those approved or exported (what has been, or will surely be, paid).
 */
export async function netOfCorrections (
  db: Db, original: EntryRow, counting: 'live' | 'approved' = 'live'
): Promise<{ minutes: number, pence: number }> {
  const corrections = await db.select().from(timesheetEntries)
    .where(and(eq(timesheetEntries.correctsEntryId, original.id), counting === 'live'
      ? ne(timesheetEntries.state, 'rejected')
      : inArray(timesheetEntries.state, ['approved', 'exported'])))
  let minutes = original.workedMinutes
  let pence = original.grossPence ?? 0
  for (const correction of corrections) {
    minutes += correction.workedMinutes
    pence += correction.grossPence ?? correction.adjustmentPence ?? grossPenceForMinutes(correction.workedMinutes, original.ratePencePerUnit!)
  }
  return { minutes, pence }
}

/** The audit trail of an entry's whole chain (the original and every correction of it), in order. */
export async function historyOf (db: Db, entry: EntryRow, page: { limit: number, cursor?: string }): Promise<Page<AuditEventRow>> {
  const after = decodeCursor(page.cursor, ['int64'])
  const rootId = entry.correctsEntryId ?? entry.id
  const corrections = await db.select({ id: timesheetEntries.id }).from(timesheetEntries).where(eq(timesheetEntries.correctsEntryId, rootId))
  const ids = [rootId, ...corrections.map((c) => c.id)]
  const rows = await db.select().from(auditEvents)
    .where(and(
      eq(auditEvents.entityType, 'entry'),
      inArray(auditEvents.entityId, ids),
      after === undefined ? undefined : gt(auditEvents.id, after[0])
    ))
    .orderBy(asc(auditEvents.id)).limit(page.limit + 1)
  return toPage(rows, page.limit, (row) => row, (row) => [row.id])
}
