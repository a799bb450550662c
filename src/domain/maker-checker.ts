import type { Actor } from './actor.js'
import { formatPounds } from './money.js'

/** Someone who made or changed a piece of work: an API key, and the person it acts as if any. */
export interface Party {
  keyId: string | null
  personId: string | null
}

/** What the rule needs to know about the work being decided. */
export interface WorkToCheck {
  /** The worker the entry pays. */
  workerPersonId: string
  /** Everyone who created or changed it: the recorder, editors, whoever raised a correction. */
  makers: readonly Party[]
  /** Under dual control, whoever gave the first of its two approvals. */
  firstApprover?: Party | undefined
}

export type CheckerRefusal =
  | { rule: 'decider_role', detail: string }
  | { rule: 'own_entry', detail: string }
  | { rule: 'maker_checker', detail: string }
  | { rule: 'second_approver_role', detail: string }
  | { rule: 'dual_control_distinct', detail: string }

const sameParty = (a: Party, b: Party): boolean =>
  (a.keyId !== null && a.keyId === b.keyId) || (a.personId !== null && a.personId === b.personId)

/**
 * Maker and checker: the one rule every decision path applies (single and bulk decisions,
 * corrections, entries recorded on a worker's behalf). Only managers and admins decide time
 * (finance pays it, never approves it); nobody decides their own entry; and whoever created or
 * changed a piece of work never approves it, so no one moves money alone. Rejecting what one
 * made is allowed: it moves no money.
 *
 * Under dual control (`work.firstApprover` set: the entry has one approval and needs another)
 * the second decision belongs to finance or an admin, never the first approver nor a maker.
 * Returns why the actor may not decide, or undefined.
 */
export function checkerRefusal (
  checker: Actor, work: WorkToCheck, decision: 'approve' | 'reject'
): CheckerRefusal | undefined {
  const second = work.firstApprover !== undefined
  const roleMayDecide = checker.role === 'manager' || checker.role === 'admin' || (second && checker.role === 'finance')
  if (!roleMayDecide) {
    const detail = checker.role === 'finance'
      ? 'Finance pays approved time but never approves it first: a manager or an admin decides entries ' +
        '(finance gives the second approval where one is needed)'
      : 'Only managers and admins decide entries'
    return { rule: 'decider_role', detail }
  }
  if (checker.personId !== null && checker.personId === work.workerPersonId) {
    return { rule: 'own_entry', detail: 'Nobody approves or rejects their own entry' }
  }
  if (decision === 'reject') return undefined
  if (work.makers.some((maker) => sameParty(maker, checker))) {
    return {
      rule: 'maker_checker',
      detail: 'You recorded or changed this entry (or raised this correction): another manager or an admin must approve it'
    }
  }
  if (!second) return undefined
  if (checker.role !== 'finance' && checker.role !== 'admin') {
    return {
      rule: 'second_approver_role',
      detail: 'This entry has its first approval: the second must come from ' +
      'finance or an admin'
    }
  }
  if (sameParty(work.firstApprover!, checker)) {
    return {
      rule: 'dual_control_distinct',
      detail: 'You gave this entry its first approval: a different finance or ' +
      'admin approver must give the second'
    }
  }
  return undefined
}

/** What a decision moves, for dual control. */
export interface DecisionAmounts {
  /** Gross pay an entry's approval freezes, or a correction's signed amount, in pence. */
  pence: number
  kind: 'work' | 'adjustment'
  /** The approval lets the worker's week past a blocking earnings cap (with a reason). */
  overridesCap: boolean
}

/**
 * Dual control: why this approval needs a second, distinct approver (finance or admin), or
 * undefined when one approval is enough. Above the threshold an entry's gross, a correction in
 * either direction, and any override of a blocking earnings cap (whatever its size: a breach of
 * a benefit limit costs the worker more than its amount) each need two people.
 */
export function dualControlReason (amounts: DecisionAmounts, thresholdPence: number): string | undefined {
  const reasons: string[] = []
  const size = Math.abs(amounts.pence)
  if (size > thresholdPence) {
    const what = amounts.kind === 'work' ? 'The entry\'s gross pay' : 'The correction'
    const amount = `£${formatPounds(amounts.pence)}`
    reasons.push(`${what} (${amount}) is above the £${formatPounds(thresholdPence)} dual-control threshold`)
  }
  if (amounts.overridesCap) reasons.push('The approval overrides the worker\'s blocking earnings cap')
  return reasons.length === 0 ? undefined : reasons.join('; ')
}
