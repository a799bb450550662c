import type { SQL } from 'drizzle-orm'
import { rowsOf, type Db } from '../../src/db/open.js'

/** Rows of a raw query, whichever engine runs the test. */
export async function query<T = Record<string, unknown>> (db: Db, statement: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(statement))
}

export async function countOf (db: Db, statement: SQL): Promise<number> {
  const [row] = await query<{ count: number | string }>(db, statement)
  return Number(row?.count ?? 0)
}
