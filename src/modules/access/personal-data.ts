import type { Actor } from '../../domain/actor.js'

/**
 * Where a worker's details are being shown: `own-record` is the worker's own record on /me;
 * `staff` is every other view (/workers, the audit trail), whoever the caller is.
 */
export type RecordView = 'own-record' | 'staff'

/**
 * Data minimisation: the one rule for who is shown a worker's date of birth. An admin (who
 * records and corrects it), and the worker themself through /me. Everyone else (managers,
 * finance, a worker key reading itself through /workers) gets the minimum-wage band and the
 * age band instead, which is all that pay decisions need.
 */
export function seesDateOfBirth (actor: Actor, view: RecordView, workerId: string | null = null): boolean {
  if (actor.role === 'admin') return true
  return view === 'own-record' && actor.role === 'worker' && actor.personId !== null &&
    actor.personId === workerId
}

/**
 * An audit snapshot (an event's `before` or `after`) as the caller may see it: a worker's date of
 * birth left out unless they may see it.
 */
export function auditSnapshotFor (actor: Actor, snapshot: unknown): unknown {
  if (seesDateOfBirth(actor, 'staff')) return snapshot
  if (snapshot === null || typeof snapshot !== 'object' || !Object.hasOwn(snapshot, 'dateOfBirth')) return snapshot
  const { dateOfBirth: _withheld, ...rest } = snapshot as Record<string, unknown>
  return rest
}
