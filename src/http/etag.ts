import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import Type from 'typebox'
import { AppError } from '../errors.js'
import { BAD_REQUEST_DESCRIPTION, problemResponse } from './problem-schema.js'

/**
 * Strong ETags name the resource and its version: `"<id>:<version>"`. Every change bumps the
 * version, so a client's If-Match tells the service exactly which state it is changing.
 */
export const etagOf = (id: string, version: number): string => `"${id}:${version}"`

export function setEtag (reply: FastifyReply, resource: { id: string, version: number }): void {
  reply.header('etag', etagOf(resource.id, resource.version))
}

const OUR_TAG = /^([0-9a-f-]{36}):(\d{1,9})$/

/** An entity-tag as RFC 9110 (8.8.3) writes it: optionally `W/`, then a quoted string of etagc. */
interface EntityTag { weak: boolean, opaque: string }

// etagc: any visible ASCII but the double quote, and obs-text (bytes 0x80-0xFF, read as latin1).
const ETAGC = /^[\x21\x23-\x7e\x80-\xff]*$/

/**
 * The entity-tags of an If-Match list, or why it is not one. Empty list members (`"a", , "b"`)
 * are ignored, as RFC 9110 (5.6.1.2) has recipients do; a comma may sit inside a tag's quotes.
 */
export function parseEntityTags (header: string): EntityTag[] | { malformed: string } {
  const tags: EntityTag[] = []
  let i = 0
  const skip = (chars: string): void => { while (i < header.length && chars.includes(header[i]!)) i++ }
  for (;;) {
    skip(' \t,')
    if (i >= header.length) break
    const start = i
    const weak = header.startsWith('W/', i)
    if (weak) i += 2
    if (header[i] !== '"') {
      const member = header.slice(start).split(',')[0]!.trim()
      return { malformed: `\`${member.slice(0, 60)}\` is not in double quotes` }
    }
    const close = header.indexOf('"', i + 1)
    if (close === -1) return { malformed: `\`${header.slice(start, start + 60)}\` has no closing double quote` }
    const opaque = header.slice(i + 1, close)
    if (!ETAGC.test(opaque)) return { malformed: `\`${header.slice(start, close + 1).slice(0, 60)}\` holds a space or control character` }
    tags.push({ weak, opaque })
    i = close + 1
    skip(' \t')
    if (i < header.length && header[i] !== ',') {
      return { malformed: `\`${header.slice(start, close + 1).slice(0, 60)}\` is followed by \`${header.slice(i, i + 20)}\`, not a comma` }
    }
  }
  if (tags.length === 0) return { malformed: 'it holds no entity-tag' }
  return tags
}

export const IF_MATCH_FORM = 'a strong ETag as the ETag header gives it, double quotes included (`"<id>:<version>"`), ' +
  'or a comma-separated list of them'

/**
 * The version the client says it is changing, from If-Match. Missing (or `*`) -> 428; not a
 * list of entity-tags (an ETag without its double quotes, say) -> 400 malformed_if_match; a
 * well-formed tag that is stale, for another resource, not of our form or weak (If-Match
 * compares strongly: a weak tag never matches) -> 412.
 */
export function expectedVersion (request: FastifyRequest, resourceId: string): number {
  const header = request.headers['if-match']
  if (header === undefined || header.trim() === '') {
    throw new AppError('precondition_required', 'Send If-Match with the ETag from your last read of this resource')
  }
  if (header.trim() === '*') {
    throw new AppError('precondition_required', 'If-Match: * is not accepted; send the ETag from your last read of this resource')
  }
  const tags = parseEntityTags(header)
  if (!Array.isArray(tags)) {
    throw new AppError('malformed_if_match', `If-Match must be ${IF_MATCH_FORM}: ${tags.malformed}`)
  }
  for (const tag of tags) {
    const match = OUR_TAG.exec(tag.opaque)
    if (!tag.weak && match?.[1] === resourceId.toLowerCase()) return Number(match[2])
  }
  if (tags.every((tag) => tag.weak)) {
    throw new AppError('precondition_failed', 'If-Match compares ETags strongly: a weak tag (W/"...") never matches; send the ETag as given')
  }
  throw new AppError('precondition_failed', 'If-Match does not match this resource; fetch it again and retry')
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route changes a resource conditionally: If-Match is required (428), well-formed (400) and checked (412). */
    ifMatch?: boolean
  }
  interface FastifyRequest {
    /** The version If-Match names, read by conditionalRequests on routes with `config.ifMatch`; null elsewhere. */
    ifMatchVersion: number | null
  }
}

/**
 * The version a conditional route's If-Match names, as the conditionalRequests hook read and
 * checked it against the route's `:id` before the handler ran. Handlers call this, never parse If-Match.
 */
export function matchedVersion (request: FastifyRequest): number {
  if (request.ifMatchVersion === null) throw new Error(`${request.routeOptions.url ?? request.url} reads If-Match but does not declare config.ifMatch`)
  return request.ifMatchVersion
}

/**
 * Documents If-Match and its problems on every route with `config.ifMatch`, and reads it before
 * the handler: 428, 400 or 412 (expectedVersion) against the route's `:id`, the version kept on
 * the request for matchedVersion. The hook runs after idempotency's, so a replayed answer is
 * replayed, not checked again.
 */
export const conditionalRequests = fp(async function conditionalRequests (app) {
  app.decorateRequest('ifMatchVersion', null)

  app.addHook('onRoute', (route) => {
    if (route.config?.ifMatch !== true || route.schema === undefined) return
    const headers = (route.schema.headers ?? Type.Object({})) as ReturnType<typeof Type.Object>
    route.schema.headers = Type.Object({
      ...headers.properties,
      'if-match': Type.Optional(Type.String({
        maxLength: 1000,
        description: 'The ETag from your last read of this resource, double quotes included (`"<id>:<version>"`), or a ' +
          'comma-separated list of ETags (required: 428 without it; 400 `malformed_if_match` when it is not a list of ' +
          'quoted entity-tags, an ETag without its quotes say; 412 when stale, for another resource or weak)'
      }))
    })
    // Every route documents a 400 already (error-handler.ts); here it says what If-Match adds.
    const { 400: badRequest, ...responses } = (route.schema.response ?? {}) as Record<string, unknown>
    const generic = badRequest === undefined || (badRequest as { description?: unknown }).description === BAD_REQUEST_DESCRIPTION
    route.schema.response = {
      400: generic
        ? problemResponse(`${BAD_REQUEST_DESCRIPTION}, or If-Match is not a list of quoted ETags (\`malformed_if_match\`)`)
        : badRequest,
      412: problemResponse('The resource changed since the ETag in If-Match was read (or the tag is weak)'),
      428: problemResponse('If-Match is missing'),
      ...responses
    }
  })

  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.config.ifMatch !== true) return
    const { id } = (request.params ?? {}) as { id?: unknown }
    if (typeof id !== 'string') throw new Error(`${request.routeOptions.url ?? request.url} declares config.ifMatch but has no :id`)
    request.ifMatchVersion = expectedVersion(request, id)
  })
}, { name: 'conditional-requests' })
