import type { Test } from 'tap'
import { createRate } from '../../src/modules/rates/service.js'
import { build, type Harness, type TestKey } from './app.js'

/**
 * The small organisation the concurrency model runs over, on a fresh database of its own:
 * two teams with a manager each, four workers (two per team), finance and an admin, one
 * hourly activity at £12.21 (the 2025/26 adult minimum wage), a monthly pay schedule and its
 * periods from May to October 2025.
 */
export interface ModelWorld {
  h: Harness
  activityId: string
  /** Two managers a team: approvals alternate between them, so maker and checker is exercised. */
  teams: Array<{ id: string, manager: TestKey, deputy: TestKey }>
  workers: Array<{ id: string, teamIdx: number, key: TestKey }>
  finance: TestKey
  admin: TestKey
  periods: Array<{ id: string, startDate: string, endDate: string, version: number }>
  /** Closes the app and drops the database. */
  close (): Promise<void>
}

export const RATE_PENCE = 1221
export const MONTHS = ['2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10']

/** build() outside a tap test: its teardowns run when the world is closed. */
function detachedTest (): { t: Test, close: () => Promise<void> } {
  const teardowns: Array<() => unknown> = []
  const t = { teardown: (fn: () => unknown) => { teardowns.push(fn) } } as unknown as Test
  return { t, close: async () => { for (const fn of teardowns.splice(0).reverse()) await fn() } }
}

export async function buildModelWorld (): Promise<ModelWorld> {
  const scope = detachedTest()
  try {
    const h = await build(scope.t, { now: new Date('2026-11-29T12:00:00Z'), poolMax: 12 })
    const activity = await h.activity({ code: 'PEER', name: 'Peer support', payElementCode: 'SESS01' })
    await createRate(h.database.handle.db, h.ctx, { activityTypeId: activity.id, scope: 'default', pencePerUnit: RATE_PENCE, validFrom: '2025-04-01' })
    const teams: ModelWorld['teams'] = []
    for (const name of ['Youth Voice', 'Carers Panel']) {
      const person = await h.person(`Manager of ${name}`)
      const deputy = await h.person(`Deputy manager of ${name}`)
      const team = await h.team({ name, managerIds: [person.id, deputy.id] })
      teams.push({ id: team.id, manager: await h.key('manager', { personId: person.id }), deputy: await h.key('manager', { personId: deputy.id }) })
    }
    const workers: ModelWorld['workers'] = []
    for (let i = 0; i < 4; i++) {
      const teamIdx = i % 2
      const worker = await h.worker({ teamIds: [teams[teamIdx]!.id], payrollReference: `M${i + 1}` })
      workers.push({ id: worker.id, teamIdx, key: await h.key('worker', { personId: worker.id }) })
    }
    const finance = await h.key('finance')
    const admin = await h.key('admin')
    const schedule = await h.app.inject({
      method: 'POST',
      url: '/pay-schedules',
      headers: finance.headers,
      payload: { name: 'Monthly', frequency: 'monthly', anchorDate: '2025-01-01', payDateOffsetDays: 5, payrollCalendarCode: 'CAL-1' }
    })
    if (schedule.statusCode !== 201) throw new Error(`pay schedule: ${schedule.body}`)
    const periods: ModelWorld['periods'] = []
    for (const month of MONTHS) {
      const res = await h.app.inject({ method: 'GET', url: `/pay-schedules/${(schedule.json() as { id: string }).id}/period-for-date?date=${month}-15`, headers: finance.headers })
      const period = res.json() as { id: string, startDate: string, endDate: string }
      periods.push({ id: period.id, startDate: period.startDate, endDate: period.endDate, version: versionOf(String(res.headers.etag)) })
    }
    return { h, activityId: activity.id, teams, workers, finance, admin, periods, close: scope.close }
  } catch (error) {
    await scope.close()
    throw error
  }
}

/** The version in an ETag `"<id>:<version>"`. */
export function versionOf (etag: string): number {
  const match = /:(\d+)"$/.exec(etag)
  if (match === null) throw new Error(`not an ETag of ours: ${etag}`)
  return Number(match[1])
}
