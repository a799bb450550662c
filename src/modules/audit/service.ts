import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm'
import type { ChangeContext } from '../../domain/actor.js'
import type { Db } from '../../db/open.js'
import { auditEvents } from '../../db/schema.js'
import { decodeCursor, toPage, type Page } from '../../db/pagination.js'

export interface AuditChange {
  action: string
  entityType: string
  entityId: string
  before?: unknown
  after?: unknown
  reason?: string | null
}

/** Appends one audit event; call it inside the transaction that makes the change. */
export async function recordAudit (tx: Db, ctx: ChangeContext, change: AuditChange): Promise<void> {
  await tx.insert(auditEvents).values({
    actorKeyId: ctx.actor.keyId,
    actorRole: ctx.actor.role,
    actorLabel: ctx.actor.label,
    action: change.action,
    entityType: change.entityType,
    entityId: change.entityId,
    before: change.before ?? null,
    after: change.after ?? null,
    reason: change.reason ?? null,
    requestId: ctx.requestId
  })
}

export interface AuditFilter {
  entityType?: string
  entityId?: string
  actorKeyId?: string
  action?: string
  from?: string
  to?: string
  limit: number
  cursor?: string
}

export type AuditEventRow = typeof auditEvents.$inferSelect

/** Newest first; `from` inclusive and `to` exclusive, as instants. */
export async function listAuditEvents (db: Db, filter: AuditFilter): Promise<Page<AuditEventRow>> {
  const after = decodeCursor(filter.cursor, ['int64'])
  const conditions: SQL[] = []
  if (filter.entityType !== undefined) conditions.push(eq(auditEvents.entityType, filter.entityType))
  if (filter.entityId !== undefined) conditions.push(eq(auditEvents.entityId, filter.entityId))
  if (filter.actorKeyId !== undefined) conditions.push(eq(auditEvents.actorKeyId, filter.actorKeyId))
  if (filter.action !== undefined) conditions.push(eq(auditEvents.action, filter.action))
  if (filter.from !== undefined) conditions.push(gte(auditEvents.occurredAt, new Date(filter.from)))
  if (filter.to !== undefined) conditions.push(lt(auditEvents.occurredAt, new Date(filter.to)))
  if (after !== undefined) conditions.push(lt(auditEvents.id, after[0]))
  const rows = await db.select().from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.id))
    .limit(filter.limit + 1)
  return toPage(rows, filter.limit, (row) => row, (row) => [row.id])
}
