import Type, { type Static } from 'typebox'
import { roles } from '../../domain/actor.js'
import { Instant, Nullable, Uuid } from '../../http/common-schemas.js'
import { pageOf, pageQueryFields } from '../../http/pagination.js'
import type { ApiKeyRow } from './service.js'

export const ApiKey = Type.Object({
  id: Uuid('Key id'),
  name: Type.String({ description: 'Who or what uses the key' }),
  role: Type.Enum([...roles], { description: 'The key\'s role' }),
  secretPrefix: Type.String({ description: 'The first characters of the secret, to tell keys apart' }),
  createdAt: Instant('When the key was made'),
  createdBy: Nullable(Uuid('Key that made it'), 'Key that made it; null when made from the shell'),
  personId: Nullable(Uuid('Person'), 'The person the key acts as (always set for worker and manager keys)'),
  lastUsedAt: Nullable(Instant('Last use'), 'Last authenticated request (updated at most once a minute)'),
  revokedAt: Nullable(Instant('Revocation time'), 'When the key was revoked; null while it works'),
  version: Type.Integer({ description: 'Changes on every update; part of the ETag' })
}, { $id: 'ApiKey', description: 'An API key (never its secret)' })

export const CreatedApiKey = Type.Object({
  ...ApiKey.properties,
  secret: Type.String({ description: 'The key itself. Shown only in this response: store it now.' })
}, { $id: 'CreatedApiKey', description: 'A new API key with its secret' })

export const CreateApiKeyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, description: 'Who or what will use the key' }),
  role: Type.Enum([...roles], { description: 'The key\'s role' }),
  personId: Type.Optional(Nullable(Uuid('Person'), 'The person the key acts as: required for worker keys (a worker) and manager keys (someone who manages teams)'))
}, { additionalProperties: false })

export const ListApiKeysQuery = Type.Object({
  role: Type.Optional(Type.Enum([...roles], { description: 'Only keys of this role' })),
  revoked: Type.Optional(Type.Boolean({ description: 'true: only revoked keys; false: only working keys' })),
  personId: Type.Optional(Uuid('Only keys acting as this person')),
  ...pageQueryFields
}, { additionalProperties: false })

export const ApiKeyPage = pageOf(Type.Ref('ApiKey'), 'Keys, newest first')

export type ApiKeyView = Static<typeof ApiKey>

export const toApiKeyView = (key: ApiKeyRow): ApiKeyView => ({
  id: key.id,
  name: key.name,
  role: key.role,
  secretPrefix: key.secretPrefix,
  createdAt: key.createdAt.toISOString(),
  createdBy: key.createdBy,
  personId: key.personId,
  lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  revokedAt: key.revokedAt?.toISOString() ?? null,
  version: key.version
})

export const apiKeySchemas = [ApiKey, CreatedApiKey]
