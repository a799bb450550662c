export const roles = ['worker', 'manager', 'finance', 'admin'] as const
export type Role = typeof roles[number]

/** Who is making a request: the API key's identity, nothing from the request itself. */
export interface Actor {
  keyId: string | null
  role: Role | 'system'
  /** Key name, or `cli` for shell commands; shown in the audit trail. */
  label: string
  /** The person the key acts as: required for worker and manager keys, optional otherwise. */
  personId: string | null
}

/**
 * What a service needs to know about the call it serves: who (for scoping and the audit trail),
 * which request, the current instant and the zone local dates are in. Services never read a
 * clock or the configuration themselves.
 */
export interface ChangeContext {
  actor: Actor
  requestId: string | null
  now: Date
  zone: string
}

export const systemContext = (label: string, now = new Date(), zone = 'Europe/London'): ChangeContext => ({
  actor: { keyId: null, role: 'system', label, personId: null },
  requestId: null,
  now,
  zone
})
