import { sql } from 'drizzle-orm'
import type { TestKey } from './app.js'
import {
  cloneEntries, liveOverlap, linearize, Model, OVERLAP_GROSS_PENCE, overlappingSession, slotSession, WORK_GROSS_PENCE,
  type EntriesState, type GroupStep, type ModelEntry, type ModelPeriod, type Observed
} from './entry-model.js'
import { versionOf, type ModelWorld } from './model-world.js'
import { query } from './sql.js'

/** One operation as generated: what to do, with numbers that pick its target at run time. */
export type OpSpec =
  | { kind: 'create', worker: number, byManager: boolean, submit: boolean, variant: 'fresh' | 'overlap' | 'race' | 'keyed-twice', pick: number }
  | { kind: 'submit' | 'withdraw' | 'approve' | 'reject' | 'patch', pick: number, illegal: boolean, stale: boolean, byAdmin: boolean }
  | { kind: 'bulk', team: number, approve: boolean, take: number, pick: number, outOfScope: boolean, stale: boolean }
  | { kind: 'close' | 'reopen' | 'export', period: number, illegal: boolean }
  | { kind: 'correct', pick: number, byFinance: boolean, amount: 'minutes15' | 'minutes30' | 'pence75' | 'clawbackTooMuch' }

export interface RoundStats {
  ops: number
  requests: number
  successes: number
  refusals: number
  /** Answers by status and rule (bulk items counted apart). */
  outcomes: Record<string, number>
}

/** A planned operation: its requests, and how its outcomes replay on the groups it touches. */
interface Planned {
  describe: string
  /** HTTP requests it sends (a bulk decision is one, whatever its items). */
  requests: number
  send: () => Promise<Observed[]>
  /** After the requests: the group steps, plus checks and audit that need no ordering. */
  settle: (observed: Observed[], round: RoundContext) => void
}

interface RoundContext {
  groups: Map<string, { state: EntriesState, steps: Array<GroupStep<EntriesState>> }>
  periodSteps: Map<number, Array<GroupStep<ModelPeriod>>>
  exports: Array<{ periodIdx: number, observed: Observed }>
  violations: string[]
  exportRan: () => boolean
}

const groupKeyOf = (entry: ModelEntry): string => entry.kind === 'work' ? `cell ${entry.cell!}` : `entry ${entry.id}`

async function request (world: ModelWorld, key: TestKey, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = {}): Promise<{ observed: Observed, body: Record<string, unknown> | undefined }> {
  const res = await world.h.app.inject({ method, url, headers: { ...key.headers, ...headers }, ...(payload === undefined ? {} : { payload }) })
  const body = /json/.test(String(res.headers['content-type'] ?? '')) && res.body !== '' ? res.json() as Record<string, unknown> : undefined
  const etag = res.headers.etag
  return {
    body,
    observed: {
      status: res.statusCode,
      ...(typeof body?.rule === 'string' ? { rule: body.rule } : {}),
      ...(typeof body?.code === 'string' ? { code: body.code } : {}),
      ...(typeof body?.id === 'string' ? { id: body.id } : {}),
      ...(typeof etag === 'string' && /^"[0-9a-f-]{36}:\d+"$/.test(etag) ? { version: versionOf(etag) } : {}),
      ...(res.headers['idempotent-replayed'] === 'true' ? { replayed: true } : {})
    }
  }
}

const ifMatch = (id: string, version: number) => ({ 'if-match': `"${id}:${version}"` })
const pickFrom = <T>(items: T[], pick: number): T | undefined => items.length === 0 ? undefined : items[pick % items.length]
const byAge = (a: ModelEntry, b: ModelEntry) => a.id < b.id ? -1 : 1

