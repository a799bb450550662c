import { setTimeout as delay } from 'node:timers/promises'
import { classifyDatabaseError } from './errors.js'
import type { Db, Tx } from './open.js'

export interface TransactionOptions {
  isolationLevel?: 'read committed' | 'repeatable read' | 'serializable'
  /** Attempts in all when the database reports a serialization failure or deadlock. */
  attempts?: number
}

/**
 * Runs `work` in one transaction, retrying it from the start when Postgres aborts it with a
 * serialization failure or deadlock (40001, 40P01): those mean "try again", not "broken".
 * After the last attempt the error propagates and is answered as 503.
 */
export async function inTransaction<T> (db: Db, work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4
  const config = options.isolationLevel === undefined ? undefined : { isolationLevel: options.isolationLevel }
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work, config)
    } catch (error) {
      if (attempt >= attempts || classifyDatabaseError(error)?.kind !== 'serialization') throw error
      // Jittered backoff so competing transactions do not collide again in lockstep.
      await delay(5 * attempt + Math.floor(Math.random() * 10 * attempt))
    }
  }
}
