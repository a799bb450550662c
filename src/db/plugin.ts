import fp from 'fastify-plugin'
import type { DatabaseHandle, Db } from './open.js'
import { requestDb, withRequestScope } from './unit-of-work.js'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The query handle every route passes to its service: the database, or the request's held
     * transaction while it has one (unit-of-work.ts).
     */
    db: Db
    database: DatabaseHandle
  }
}

/** Owns the database handle given to buildApp: exposes it and closes it when the app closes. */
export default fp<{ database: DatabaseHandle }>(async function database (app, { database }) {
  app.decorate('database', database)
  app.decorate('db', requestDb(database.db))
  // Every request runs in a scope of its own, so a held transaction is seen by its code alone.
  app.addHook('onRequest', (_request, _reply, done) => { withRequestScope(done) })
  app.addHook('onClose', async () => { await database.close() })
}, { name: 'database' })