/** Turns one generated operation into requests against the model as it stands at the round's start. */
function plan (spec: OpSpec, model: Model, world: ModelWorld, serial: number): Planned | undefined {
  const managerOf = (entry: ModelEntry) => world.teams[world.workers[entry.workerIdx]!.teamIdx]!.manager
  switch (spec.kind) {
    case 'create': {
      const workerIdx = spec.worker % world.workers.length
      const worker = world.workers[workerIdx]!
      const key = spec.byManager ? world.teams[worker.teamIdx]!.manager : worker.key
      let slot: number
      let session
      if (spec.variant === 'overlap') {
        const target = pickFrom(model.list((e) => e.workerIdx === workerIdx && e.kind === 'work').sort(byAge), spec.pick)
        if (target === undefined) return undefined
        slot = Number(target.cell!.split(':')[1])
        session = overlappingSession(slot)
      } else {
        slot = model.nextSlot[workerIdx]!++
        session = slotSession(slot)
      }
      const cell = `${workerIdx}:${slot}`
      const minutes = spec.variant === 'overlap' ? 30 : 50
      const { workDate, startTime, endTime } = session
      const payload = { ...(spec.byManager ? { workerId: worker.id } : {}), activityTypeId: world.activityId, workDate, startTime, endTime, submit: spec.submit }
      const copies = spec.variant === 'race' || spec.variant === 'keyed-twice' ? 2 : 1
      const headers = spec.variant === 'keyed-twice' ? { 'idempotency-key': `model-${serial}` } : undefined
      const newEntry = (id: string): ModelEntry => ({
        id,
        workerIdx,
        kind: 'work',
        state: spec.submit ? 'submitted' : 'draft',
        version: spec.submit ? 2 : 1,
        workDate,
        cell,
        startMinute: session.startMinute,
        endMinute: session.startMinute + minutes,
        expectedGrossPence: minutes === 50 ? WORK_GROSS_PENCE : OVERLAP_GROSS_PENCE,
        makers: [key.id]
      })
      const created = (id: string) => { model.audited(id, 'entry.created'); if (spec.submit) model.audited(id, 'entry.submitted') }
      return {
        describe: `create ${spec.variant} w${workerIdx} slot ${slot}${spec.submit ? ' +submit' : ''}${spec.byManager ? ' by manager' : ''}`,
        requests: copies,
        send: async () => Promise.all(Array.from({ length: copies }, async () => (await request(world, key, 'POST', '/entries', payload, headers)).observed)),
        settle (observed, round) {
          if (spec.variant === 'keyed-twice') {
            // The same request twice with one Idempotency-Key: one entry, and the other copy
            // either replays it or is told the first is still running.
            const [first, second] = observed as [Observed, Observed]
            const original = [first, second].filter((o) => o.status === 201 && o.replayed !== true)
            const other = original[0] === first ? second : first
            const otherOk = (other.status === 201 && other.replayed === true && other.id === original[0]?.id) || (other.status === 409 && other.code === 'idempotency_key_in_flight')
            if (original.length !== 1 || !otherOk) {
              round.violations.push(`keyed create twice: ${JSON.stringify(observed)}`)
              return
            }
            model.entries.set(original[0]!.id!, newEntry(original[0]!.id!))
            created(original[0]!.id!)
            return
          }
          const group = groupFor(round, model, `cell ${cell}`)
          for (const o of observed) {
            group.steps.push({
              describe: `create ${cell}`,
              observed: o,
              apply (state, seen) {
                if (liveOverlap(state, { startMinute: session.startMinute, endMinute: session.startMinute + minutes })) return seen.status === 409 && seen.rule === 'overlapping_entry'
                if (seen.status !== 201 || seen.id === undefined || seen.version !== (spec.submit ? 2 : 1)) return false
                state.set(seen.id, newEntry(seen.id))
                return true
              }
            })
            if (o.status === 201 && o.id !== undefined) created(o.id)
          }
        }
      }
    }
    case 'submit': case 'withdraw': case 'approve': case 'reject': case 'patch': {
      const wanted: Record<typeof spec.kind, ModelEntry['state'][]> = {
        submit: ['draft', 'rejected'], withdraw: ['submitted'], approve: ['submitted'], reject: ['submitted'], patch: ['draft', 'rejected']
      }
      // Mostly a legal target; sometimes (illegal) any entry, to see the refusal.
      const candidates = model.list((e) => spec.illegal || wanted[spec.kind].includes(e.state)).sort(byAge)
      const target = pickFrom(candidates, spec.pick)
      if (target === undefined) return undefined
      const worker = world.workers[target.workerIdx]!
      const team = world.teams[worker.teamIdx]!
      const key = spec.kind === 'approve' || spec.kind === 'reject'
        ? (spec.byAdmin ? world.admin : spec.pick % 2 === 0 ? team.manager : team.deputy)
        : (spec.byAdmin && spec.kind !== 'patch' ? world.admin : worker.key)
      const version = spec.stale && target.version > 1 ? target.version - 1 : target.version
      const url = spec.kind === 'patch' ? `/entries/${target.id}` : `/entries/${target.id}/${spec.kind}`
      const payload = spec.kind === 'reject' ? { reason: 'Not the session agreed' } : spec.kind === 'patch' ? { notes: `note ${serial}` } : undefined
      return {
        describe: `${spec.kind} ${target.id.slice(0, 8)} v${version}${spec.stale ? ' (stale)' : ''}`,
        requests: 1,
        send: async () => [(await request(world, key, spec.kind === 'patch' ? 'PATCH' : 'POST', url, payload, ifMatch(target.id, version))).observed],
        settle (observed, round) {
          const o = observed[0]!
          groupFor(round, model, groupKeyOf(target)).steps.push(actionStep(spec.kind, target.id, version, o, round, key.id, key === worker.key))
          if (o.status === 200) {
            model.audited(target.id, { submit: 'entry.submitted', withdraw: 'entry.withdrawn', approve: 'entry.approved', reject: 'entry.rejected', patch: 'entry.updated' }[spec.kind])
          }
        }
      }
    }
    case 'bulk': {
      const teamIdx = spec.team % world.teams.length
      const mine = model.list((e) => e.state === 'submitted' && world.workers[e.workerIdx]!.teamIdx === teamIdx).sort(byAge)
      const chosen = mine.slice(spec.pick % Math.max(mine.length, 1)).slice(0, 1 + (spec.take % 4))
      const foreign = spec.outOfScope ? pickFrom(model.list((e) => world.workers[e.workerIdx]!.teamIdx !== teamIdx).sort(byAge), spec.pick) : undefined
      const stale = spec.stale ? pickFrom(model.list((e) => e.version > 1 && world.workers[e.workerIdx]!.teamIdx === teamIdx).sort(byAge), spec.pick + 1) : undefined
      const items = [
        ...chosen.map((e) => ({ entry: e, version: e.version, role: 'item' as const })),
        ...(foreign === undefined ? [] : [{ entry: foreign, version: foreign.version, role: 'foreign' as const }]),
        ...(stale === undefined || chosen.includes(stale) ? [] : [{ entry: stale, version: stale.version - 1, role: 'stale' as const }])
      ]
      if (items.length === 0) return undefined
      const action = spec.approve ? 'approve' : 'reject'
      return {
        describe: `bulk ${action} by team ${teamIdx} manager: ${items.map((i) => `${i.entry.id.slice(0, 8)}${i.role === 'item' ? '' : `(${i.role})`}`).join(' ')}`,
        requests: 1,
        async send () {
          const { observed, body } = await request(world, world.teams[teamIdx]!.manager, 'POST', '/entries/decisions', {
            decision: action, ...(spec.approve ? {} : { reason: 'Bulk refusal' }), items: items.map((i) => ({ id: i.entry.id, version: i.version }))
          })
          if (observed.status !== 200) return [observed]
          const results = (body as { results: Array<{ id: string, outcome: string, version?: number, status?: number, rule?: string, code?: string }> }).results
          return [observed, ...results.map((r) => r.outcome === 'failed'
            ? { status: r.status!, ...(r.rule === undefined ? {} : { rule: r.rule }), ...(r.code === undefined ? {} : { code: r.code }), id: r.id }
            : { status: 200, id: r.id, ...(r.version === undefined ? {} : { version: r.version }) })]
        },
        settle (observed, round) {
          const [whole, ...perItem] = observed
          if (whole!.status !== 200 || perItem.length !== items.length) {
            round.violations.push(`bulk ${action}: ${JSON.stringify(observed)}`)
            return
          }
          items.forEach((item, i) => {
            const o = perItem[i]!
            if (o.id !== item.entry.id) round.violations.push(`bulk ${action}: results out of order`)
            if (item.role === 'foreign') {
              if (o.status !== 404) round.violations.push(`bulk ${action}: an entry of another team answered ${o.status}, not 404`)
              return
            }
            groupFor(round, model, groupKeyOf(item.entry)).steps.push(actionStep(action, item.entry.id, item.version, o, round, world.teams[teamIdx]!.manager.id))
            if (o.status === 200) model.audited(item.entry.id, spec.approve ? 'entry.approved' : 'entry.rejected')
          })
        }
      }
    }
    case 'close': case 'reopen': case 'export': {
      // Mostly a period in the state the action needs; sometimes (illegal) any, to see the refusal.
      const wanted = spec.kind === 'close' ? 'open' : 'closed'
      const fitting = model.periods.map((p, i) => ({ p, i })).filter(({ p }) => spec.illegal || p.state === wanted).map(({ i }) => i)
      const periodIdx = pickFrom(fitting, spec.period) ?? spec.period % model.periods.length
      const period = model.periods[periodIdx]!
      const version = period.version
      const url = spec.kind === 'export' ? `/pay-periods/${period.id}/exports` : `/pay-periods/${period.id}/${spec.kind}`
      const payload = spec.kind === 'reopen' ? { reason: 'A late correction' } : undefined
      return {
        describe: `${spec.kind} period ${periodIdx} v${version}`,
        requests: 1,
        send: async () => [(await request(world, world.finance, 'POST', url, payload, spec.kind === 'export' ? {} : ifMatch(period.id, version))).observed],
        settle (observed, round) {
          const o = observed[0]!
          const steps = round.periodSteps.get(periodIdx) ?? []
          round.periodSteps.set(periodIdx, steps)
          steps.push(periodStep(spec.kind, version, o))
          if (spec.kind === 'export') round.exports.push({ periodIdx, observed: o })
          if (o.status === 200 || o.status === 201) {
            model.audited(period.id, { close: 'pay_period.closed', reopen: 'pay_period.reopened', export: 'pay_period.exported' }[spec.kind])
            if (spec.kind === 'export' && o.id !== undefined) model.audited(o.id, 'export.created')
          }
        }
      }
    }
    case 'correct': {
      // Approved or exported entries; a correction of a correction is refused (409).
      const target = pickFrom(model.list((e) => e.state === 'approved' || e.state === 'exported').sort(byAge), spec.pick)
      if (target === undefined) return undefined
      const amounts: Record<typeof spec.amount, { minutes: number } | { pence: number }> = {
        minutes15: { minutes: 15 }, minutes30: { minutes: 30 }, pence75: { pence: 75 }, clawbackTooMuch: { minutes: -1440 }
      }
      const body = amounts[spec.amount]
      const expectedGrossPence = 'pence' in body ? body.pence : Math.ceil(body.minutes * 1221 / 60)
      const key = spec.byFinance ? world.finance : managerOf(target)
      return {
        describe: `correct ${target.id.slice(0, 8)} by ${JSON.stringify(body)}`,
        requests: 1,
        send: async () => [(await request(world, key, 'POST', `/entries/${target.id}/corrections`, { ...body, reason: 'Session ran over' })).observed],
        settle (observed, round) {
          const o = observed[0]!
          groupFor(round, model, groupKeyOf(target)).steps.push({
            describe: `correct ${target.id}`,
            observed: o,
            apply (state, seen) {
              const original = state.get(target.id)!
              if (original.kind !== 'work') return seen.status === 409 && seen.rule === 'correction_of_correction'
              if (original.state !== 'approved' && original.state !== 'exported') return seen.status === 409 && seen.rule === 'illegal_transition'
              if ('minutes' in body && body.minutes < 0) return seen.status === 422 && seen.rule === 'correction_exceeds_entry'
              if (seen.status !== 201 || seen.id === undefined || seen.version !== 1) return false
              state.set(seen.id, {
                id: seen.id, workerIdx: original.workerIdx, kind: 'adjustment', state: 'submitted', version: 1, workDate: original.workDate, correctsId: original.id, expectedGrossPence, makers: [key.id]
              })
              return true
            }
          })
          if (o.status === 201 && o.id !== undefined) {
            model.audited(o.id, 'entry.created')
            model.audited(target.id, 'entry.corrected')
          }
        }
      }
    }
  }
}

