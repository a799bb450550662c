import { sql, type SQL } from 'drizzle-orm'
import type { Actor } from '../../domain/actor.js'
import { timesheetEntries } from '../../db/schema.js'
import { managesTeam } from './visibility.js'

/**
 * Entries the actor may see: a worker their own, a manager those recorded for the teams they
 * manage (the entries they decide), finance and admin all.
 */
export function entryVisibleTo (actor: Actor): SQL | undefined {
  if (actor.role === 'admin' || actor.role === 'finance' || actor.role === 'system') return undefined
  if (actor.personId === null) return sql`false`
  if (actor.role === 'worker') return sql`${timesheetEntries.workerId} = ${actor.personId}`
  return managesTeam(actor, timesheetEntries.teamId)
}
