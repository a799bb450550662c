import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { AppError } from '../errors.js'

const Health = <const Status extends string>(status: Status, description: string) =>
  Type.Object({ status: Type.Enum([status], { description }) })

const READY_TIMEOUT_MS = 2000

/** Liveness (the process answers) and readiness (the database answers too). */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', {
    config: { access: 'public' },
    logLevel: 'warn',
    schema: {
      tags: ['operations'],
      summary: 'Liveness: the process is up',
      operationId: 'getHealth',
      description: 'Answers 200 while the process is up, whatever the database. For liveness probes.',
      response: { 200: Health('ok', 'The process is up') }
    }
  }, async () => ({ status: 'ok' as const }))

  app.get('/readyz', {
    config: { access: 'public' },
    logLevel: 'warn',
    schema: {
      tags: ['operations'],
      summary: 'Readiness: the database answers',
      operationId: 'getReadiness',
      description: 'Answers 200 when the database answers a query within 2 seconds, else 503 with Retry-After. For readiness probes and load balancers.',
      response: { 200: Health('ready', 'The database answers') }
    }
  }, async () => {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => { reject(new AppError('service_unavailable', 'The database did not answer in time', {}, { 'retry-after': '5' })) }, READY_TIMEOUT_MS)
    })
    try {
      await Promise.race([app.database.ping(), timeout])
    } catch (error) {
      if (error instanceof AppError) throw error
      throw new AppError('service_unavailable', 'The database is not reachable', {}, { 'retry-after': '5' })
    } finally {
      clearTimeout(timer)
    }
    return { status: 'ready' as const }
  })
}

export default healthRoutes
