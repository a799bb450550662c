import { sql, type AnyColumn, type SQL } from 'drizzle-orm'
import type { Actor } from '../../domain/actor.js'
import { teamManagers, teamMembers } from '../../db/schema.js'

/**
 * Who may see what, as SQL conditions added to every query of a scoped resource: a worker sees
 * only themself, a manager the workers and teams they manage, finance and admin everything.
 * Out-of-scope rows are simply not found (404), never shown.
 * `undefined` means no restriction.
 */
const nothing = sql`false`

const seesEverything = (actor: Actor): boolean =>
  actor.role === 'admin' || actor.role === 'finance' || actor.role === 'system'

/** Workers the actor may see, given the column holding a worker id. */
export function workerVisibleTo (actor: Actor, workerId: AnyColumn | SQL): SQL | undefined {
  if (seesEverything(actor)) return undefined
  if (actor.personId === null) return nothing
  if (actor.role === 'worker') return sql`${workerId} = ${actor.personId}`
  return sql`exists (select 1 from ${teamMembers} join ${teamManagers} on ${teamManagers.teamId} = ${teamMembers.teamId}
    where ${teamMembers.workerId} = ${workerId} and ${teamManagers.personId} = ${actor.personId})`
}

/** Teams the actor may see: managers their own, workers those they belong to. */
export function teamVisibleTo (actor: Actor, teamId: AnyColumn | SQL): SQL | undefined {
  if (seesEverything(actor)) return undefined
  if (actor.personId === null) return nothing
  if (actor.role === 'worker') {
    return sql`exists (select 1 from ${teamMembers} where ${teamMembers.teamId} = ${teamId} and ${teamMembers.workerId} = ${actor.personId})`
  }
  return sql`exists (select 1 from ${teamManagers} where ${teamManagers.teamId} = ${teamId} and ${teamManagers.personId} = ${actor.personId})`
}

/** Whether the actor manages the team the column names (approval rights). */
export function managesTeam (actor: Actor, teamId: AnyColumn | SQL): SQL {
  if (actor.role === 'admin' || actor.role === 'system') return sql`true`
  if (actor.role !== 'manager' || actor.personId === null) return nothing
  return sql`exists (select 1 from ${teamManagers} where ${teamManagers.teamId} = ${teamId} and ${teamManagers.personId} = ${actor.personId})`
}
