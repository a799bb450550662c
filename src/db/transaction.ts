import { setTimeout as delay } from 'node:timers/promises'
import { classifyDatabaseError } from './errors.js'
import type { Db, Tx } from './open.js'
import { heldFor } from './unit-of-work.js'

export interface TransactionOptions {
  isolationLevel?: 'read committed' | 'repeatable read' | 'serializable'
  /** Attempts in all when the database reports a serialization failure or deadlock. */
  attempts?: number
}

/**
 * Runs `work` in one transaction, retrying it from the start when Postgres aborts it with a
 * serialization failure or deadlock (40001, 40P01): those mean "try again", not "broken".
 * After the last attempt the error propagates and is answered as 503. In a request that holds
 * its transaction (unit-of-work.ts), `work` runs as a savepoint of that transaction instead.
 */
export async function inTransaction<T> (db: Db, work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4
  const config = options.isolationLevel === undefined ? undefined : { isolationLevel: options.isolationLevel }
  const held = heldFor(db)
  for (let attempt = 1; ; attempt++) {
    try {
      return await (held === undefined ? db.transaction(work, config) : held.run(work))
    } catch (error) {
      if (attempt >= attempts || classifyDatabaseError(error)?.kind !== 'serialization') throw error
      // Jittered backoff so competing transactions do not collide again in lockstep.
      await delay(5 * attempt + Math.floor(Math.random() * 10 * attempt))
    }
  }
}
