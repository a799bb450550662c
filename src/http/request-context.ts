import type { FastifyRequest } from 'fastify'
import type { ChangeContext } from '../domain/actor.js'
import { todayIn } from '../domain/local-time.js'

/** The service context of an authenticated request: caller, request id, clock and zone. */
export const changeContext = (request: FastifyRequest): ChangeContext => ({
  actor: request.actor,
  requestId: request.id,
  now: request.server.clock(),
  zone: request.server.config.TZ_NAME
})

/** Today's local date for a request, by the app's clock in the service's zone. */
export const todayOf = (request: FastifyRequest): string =>
  todayIn(request.server.config.TZ_NAME, request.server.clock())