function groupFor (round: RoundContext, model: Model, key: string) {
  let group = round.groups.get(key)
  if (group === undefined) {
    const members = model.list((e) => groupKeyOf(e) === key)
    group = { state: new Map(members.map((e) => [e.id, { ...e }])), steps: [] }
    round.groups.set(key, group)
  }
  return group
}

type Action = 'submit' | 'withdraw' | 'approve' | 'reject' | 'patch'

/** A state change with If-Match: what a sequential run answers at this point. */
function actionStep (action: Action, id: string, version: number, observed: Observed, round: RoundContext, byKeyId: string, byWorker = false): GroupStep<EntriesState> {
  return {
    describe: `${action} ${id}`,
    observed,
    apply (state, seen) {
      const entry = state.get(id)!
      // A correction's worker does not touch it (403), and it is decided, never withdrawn
      // (409 to an admin): both refused before the version is looked at.
      if ((action === 'submit' || action === 'patch' || action === 'withdraw') && byWorker && entry.kind === 'adjustment') return seen.status === 403
      if (action === 'withdraw' && entry.kind === 'adjustment') return seen.status === 409 && seen.rule === 'illegal_transition'
      // Maker and checker: whoever created or changed it never approves it (before the version).
      if (action === 'approve' && (entry.makers ?? []).includes(byKeyId)) return seen.status === 403 && seen.rule === 'maker_checker'
      if (entry.version !== version) return seen.status === 412
      let next: ModelEntry['state'] | undefined
      switch (action) {
        case 'submit':
          if (entry.state === 'draft') next = 'submitted'
          // Back to live: refused by the exclusion constraint when it now overlaps a live entry.
          else if (entry.state === 'rejected') next = entry.kind === 'work' && liveOverlap(state, entry, id) ? undefined : 'submitted'
          break
        case 'withdraw': if (entry.state === 'submitted') next = 'draft'; break
        case 'approve': if (entry.state === 'submitted') next = 'approved'; break
        case 'reject': if (entry.state === 'submitted') next = 'rejected'; break
        case 'patch':
          if (entry.kind === 'work' && (entry.state === 'draft' || (entry.state === 'rejected' && !liveOverlap(state, entry, id)))) next = entry.state
          break
      }
      if (next === undefined) {
        // An export in the same round may have claimed an approved entry first (its version moves on).
        return seen.status === 409 || (seen.status === 412 && entry.state === 'approved' && round.exportRan())
      }
      if (seen.status !== 200 || seen.version !== entry.version + 1) return false
      entry.state = next
      entry.version = seen.version
      if (action === 'submit' || action === 'patch') entry.makers = [...(entry.makers ?? []), byKeyId]
      return true
    }
  }
}

