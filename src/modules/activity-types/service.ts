import { and, desc, eq } from 'drizzle-orm'
import type { ChangeContext } from '../../domain/actor.js'
import type { Db } from '../../db/open.js'
import { newestFirstAfter, newestFirstKey, toPage, type Page } from '../../db/pagination.js'
import { activityTypes } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { notFound } from '../../errors.js'
import { recordAudit } from '../audit/service.js'
import { changeSet, lockForChange } from '../../db/versioned.js'

export type ActivityTypeRow = typeof activityTypes.$inferSelect

export interface ActivityTypeInput {
  code: string
  name: string
  payElementCode: string
  sagePaymentNumber?: number | null
  unit: 'hour' | 'session'
}

const auditView = (row: ActivityTypeRow) => {
  const { createdAt: _created, updatedAt: _updated, id: _id, ...fields } = row
  return fields
}

export async function createActivityType (db: Db, ctx: ChangeContext, input: ActivityTypeInput): Promise<ActivityTypeRow> {
  return inTransaction(db, async (tx) => {
    const [row] = await tx.insert(activityTypes).values(input).returning()
    await recordAudit(tx, ctx, { action: 'activity_type.created', entityType: 'activity_type', entityId: row!.id, after: auditView(row!) })
    return row!
  })
}

export async function getActivityType (db: Db, id: string): Promise<ActivityTypeRow> {
  const [row] = await db.select().from(activityTypes).where(eq(activityTypes.id, id))
  if (row === undefined) throw notFound('Activity type')
  return row
}

export async function listActivityTypes (db: Db, filter: { active?: boolean, limit: number, cursor?: string }): Promise<Page<ActivityTypeRow>> {
  const rows = await db.select().from(activityTypes)
    .where(and(
      filter.active === undefined ? undefined : eq(activityTypes.active, filter.active),
      newestFirstAfter(activityTypes.createdAt, activityTypes.id, filter.cursor)
    ))
    .orderBy(desc(activityTypes.createdAt), desc(activityTypes.id))
    .limit(filter.limit + 1)
  return toPage(rows, filter.limit, (row) => row, newestFirstKey)
}

export interface ActivityTypeChanges { name?: string, payElementCode?: string, sagePaymentNumber?: number | null, active?: boolean }

/** Name, pay element codes and active flag may change; code and unit never do (rates depend on them). */
export async function updateActivityType (
  db: Db, ctx: ChangeContext, id: string, expectedVersion: number, changes: ActivityTypeChanges
): Promise<ActivityTypeRow> {
  return inTransaction(db, async (tx) => {
    const current = await lockForChange(tx, activityTypes, id, expectedVersion, 'Activity type')
    const [updated] = await tx.update(activityTypes).set(changeSet(current, changes)).where(eq(activityTypes.id, id)).returning()
    await recordAudit(tx, ctx, { action: 'activity_type.updated', entityType: 'activity_type', entityId: id, before: auditView(current), after: auditView(updated!) })
    return updated!
  })
}
