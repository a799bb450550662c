import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, localBaseUrl, type Config } from './config.js'
import { databaseOptions } from './database-options.js'
import { openDatabase, type DatabaseHandle } from './db/open.js'
import { roles, systemContext, type Role } from './domain/actor.js'
import { createApiKey } from './modules/api-keys/service.js'
import { writeOpenApiDocument } from './openapi-document.js'
import { seedDemo, type DemoKeys } from './demo.js'
import { AppError } from './errors.js'

const usage = `Usage: npm run cli -- <command>   (built, as in the container image: node dist/cli.js <command>)

Commands:
  migrate                                   apply pending database migrations
  openapi                                   write openapi/openapi.json from the route schemas
  demo                                      seed a small demo organisation (empty database only)
                                            and print one API key per role
  keys create --role <role> --name <name> [--person <id>]
                                            create an API key and print its secret once
                                            (role: ${roles.join(', ')}; worker and manager
                                            keys act as a person: give its id)

The database is the one the service uses: DATABASE_URL, or the embedded one in DATA_DIR.`

class UsageError extends Error {}

/** The demo refused (the database is not empty), with what to do about it. */
class DemoRefused extends Error {
  constructor (readonly detail: string, readonly remedy: string) { super(detail) }
}

/** How to give the demo the empty database it needs, for the database the settings name. */
function startAfresh (config: Config): string {
  if (config.DATABASE_URL !== undefined) {
    return 'To start afresh, point DATABASE_URL at an empty database (or drop and recreate this one), ' +
      'then run the demo again.'
  }
  const dir = resolve(config.DATA_DIR)
  return `To start afresh: stop the service, delete the embedded database (rm -rf ${JSON.stringify(dir)}) ` +
    'or choose another DATA_DIR, then run the demo again.'
}

/** The keys as lines to paste into a shell (`export MANAGER=...`), the base URL, and what next. */
function demoReport (keys: DemoKeys[], base: string): string {
  const exports = keys.map((key) => `  export ${key.role.toUpperCase()}=${key.secret}   # ${key.name}`)
  return [
    'Demo organisation created. Its API keys are shown only now: paste these lines into your shell.',
    '',
    ...exports,
    `  export BASE=${base}`,
    '',
    'Then start the service with the same settings (npm start) and try:',
    '  curl -H "Authorization: Bearer $FINANCE" "$BASE/exports"',
    ''
  ].join('\n')
}

async function run (args: string[], database: () => Promise<DatabaseHandle>): Promise<void> {
  const [command, subcommand] = args
  if (command === 'migrate') {
    const db = await database()
    try {
      await db.migrate()
      process.stdout.write(`migrations applied (${db.engine})\n`)
    } finally { await db.close() }
    return
  }
  if (command === 'demo') {
    const config = loadConfig(process.env)
    const db = await database()
    try {
      await db.migrate()
      const policy = { dualControlAbovePence: config.DUAL_CONTROL_ABOVE_PENCE }
      const keys = await seedDemo(db.db, new Date(), config.TZ_NAME, policy).catch((error: unknown) => {
        if (!(error instanceof AppError) || error.code !== 'conflict') throw error
        throw new DemoRefused(error.detail, startAfresh(config))
      })
      process.stdout.write(demoReport(keys, localBaseUrl(config)))
    } finally { await db.close() }
    return
  }
  if (command === 'openapi') {
    process.stdout.write(`wrote ${await writeOpenApiDocument()}\n`)
    return
  }
  if (command === 'keys' && subcommand === 'create') {
    const { values } = parseArgs({ args: args.slice(2), options: { role: { type: 'string' }, name: { type: 'string' }, person: { type: 'string' } } })
    if (values.role === undefined || !(roles as readonly string[]).includes(values.role)) throw new UsageError(`--role must be one of: ${roles.join(', ')}`)
    if (values.name === undefined || values.name.trim() === '') throw new UsageError('--name is required')
    const db = await database()
    try {
      await db.migrate()
      const { key, secret } = await createApiKey(db.db, systemContext('cli'), { name: values.name.trim(), role: values.role as Role, personId: values.person ?? null })
      process.stdout.write(`created ${key.role} key "${key.name}" (id ${key.id}). Its secret, shown only now:\n${secret}\n`)
    } finally { await db.close() }
    return
  }
  throw new UsageError(command === undefined ? 'a command is required' : `unknown command: ${args.join(' ')}`)
}

try {
  await run(process.argv.slice(2), async () => openDatabase(databaseOptions(loadConfig(process.env))))
} catch (error) {
  if (error instanceof DemoRefused) {
    process.stderr.write(`refused: ${error.detail}\n${error.remedy}\n`)
    process.exitCode = 1
  } else if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${usage}\n`)
    process.exitCode = 2
  } else if (error instanceof AppError) {
    process.stderr.write(`refused: ${error.detail}\n`)
    process.exitCode = 1
  } else if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`)
    process.exitCode = 1
  } else {
    process.stderr.write(`failed: ${(error as Error).message}\n`)
    process.exitCode = 1
  }
}
