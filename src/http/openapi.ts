import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import type { TSchema } from 'typebox'
import { withExamples } from './examples.js'

export interface OpenApiOptions {
  /** Shared schemas ($id-named): they become the document's components. */
  schemas: TSchema[]
  version: string
}

const openApiInfo = {
  title: 'Sessional Pay',
  description: 'Pays lived-experience contributors as sessional workers: workers record sessions, ' +
    'managers approve them, finance closes pay periods and exports them to payroll. ' +
    'Errors are RFC 9457 problem+json. Money is integer pence, durations integer minutes, ' +
    'dates local (Europe/London by default).'
}

/** The OpenAPI 3.1 document, made from the route schemas only, at /openapi.json and /docs. */
export default fp<OpenApiOptions>(async function openApi (app, options) {
  for (const schema of options.schemas) app.addSchema(schema)

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { ...openApiInfo, version: options.version },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key made by an admin or `npm run cli -- keys create`' }
        }
      }
    },
    // Examples are documentation only: added to the finished document, never to the route schemas.
    transformObject: (document) => withExamples('openapiObject' in document ? document.openapiObject : document.swaggerObject),
    refResolver: {
      // Components keep the names of their $id instead of def-0, def-1...
      buildLocalReference: (json, _baseUri, _fragment, i) => typeof json.$id === 'string' ? json.$id : `def-${i}`
    }
  })

  // No staticCSP: the plugin's own policy carries `upgrade-insecure-requests` (and blocks the UI's
  // inline styles); the pages get the app-wide helmet policy like every other response.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    logLevel: 'warn'
  })

  app.get('/openapi.json', {
    config: { access: 'public' },
    schema: { hide: true }
  }, async () => app.swagger())
}, { name: 'openapi' })
