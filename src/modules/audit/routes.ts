import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AuditEventPage, ListAuditEventsQuery, toAuditEventView } from './schemas.js'
import { listAuditEvents } from './service.js'

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    config: { access: { roles: ['admin', 'finance'] } },
    schema: {
      tags: ['audit'],
      summary: 'List audit events, newest first',
      operationId: 'listAuditEvents',
      querystring: ListAuditEventsQuery,
      response: { 200: AuditEventPage }
    }
  }, async (request) => {
    const page = await listAuditEvents(app.db, { ...request.query, limit: request.query.limit ?? 50 })
    return { items: page.items.map(toAuditEventView), nextCursor: page.nextCursor }
  })
}

export default auditRoutes
