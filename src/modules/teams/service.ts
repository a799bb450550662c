import { and, desc, eq, inArray, type SQL } from 'drizzle-orm'
import type { Actor, ChangeContext } from '../../domain/actor.js'
import type { Db } from '../../db/open.js'
import { newestFirstAfter, newestFirstKey, toPage, type Page } from '../../db/pagination.js'
import { people, teamManagers, teams } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { notFound, ruleViolated } from '../../errors.js'
import { teamVisibleTo } from '../access/visibility.js'
import { recordAudit } from '../audit/service.js'
import { changeSet, checkVersion } from '../../db/versioned.js'

type TeamRow = typeof teams.$inferSelect

export interface TeamRecord extends TeamRow {
  /** People who approve the work of the team's members. */
  managerIds: string[]
}

export interface TeamInput {
  name: string
  costCentre: string
  sageDepartment?: number | null
  managerIds?: string[]
  active?: boolean
}

const auditView = (team: TeamRecord) => ({
  name: team.name,
  costCentre: team.costCentre,
  sageDepartment: team.sageDepartment,
  managerIds: team.managerIds,
  active: team.active,
  version: team.version
})

async function withManagers (db: Db, rows: TeamRow[]): Promise<TeamRecord[]> {
  if (rows.length === 0) return []
  const links = await db.select().from(teamManagers).where(inArray(teamManagers.teamId, rows.map((row) => row.id))).orderBy(teamManagers.personId)
  return rows.map((row) => ({ ...row, managerIds: links.filter((link) => link.teamId === row.id).map((link) => link.personId) }))
}

export async function findTeam (db: Db, actor: Actor, id: string, forUpdate = false): Promise<TeamRecord> {
  const query = db.select().from(teams).where(and(eq(teams.id, id), teamVisibleTo(actor, teams.id)))
  const [row] = forUpdate ? await query.for('update') : await query
  if (row === undefined) throw notFound('Team')
  const [record] = await withManagers(db, [row])
  return record!
}

export async function listTeams (db: Db, actor: Actor, filter: { active?: boolean, limit: number, cursor?: string }): Promise<Page<TeamRecord>> {
  const conditions: Array<SQL | undefined> = [
    teamVisibleTo(actor, teams.id),
    newestFirstAfter(teams.createdAt, teams.id, filter.cursor),
    filter.active === undefined ? undefined : eq(teams.active, filter.active)
  ]
  const rows = await db.select().from(teams).where(and(...conditions)).orderBy(desc(teams.createdAt), desc(teams.id)).limit(filter.limit + 1)
  const page = toPage(rows, filter.limit, (row) => row, newestFirstKey)
  return { items: await withManagers(db, page.items), nextCursor: page.nextCursor }
}

async function replaceManagers (tx: Db, teamId: string, managerIds: string[]): Promise<void> {
  const unique = [...new Set(managerIds)]
  if (unique.length > 0) {
    const found = await tx.select({ id: people.id }).from(people).where(inArray(people.id, unique))
    const missing = unique.filter((id) => !found.some((person) => person.id === id))
    if (missing.length > 0) throw ruleViolated('unknown_person', `No such person: ${missing.join(', ')}`, { field: '/managerIds', personIds: missing })
  }
  await tx.delete(teamManagers).where(eq(teamManagers.teamId, teamId))
  if (unique.length > 0) await tx.insert(teamManagers).values(unique.map((personId) => ({ teamId, personId })))
}

export async function createTeam (db: Db, ctx: ChangeContext, input: TeamInput): Promise<TeamRecord> {
  return inTransaction(db, async (tx) => {
    const [row] = await tx.insert(teams).values({
      name: input.name, costCentre: input.costCentre, sageDepartment: input.sageDepartment ?? null, active: input.active ?? true
    }).returning()
    await replaceManagers(tx, row!.id, input.managerIds ?? [])
    const record = await findTeam(tx, ctx.actor, row!.id)
    await recordAudit(tx, ctx, { action: 'team.created', entityType: 'team', entityId: record.id, after: auditView(record) })
    return record
  })
}

export async function updateTeam (db: Db, ctx: ChangeContext, id: string, expectedVersion: number, changes: Partial<TeamInput>): Promise<TeamRecord> {
  return inTransaction(db, async (tx) => {
    const current = await findTeam(tx, ctx.actor, id, true)
    checkVersion(current, expectedVersion)
    const { managerIds, ...fields } = changes
    if (managerIds !== undefined) await replaceManagers(tx, id, managerIds)
    await tx.update(teams).set(changeSet(current, fields)).where(eq(teams.id, id))
    const updated = await findTeam(tx, ctx.actor, id)
    await recordAudit(tx, ctx, { action: 'team.updated', entityType: 'team', entityId: id, before: auditView(current), after: auditView(updated) })
    return updated
  })
}
