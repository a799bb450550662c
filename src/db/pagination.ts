import { and, eq, lt, or, type AnyColumn, type SQL } from 'drizzle-orm'
import { AppError } from '../errors.js'

export interface Page<T> { items: T[], nextCursor: string | null }

/** Cursors are opaque to clients: the sort key of the last item, base64url JSON. */
export function encodeCursor (key: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url')
}

export function decodeCursor<const Shape extends ReadonlyArray<'string' | 'number'>> (
  cursor: string | undefined,
  shape: Shape
): { [K in keyof Shape]: Shape[K] extends 'number' ? number : string } | undefined {
  if (cursor === undefined) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw new AppError('invalid_cursor', 'The cursor is not one this service issued')
  }
  const fits = (value: unknown, kind: 'string' | 'number' | undefined): boolean =>
    kind === 'number' ? Number.isSafeInteger(value) : typeof value === 'string'
  if (!Array.isArray(parsed) || parsed.length !== shape.length || !parsed.every((value, i) => fits(value, shape[i]))) {
    throw new AppError('invalid_cursor', 'The cursor is not one this service issued')
  }
  return parsed as never
}

/**
 * Given up to limit + 1 rows (ask the database for one more than the page), returns the page
 * and the cursor of its last item when more rows follow.
 */
export function toPage<Row, Item> (rows: Row[], limit: number, toItem: (row: Row) => Item, keyOf: (row: Row) => Array<string | number>): Page<Item> {
  const more = rows.length > limit
  const pageRows = more ? rows.slice(0, limit) : rows
  const last = pageRows[pageRows.length - 1]
  return {
    items: pageRows.map(toItem),
    nextCursor: more && last !== undefined ? encodeCursor(keyOf(last)) : null
  }
}

/**
 * Keyset condition for lists ordered newest first by (createdAt, id): the rows after the
 * cursor's item. Undefined (no condition) on the first page.
 */
export function newestFirstAfter (createdAt: AnyColumn, id: AnyColumn, cursor: string | undefined): SQL | undefined {
  const key = decodeCursor(cursor, ['string', 'string'])
  if (key === undefined) return undefined
  const instant = new Date(key[0])
  if (Number.isNaN(instant.getTime())) throw new AppError('invalid_cursor', 'The cursor is not one this service issued')
  return or(lt(createdAt, instant), and(eq(createdAt, instant), lt(id, key[1])))
}

/** The cursor key of a row in a newest-first list. */
export const newestFirstKey = (row: { createdAt: Date, id: string }): [string, string] => [row.createdAt.toISOString(), row.id]
