import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { withPageSize } from '../../http/pagination.js'
import { AuditEventPage, ListAuditEventsQuery, toAuditEventView } from './schemas.js'
import { listAuditEvents } from './service.js'

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    config: { access: { roles: ['admin', 'finance'] } },
    schema: {
      tags: ['audit'],
      summary: 'List audit events, newest first',
      operationId: 'listAuditEvents',
      description: 'Admin and finance. Every change, newest first, with who made it, before and after, reason and ' +
        'request id (a worker\'s date of birth only for an admin). Filter by entity, actor, action and time. ' +
        'The trail is append-only in the database.',
      querystring: ListAuditEventsQuery,
      response: { 200: AuditEventPage }
    }
  }, async (request) => {
    const page = await listAuditEvents(app.db, withPageSize(request.query))
    return { items: page.items.map((row) => toAuditEventView(row, request.actor)), nextCursor: page.nextCursor }
  })
}

export default auditRoutes
