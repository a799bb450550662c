import type { Role } from '../../src/domain/actor.js'
import type { Harness, TestKey } from '../helpers/app.js'
import { client } from '../helpers/entries.js'

/** Kinds of resource a path id or an id field can name. */
export const kinds = ['apiKey', 'person', 'worker', 'team', 'activity', 'rate', 'entry', 'schedule', 'period', 'export'] as const
export type Kind = typeof kinds[number]

/**
 * The fuzzer's picture of the database: ids of real resources by kind (growing as the fuzzer
 * creates things), their last-seen ETags and states, and the secrets that must never leak.
 */
export interface FuzzWorld {
  pools: Record<Kind, string[]>
  /** Ids the fuzzer may read but never change: the people and keys its credentials act as. */
  protectedIds: Set<string>
  etags: Map<string, string>
  states: Map<string, string>
  /** Each worker's teams, as last read. */
  teamsOf: Map<string, string[]>
  /** The roles each operation takes, learned from its 403 answers. */
  allowedRoles: Map<string, Role[]>
  /** `nextCursor`s seen, by list path: valid cursors to send back. */
  cursors: Map<string, string[]>
  credentials: Record<Role, TestKey>
  /** Every API key secret known to the test, including keys the fuzzer made. */
  secrets: string[]
  /** A key that was revoked: presenting it must fail like any bad key. */
  revokedSecret: string
  /** Dates of birth of the fixture workers. */
  datesOfBirth: string[]
}

export const FIXED_NOW = new Date('2026-07-15T11:00:00Z')

/**
 * A small organisation with something in every state: two managers and three teams, workers
 * in every payment mode, default, team and worker rates, entries drafted, submitted,
 * approved, rejected, exported and corrected, a monthly schedule with an exported, a closed
 * and open periods, and spare API keys the fuzzer may revoke.
 */
