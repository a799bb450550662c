import { sql } from 'drizzle-orm'
import type postgres from 'postgres'
import type { Db } from './open.js'

// Every PostgreSQL advisory lock the service takes, in one place, so no two uses share a key by
// accident. They all live in the one-number (bigint) key space of the database, which every
// process of the service shares (and anything else using the same database):
//
// | lock                        | key                                          | held for                 |
// | --------------------------- | -------------------------------------------- | ------------------------ |
// | migrations                  | 7 351 200 412                                | the whole migration run  |
// | the first admin key         | 7 351 200 413                                | its transaction          |
// | the rates of one rate key   | hashtext('rate:<activity>:<scope>:<holder>') | its transaction          |
//
// The fixed keys are above 2^31 and hashtext gives a 32-bit integer, so a hashed key never
// equals a fixed one. Row locks (`for update`, `lockWorker` in src/modules/entries/earnings.ts)
// are not advisory and are not listed here.

/** See lockMigrations. */
const MIGRATION_LOCK = 7_351_200_412

/**
 * Migrations (src/db/open.ts, on a PostgreSQL server): a session lock, taken on the dedicated
 * connection that runs them and held until it closes, so several instances starting together
 * migrate one after another.
 */
export async function lockMigrations (client: postgres.Sql): Promise<void> {
  await client`select pg_advisory_lock(${MIGRATION_LOCK})`
}

/** See lockFirstAdminKey. */
const FIRST_ADMIN_KEY_LOCK = 7_351_200_413

/**
 * The first admin key (bootstrapAdminKey, src/modules/api-keys/service.ts): held until the
 * transaction ends, so concurrent first starts on an empty database make at most one key.
 */
export async function lockFirstAdminKey (tx: Db): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(FIRST_ADMIN_KEY_LOCK))})`)
}

/**
 * The rates of one key (createRate, src/modules/rates/service.ts): one activity, scope and team
 * or worker (none for a default rate). Held until the transaction ends, so two requests cannot
 * both close the same open rate. Keyed by hashtext of the key's text: two keys could share a
 * hash, which only makes them wait for each other.
 */
export async function lockRateKey (tx: Db, activityTypeId: string, scope: string, holderId: string | null): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`rate:${activityTypeId}:${scope}:${holderId ?? ''}`}))`)
}
