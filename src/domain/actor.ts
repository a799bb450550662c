export const roles = ['worker', 'manager', 'finance', 'admin'] as const
export type Role = typeof roles[number]

/** Who is making a request: the API key's identity, nothing from the request itself. */
export interface Actor {
  keyId: string | null
  role: Role | 'system'
  /** Key name, or `cli` for shell commands; shown in the audit trail. */
  label: string
}

/** What every change needs to be audited: who did it and under which request. */
export interface ChangeContext {
  actor: Actor
  requestId: string | null
}

export const systemContext = (label: string): ChangeContext => ({
  actor: { keyId: null, role: 'system', label },
  requestId: null
})
