import type { Config } from './config.js'
import type { OpenDatabaseOptions } from './db/open.js'

/** The database the configuration names: a Postgres server, or PGlite in DATA_DIR. */
export const databaseOptions = (config: Config): OpenDatabaseOptions => ({
  ...(config.DATABASE_URL === undefined ? { dataDir: config.DATA_DIR } : { url: config.DATABASE_URL }),
  poolMax: config.DB_POOL_MAX,
  statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
  connectTimeoutS: config.DB_CONNECT_TIMEOUT_S
})
