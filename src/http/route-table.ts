import type { FastifySchema, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import type { Access } from './auth.js'

export interface RouteEntry {
  method: string
  url: string
  access: Access | undefined
  idempotent: boolean
  ifMatch: boolean
  hidden: boolean
  schema: FastifySchema | undefined
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as registered: the source for the access matrix and document checks. */
    routeTable: RouteEntry[]
  }
}

export default fp(async function routeTable (app) {
  const entries: RouteEntry[] = []
  app.decorate('routeTable', entries)
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const method of methods) {
      // Read lazily: hooks registered later (auth, idempotency) still complete the route.
      entries.push({
        method,
        url: route.url,
        get access () { return route.config?.access },
        get idempotent () { return route.config?.idempotent === true },
        get ifMatch () { return route.config?.ifMatch === true },
        get hidden () { return (route.schema as { hide?: boolean } | undefined)?.hide === true },
        get schema () { return route.schema }
      })
    }
  })
}, { name: 'route-table' })
