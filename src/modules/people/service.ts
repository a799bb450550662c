import { and, desc, eq } from 'drizzle-orm'
import type { ChangeContext } from '../../domain/actor.js'
import type { Db } from '../../db/open.js'
import { newestFirstAfter, newestFirstKey, toPage, type Page } from '../../db/pagination.js'
import { people, workers } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { notFound } from '../../errors.js'
import { recordAudit } from '../audit/service.js'
import { changeSet, lockForChange, sideChangeSet } from '../../db/versioned.js'

export type PersonRow = typeof people.$inferSelect

const auditView = (person: PersonRow) => ({ displayName: person.displayName, active: person.active, version: person.version })

export async function createPerson (db: Db, ctx: ChangeContext, input: { displayName: string }): Promise<PersonRow> {
  return inTransaction(db, async (tx) => {
    const [person] = await tx.insert(people).values({ displayName: input.displayName }).returning()
    await recordAudit(tx, ctx, { action: 'person.created', entityType: 'person', entityId: person!.id, after: auditView(person!) })
    return person!
  })
}

export async function getPerson (db: Db, id: string): Promise<PersonRow> {
  const [person] = await db.select().from(people).where(eq(people.id, id))
  if (person === undefined) throw notFound('Person')
  return person
}

export interface PeopleFilter { active?: boolean, limit: number, cursor?: string }

export async function listPeople (db: Db, filter: PeopleFilter): Promise<Page<PersonRow>> {
  const rows = await db.select().from(people)
    .where(and(
      filter.active === undefined ? undefined : eq(people.active, filter.active),
      newestFirstAfter(people.createdAt, people.id, filter.cursor)
    ))
    .orderBy(desc(people.createdAt), desc(people.id))
    .limit(filter.limit + 1)
  return toPage(rows, filter.limit, (row) => row, newestFirstKey)
}

export async function updatePerson (db: Db, ctx: ChangeContext, id: string, expectedVersion: number, changes: { displayName?: string, active?: boolean }): Promise<PersonRow> {
  return inTransaction(db, async (tx) => {
    const current = await lockForChange(tx, people, id, expectedVersion, 'Person')
    const [updated] = await tx.update(people)
      .set(changeSet(current, changes))
      .where(eq(people.id, id))
      .returning()
    // A worker's record shows the person's name: its version (and ETag) moves too.
    await tx.update(workers).set(sideChangeSet(workers, {})).where(eq(workers.id, id))
    await recordAudit(tx, ctx, { action: 'person.updated', entityType: 'person', entityId: id, before: auditView(current), after: auditView(updated!) })
    return updated!
  })
}
