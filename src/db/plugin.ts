import fp from 'fastify-plugin'
import type { DatabaseHandle, Db } from './open.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The query handle every route passes to its service. */
    db: Db
    database: DatabaseHandle
  }
}

/** Owns the database handle given to buildApp: exposes it and closes it when the app closes. */
export default fp<{ database: DatabaseHandle }>(async function database (app, { database }) {
  app.decorate('database', database)
  app.decorate('db', database.db)
  app.addHook('onClose', async () => { await database.close() })
}, { name: 'database' })
