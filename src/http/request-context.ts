import type { FastifyRequest } from 'fastify'
import type { ChangeContext } from '../domain/actor.js'

/** The service context of an authenticated request: caller, request id, clock and zone. */
export const changeContext = (request: FastifyRequest): ChangeContext => ({
  actor: request.actor,
  requestId: request.id,
  now: request.server.clock(),
  zone: request.server.config.TZ_NAME
})
