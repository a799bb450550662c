import { Writable } from 'node:stream'
import type { Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { systemContext, type Role } from '../../src/domain/actor.js'
import { createLogger } from '../../src/logger.js'
import { createApiKey } from '../../src/modules/api-keys/service.js'
import { createTestDatabase, type TestDatabase } from './database.js'

export type TestApp = Awaited<ReturnType<typeof buildApp>>

export interface Harness {
  app: TestApp
  database: TestDatabase
  config: Config
  /** Every log line the app wrote, parsed. */
  logs: Array<Record<string, unknown>>
  /** Raw log output, for "never appears in the logs" checks. */
  rawLogs: () => string
  /** A new API key of the role, made through the service (as the CLI does). */
  key (role: Role, name?: string): Promise<{ id: string, secret: string, headers: { authorization: string } }>
}

export interface BuildOptions {
  env?: Record<string, string>
  /** Runs before ready(): tests may add routes (e.g. a route that throws) to the real app. */
  extend?: (app: TestApp) => void | Promise<void>
  poolMax?: number
  statementTimeoutMs?: number
}

/**
 * A complete app on a fresh database of this test's own, closed (and the database dropped)
 * when the test ends.
 */
export async function build (t: Test, options: BuildOptions = {}): Promise<Harness> {
  const config = loadConfig({ LOG_LEVEL: 'info', ...options.env })
  const database = await createTestDatabase({
    ...(options.poolMax === undefined ? {} : { poolMax: options.poolMax }),
    ...(options.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: options.statementTimeoutMs })
  })
  const chunks: string[] = []
  const sink = new Writable({
    write (chunk: Buffer, _encoding, done) { chunks.push(chunk.toString('utf8')); done() }
  })
  const app = await buildApp({ config, database: database.handle, logger: createLogger(config.LOG_LEVEL, sink) })
  if (options.extend !== undefined) await options.extend(app)
  await app.ready()
  t.teardown(async () => {
    await app.close()
    await database.dispose()
  })
  let keyCount = 0
  return {
    app,
    database,
    config,
    get logs () {
      return chunks.join('').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>)
    },
    rawLogs: () => chunks.join(''),
    async key (role, name) {
      const { key, secret } = await createApiKey(database.handle.db, systemContext('test'), { role, name: name ?? `${role} ${++keyCount}` })
      return { id: key.id, secret, headers: { authorization: `Bearer ${secret}` } }
    }
  }
}
