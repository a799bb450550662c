import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, ref } from '../../http/common-schemas.js'
import { matchedVersion, setEtag } from '../../http/etag.js'
import { withPageSize } from '../../http/pagination.js'
import { problemResponse } from '../../http/problem-schema.js'
import { changeContext } from '../../http/request-context.js'
import { ApiKey, ApiKeyPage, CreateApiKeyBody, CreatedApiKey, ListApiKeysQuery, toApiKeyView } from './schemas.js'
import { createApiKey, getApiKey, listApiKeys, revokeApiKey } from './service.js'

const adminOnly = { access: { roles: ['admin'] } } as const
const tags = ['api keys']

const apiKeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('', {
    config: { ...adminOnly, idempotent: true, secretResponse: true },
    schema: {
      tags,
      summary: 'Create an API key (its secret is shown once)',
      operationId: 'createApiKey',
      description: 'Admin only. The secret is in this response and nowhere else: only its SHA-256 is stored, and a retry with the same Idempotency-Key says what was made but cannot show the secret again. Worker keys act as a worker, manager keys as a person who manages teams (personId).',
      body: CreateApiKeyBody,
      response: { 201: ref(CreatedApiKey) }
    }
  }, async (request, reply) => {
    const { key, secret } = await createApiKey(app.db, changeContext(request), request.body)
    setEtag(reply, key)
    reply.header('location', `/api-keys/${key.id}`)
    return reply.code(201).send({ ...toApiKeyView(key), secret })
  })

  app.get('', {
    config: adminOnly,
    schema: {
      tags,
      summary: 'List API keys',
      operationId: 'listApiKeys',
      description: 'Admin only. Newest first; filter by role, revoked or person. Secrets are never listed.',
      querystring: ListApiKeysQuery,
      response: { 200: ApiKeyPage }
    }
  }, async (request) => {
    const page = await listApiKeys(app.db, withPageSize(request.query))
    return { items: page.items.map(toApiKeyView), nextCursor: page.nextCursor }
  })

  app.get('/:id', {
    config: adminOnly,
    schema: {
      tags,
      summary: 'Read an API key',
      operationId: 'getApiKey',
      description: 'Admin only. The key without its secret, with an ETag for revoking it.',
      params: IdParams,
      response: { 200: ref(ApiKey), 404: problemResponse('No such API key') }
    }
  }, async (request, reply) => {
    const key = await getApiKey(app.db, request.params.id)
    setEtag(reply, key)
    return toApiKeyView(key)
  })

  app.post('/:id/revoke', {
    config: { ...adminOnly, idempotent: true, ifMatch: true },
    schema: {
      tags,
      summary: 'Revoke an API key (it stops working at once)',
      operationId: 'revokeApiKey',
      description: 'Admin only, with If-Match. The key stops working at once; revoking twice, or revoking the key you call with, is a conflict.',
      params: IdParams,
      response: { 200: ref(ApiKey), 404: problemResponse('No such API key') }
    }
  }, async (request, reply) => {
    const key = await revokeApiKey(app.db, changeContext(request), request.params.id, matchedVersion(request))
    setEtag(reply, key)
    return toApiKeyView(key)
  })
}

export default apiKeyRoutes
