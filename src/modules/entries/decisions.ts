import { and, eq, inArray } from 'drizzle-orm'
import type { ChangeContext } from '../../domain/actor.js'
import { checkerRefusal, dualControlReason, type Party } from '../../domain/maker-checker.js'
import type { Db } from '../../db/open.js'
import { apiKeys, auditEvents, timesheetEntries } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { AppError, conflict, ruleViolated } from '../../errors.js'
import { recordAudit } from '../audit/service.js'
import { minimumWageTable } from '../statutory/service.js'
import { findWorker } from '../workers/service.js'
import { netOfCorrections } from './corrections.js'
import { guardEntry } from './earnings.js'
import { checkMinimumWage, payFor } from './pay.js'
import { applyGuard, findEntry, noFirstApproval, type EntryResult, type EntryRow } from './service.js'
import { changeSet, checkVersion } from '../../db/versioned.js'

/**
 * Everyone who created or changed an entry (for a correction: whoever raised it), from its
 * audit trail, which is written in the same transaction as each change (the recorder is the
 * actor of its `entry.created` event).
 */
async function makersOf (tx: Db, entry: EntryRow): Promise<Party[]> {
  return tx.select({ keyId: auditEvents.actorKeyId, personId: apiKeys.personId }).from(auditEvents)
    .leftJoin(apiKeys, eq(apiKeys.id, auditEvents.actorKeyId))
    .where(and(eq(auditEvents.entityType, 'entry'), eq(auditEvents.entityId, entry.id),
      inArray(auditEvents.action, ['entry.created', 'entry.updated', 'entry.submitted'])))
}

/** How the service is set up to decide: above this gross a second approver is needed. */
export interface DecisionPolicy {
  dualControlAbovePence: number
}

/** The first of an entry's two approvals, when it has one. */
const firstApproverOf = (entry: EntryRow): Party | undefined => entry.firstApprovedAt === null
  ? undefined
  : { keyId: entry.firstApprovedByKeyId, personId: entry.firstApprovedByPersonId }

/** Locks a submitted entry for a decision the actor may make (src/domain/maker-checker.ts). */
async function lockForDecision (
  tx: Db, ctx: ChangeContext, id: string, expectedVersion: number, action: 'approved' | 'rejected'
): Promise<{ entry: EntryRow, makers: Party[] }> {
  const entry = await findEntry(tx, ctx.actor, id, true)
  const makers = await makersOf(tx, entry)
  const decision = action === 'approved' ? 'approve' : 'reject'
  const work = { workerPersonId: entry.workerId, makers, firstApprover: firstApproverOf(entry) }
  const refusal = checkerRefusal(ctx.actor, work, decision)
  if (refusal !== undefined) throw new AppError('forbidden', refusal.detail, { rule: refusal.rule })
  checkVersion(entry, expectedVersion)
  if (entry.state !== 'submitted') {
    throw conflict(`Only submitted entries can be ${action}; this one is ${entry.state}`,
      { rule: 'illegal_transition', state: entry.state })
  }
  return { entry, makers }
}

const systemReader = { keyId: null, role: 'system', label: 'decisions', personId: null } as const

/**
 * Approves a submitted entry: resolves its rate for its team and work date and freezes the
 * rate, unit, gross pay and payment mode onto it (later rate changes never touch it), after
 * checking the minimum wage, the clawback bound and the worker's earnings guard. Under dual
 * control the first approval is only recorded (the entry stays submitted) and the second,
 * which judges everything again, freezes the pay.
 */
