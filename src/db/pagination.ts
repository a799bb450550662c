import { and, eq, lt, or, type AnyColumn, type SQL } from 'drizzle-orm'
import { isValidDate } from '../domain/calendar-date.js'
import { AppError } from '../errors.js'

export interface Page<T> { items: T[], nextCursor: string | null }

/** Cursors are opaque to clients: the sort key of the last item, base64url JSON. */
export function encodeCursor (key: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url')
}

/** What each element of a cursor holds; anything else was not issued by this service. */
export type CursorPart = 'date' | 'instant' | 'uuid' | 'int32' | 'int64' | 'text'
type PartValue<P extends CursorPart> = P extends 'int32' | 'int64' ? number : string

const MAX_TEXT_KEY = 500
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
// As Date.prototype.toISOString writes an instant (years 0001 to 9999, milliseconds, Z).
const ISO_INSTANT = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

const fitsPart: Record<CursorPart, (value: unknown) => boolean> = {
  date: (value) => typeof value === 'string' && isValidDate(value),
  instant: (value) => {
    if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return false
    const instant = new Date(value)
    return !Number.isNaN(instant.getTime()) && instant.toISOString() === value
  },
  uuid: (value) => typeof value === 'string' && UUID.test(value),
  int32: (value) => Number.isSafeInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31,
  int64: (value) => Number.isSafeInteger(value),
  // Names (pay schedules sort by name): any text a name column can hold (no NUL), and no longer.
  text: (value) => typeof value === 'string' && value.length <= MAX_TEXT_KEY && !value.includes('\u0000')
}

/**
 * The sort key a cursor holds, each element checked to be exactly what the service writes
 * there: the database never sees a forged value. A cursor of the right shape with wrong values
 * (`["x","2026-01-01T00:00:00Z","00000000-..."]`, `[9007199254740991]` for an integer column,
 * an instant before year 1) reached Postgres and answered 500.
 */
export function decodeCursor<const Shape extends readonly CursorPart[]> (
  cursor: string | undefined,
  shape: Shape
): { [K in keyof Shape]: PartValue<Shape[K]> } | undefined {
  if (cursor === undefined) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw new AppError('invalid_cursor', 'The cursor is not one this service issued')
  }
  const fits = Array.isArray(parsed) && parsed.length === shape.length &&
    parsed.every((value, i) => fitsPart[shape[i]!](value))
  if (!fits) {
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
  const key = decodeCursor(cursor, ['instant', 'uuid'])
  if (key === undefined) return undefined
  const instant = new Date(key[0])
  return or(lt(createdAt, instant), and(eq(createdAt, instant), lt(id, key[1])))
}

/** The cursor key of a row in a newest-first list. */
export const newestFirstKey = (row: { createdAt: Date, id: string }): [string, string] => [row.createdAt.toISOString(), row.id]
