import Type, { type Static } from 'typebox'
import { Instant, InstantInput, Nullable, Uuid } from '../../http/common-schemas.js'
import { pageOf, pageQueryFields } from '../../http/pagination.js'
import { roles, type Actor } from '../../domain/actor.js'
import { auditSnapshotFor } from '../access/personal-data.js'
import type { AuditEventRow } from './service.js'

const withheld = '; a worker\'s `dateOfBirth` is left out for callers other than an admin'

export const AuditEvent = Type.Object({
  id: Type.Integer({ description: 'Position in the audit trail (increasing)' }),
  occurredAt: Instant('When the change was made'),
  actorKeyId: Nullable(Uuid('Key that made the change'), 'Key that made the change; null for shell commands'),
  actorRole: Nullable(Type.Enum([...roles, 'system']), 'Role of that key, or `system` for shell commands and the service itself'),
  actorLabel: Type.String({ description: 'Name of that key, or the shell command' }),
  action: Type.String({ description: 'What happened, e.g. `api_key.revoked`' }),
  entityType: Type.String({ description: 'Kind of record changed' }),
  entityId: Type.String({ description: 'Id of the record changed' }),
  before: Type.Unknown({ description: `The record before the change (null when created)${withheld}` }),
  after: Type.Unknown({ description: `The record after the change (null when removed)${withheld}` }),
  reason: Nullable(Type.String(), 'Reason given, where the action takes one'),
  requestId: Nullable(Type.String(), 'Request that made the change')
}, { $id: 'AuditEvent', description: 'One change, as recorded when it was made; never altered' })

export const ListAuditEventsQuery = Type.Object({
  entityType: Type.Optional(Type.String({ maxLength: 100, description: 'Only events about this kind of record' })),
  entityId: Type.Optional(Type.String({ maxLength: 100, description: 'Only events about this record' })),
  actorKeyId: Type.Optional(Uuid('Only changes made with this key')),
  action: Type.Optional(Type.String({ maxLength: 100, description: 'Only this action' })),
  from: Type.Optional(InstantInput('Only events at or after this instant')),
  to: Type.Optional(InstantInput('Only events before this instant')),
  ...pageQueryFields
}, { additionalProperties: false })

export const AuditEventPage = pageOf(Type.Ref('AuditEvent'), 'Events, newest first')

export type AuditEventView = Static<typeof AuditEvent>

/** An event as the caller may see it (personal data in the snapshots withheld per auditSnapshotFor). */
export const toAuditEventView = (row: AuditEventRow, actor: Actor): AuditEventView => ({
  id: row.id,
  occurredAt: row.occurredAt.toISOString(),
  actorKeyId: row.actorKeyId,
  actorRole: row.actorRole,
  actorLabel: row.actorLabel,
  action: row.action,
  entityType: row.entityType,
  entityId: row.entityId,
  before: auditSnapshotFor(actor, row.before),
  after: auditSnapshotFor(actor, row.after),
  reason: row.reason,
  requestId: row.requestId
})

export const auditSchemas = [AuditEvent]
