import type { Actor } from './actor.js'

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
}

export type CheckerRefusal =
  | { rule: 'decider_role', detail: string }
  | { rule: 'own_entry', detail: string }
  | { rule: 'maker_checker', detail: string }

const sameParty = (a: Party, b: Party): boolean =>
  (a.keyId !== null && a.keyId === b.keyId) || (a.personId !== null && a.personId === b.personId)

/**
 * Maker and checker: the one rule every decision path applies (single and bulk decisions,
 * corrections, entries recorded on a worker's behalf). Only managers and admins decide time
 * (finance pays it, never approves it); nobody decides their own entry; and whoever created or
 * changed a piece of work never approves it, so no one moves money alone. Rejecting what one
 * made is allowed: it moves no money. Returns why the actor may not decide, or undefined.
 */
export function checkerRefusal (
  checker: Actor, work: WorkToCheck, decision: 'approve' | 'reject'
): CheckerRefusal | undefined {
  if (checker.role !== 'manager' && checker.role !== 'admin') {
    const detail = checker.role === 'finance'
      ? 'Finance pays approved time but never approves it: a manager or an admin decides entries'
      : 'Only managers and admins decide entries'
    return { rule: 'decider_role', detail }
  }
  if (checker.personId !== null && checker.personId === work.workerPersonId) {
    return { rule: 'own_entry', detail: 'Nobody approves or rejects their own entry' }
  }
  if (decision === 'approve' && work.makers.some((maker) => sameParty(maker, checker))) {
    return {
      rule: 'maker_checker',
      detail: 'You recorded or changed this entry (or raised this correction): another manager or an admin must approve it'
    }
  }
  return undefined
}
