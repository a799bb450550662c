import type { FastifyRequest } from 'fastify'
import type { ChangeContext } from '../domain/actor.js'

/** The audit context of an authenticated request, handed to services. */
export const changeContext = (request: FastifyRequest): ChangeContext => ({
  actor: request.actor,
  requestId: request.id
})