async function approveInTransaction (
  tx: Db, ctx: ChangeContext, policy: DecisionPolicy, id: string, expectedVersion: number, overrideReason?: string
): Promise<EntryResult> {
  const { entry, makers } = await lockForDecision(tx, ctx, id, expectedVersion, 'approved')
  const worker = await findWorker(tx, systemReader, entry.workerId)
  const pay = await payFor(tx, entry, worker.paymentMode)
  let net: { minutes: number, pence: number } | undefined
  if (entry.kind === 'adjustment') {
    // The corrected entry with the corrections already approved (pending ones may yet be
    // rejected), plus this one at its frozen pay: a clawback never takes back more than that.
    const [original] = await tx.select().from(timesheetEntries).where(eq(timesheetEntries.id, entry.correctsEntryId!)).for('update')
    const settled = await netOfCorrections(tx, original!, 'approved')
    net = { minutes: settled.minutes + entry.workedMinutes, pence: settled.pence + pay.earnedPence }
    if (net.minutes < 0 || net.pence < 0) {
      throw ruleViolated('correction_exceeds_entry',
        `The entry and its approved corrections pay for ${settled.minutes} minutes and ${settled.pence} pence; ` +
        `this correction (${entry.workedMinutes} minutes, ${pay.earnedPence} pence) would take back more than was paid`,
        { minutesPaid: settled.minutes, pencePaid: settled.pence, correctionMinutes: entry.workedMinutes, correctionPence: pay.earnedPence })
    }
  }
  checkMinimumWage(worker, entry, pay, await minimumWageTable(tx), net)
  const guard = await guardEntry(tx, worker, entry, pay.grossPence, 'approve')
  const firstApprover = firstApproverOf(entry)
  const overridden = applyGuard(ctx, guard, overrideReason, firstApprover === undefined ? null : entry.overrideReason)
  const warnings = [...guard.warnings]
  if (worker.paymentMode === 'declined') warnings.push('The worker declines payment: approved with £0.00 pay (hours recorded)')
  if (worker.paymentMode === 'voucher') warnings.push('The worker is paid in vouchers: this entry goes on the voucher list, not the payroll file')
  const checker = { keyId: ctx.actor.keyId, personId: ctx.actor.personId }
  const figures = { grossPence: pay.grossPence, ...(overridden === null ? {} : { capOverridden: true }) }

  const dualControl = firstApprover === undefined
    ? dualControlReason({ pence: pay.earnedPence, kind: entry.kind, overridesCap: overridden !== null },
      policy.dualControlAbovePence)
    : undefined
  if (dualControl !== undefined) {
    const [firstApproved] = await tx.update(timesheetEntries).set(changeSet(entry, {
      firstApprovedAt: ctx.now,
      firstApprovedByKeyId: ctx.actor.keyId,
      firstApprovedByPersonId: ctx.actor.personId,
      dualControlReason: dualControl,
      overrideReason: overridden
    })).where(eq(timesheetEntries.id, id)).returning()
    await recordAudit(tx, ctx, {
      action: 'entry.first_approved',
      entityType: 'entry',
      entityId: id,
      before: { state: 'submitted' },
      after: {
        state: 'submitted', awaitingSecondApproval: true, dualControlReason: dualControl, ...figures, warnings, makers, checker
      },
      reason: overridden
    })
    warnings.push(`${dualControl}: approved once; finance or an admin other than you must give the second approval`)
    return { entry: firstApproved!, warnings }
  }

  const [approved] = await tx.update(timesheetEntries).set(changeSet(entry, {
    state: 'approved',
    decidedAt: ctx.now,
    decidedByKeyId: ctx.actor.keyId,
    decidedByPersonId: ctx.actor.personId,
    rateId: pay.rateId,
    ratePencePerUnit: pay.ratePencePerUnit,
    rateUnit: pay.rateUnit,
    rateSource: pay.rateSource,
    grossPence: pay.grossPence,
    paymentMode: pay.paymentMode,
    overrideReason: overridden
  })).where(eq(timesheetEntries.id, id)).returning()
  await recordAudit(tx, ctx, {
    action: 'entry.approved',
    entityType: 'entry',
    entityId: id,
    before: { state: 'submitted' },
    after: {
      state: 'approved',
      rateId: pay.rateId,
      ratePencePerUnit: pay.ratePencePerUnit,
      rateUnit: pay.rateUnit,
      rateSource: pay.rateSource,
      paymentMode: pay.paymentMode,
      ...figures,
      warnings,
      makers,
      ...(firstApprover === undefined ? {} : { firstApprover, dualControlReason: entry.dualControlReason }),
      checker
    },
    reason: overridden
  })
  return { entry: approved!, warnings }
}

async function rejectInTransaction (tx: Db, ctx: ChangeContext, id: string, expectedVersion: number, reason: string): Promise<EntryRow> {
  const { entry } = await lockForDecision(tx, ctx, id, expectedVersion, 'rejected')
  const [rejected] = await tx.update(timesheetEntries).set(changeSet(entry, {
    state: 'rejected',
    decidedAt: ctx.now,
    decidedByKeyId: ctx.actor.keyId,
    decidedByPersonId: ctx.actor.personId,
    rejectionReason: reason,
    ...noFirstApproval
  })).where(eq(timesheetEntries.id, id)).returning()
  await recordAudit(tx, ctx, { action: 'entry.rejected', entityType: 'entry', entityId: id, before: { state: 'submitted' }, after: { state: 'rejected' }, reason })
  return rejected!
}

export const approveEntry = (
  db: Db, ctx: ChangeContext, policy: DecisionPolicy, id: string, expectedVersion: number, overrideReason?: string
): Promise<EntryResult> =>
  inTransaction(db, (tx) => approveInTransaction(tx, ctx, policy, id, expectedVersion, overrideReason))

export const rejectEntry = (db: Db, ctx: ChangeContext, id: string, expectedVersion: number, reason: string): Promise<EntryRow> =>
  inTransaction(db, (tx) => rejectInTransaction(tx, ctx, id, expectedVersion, reason))

export interface DecisionItem { id: string, version: number }

export type DecisionOutcome =
  | { id: string, outcome: 'approved' | 'first_approval' | 'rejected', version: number, warnings: string[] }
  | { id: string, outcome: 'failed', status: number, code: string, detail: string, rule?: string }

/**
 * Decides up to 500 entries, each in its own transaction: one bad item (stale version, wrong
 * state, below the minimum wage, out of scope) fails alone and says why.
 */
export async function decideMany (
  db: Db, ctx: ChangeContext, policy: DecisionPolicy,
  decision: { approve: boolean, reason?: string, overrideReason?: string }, items: DecisionItem[]
): Promise<DecisionOutcome[]> {
  const outcomes: DecisionOutcome[] = []
  for (const item of items) {
    try {
      if (decision.approve) {
        const { entry, warnings } = await approveEntry(db, ctx, policy, item.id, item.version, decision.overrideReason)
        const outcome = entry.state === 'approved' ? 'approved' : 'first_approval'
        outcomes.push({ id: item.id, outcome, version: entry.version, warnings })
      } else {
        const entry = await rejectEntry(db, ctx, item.id, item.version, decision.reason!)
        outcomes.push({ id: item.id, outcome: 'rejected', version: entry.version, warnings: [] })
      }
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error
      outcomes.push({ id: item.id, outcome: 'failed', status: error.status, code: error.code, detail: error.detail, ...(typeof error.extensions.rule === 'string' ? { rule: error.extensions.rule } : {}) })
    }
  }
  return outcomes
}
