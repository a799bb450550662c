import Type, { type Static } from 'typebox'
import Value from 'typebox/value'
import { isTimeZone } from './domain/local-time.js'

/**
 * Every setting the service reads from its environment, validated once at start-up.
 * Names are the environment variable names; nothing else in the code reads process.env.
 */
const ConfigSchema = Type.Object({
  DATABASE_URL: Type.Optional(Type.String({
    pattern: '^postgres(ql)?://',
    description: 'Postgres server to use; when unset the embedded PGlite database in DATA_DIR is used'
  })),
  REQUIRE_DATABASE_URL: Type.Boolean({ default: false, description: 'Refuse to start without DATABASE_URL (set in the container image, where an embedded database would be lost)' }),
  DATA_DIR: Type.String({ minLength: 1, default: './data', description: 'Folder of the embedded database' }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'Interface to listen on' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'TCP port to listen on' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info', description: 'pino log level' }),
  TZ_NAME: Type.String({ minLength: 1, default: 'Europe/London', description: 'IANA time zone of local work dates and times' }),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, maximum: 104_857_600, default: 1_048_576, description: 'Largest accepted request body' }),
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 30_000, description: 'Longest a request may take before the connection is closed' }),
  DB_POOL_MAX: Type.Integer({ minimum: 1, maximum: 200, default: 10, description: 'Postgres connections per process (server only)' }),
  DB_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 15_000, description: 'statement_timeout for every connection (server only)' }),
  DB_CONNECT_TIMEOUT_S: Type.Integer({ minimum: 1, maximum: 120, default: 5, description: 'Seconds to wait for a new Postgres connection (server only)' }),
  DUAL_CONTROL_ABOVE_PENCE: Type.Integer({
    minimum: 0,
    default: 50_000,
    description: 'An approval of an entry or ' +
    'correction above this many pence (either direction) needs a second, distinct approver with role finance or ' +
    'admin; so does any override of a blocking earnings cap'
  }),
  AUTH_FAILURE_LIMIT: Type.Integer({ minimum: 1, default: 20, description: 'Failed authentications allowed per client per window' }),
  AUTH_FAILURE_WINDOW_MS: Type.Integer({ minimum: 1000, default: 60_000, description: 'Window of AUTH_FAILURE_LIMIT' }),
  TRUST_PROXY: Type.Union([Type.Boolean(), Type.Integer({ minimum: 1 })], { default: false, description: 'Trust X-Forwarded-For from this many proxy hops (true: any); set behind a load balancer so rate limits see client addresses' }),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 100, default: 10_000, description: 'Longest a graceful shutdown waits for in-flight requests' })
})

export type Config = Static<typeof ConfigSchema>

export class ConfigError extends Error {
  constructor (readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`)
    this.name = 'ConfigError'
  }
}

/**
 * Builds the configuration from an environment (process.env in server.ts, a plain object in
 * tests). Unknown variables are ignored; empty strings count as unset. Throws ConfigError
 * naming each bad variable.
 */
export function loadConfig (env: Record<string, string | undefined>): Config {
  const raw: Record<string, unknown> = {}
  for (const name of Object.keys(ConfigSchema.properties)) {
    const value = env[name]
    if (value !== undefined && value !== '') raw[name] = value
  }
  const converted = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw))
  const problemsByName = new Map<string, string>()
  for (const error of Value.Errors(ConfigSchema, converted)) {
    const name = error.instancePath.replace(/^\//, '')
    // A database URL may carry a password: never echo it.
    const shown = name === 'DATABASE_URL' ? '(value hidden)' : JSON.stringify(raw[name])
    if (!problemsByName.has(name)) problemsByName.set(name, `${name}: ${error.message} (got ${shown})`)
  }
  const problems = [...problemsByName.values()]
  if (problems.length > 0) throw new ConfigError(problems)
  const config = converted as Config
  if (!isTimeZone(config.TZ_NAME)) throw new ConfigError([`TZ_NAME: not a known IANA time zone (got ${JSON.stringify(config.TZ_NAME)})`])
  if (config.REQUIRE_DATABASE_URL && config.DATABASE_URL === undefined) {
    throw new ConfigError(['DATABASE_URL: required when REQUIRE_DATABASE_URL is true (set it to a postgres:// URL)'])
  }
  if (config.DATABASE_URL !== undefined) {
    try {
      const url = new URL(config.DATABASE_URL)
      if (url.hostname === '' && url.pathname.length <= 1) throw new Error('no host or database')
    } catch {
      throw new ConfigError(['DATABASE_URL: not a valid postgres:// URL (value hidden)'])
    }
  }
  return config
}

/**
 * Where a client on this machine reaches the service: HOST and PORT, a wildcard HOST (`0.0.0.0`,
 * `::`) given as the loopback address, an IPv6 address in brackets.
 */
export function localBaseUrl (config: Pick<Config, 'HOST' | 'PORT'>): string {
  const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST === '::' ? '::1' : config.HOST
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`
}
