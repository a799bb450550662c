import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import Type from 'typebox'
import { AppError } from '../errors.js'
import { problemResponse } from './problem-schema.js'

/**
 * Strong ETags name the resource and its version: `"<id>:<version>"`. Every change bumps the
 * version, so a client's If-Match tells the service exactly which state it is changing.
 */
export const etagOf = (id: string, version: number): string => `"${id}:${version}"`

export function setEtag (reply: FastifyReply, resource: { id: string, version: number }): void {
  reply.header('etag', etagOf(resource.id, resource.version))
}

const TAG = /^"([0-9a-f-]{36}):(\d{1,9})"$/

/**
 * The version the client says it is changing, from If-Match. Missing -> 428; a tag for another
 * resource or not of our form -> 412 (it cannot match the current state).
 */
export function expectedVersion (request: FastifyRequest, resourceId: string): number {
  const header = request.headers['if-match']
  if (header === undefined || header.trim() === '') {
    throw new AppError('precondition_required', 'Send If-Match with the ETag from your last read of this resource')
  }
  if (header.trim() === '*') {
    throw new AppError('precondition_required', 'If-Match: * is not accepted; send the ETag from your last read of this resource')
  }
  for (const tag of header.split(',')) {
    const match = TAG.exec(tag.trim())
    if (match?.[1] === resourceId.toLowerCase()) return Number(match[2])
  }
  throw new AppError('precondition_failed', 'If-Match does not match this resource; fetch it again and retry')
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route changes a resource conditionally: If-Match is required (428) and checked (412). */
    ifMatch?: boolean
  }
}

/** Documents If-Match and its problems on every route with `config.ifMatch`. */
export const conditionalRequests = fp(async function conditionalRequests (app) {
  app.addHook('onRoute', (route) => {
    if (route.config?.ifMatch !== true || route.schema === undefined) return
    const headers = (route.schema.headers ?? Type.Object({})) as ReturnType<typeof Type.Object>
    route.schema.headers = Type.Object({
      ...headers.properties,
      'if-match': Type.Optional(Type.String({ maxLength: 1000, description: 'The ETag from your last read of this resource (required: 428 without it, 412 when stale)' }))
    })
    route.schema.response = {
      412: problemResponse('The resource changed since the ETag in If-Match was read'),
      428: problemResponse('If-Match is missing'),
      ...(route.schema.response as object | undefined)
    }
  })
}, { name: 'conditional-requests' })
