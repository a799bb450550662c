import { readFileSync } from 'node:fs'
import helmet from '@fastify/helmet'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { LogController } from 'fastify'
import type { Logger } from 'pino'
import type { Config } from './config.js'
import type { DatabaseHandle } from './db/open.js'
import databasePlugin from './db/plugin.js'
import auth from './http/auth.js'
import errorHandler, { clientErrors, frameworkErrors } from './http/error-handler.js'
import { conditionalRequests } from './http/etag.js'
import healthRoutes from './http/health.js'
import idempotency from './http/idempotency.js'
import jsonBody from './http/json-body.js'
import openApi from './http/openapi.js'
import optionalBody from './http/optional-body.js'
import { FieldError, Problem } from './http/problem-schema.js'
import requestLifecycle, { requestIdOf } from './http/request-lifecycle.js'
import routeTable from './http/route-table.js'
import { buildValidator } from './http/validation.js'
import { createLogger } from './logger.js'
import activityTypeRoutes from './modules/activity-types/routes.js'
import { activityTypeSchemas } from './modules/activity-types/schemas.js'
import apiKeyRoutes from './modules/api-keys/routes.js'
import { apiKeySchemas } from './modules/api-keys/schemas.js'
import { findCallerKey } from './modules/api-keys/service.js'
import auditRoutes from './modules/audit/routes.js'
import entryRoutes from './modules/entries/routes.js'
import { entrySchemas } from './modules/entries/schemas.js'
import meRoutes from './modules/me/routes.js'
import exportRoutes from './modules/exports/routes.js'
import reportRoutes from './modules/reports/routes.js'
import payRecordRoutes from './modules/pay-records/routes.js'
import { exportSchemas } from './modules/exports/schemas.js'
import { payPeriodRoutes, payScheduleRoutes } from './modules/pay-periods/routes.js'
import { payPeriodSchemas } from './modules/pay-periods/schemas.js'
import { auditSchemas } from './modules/audit/schemas.js'
import peopleRoutes from './modules/people/routes.js'
import { peopleSchemas } from './modules/people/schemas.js'
import rateRoutes from './modules/rates/routes.js'
import { rateSchemas } from './modules/rates/schemas.js'
import statutoryRoutes from './modules/statutory/routes.js'
import { statutorySchemas } from './modules/statutory/schemas.js'
import teamRoutes from './modules/teams/routes.js'
import { teamSchemas } from './modules/teams/schemas.js'
import workerRoutes from './modules/workers/routes.js'
import { workerSchemas } from './modules/workers/schemas.js'

export interface BuildAppOptions {
  config: Config
  /** Opened (and migrated) database; the app closes it when it closes. */
  database: DatabaseHandle
  /** Defaults to JSON logs on stdout at config.LOG_LEVEL. */
  logger?: Logger
  /** The current instant; tests pass a fixed clock. */
  clock?: () => Date
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    clock: () => Date
  }
}

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

/** Builds the complete app without listening: server.ts listens, tests inject. */
export async function buildApp ({ config, database, logger, clock }: BuildAppOptions) {
  const app = Fastify({
    loggerInstance: logger ?? createLogger(config.LOG_LEVEL),
    genReqId: requestIdOf,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    // Node 20 enforces a request timeout only when the server is made with it (Fastify sets it
    // afterwards, which left Node's 60 s headers timeout in force) and checks every 30 s: a
    // request with REQUEST_TIMEOUT_MS=1000 was cut off after 90 s (test/limits/limits.test.ts).
    http: {
      requestTimeout: config.REQUEST_TIMEOUT_MS,
      headersTimeout: Math.min(60_000, config.REQUEST_TIMEOUT_MS),
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(config.REQUEST_TIMEOUT_MS / 4)))
    },
    clientErrorHandler: clientErrors,
    // A hop count trusts that many proxies nearest the service (proxy-addr's index is the hop).
    trustProxy: typeof config.TRUST_PROXY === 'number' ? (_address: string, hop: number) => hop < (config.TRUST_PROXY as number) : config.TRUST_PROXY,
    return503OnClosing: false,
    frameworkErrors,
    // Bodies are strict, query strings, paths and headers coerced (src/http/validation.ts).
    schemaController: { compilersFactory: { buildValidator: buildValidator() } }
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('config', config)
  app.decorate('clock', clock ?? (() => new Date()))

  // Infrastructure first, then the conventions every route follows, then the routes.
  await app.register(routeTable)
  await app.register(errorHandler)
  await app.register(requestLifecycle)
  // helmet's defaults, less `upgrade-insecure-requests`: the service speaks plain HTTP (TLS, if any, ends
  // at a proxy), and that directive made browsers fetch /docs's scripts over https from any host but
  // localhost, so the page stayed blank (test/operations/docs-browser.test.ts).
  await app.register(helmet, { global: true, contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } })
  await app.register(databasePlugin, { database })
  await app.register(auth, { findKey: findCallerKey, failureLimit: config.AUTH_FAILURE_LIMIT, failureWindowMs: config.AUTH_FAILURE_WINDOW_MS })
  await app.register(idempotency)
  await app.register(conditionalRequests)
  await app.register(optionalBody)
  await app.register(openApi, {
    version,
    schemas: [
      FieldError, Problem, ...apiKeySchemas, ...auditSchemas, ...peopleSchemas, ...workerSchemas, ...teamSchemas,
      ...activityTypeSchemas, ...rateSchemas, ...statutorySchemas, ...entrySchemas,
      ...payPeriodSchemas, ...exportSchemas
    ]
  })
  await app.register(jsonBody)

  await app.register(healthRoutes)
  await app.register(apiKeyRoutes, { prefix: '/api-keys' })
  await app.register(auditRoutes, { prefix: '/audit-events' })
  await app.register(peopleRoutes, { prefix: '/people' })
  await app.register(workerRoutes, { prefix: '/workers' })
  await app.register(payRecordRoutes, { prefix: '/workers' })
  await app.register(teamRoutes, { prefix: '/teams' })
  await app.register(activityTypeRoutes, { prefix: '/activity-types' })
  await app.register(rateRoutes, { prefix: '/rates' })
  await app.register(statutoryRoutes, { prefix: '/statutory' })
  await app.register(entryRoutes, { prefix: '/entries' })
  await app.register(meRoutes, { prefix: '/me' })
  await app.register(payScheduleRoutes, { prefix: '/pay-schedules' })
  await app.register(payPeriodRoutes, { prefix: '/pay-periods' })
  await app.register(exportRoutes)
  await app.register(reportRoutes, { prefix: '/reports' })
  return app
}
