import { createEntry } from '../../src/modules/entries/service.js'
import { createRate } from '../../src/modules/rates/service.js'
import type { Harness, TestKey } from './app.js'

/**
 * Two teams side by side, for scoping tests: team X (manager M, worker W1) and team Y
 * (manager N, worker W2), each with rates. Keys act as W1 (worker) and M (manager), so team Y,
 * W2 and their rates are out of scope for both; admin and finance see everything.
 */
export interface Ids { worker: string, team: string, person: string, teamRate: string, workerRate: string, activity: string, entry: string }

export interface ScopeWorld {
  keys: { worker: TestKey, manager: TestKey, finance: TestKey, admin: TestKey }
  /** Resources the worker and manager keys must never reach. */
  foreign: Ids
  /** The same kinds, in scope for both keys. */
  own: Ids
  /** Strings that identify the foreign worker: none may appear in an out-of-scope answer. */
  foreignMarkers: string[]
  /** A worker in both teams: in scope for the manager, but team Y must stay hidden. */
  shared: string
  /** The date of birth of the worker the worker key acts as (W1): only they (on /me) and admins see it. */
  ownDateOfBirth: string
}

export async function buildScopeWorld (h: Harness): Promise<ScopeWorld> {
  const activity = await h.activity({ code: 'SCOPE_ACT' })
  const managerM = await h.person('Manager Em')
  const managerN = await h.person('Manager En')
  const teamX = await h.team({ name: 'Team X', managerIds: [managerM.id] })
  const teamY = await h.team({ name: 'Team Y', managerIds: [managerN.id] })
  const w1 = await h.worker({ displayName: 'Worker One', teamIds: [teamX.id], payrollReference: 'OWN-001', dateOfBirth: '1991-01-11' })
  const w2 = await h.worker({ displayName: 'Foreign Worker Two', teamIds: [teamY.id], payrollReference: 'FOREIGN-002', dateOfBirth: '1982-02-22' })
  const shared = await h.worker({ displayName: 'Shared Worker', teamIds: [teamX.id, teamY.id] })
  const rate = async (scope: 'team' | 'worker', id: string) => (await createRate(h.database.handle.db, h.ctx, {
    activityTypeId: activity.id, scope, ...(scope === 'team' ? { teamId: id } : { workerId: id }), pencePerUnit: 1500, validFrom: '2026-04-01'
  })).rate.id
  // A submitted entry for each worker: the foreign one must stay out of reach.
  const entry = async (workerId: string, teamId: string) => (await createEntry(h.database.handle.db, h.ctx, {
    workerId, teamId, activityTypeId: activity.id, workDate: '2026-06-01', startTime: '10:00', endTime: '11:00', breakMinutes: 0, submit: true
  })).entry.id
  return {
    keys: {
      worker: await h.key('worker', { personId: w1.id }),
      manager: await h.key('manager', { personId: managerM.id }),
      finance: await h.key('finance'),
      admin: await h.key('admin')
    },
    foreign: { worker: w2.id, team: teamY.id, person: w2.id, teamRate: await rate('team', teamY.id), workerRate: await rate('worker', w2.id), activity: activity.id, entry: await entry(w2.id, teamY.id) },
    own: { worker: w1.id, team: teamX.id, person: w1.id, teamRate: await rate('team', teamX.id), workerRate: await rate('worker', w1.id), activity: activity.id, entry: await entry(w1.id, teamX.id) },
    foreignMarkers: [w2.id, teamY.id, 'Foreign Worker Two', 'FOREIGN-002', '1982-02-22', 'Team Y'],
    shared: shared.id,
    ownDateOfBirth: w1.dateOfBirth
  }
}
