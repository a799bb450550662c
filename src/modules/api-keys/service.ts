import { and, desc, eq, isNull, lt, or, sql, type SQL } from 'drizzle-orm'
import type { ChangeContext, Role } from '../../domain/actor.js'
import type { Db } from '../../db/open.js'
import { apiKeys } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { decodeCursor, toPage, type Page } from '../../db/pagination.js'
import { AppError, conflict, notFound, preconditionFailed } from '../../errors.js'
import { recordAudit } from '../audit/service.js'
import { generateSecret, hashSecret, secretPrefixOf } from './secret.js'

export type ApiKeyRow = typeof apiKeys.$inferSelect

/** The audit view of a key: never its hash. */
const auditView = (key: ApiKeyRow) => ({
  name: key.name,
  role: key.role,
  secretPrefix: key.secretPrefix,
  revokedAt: key.revokedAt,
  version: key.version
})

export interface CreateApiKeyInput { name: string, role: Role }

/** Creates a key; the secret is returned here once and never stored. */
export async function createApiKey (db: Db, ctx: ChangeContext, input: CreateApiKeyInput): Promise<{ key: ApiKeyRow, secret: string }> {
  const secret = generateSecret()
  return inTransaction(db, async (tx) => {
    const [key] = await tx.insert(apiKeys).values({
      name: input.name,
      role: input.role,
      secretHash: hashSecret(secret),
      secretPrefix: secretPrefixOf(secret),
      createdBy: ctx.actor.keyId
    }).returning()
    if (key === undefined) throw new Error('insert returned no row')
    await recordAudit(tx, ctx, { action: 'api_key.created', entityType: 'api_key', entityId: key.id, after: auditView(key) })
    return { key, secret }
  })
}

export interface ListApiKeysFilter { role?: Role, revoked?: boolean, limit: number, cursor?: string }

export async function listApiKeys (db: Db, filter: ListApiKeysFilter): Promise<Page<ApiKeyRow>> {
  const after = decodeCursor(filter.cursor, ['string', 'string'])
  const conditions: SQL[] = []
  if (filter.role !== undefined) conditions.push(eq(apiKeys.role, filter.role))
  if (filter.revoked === true) conditions.push(sql`${apiKeys.revokedAt} is not null`)
  if (filter.revoked === false) conditions.push(isNull(apiKeys.revokedAt))
  if (after !== undefined) {
    const [createdAt, id] = after
    const cursorInstant = new Date(createdAt)
    if (Number.isNaN(cursorInstant.getTime())) throw new AppError('invalid_cursor', 'The cursor is not one this service issued')
    conditions.push(or(lt(apiKeys.createdAt, cursorInstant), and(eq(apiKeys.createdAt, cursorInstant), lt(apiKeys.id, id)))!)
  }
  const rows = await db.select().from(apiKeys)
    .where(and(...conditions))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(filter.limit + 1)
  return toPage(rows, filter.limit, (row) => row, (row) => [row.createdAt.toISOString(), row.id])
}

export async function getApiKey (db: Db, id: string): Promise<ApiKeyRow> {
  const [key] = await db.select().from(apiKeys).where(eq(apiKeys.id, id))
  if (key === undefined) throw notFound('API key')
  return key
}

/**
 * Revokes a key at the version the caller last saw (If-Match). A revoked key stops working at
 * once; revoking again is a conflict, not a silent success.
 */
export async function revokeApiKey (db: Db, ctx: ChangeContext, id: string, expectedVersion: number): Promise<ApiKeyRow> {
  return inTransaction(db, async (tx) => {
    const [current] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for('update')
    if (current === undefined) throw notFound('API key')
    if (current.version !== expectedVersion) throw preconditionFailed(current.version)
    if (current.revokedAt !== null) throw conflict('This API key is already revoked')
    if (current.id === ctx.actor.keyId) throw conflict('A key cannot revoke itself; use another admin key')
    const [revoked] = await tx.update(apiKeys)
      .set({ revokedAt: sql`now()`, version: sql`${apiKeys.version} + 1` })
      .where(eq(apiKeys.id, id))
      .returning()
    if (revoked === undefined) throw new Error('update returned no row')
    await recordAudit(tx, ctx, { action: 'api_key.revoked', entityType: 'api_key', entityId: id, before: auditView(current), after: auditView(revoked) })
    return revoked
  })
}

/** The active key with this secret digest, if any. */
export async function findActiveKey (db: Db, secretHash: string): Promise<ApiKeyRow | undefined> {
  const [key] = await db.select().from(apiKeys)
    .where(and(eq(apiKeys.secretHash, secretHash), isNull(apiKeys.revokedAt)))
  return key
}

/** Records use at most once a minute per key, so reads stay reads. */
export async function touchLastUsed (db: Db, key: ApiKeyRow): Promise<void> {
  if (key.lastUsedAt !== null && Date.now() - key.lastUsedAt.getTime() < 60_000) return
  await db.update(apiKeys).set({ lastUsedAt: sql`now()` }).where(eq(apiKeys.id, key.id))
}

/**
 * First run: when no key has ever existed, creates one admin key and returns its secret.
 * Serialised by a transaction-scoped advisory lock so concurrent starts make at most one.
 */
export async function bootstrapAdminKey (db: Db, ctx: ChangeContext): Promise<string | undefined> {
  return inTransaction(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7351200413)`)
    const [existing] = await tx.select({ id: apiKeys.id }).from(apiKeys).limit(1)
    if (existing !== undefined) return undefined
    const { secret } = await createApiKey(tx, ctx, { name: 'first admin', role: 'admin' })
    return secret
  })
}
