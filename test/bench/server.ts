// The service under test, spawned by run.ts in a process of its own: the real app, built by
// buildApp exactly as src/server.ts builds it, plus a second Fastify instance on another port
// holding the baseline routes (bare-routes.ts) over the same database handle. It tells the
// parent its addresses over IPC and stops (flushing a --cpu-prof profile) when told to.
import Fastify from 'fastify'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { databaseOptions } from '../../src/database-options.js'
import { openDatabase } from '../../src/db/open.js'
import { createLogger } from '../../src/logger.js'
import { registerBareRoutes } from './bare-routes.js'

export type ServerMessage = { type: 'listening', app: string, bare: string, engine: string } | { type: 'failed', message: string }

const send = (message: ServerMessage) => process.send?.(message)

try {
  const config = loadConfig(process.env)
  const database = await openDatabase(databaseOptions(config))
  const app = await buildApp({ config, database, logger: createLogger(config.LOG_LEVEL) })
  const bare = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 })
  registerBareRoutes(bare, database, config.DATABASE_URL, config.DB_STATEMENT_TIMEOUT_MS)
  bare.post('/bench/gc', async () => {
    (globalThis as { gc?: () => void }).gc?.()
    return process.memoryUsage()
  })
  const appUrl = await app.listen({ host: '127.0.0.1', port: 0 })
  const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 })

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await bare.close()
    await app.close()
    // process.exit (not a signal) so that --cpu-prof writes its profile.
    process.exit(0)
  }
  process.on('message', (message: { type?: string }) => { if (message.type === 'stop') stop().catch(() => process.exit(1)) })
  // The parent went away (crashed or killed): do not outlive it.
  process.on('disconnect', () => { stop().catch(() => process.exit(1)) })
  process.on('SIGTERM', () => { stop().catch(() => process.exit(1)) })
  send({ type: 'listening', app: appUrl, bare: bareUrl, engine: database.engine })
} catch (error) {
  send({ type: 'failed', message: (error as Error).message })
  process.exitCode = 1
  setImmediate(() => process.exit(1))
}
