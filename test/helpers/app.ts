import { Writable } from 'node:stream'
import type { Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { systemContext, type ChangeContext, type Role } from '../../src/domain/actor.js'
import { createLogger } from '../../src/logger.js'
import { createActivityType, type ActivityTypeInput, type ActivityTypeRow } from '../../src/modules/activity-types/service.js'
import { createApiKey } from '../../src/modules/api-keys/service.js'
import { createPerson } from '../../src/modules/people/service.js'
import { createTeam, type TeamInput, type TeamRecord } from '../../src/modules/teams/service.js'
import { createWorker, type CreateWorkerInput, type WorkerRecord } from '../../src/modules/workers/service.js'
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
  /**
   * A new API key of the role, made through the service (as the CLI does). Worker and manager
   * keys act as a person: the given one, or a new person (a new worker for a worker key).
   */
  key (role: Role, options?: string | { name?: string, personId?: string }): Promise<TestKey>
  /** Fixtures made through the services, as an admin would make them. */
  person (displayName?: string): Promise<{ id: string }>
  worker (fields?: Partial<CreateWorkerInput>): Promise<WorkerRecord>
  team (fields?: Partial<TeamInput>): Promise<TeamRecord>
  activity (fields?: Partial<ActivityTypeInput>): Promise<ActivityTypeRow>
  /** The context services get from a request by an admin (for fixtures). */
  ctx: ChangeContext
}

export interface TestKey { id: string, secret: string, personId: string | null, headers: { authorization: string } }

export interface BuildOptions {
  env?: Record<string, string>
  /** Runs before ready(): tests may add routes (e.g. a route that throws) to the real app. */
  extend?: (app: TestApp) => void | Promise<void>
  /** A fixed clock for the app and the fixtures (default: the real one). */
  now?: Date
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
  const clock = options.now === undefined ? () => new Date() : () => options.now!
  const app = await buildApp({ config, database: database.handle, logger: createLogger(config.LOG_LEVEL, sink), clock })
  if (options.extend !== undefined) await options.extend(app)
  await app.ready()
  t.teardown(async () => {
    await app.close()
    await database.dispose()
  })
  let count = 0
  const db = database.handle.db
  const ctx = (): ChangeContext => ({ ...systemContext('test fixture', clock(), config.TZ_NAME) })
  const harness: Harness = {
    app,
    database,
    config,
    get logs () {
      return chunks.join('').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>)
    },
    rawLogs: () => chunks.join(''),
    get ctx () { return ctx() },
    async key (role, options) {
      const { name, personId: given } = typeof options === 'string' ? { name: options, personId: undefined } : options ?? {}
      let personId = given ?? null
      if (personId === null && role === 'worker') personId = (await harness.worker()).id
      if (personId === null && role === 'manager') personId = (await harness.person()).id
      const { key, secret } = await createApiKey(db, ctx(), { role, name: name ?? `${role} ${++count}`, personId })
      return { id: key.id, secret, personId, headers: { authorization: `Bearer ${secret}` } }
    },
    async person (displayName) {
      return createPerson(db, ctx(), { displayName: displayName ?? `Person ${++count}` })
    },
    async worker (fields = {}) {
      return createWorker(db, ctx(), {
        ...(fields.personId === undefined ? { displayName: `Worker ${++count}` } : {}),
        dateOfBirth: '1990-05-17',
        paymentMode: 'payroll',
        holidayPayMode: 'rolled_up',
        engagementStartDate: '2024-01-01',
        payrollReference: `W${String(++count).padStart(5, '0')}`,
        ...fields
      })
    },
    async team (fields = {}) {
      return createTeam(db, ctx(), { name: `Team ${++count}`, costCentre: `CC${count}`, ...fields })
    },
    async activity (fields = {}) {
      return createActivityType(db, ctx(), { code: `ACT_${++count}`, name: `Activity ${count}`, payElementCode: `PE${count}`, unit: 'hour', ...fields })
    }
  }
  return harness
}
