import { and, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm'
import type { ChangeContext, Role } from '../../domain/actor.js'
import { lockFirstAdminKey } from '../../db/advisory-locks.js'
import type { Db } from '../../db/open.js'
import { apiKeys, people, workers } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { newestFirstAfter, newestFirstKey, toPage, type Page } from '../../db/pagination.js'
import { conflict, notFound, ruleViolated } from '../../errors.js'
import type { CallerKey } from '../../http/auth.js'
import { recordAudit } from '../audit/service.js'
import { bearerSecret, generateSecret, hashSecret, secretPrefixOf } from './secret.js'
import { lockForChange, nextVersion } from '../../db/versioned.js'

export type ApiKeyRow = typeof apiKeys.$inferSelect

/** The audit view of a key: never its hash. */
const auditView = (key: ApiKeyRow) => ({
  name: key.name,
  role: key.role,
  personId: key.personId,
  secretPrefix: key.secretPrefix,
  revokedAt: key.revokedAt,
  version: key.version
})

export interface CreateApiKeyInput {
  name: string
  role: Role
  /** The person a worker or manager key acts as (required for those roles). */
  personId?: string | null
}

/** Creates a key; the secret is returned here once and never stored. */
export async function createApiKey (db: Db, ctx: ChangeContext, input: CreateApiKeyInput): Promise<{ key: ApiKeyRow, secret: string }> {
  const secret = generateSecret()
  const personId = input.personId ?? null
  if (personId === null && (input.role === 'worker' || input.role === 'manager')) {
    throw ruleViolated('key_needs_person', `A ${input.role} key acts as a person: give personId`, { field: '/personId' })
  }
  return inTransaction(db, async (tx) => {
    if (personId !== null) {
      const [person] = await tx.select({ id: people.id, workerId: workers.id }).from(people)
        .leftJoin(workers, eq(workers.id, people.id)).where(eq(people.id, personId))
      if (person === undefined) throw ruleViolated('unknown_person', 'No such person', { field: '/personId' })
      if (input.role === 'worker' && person.workerId === null) {
        throw ruleViolated('not_a_worker', 'A worker key must act as a worker: make the person a worker first', { field: '/personId' })
      }
    }
    const [key] = await tx.insert(apiKeys).values({
      name: input.name,
      role: input.role,
      personId,
      secretHash: hashSecret(secret),
      secretPrefix: secretPrefixOf(secret),
      createdBy: ctx.actor.keyId
    }).returning()
    if (key === undefined) throw new Error('insert returned no row')
    await recordAudit(tx, ctx, { action: 'api_key.created', entityType: 'api_key', entityId: key.id, after: auditView(key) })
    return { key, secret }
  })
}

export interface ListApiKeysFilter { role?: Role, revoked?: boolean, personId?: string, limit: number, cursor?: string }

export async function listApiKeys (db: Db, filter: ListApiKeysFilter): Promise<Page<ApiKeyRow>> {
  const conditions: Array<SQL | undefined> = [newestFirstAfter(apiKeys.createdAt, apiKeys.id, filter.cursor)]
  if (filter.role !== undefined) conditions.push(eq(apiKeys.role, filter.role))
  if (filter.personId !== undefined) conditions.push(eq(apiKeys.personId, filter.personId))
  if (filter.revoked === true) conditions.push(sql`${apiKeys.revokedAt} is not null`)
  if (filter.revoked === false) conditions.push(isNull(apiKeys.revokedAt))
  const rows = await db.select().from(apiKeys)
    .where(and(...conditions))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(filter.limit + 1)
  return toPage(rows, filter.limit, (row) => row, newestFirstKey)
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
    const current = await lockForChange(tx, apiKeys, id, expectedVersion, 'API key')
    if (current.revokedAt !== null) throw conflict('This API key is already revoked')
    if (current.id === ctx.actor.keyId) throw conflict('A key cannot revoke itself; use another admin key')
    const [revoked] = await tx.update(apiKeys)
      .set({ revokedAt: sql`now()`, version: nextVersion(current) })
      .where(eq(apiKeys.id, id))
      .returning()
    if (revoked === undefined) throw new Error('update returned no row')
    await recordAudit(tx, ctx, { action: 'api_key.revoked', entityType: 'api_key', entityId: id, before: auditView(current), after: auditView(revoked) })
    return revoked
  })
}

/** The working key with this secret digest: not revoked, and its person (if any) active. */
async function findActiveKey (db: Db, secretHash: string): Promise<ApiKeyRow | undefined> {
  const [found] = await db.select({ key: apiKeys }).from(apiKeys)
    .leftJoin(people, eq(people.id, apiKeys.personId))
    .where(and(eq(apiKeys.secretHash, secretHash), isNull(apiKeys.revokedAt), or(isNull(apiKeys.personId), eq(people.active, true))))
  return found?.key
}

/** Records use at most once a minute per key, so reads stay reads. */
async function touchLastUsed (db: Db, key: ApiKeyRow): Promise<void> {
  if (key.lastUsedAt !== null && Date.now() - key.lastUsedAt.getTime() < 60_000) return
  await db.update(apiKeys).set({ lastUsedAt: sql`now()` }).where(eq(apiKeys.id, key.id))
}

/**
 * The auth plugin's key lookup (`findKey` of src/http/auth.ts, given it by src/app.ts): the
 * working key whose secret an `Authorization: Bearer <secret>` header carries.
 */
export async function findCallerKey (db: Db, authorization: string | undefined): Promise<CallerKey | undefined> {
  const secret = bearerSecret(authorization)
  if (secret === undefined) return undefined
  const key = await findActiveKey(db, hashSecret(secret))
  if (key === undefined) return undefined
  return { id: key.id, role: key.role, name: key.name, personId: key.personId, recordUse: async () => { await touchLastUsed(db, key) } }
}

/**
 * First run: when no key has ever existed, creates one admin key and returns its secret.
 * Serialised by a transaction-scoped advisory lock (src/db/advisory-locks.ts) so concurrent
 * starts make at most one.
 */
export async function bootstrapAdminKey (db: Db, ctx: ChangeContext): Promise<string | undefined> {
  return inTransaction(db, async (tx) => {
    await lockFirstAdminKey(tx)
    const [existing] = await tx.select({ id: apiKeys.id }).from(apiKeys).limit(1)
    if (existing !== undefined) return undefined
    const { secret } = await createApiKey(tx, ctx, { name: 'first admin', role: 'admin' })
    return secret
  })
}
