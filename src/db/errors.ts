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

// postgres.js and Node socket codes meaning the server could not be reached or went away.
const connectionCodes = new Set([
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT',
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN'
])

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

interface DriverError { code?: unknown, constraint?: unknown, constraint_name?: unknown, table?: unknown, table_name?: unknown, cause?: unknown }

function driverErrorOf (error: unknown): DriverError | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    const candidate = current as DriverError
    if (typeof candidate.code === 'string') return candidate
    current = candidate.cause
  }
  return undefined
}

export function classifyDatabaseError (error: unknown): DatabaseErrorInfo | undefined {
  const driverError = driverErrorOf(error)
  if (driverError === undefined) return undefined
  const code = driverError.code as string
  // Fastify's own errors carry codes too: they are not database errors.
  if (code.startsWith('FST_')) return undefined
  let kind: DatabaseErrorKind | undefined = bySqlState[code]
  if (kind === undefined && connectionCodes.has(code)) kind = 'unavailable'
  if (kind === undefined && code.startsWith('08')) kind = 'unavailable' // connection_exception class
  if (kind === undefined && /^[0-9A-Z]{5}$/.test(code)) kind = 'other'
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
