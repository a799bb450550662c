import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import type { Harness, TestApp, TestKey } from './app.js'
import { isUnavailableProblem, timedInject } from './faults.js'

/** A fresh session for a worker's k-th entry: never overlapping the worker's others (2025, at the 2025/26 rate). */
export function sessionSlot (k: number): { workDate: string, startTime: string, endTime: string } {
  const month = 5 + Math.floor(k / (28 * 8))
  if (month > 12) throw new Error(`slot ${k} is past the end of 2025`)
  const day = 1 + (Math.floor(k / 8) % 28)
  const hour = 8 + (k % 8)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return { workDate: `2025-${pad(month)}-${pad(day)}`, startTime: `${pad(hour)}:00`, endTime: `${pad(hour)}:50` }
}

export interface LoadRecord {
  op: string
  status: number | 'hang'
  ms: number
  /** When it was sent, in ms since the load started (performance.now() origin of the process). */
  sentAtMs: number
  /** Phase (a label the test sets) when the request was sent and when its answer came. */
  sentIn: string
  answeredIn: string
  res: LightMyRequestResponse | undefined
}

/** The writes a load run got 2xx for: each must be in the database afterwards. */
export interface Acknowledged {
  created: Set<string>
  approved: Set<string>
}

export interface LoadClient {
  worker: TestKey
  workerId: string
  nextSlot: number
  /** Entries this client created and submitted, not yet approved (with the ETag from the 201). */
  awaiting: Array<{ id: string, etag: string }>
  mine: string[]
}

/**
 * A mixed workload for one client, one request at a time: record and submit a session,
 * approve one (as the manager), read an entry, list entries, ask /readyz. Every answer is
 * recorded; 2xx writes are acknowledged.
 */
export function loadOperations (options: { app: TestApp, manager: TestKey, activityTypeId: string, acknowledged: Acknowledged, phase: () => string }) {
  const { app, manager, activityTypeId, acknowledged, phase } = options
  const send = async (op: string, request: InjectOptions): Promise<LoadRecord> => {
    const sentIn = phase()
    const sentAtMs = performance.now()
    const { res, ms } = await timedInject(app, request)
    return { op, status: res?.statusCode ?? 'hang', ms, sentAtMs, sentIn, answeredIn: phase(), res }
  }
  return async function step (client: LoadClient, i: number): Promise<LoadRecord> {
    const kind = ['create', 'approve', 'read', 'create', 'list', 'approve', 'ready'][i % 7]!
    if (kind === 'create' || (kind === 'approve' && client.awaiting.length === 0)) {
      const record = await send('create', {
        method: 'POST', url: '/entries', headers: client.worker.headers, payload: { activityTypeId, ...sessionSlot(client.nextSlot++), submit: true }
      })
      if (record.status === 201) {
        const id = (record.res!.json() as { id: string }).id
        acknowledged.created.add(id)
        client.mine.push(id)
        client.awaiting.push({ id, etag: String(record.res!.headers.etag) })
      }
      return record
    }
    if (kind === 'approve') {
      const { id, etag } = client.awaiting.shift()!
      const record = await send('approve', { method: 'POST', url: `/entries/${id}/approve`, headers: { ...manager.headers, 'if-match': etag } })
      if (record.status === 200) acknowledged.approved.add(id)
      return record
    }
    if (kind === 'read' && client.mine.length > 0) {
      return send('read', { method: 'GET', url: `/entries/${client.mine[i % client.mine.length]!}`, headers: client.worker.headers })
    }
    if (kind === 'list' || kind === 'read') return send('list', { method: 'GET', url: '/entries?limit=20', headers: manager.headers })
    return send('ready', { method: 'GET', url: '/readyz' })
  }
}

/** What a request may answer while the database misbehaves: success, or 503 + Retry-After. */
export function answeredAcceptably (record: LoadRecord): boolean {
  if (record.res === undefined) return false
  return (record.status as number) < 300 || isUnavailableProblem(record.res)
}

export async function loadClients (h: Harness, teamId: string, count: number): Promise<LoadClient[]> {
  const clients: LoadClient[] = []
  for (let i = 0; i < count; i++) {
    const worker = await h.worker({ teamIds: [teamId] })
    clients.push({ worker: await h.key('worker', { personId: worker.id }), workerId: worker.id, nextSlot: 0, awaiting: [], mine: [] })
  }
  return clients
}

/** A short summary of answers, e.g. `201 x40, 503 x12`. */
export function statusCounts (records: LoadRecord[]): string {
  const counts = new Map<string, number>()
  for (const r of records) counts.set(String(r.status), (counts.get(String(r.status)) ?? 0) + 1)
  return [...counts].sort().map(([status, n]) => `${status} x${n}`).join(', ')
}
