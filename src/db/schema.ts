import { sql } from 'drizzle-orm'
import {
  bigint, check, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid
} from 'drizzle-orm/pg-core'

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

export const roleEnum = pgEnum('role', ['worker', 'manager', 'finance', 'admin'])

/** Bearer credentials. Only the SHA-256 of a secret is kept; the secret is shown once. */
export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  role: roleEnum('role').notNull(),
  secretHash: text('secret_hash').notNull().unique(),
  secretPrefix: text('secret_prefix').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  createdBy: uuid('created_by'),
  lastUsedAt: instant('last_used_at'),
  revokedAt: instant('revoked_at'),
  version: integer('version').notNull().default(1)
}, (t) => [index('api_keys_created_idx').on(t.createdAt, t.id)])

/**
 * Append-only record of every change: a trigger refuses UPDATE, DELETE and TRUNCATE
 * (migrations/0001_audit_append_only.sql). Written in the same transaction as the change.
 */
export const auditEvents = pgTable('audit_events', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  occurredAt: instant('occurred_at').notNull().default(sql`clock_timestamp()`),
  actorKeyId: uuid('actor_key_id'),
  actorRole: text('actor_role'),
  actorLabel: text('actor_label').notNull(),
  action: text('action').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id').notNull(),
  before: jsonb('before'),
  after: jsonb('after'),
  reason: text('reason'),
  requestId: text('request_id')
}, (t) => [
  index('audit_events_entity_idx').on(t.entityType, t.entityId, t.id),
  index('audit_events_actor_idx').on(t.actorKeyId, t.id),
  index('audit_events_occurred_idx').on(t.occurredAt)
])

/** Stored outcomes of requests sent with an Idempotency-Key, scoped to the calling key. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  callerKeyId: uuid('caller_key_id').notNull().references(() => apiKeys.id),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  state: text('state', { enum: ['in_flight', 'done'] }).notNull(),
  responseStatus: integer('response_status'),
  responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
  responseBody: text('response_body'),
  createdAt: instant('created_at').notNull().defaultNow(),
  lockedUntil: instant('locked_until').notNull(),
  expiresAt: instant('expires_at').notNull()
}, (t) => [
  primaryKey({ columns: [t.callerKeyId, t.key] }),
  check('idempotency_keys_state_check', sql`${t.state} in ('in_flight', 'done')`),
  index('idempotency_keys_expires_idx').on(t.expiresAt)
])