export async function buildFuzzWorld (h: Harness): Promise<FuzzWorld> {
  const admin = await h.key('admin', 'fuzz admin')
  const finance = await h.key('finance', 'fuzz finance')
  const managerM = await h.person('Manager Em')
  const managerN = await h.person('Manager En')
  const manager = await h.key('manager', { name: 'fuzz manager', personId: managerM.id })
  const home = await h.team({ name: 'Home Team', costCentre: 'HT01', managerIds: [managerM.id] })
  const second = await h.team({ name: 'Second Team', costCentre: 'ST02', managerIds: [managerM.id] })
  const foreign = await h.team({ name: 'Foreign Team', costCentre: 'FT03', managerIds: [managerN.id] })
  const hourly = await h.activity({ code: 'PEER', name: 'Peer support', payElementCode: 'PE01', unit: 'hour' })
  const session = await h.activity({ code: 'TALK', name: 'Talk', payElementCode: 'PE02', unit: 'session' })

  const datesOfBirth = ['1991-01-11', '1982-02-22', '2004-03-13', '1975-04-24', '1968-05-05']
  const self = await h.worker({ displayName: 'Fuzz Self', teamIds: [home.id], payrollReference: 'FZ001', dateOfBirth: datesOfBirth[0] })
  const colleague = await h.worker({ displayName: 'Fuzz Colleague', teamIds: [home.id, second.id], payrollReference: 'FZ002', dateOfBirth: datesOfBirth[1], benefitGuard: 'custom', benefitCapPence: 20000, benefitPolicy: 'block' })
  const voucher = await h.worker({ displayName: 'Fuzz Voucher', teamIds: [second.id], payrollReference: 'FZ003', dateOfBirth: datesOfBirth[2], paymentMode: 'voucher', holidayPayMode: 'accrued' })
  const declined = await h.worker({ displayName: 'Fuzz Declined', teamIds: [foreign.id], payrollReference: 'FZ004', dateOfBirth: datesOfBirth[3], paymentMode: 'declined' })
  const spare = await h.worker({ displayName: 'Fuzz Spare', teamIds: [home.id, foreign.id], payrollReference: 'FZ005', dateOfBirth: datesOfBirth[4], benefitGuard: 'esa_permitted_work', benefitPolicy: 'warn' })
  const worker = await h.key('worker', { name: 'fuzz worker', personId: self.id })

  const asAdmin = client(h, admin)
  // Whoever records an entry never approves it (maker and checker): a second admin approves the first's.
  const asSecondAdmin = client(h, await h.key('admin', 'fuzz second admin'))
  const asFinance = client(h, finance)
  const asManager = client(h, manager)
  const made = async (result: Promise<{ status: number, body: unknown }>, expected = 201): Promise<{ id: string }> => {
    const { status, body } = await result
    if (status !== expected) throw new Error(`fuzz world: expected ${expected}, got ${status} ${JSON.stringify(body)}`)
    return body as { id: string }
  }

  const rates = [
    await made(asAdmin.call('POST', '/rates', { activityTypeId: hourly.id, scope: 'default', pencePerUnit: 1500, validFrom: '2024-04-01' })),
    await made(asAdmin.call('POST', '/rates', { activityTypeId: session.id, scope: 'default', pencePerUnit: 5000, validFrom: '2024-04-01' })),
    await made(asAdmin.call('POST', '/rates', { activityTypeId: hourly.id, scope: 'team', teamId: second.id, pencePerUnit: 1600, validFrom: '2025-04-01' })),
    await made(asAdmin.call('POST', '/rates', { activityTypeId: hourly.id, scope: 'worker', workerId: colleague.id, pencePerUnit: 1700, validFrom: '2025-04-01', validTo: '2026-12-31' }))
  ]
  const schedule = await made(asFinance.call('POST', '/pay-schedules', { name: 'Monthly', frequency: 'monthly', anchorDate: '2025-01-01', payDateOffsetDays: 5, payrollCalendarCode: 'CAL1', isDefault: true }))

  // Entries: recorded by the manager (home and second team) or an admin (foreign team). Each
  // step sends the ETag the previous answer gave.
  const entries: string[] = []
  const etags = new Map<string, string>()
  const states = new Map<string, string>()
  const record = async (by: ReturnType<typeof client>, workerId: string, teamId: string, workDate: string, then: Array<'submit' | 'approve' | 'reject'>, activityTypeId = hourly.id) => {
    let result = await by.create({ workerId, teamId, activityTypeId, workDate, startTime: '10:00', endTime: '11:30', breakMinutes: 0, notes: 'fuzz world' })
    if (result.status !== 201) throw new Error(`fuzz world: entry ${result.status} ${JSON.stringify(result.body)}`)
    const id = result.body.id as string
    for (const step of then) {
      const actor = step === 'approve' ? (by === asAdmin ? asSecondAdmin : asAdmin) : by
      result = await actor.call('POST', `/entries/${id}/${step}`, step === 'reject' ? { reason: 'wrong day' } : undefined, { 'if-match': result.etag! })
      if (result.status !== 200) throw new Error(`fuzz world: ${step} ${result.status} ${JSON.stringify(result.body)}`)
    }
    etags.set(id, result.etag!)
    states.set(id, result.body.state)
    entries.push(id)
    return id
  }
  const exportedEntry = await record(asManager, self.id, home.id, '2026-03-02', ['submit', 'approve'])
  await record(asManager, colleague.id, home.id, '2026-03-03', ['submit', 'approve'])
  await record(asManager, voucher.id, second.id, '2026-03-04', ['submit', 'approve'], session.id)
  await record(asAdmin, declined.id, foreign.id, '2026-03-05', ['submit', 'approve'])
  await record(asManager, self.id, home.id, '2026-04-06', ['submit', 'approve'])
  await record(asManager, colleague.id, second.id, '2026-04-07', ['submit', 'approve'])
  for (const [workerId, teamId, by] of [[self.id, home.id, asManager], [colleague.id, home.id, asManager], [voucher.id, second.id, asManager], [declined.id, foreign.id, asAdmin], [spare.id, home.id, asManager]] as const) {
    await record(by, workerId, teamId, '2026-05-04', ['submit'])
    await record(by, workerId, teamId, '2026-05-11', ['submit', 'approve'])
    await record(by, workerId, teamId, '2026-06-01', [])
    await record(by, workerId, teamId, '2026-06-02', ['submit', 'reject'])
    await record(by, workerId, teamId, '2026-06-08', [])
  }
  // March exported, April closed, later months open.
  const periods: string[] = []
  const period = async (date: string) => {
    const found = await asFinance.call('GET', `/pay-schedules/${schedule.id}/period-for-date?date=${date}`)
    periods.push(found.body.id)
    etags.set(found.body.id, found.etag!)
    states.set(found.body.id, found.body.state)
    return found
  }
  const close = async (date: string) => {
    const p = await period(date)
    const closed = await made(asFinance.call('POST', `/pay-periods/${p.body.id}/close`, undefined, { 'if-match': p.etag! }), 200) as { id: string, version: number }
    etags.set(closed.id, `"${closed.id}:${closed.version}"`)
    states.set(closed.id, 'closed')
    return closed.id
  }
  const march = await close('2026-03-15')
  const batch = await made(asFinance.call('POST', `/pay-periods/${march}/exports`))
  states.set(march, 'exported')
  etags.delete(march)
  // The export claimed March's four approved entries (a version later; their ETags go stale).
  for (const entry of entries.slice(0, 4)) states.set(entry, 'exported')
  await close('2026-04-15')
  for (const date of ['2026-05-15', '2026-06-15', '2026-07-15', '2025-12-15']) await period(date)
  const correction = await made(asManager.call('POST', `/entries/${exportedEntry}/corrections`, { minutes: 15, reason: 'forgot the debrief' }))
  entries.push(correction.id)
  states.set(correction.id, 'submitted')

  // Keys the fuzzer may revoke, and one already revoked.
  const spareKeys = [await h.key('finance', 'spare finance'), await h.key('admin', 'spare admin'), await h.key('worker', { name: 'spare worker', personId: spare.id })]
  const revoked = await h.key('manager', { name: 'revoked manager', personId: managerN.id })
  await made(asAdmin.call('POST', `/api-keys/${revoked.id}/revoke`, undefined, { 'if-match': `"${revoked.id}:1"` }), 200)

  const credentials = { admin, finance, manager, worker }
  const world: FuzzWorld = {
    pools: {
      apiKey: [...Object.values(credentials), ...spareKeys, revoked].map((k) => k.id),
      person: [managerM.id, managerN.id, self.id, colleague.id, voucher.id, declined.id, spare.id],
      worker: [self.id, colleague.id, voucher.id, declined.id, spare.id],
      team: [home.id, second.id, foreign.id],
      activity: [hourly.id, session.id],
      rate: rates.map((r) => r.id),
      entry: entries,
      schedule: [schedule.id],
      period: periods,
      export: [batch.id]
    },
    protectedIds: new Set([...Object.values(credentials).map((k) => k.id), managerM.id, self.id, home.id]),
    // ETags not learned here are of version 1: every other fixture is as it was made.
    etags,
    states,
    cursors: new Map(),
    teamsOf: new Map([self, colleague, voucher, declined, spare].map((w) => [w.id, w.teamIds])),
    allowedRoles: new Map(),
    credentials,
    secrets: [...Object.values(credentials), ...spareKeys, revoked].map((k) => k.secret),
    revokedSecret: revoked.secret,
    datesOfBirth
  }
  return world
}