/** Close, reopen (If-Match) and export of one period, replayed. */
function periodStep (action: 'close' | 'reopen' | 'export', version: number, observed: Observed): GroupStep<ModelPeriod> {
  return {
    describe: `${action} period`,
    observed,
    apply (period, seen) {
      if (action === 'export') {
        if (period.state === 'exported') return seen.status === 409 && seen.rule === 'period_exported'
        if (period.state === 'open') return seen.status === 409 && seen.rule === 'period_open'
        // Whether anything was waiting is checked against the claimed entries afterwards.
        if (seen.status === 409) return seen.rule === 'nothing_to_export'
        if (seen.status !== 201) return false
        period.state = 'exported'
        period.version++
        return true
      }
      if (period.version !== version) return seen.status === 412
      const from = action === 'close' ? 'open' : 'closed'
      if (period.state !== from) return seen.status === 409
      if (seen.status !== 200 || seen.version !== period.version + 1) return false
      period.state = action === 'close' ? 'closed' : 'open'
      period.version = seen.version
      return true
    }
  }
}

/**
 * One round: the operations planned on the model as it stands, sent all at once, then every
 * outcome checked (some sequential order explains each group's outcomes; exports claimed
 * exactly what was waiting) and the model moved on. Returns the violations found.
 */
export async function runRound (model: Model, world: ModelWorld, specs: OpSpec[], stats: RoundStats, serial: { next: number }): Promise<string[]> {
  const planned = specs.map((spec) => plan(spec, model, world, serial.next++)).filter((p): p is Planned => p !== undefined)
  const approvedBefore = model.list((e) => e.state === 'approved')
  const observed = await Promise.all(planned.map((p) => p.send()))
  stats.ops += planned.length
  const tally = (label: string) => { stats.outcomes[label] = (stats.outcomes[label] ?? 0) + 1 }
  planned.forEach((p, i) => {
    observed[i]!.forEach((answer, n) => {
      const label = `${answer.status}${answer.rule === undefined ? answer.code === undefined || answer.status < 300 ? '' : ` ${answer.code}` : ` ${answer.rule}`}`
      if (n >= p.requests) {
        tally(`item ${label}`)
        return
      }
      tally(label)
      stats.requests++
      if (answer.status < 300) stats.successes++
      else stats.refusals++
    })
  })
  const round: RoundContext = {
    groups: new Map(),
    periodSteps: new Map(),
    exports: [],
    violations: [],
    exportRan: () => round.exports.some((e) => e.observed.status === 201)
  }
  planned.forEach((p, i) => p.settle(observed[i]!, round))
  for (const o of observed.flat()) {
    if (o.status >= 500) round.violations.push(`a ${o.status} answer: ${JSON.stringify(o)}`)
  }

  for (const [key, group] of round.groups) {
    const after = linearize(group.state, group.steps, cloneEntries)
    if (after === undefined) {
      round.violations.push(`no sequential order explains ${key}: ${group.steps.map((s) => `${s.describe} -> ${JSON.stringify(s.observed)}`).join('; ')} from ${JSON.stringify([...group.state.values()].map((e) => [e.id.slice(0, 8), e.state, e.version]))}`)
      continue
    }
    for (const entry of after.values()) model.entries.set(entry.id, entry)
  }
  for (const [periodIdx, steps] of round.periodSteps) {
    const after = linearize(model.periods[periodIdx]!, steps, (p) => ({ ...p }))
    if (after === undefined) round.violations.push(`no sequential order explains period ${periodIdx}: ${steps.map((s) => `${s.describe} -> ${JSON.stringify(s.observed)}`).join('; ')}`)
    else model.periods[periodIdx] = after
  }
  await reconcileExports(model, world, round, approvedBefore)
  return round.violations
}

