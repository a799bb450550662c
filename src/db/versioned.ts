import { eq, sql, type SQL } from 'drizzle-orm'
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core'
import { notFound, preconditionFailed } from '../errors.js'
import type { Db } from './open.js'

// Optimistic concurrency, the database half (the HTTP half, If-Match, is src/http/etag.ts): a
// conditional change locks its row, checks the version the client read, and writes the next
// version. Every service does those three steps with these helpers, never by hand
// (test/layout.test.ts).

interface Versioned { version: number }

/** 412 unless the locked row is at the version the client read (If-Match). */
export function checkVersion (current: Versioned, expectedVersion: number): void {
  if (current.version !== expectedVersion) throw preconditionFailed(current.version)
}

/**
 * Locks a row by id for a conditional change and checks its version: 404 (`<label> was not
 * found`) when there is none, 412 when it changed since the client read it. Returns the row.
 */
export async function lockForChange<T extends PgTable & { id: AnyPgColumn, version: AnyPgColumn }> (
  tx: Db, table: T, id: string, expectedVersion: number, label: string
): Promise<T['$inferSelect'] & Versioned> {
  const rows = await tx.select().from(table as PgTable).where(eq(table.id, id)).for('update')
  const current = rows[0] as (T['$inferSelect'] & Versioned) | undefined
  if (current === undefined) throw notFound(label)
  checkVersion(current, expectedVersion)
  return current
}

/** The version a change of `current` writes: the one place a version is bumped. */
export const nextVersion = (current: Versioned): number => current.version + 1

/** The `set()` of a change to a locked row: the changes, `updated_at` now and the next version. */
export function changeSet<C extends object> (current: Versioned, changes: C): C & { updatedAt: SQL, version: number } {
  return { ...changes, updatedAt: sql`now()`, version: nextVersion(current) }
}

/**
 * The `set()` of a change to a row not read first (a side effect of another change, such as the
 * old default schedule losing the flag): the changes, `updated_at` now and its version plus one.
 */
export function sideChangeSet<C extends object> (table: { version: AnyPgColumn }, changes: C): C & { updatedAt: SQL, version: SQL } {
  return { ...changes, updatedAt: sql`now()`, version: sql`${table.version} + 1` }
}
