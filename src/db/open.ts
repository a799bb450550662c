import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { btree_gist as btreeGist } from '@electric-sql/pglite/contrib/btree_gist'
import { sql, type ExtractTablesWithRelations } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { lockMigrations } from './advisory-locks.js'
import * as schema from './schema.js'

export type Schema = typeof schema
/** The query handle services receive: the database itself or a transaction on it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>

export type Engine = 'pglite' | 'postgres'

export interface DatabaseHandle {
  db: Db
  engine: Engine
  /** Applies pending migrations (serialised across processes on a server). */
  migrate (): Promise<void>
  /** Resolves when the database answers a trivial query. */
  ping (): Promise<void>
  close (): Promise<void>
}

export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent the embedded PGlite engine is used. */
  url?: string
  /** PGlite data folder; absent means in memory. */
  dataDir?: string
  /** PGlite: start from a dumped data folder (tests use a migrated template). */
  loadDataDir?: Blob
  poolMax?: number
  statementTimeoutMs?: number
  connectTimeoutS?: number
  applicationName?: string
}

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url))

export async function openDatabase (options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const handle = options.url === undefined ? await openPglite(options) : openPostgres(options.url, options)
  // Closing twice (a test that kills the database, then the app closing it) is harmless.
  let closing: Promise<void> | undefined
  const close = handle.close
  handle.close = () => (closing ??= close())
  return handle
}

async function openPglite (options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const client = await PGlite.create({
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir }),
    extensions: { btree_gist: btreeGist }
  })
  const db = drizzlePglite({ client, schema })
  return {
    db,
    engine: 'pglite',
    migrate: () => migratePglite(db, { migrationsFolder }),
    ping: async () => { await client.query('select 1') },
    close: () => client.close()
  }
}

function openPostgres (url: string, options: OpenDatabaseOptions): DatabaseHandle {
  const clientOptions = {
    max: options.poolMax ?? 10,
    connect_timeout: options.connectTimeoutS ?? 5,
    idle_timeout: 60,
    // Notices ("extension already exists") are not errors and must not reach stdout.
    onnotice: () => {},
    // No catalog query for array types as each connection opens: nothing here sends or reads
    // arrays through the driver, and postgres.js 3.4.9 lets that query's failure escape as an
    // unhandled rejection (which stops the process) when the backend is terminated while a
    // connection starts (porsager/postgres#1192, #1223; test/faults/database-faults.test.ts).
    fetch_types: false,
    // postgres.js waits backoff(retries) seconds before a connection's next connect, with one
    // retry count shared by the pool that grows with every connection lost with an error. Its
    // default (3^retries / 100 s, capped at 20 s) made a request issued during or just after an
    // outage (or a burst of terminated backends) wait 10-20 s before failing or succeeding
    // (test/faults/database-faults.test.ts). Capped at 1 s, a request fails fast with 503
    // while the server is away and succeeds soon after it is back; a connection is only
    // attempted when a query is waiting, so the server is never flooded.
    backoff: (retries: number) => (0.5 + Math.random() / 2) * Math.min(3 ** retries / 100, 1),
    connection: {
      application_name: options.applicationName ?? 'sessional-pay',
      statement_timeout: options.statementTimeoutMs ?? 15_000,
      idle_in_transaction_session_timeout: 60_000
    }
  }
  const client = postgres(url, clientOptions)
  const db = drizzlePostgres({ client: preparedStatements(client), schema })
  return {
    db,
    engine: 'postgres',
    async migrate () {
      // A dedicated single connection holds a session advisory lock for the whole run, so
      // several instances starting together migrate once, one after another.
      const lockClient = postgres(url, { ...clientOptions, max: 1 })
      try {
        await lockMigrations(lockClient)
        await migratePostgres(drizzlePostgres({ client: lockClient }), { migrationsFolder })
      } finally {
        await lockClient.end({ timeout: 5 })
      }
    },
    ping: async () => { await client`select 1` },
    close: () => client.end({ timeout: 5 })
  }
}

/**
 * The client as drizzle should use it: every statement a named prepared statement, kept per
 * connection. Drizzle asks postgres.js for unnamed statements (`prepare: false`), and for an
 * unnamed statement with parameters postgres.js waits for a Describe answer before it binds: two
 * round trips for every query, and the server parses and plans each one afresh. Prepared, a
 * statement seen before on a connection is one round trip (test/bench: the write path).
 * Transactions and savepoints hand drizzle a new scope, which is wrapped the same way.
 */
function preparedStatements (client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get (target, property, receiver) {
      switch (property) {
        case 'unsafe':
          return (query: string, parameters?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
            target.unsafe(query, parameters, { ...options, prepare: true })
        case 'begin':
        case 'savepoint':
          return (...args: unknown[]) => {
            const callback = args.pop() as (scope: postgres.Sql) => unknown
            const open = Reflect.get(target, property, receiver) as (...a: unknown[]) => unknown
            return open.apply(target, [...args, (scope: postgres.Sql) => callback(preparedStatements(scope))])
          }
        default:
          return Reflect.get(target, property, receiver)
      }
    }
  })
}

/** Rows of a raw `db.execute()` result, whichever engine produced it. */
export function rowsOf<T> (result: unknown): T[] {
  if (Array.isArray(result)) return result as T[]
  return (result as { rows: T[] }).rows
}

export { sql }
