import { MONTHS } from './model-world.js'

/**
 * The expected state of the world for the concurrency model (test/concurrency/model.test.ts),
 * kept only from what the service answered: every 2xx moves it on, nothing else does.
 */
export type EntryState = 'draft' | 'submitted' | 'approved' | 'rejected' | 'exported'

export interface ModelEntry {
  id: string
  workerIdx: number
  kind: 'work' | 'adjustment'
  state: EntryState
  version: number
  workDate: string
  /** Work entries: `<worker>:<slot>`, the hour they were recorded in, and their minutes of the day. */
  cell?: string
  startMinute?: number
  endMinute?: number
  correctsId?: string
  /** Expected frozen gross once approved. */
  expectedGrossPence: number
  /** Keys that created or changed it (raised it, for a correction): none of them may approve it. */
  makers?: string[]
  batchId?: string
}

export interface ModelPeriod { id: string, endDate: string, state: 'open' | 'closed' | 'exported', version: number }

export class Model {
  readonly entries = new Map<string, ModelEntry>()
  readonly periods: ModelPeriod[]
  readonly nextSlot: number[]
  /** Expected audit events: `<entity id> <action>` -> count. */
  readonly audit = new Map<string, number>()
  readonly batches = new Map<string, { periodIdx: number, entries: Set<string> }>()

  constructor (periods: Array<{ id: string, endDate: string, version: number }>, workers: number) {
    this.periods = periods.map((p) => ({ id: p.id, endDate: p.endDate, state: 'open', version: p.version }))
    this.nextSlot = Array.from({ length: workers }, () => 0)
  }

  audited (entityId: string, action: string): void {
    const key = `${entityId} ${action}`
    this.audit.set(key, (this.audit.get(key) ?? 0) + 1)
  }

  list (filter: (entry: ModelEntry) => boolean): ModelEntry[] {
    return [...this.entries.values()].filter(filter)
  }
}

/** A worker's k-th session: 50 minutes on a day from May to October 2025, never overlapping their others. */
export function slotSession (k: number): { workDate: string, startTime: string, endTime: string, startMinute: number } {
  const perHour = MONTHS.length * 28
  if (k >= perHour * 8) throw new Error('out of slots')
  const month = MONTHS[k % MONTHS.length]!
  const day = 1 + (Math.floor(k / MONTHS.length) % 28)
  const hour = 8 + Math.floor(k / perHour)
  const hh = String(hour).padStart(2, '0')
  return { workDate: `${month}-${String(day).padStart(2, '0')}`, startTime: `${hh}:00`, endTime: `${hh}:50`, startMinute: hour * 60 }
}

/** A session inside slot k's hour that overlaps the slot's own session (10 past to 20 to). */
export function overlappingSession (k: number): { workDate: string, startTime: string, endTime: string, startMinute: number } {
  const slot = slotSession(k)
  return { workDate: slot.workDate, startTime: `${slot.startTime.slice(0, 2)}:10`, endTime: `${slot.startTime.slice(0, 2)}:40`, startMinute: slot.startMinute + 10 }
}

export const WORK_GROSS_PENCE = Math.ceil(50 * 1221 / 60) // 1017.5 rounded up
export const OVERLAP_GROSS_PENCE = Math.ceil(30 * 1221 / 60)

/** What one request observed: status, and for bulk items the item's own outcome. */
export interface Observed { status: number, rule?: string, code?: string, id?: string, version?: number, replayed?: boolean }

/**
 * One operation of a round on a group of resources, replayed against a copy of the model:
 * `apply` says whether the observed outcome is what a sequential run would give at this
 * point, and moves the copy on as that outcome did.
 */
export interface GroupStep<S> {
  describe: string
  observed: Observed
  apply (state: S, observed: Observed): boolean
}

/**
 * Linearizability, for one group of concurrent operations on the same resources: some order
 * of them, run one after another, explains every observed outcome. Returns the state after
 * that order, or undefined when no order does (a lost update, a double success...).
 */
export function linearize<S> (initial: S, steps: Array<GroupStep<S>>, clone: (state: S) => S): S | undefined {
  const order: number[] = []
  const used = steps.map(() => false)
  const search = (state: S): S | undefined => {
    if (order.length === steps.length) return state
    for (let i = 0; i < steps.length; i++) {
      if (used[i]) continue
      const next = clone(state)
      if (!steps[i]!.apply(next, steps[i]!.observed)) continue
      used[i] = true
      order.push(i)
      const found = search(next)
      if (found !== undefined) return found
      used[i] = false
      order.pop()
    }
    return undefined
  }
  return search(clone(initial))
}

/** The entries of one group (a worker's slot, or one correction entry), as a replay state. */
export type EntriesState = Map<string, ModelEntry>

export const cloneEntries = (state: EntriesState): EntriesState => new Map([...state].map(([id, entry]) => [id, { ...entry }]))

const overlaps = (a: { startMinute?: number, endMinute?: number }, b: { startMinute?: number, endMinute?: number }): boolean =>
  a.startMinute! < b.endMinute! && b.startMinute! < a.endMinute!

export const isLive = (entry: ModelEntry): boolean => entry.state !== 'rejected'

/** Another live work entry of the group overlapping `session` (the group holds the whole slot hour). */
export function liveOverlap (state: EntriesState, session: { startMinute?: number, endMinute?: number }, exceptId?: string): boolean {
  return [...state.values()].some((other) => other.id !== exceptId && other.kind === 'work' && isLive(other) && overlaps(other, session))
}
