/**
 * What a database error means, whichever engine raised it. Drizzle wraps driver errors in
 * DrizzleQueryError (whose message holds the SQL and parameters: never shown or logged); the
 * driver's error is its `cause`.
 */
export type DatabaseErrorKind =
  | 'unique' | 'exclusion' | 'foreign_key' | 'check' | 'not_null'
  | 'serialization' | 'timeout' | 'unavailable' | 'invalid_text' | 'other'

export interface DatabaseErrorInfo {
  kind: DatabaseErrorKind
  /** SQLSTATE, or the client's own code (postgres.js CONNECTION_CLOSED, ECONNREFUSED...). */
  code: string
  constraint?: string
  table?: string
}

// postgres.js's own codes for a connection that could not be made or went away: only the
// driver raises these.
const driverConnectionCodes = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT'])

// Node's socket codes: any socket raises these, the client's own included (a client that hangs up
// mid-upload fails the request body's stream with ECONNRESET, "aborted"). They mean the database
// went away only when the driver handed the error to a statement (see fromDriver).
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN'])

const bySqlState: Record<string, DatabaseErrorKind> = {
  23505: 'unique',
  '23P01': 'exclusion',
  23503: 'foreign_key',
  23514: 'check',
  23502: 'not_null',
  40001: 'serialization',
  '40P01': 'serialization',
  // A text value Postgres cannot store: the NUL character (\u0000), valid in JSON and in a
  // percent-encoded query, reached the database as a 500 (found by the fuzzer).
  22021: 'invalid_text', // character_not_in_repertoire ("invalid byte sequence ... 0x00")
  '22P05': 'invalid_text', // untranslatable_character (\u0000 in jsonb)
  57014: 'timeout', // statement_timeout or cancel
  '55P03': 'timeout', // lock_not_available
  '57P01': 'unavailable', // admin_shutdown, e.g. pg_terminate_backend
  '57P02': 'unavailable',
  '57P03': 'unavailable', // cannot_connect_now (starting up or shutting down)
  53300: 'unavailable', // too_many_connections
  53400: 'unavailable'
}

interface DriverError {
  code?: unknown, severity?: unknown, constraint?: unknown, constraint_name?: unknown, table?: unknown, table_name?: unknown, cause?: unknown
}

/**
 * The error (or the first error in its cause chain) with a code, and whether the database
 * driver raised it: drizzle wraps every failed statement in DrizzleQueryError (which holds the
 * statement as `query`), and postgres.js defines `query` on each error it fails a statement
 * with, socket errors included (connection.js queryError). An error the server sent (postgres.js's
 * PostgresError, PGlite's DatabaseError) carries its severity. PGlite raises no socket errors.
 */
function driverErrorOf (error: unknown): { driverError: DriverError, fromDriver: boolean } | undefined {
  let current: unknown = error
  let fromDriver = false
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    const candidate = current as DriverError
    if (Object.hasOwn(candidate, 'query')) fromDriver = true
    if (typeof candidate.code === 'string') return { driverError: candidate, fromDriver: fromDriver || typeof candidate.severity === 'string' }
    current = candidate.cause
  }
  return undefined
}

export function classifyDatabaseError (error: unknown): DatabaseErrorInfo | undefined {
  const found = driverErrorOf(error)
  if (found === undefined) return undefined
  const { driverError, fromDriver } = found
  const code = driverError.code as string
  // Fastify's own errors carry codes too: they are not database errors.
  if (code.startsWith('FST_')) return undefined
  let kind: DatabaseErrorKind | undefined = bySqlState[code]
  if (kind === undefined && driverConnectionCodes.has(code)) kind = 'unavailable'
  // A socket error not raised by the driver is no database's: the client's own connection, say.
  if (kind === undefined && socketCodes.has(code)) {
    if (!fromDriver) return undefined
    kind = 'unavailable'
  }
  if (kind === undefined && code.startsWith('08')) kind = 'unavailable' // connection_exception class
  // Any other SQLSTATE; a five-letter code of another origin (Node's EBADF) is not one.
  if (kind === undefined && fromDriver && /^[0-9A-Z]{5}$/.test(code)) kind = 'other'
  if (kind === undefined) return undefined
  const constraint = driverError.constraint_name ?? driverError.constraint
  const table = driverError.table_name ?? driverError.table
  return {
    kind,
    code,
    ...(typeof constraint === 'string' ? { constraint } : {}),
    ...(typeof table === 'string' ? { table } : {})
  }
}
