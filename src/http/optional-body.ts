import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The JSON body may be left out entirely (it is then read as `{}`). */
    optionalBody?: boolean
  }
}

/**
 * Actions such as approve take an optional body (`overrideReason`): a request without one is
 * validated as `{}` rather than refused for a missing body.
 */
export default fp(async function optionalBody (app) {
  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.config.optionalBody === true && request.body === undefined) request.body = {}
  })
}, { name: 'optional-body' })
