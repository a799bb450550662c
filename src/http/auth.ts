import fp from 'fastify-plugin'
import type { Db } from '../db/open.js'
import type { Actor, Role } from '../domain/actor.js'
import { AppError } from '../errors.js'
import { countFailure } from './auth-failures.js'
import { problemResponse } from './problem-schema.js'

/** Who may call a route: nobody needs a key (`public`), or a key with one of these roles. */
export type Access = 'public' | { roles: readonly Role[] }

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every route: the auth plugin refuses to register a route without it. */
    access?: Access
  }
  interface FastifyRequest {
    /** The authenticated caller; set on every route whose access is not public. */
    actor: Actor
  }
}

/** A working API key, as the auth plugin needs it. */
export interface CallerKey {
  id: string
  role: Role
  name: string
  personId: string | null
  /** Notes that the key was let through a route (called after its role is checked). */
  recordUse: () => Promise<void>
}

/**
 * The working key whose secret an `Authorization` header carries, or undefined (no header, not
 * a bearer secret, no such key, revoked, or its person inactive). The api-keys module gives it
 * (src/app.ts), so http/ depends on no module.
 */
export type FindKey = (db: Db, authorization: string | undefined) => Promise<CallerKey | undefined>

export interface AuthOptions {
  findKey: FindKey
  failureLimit: number
  failureWindowMs: number
}

export default fp<AuthOptions>(async function auth (app, options) {
  app.decorateRequest('actor', null as unknown as Actor)

  app.addHook('onRoute', (route) => {
    route.config ??= {}
    if (route.config.access === undefined) {
      // The docs UI's own asset routes are the only ones registered by a third-party plugin.
      if (route.url.startsWith('/docs')) {
        route.config.access = 'public'
        return
      }
      throw new Error(`route ${String(route.method)} ${route.url} must declare config.access`)
    }
    if (route.config.access === 'public' || route.schema === undefined) return
    route.schema.security = [{ bearerAuth: [] }]
    route.schema.response = {
      401: problemResponse('No valid API key'),
      403: problemResponse('The key\'s role may not call this route'),
      429: problemResponse('Too many failed authentications from this client'),
      ...(route.schema.response as object | undefined)
    }
  })

  // Only failed attempts count, per client address, in the database all instances share: a
  // client that keeps presenting bad keys is refused (429) for the rest of the window. A valid
  // key is never refused, so a burst of bad keys from a shared address (a council's NAT) locks
  // nobody out. Counted outside the request's own transaction: a refusal rolls that back.
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access
    if (access === undefined || access === 'public') return
    const key = await options.findKey(app.db, request.headers.authorization)
    if (key === undefined) {
      const { failures, retryAfterSeconds } = await countFailure(app.database.db, request.ip, options.failureWindowMs)
      if (failures > options.failureLimit) {
        throw new AppError('rate_limited', 'Too many failed authentication attempts from this client; wait before ' +
          'retrying',
        {}, { 'retry-after': String(retryAfterSeconds) })
      }
      throw new AppError('unauthenticated', 'Send a valid, unrevoked API key as `Authorization: Bearer <key>`', {}, { 'www-authenticate': 'Bearer' })
    }
    if (!access.roles.includes(key.role)) {
      throw new AppError('forbidden', `This route needs one of the roles: ${access.roles.join(', ')}`)
    }
    request.actor = { keyId: key.id, role: key.role, label: key.name, personId: key.personId }
    await key.recordUse()
    reply.header('cache-control', 'no-store')
  })
}, { name: 'auth', dependencies: ['database'] })