/**
 * What each export of the round claimed (read back from the database): only approved entries
 * dated up to its period's end; together, every entry that was approved before the round and
 * dated in range; and a "nothing to export" only when another export took them.
 */
async function reconcileExports (model: Model, world: ModelWorld, round: RoundContext, approvedBefore: ModelEntry[]): Promise<void> {
  const made = round.exports.filter((e) => e.observed.status === 201 && e.observed.id !== undefined)
  const claimedThisRound = new Set<string>()
  for (const { periodIdx, observed } of made) {
    const rows = await world.h.app.inject({ method: 'GET', url: `/exports/${observed.id!}`, headers: world.finance.headers })
    if (rows.statusCode !== 200) { round.violations.push(`export ${observed.id!} cannot be read back: ${rows.statusCode}`); continue }
    const claimed = await claimedEntries(world, observed.id!)
    const endDate = model.periods[periodIdx]!.endDate
    for (const id of claimed) {
      const entry = model.entries.get(id)
      if (entry === undefined || entry.state !== 'approved' || entry.workDate > endDate) {
        round.violations.push(`export of period ${periodIdx} claimed ${id} (${entry?.state ?? 'unknown'}, ${entry?.workDate ?? '?'})`)
        continue
      }
      entry.state = 'exported'
      entry.version++
      entry.batchId = observed.id!
      claimedThisRound.add(id)
    }
    model.batches.set(observed.id!, { periodIdx, entries: claimed })
  }
  for (const { periodIdx, observed } of round.exports) {
    if (observed.status !== 201 && !(observed.status === 409 && observed.rule === 'nothing_to_export')) continue
    const endDate = model.periods[periodIdx]!.endDate
    const leftBehind = approvedBefore.filter((e) => e.workDate <= endDate && !claimedThisRound.has(e.id))
    if (leftBehind.length > 0) {
      round.violations.push(`export of period ${periodIdx} (${observed.status}${observed.rule === undefined ? '' : ` ${observed.rule}`}) left ${leftBehind.length} approved entries dated up to ${endDate} unclaimed`)
    }
  }
}

async function claimedEntries (world: ModelWorld, batchId: string): Promise<Set<string>> {
  const rows = await query<{ entry_id: string }>(world.h.database.handle.db, sql`select entry_id from export_entries where batch_id = ${batchId}`)
  return new Set(rows.map((r) => r.entry_id))
}
