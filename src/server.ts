import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, localBaseUrl, type Config } from './config.js'
import { databaseOptions } from './database-options.js'
import { openDatabase } from './db/open.js'
import { systemContext } from './domain/actor.js'
import { loggableError } from './http/error-handler.js'
import { createLogger } from './logger.js'
import { bootstrapAdminKey } from './modules/api-keys/service.js'

function configOrExit (): Config {
  try {
    return loadConfig(process.env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    process.stderr.write(`sessional-pay: ${error.message}\n`)
    process.exit(1)
  }
}

function announceFirstKey (secret: string, base: string): void {
  // Written once to the terminal, never through the logger: logs are shipped and kept.
  process.stderr.write([
    '',
    '  ================================================================',
    '  First run: an admin API key was created. It is shown only now.',
    '',
    `    ${secret}`,
    '',
    `  Use it as:  curl -H "Authorization: Bearer <key>" ${base}/api-keys`,
    '  Store it safely; make named keys with it (POST /api-keys) and revoke it when done.',
    '  ================================================================',
    '',
    ''
  ].join('\n'))
}

const config = configOrExit()
const logger = createLogger(config.LOG_LEVEL)

try {
  const database = await openDatabase(databaseOptions(config))
  await database.migrate()
  const firstKey = await bootstrapAdminKey(database.db, systemContext('first run'))
  if (firstKey !== undefined) announceFirstKey(firstKey, localBaseUrl(config))
  logger.info({ engine: database.engine }, 'database ready')

  const app = await buildApp({ config, database, logger })

  // SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the database, exit 0.
  closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS, logger: false }, async ({ signal, err }) => {
    if (err !== undefined) logger.error({ err }, 'closing after an uncaught error')
    else logger.info({ signal }, 'shutting down')
    await app.close()
  })

  await app.listen({ host: config.HOST, port: config.PORT })
} catch (error) {
  logger.fatal({ err: loggableError(error) }, 'could not start')
  process.exitCode = 1
  // Let the logger flush; nothing else is running yet.
  setImmediate(() => process.exit(1))
}
