import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { sql } from 'drizzle-orm'
import { openDatabase } from '../../src/db/open.js'
import { hashSecret } from '../../src/modules/api-keys/secret.js'
import { query } from '../helpers/sql.js'
import { childEnv, freshEnvironment, root } from '../helpers/server-process.js'

// Each command is a Node process loading the sources through tsx and opening the database:
// several seconds each on a busy 2-core machine, so more than tap's 180 s for the file.
t.setTimeout(600_000)

function cli (env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: root, env: childEnv(env), encoding: 'utf8'
  })
}

async function environment (t: Test): Promise<Record<string, string>> {
  return (await freshEnvironment(t)).env
}

t.test('cli migrate and keys create work on the configured database', async (t) => {
  const env = await environment(t)
  const migrated = cli(env, 'migrate')
  t.equal(migrated.status, 0, migrated.stderr)
  t.match(migrated.stdout, /migrations applied/)

  const created = cli(env, 'keys', 'create', '--role', 'finance', '--name', 'Finance team')
  t.equal(created.status, 0, created.stderr)
  const secret = /\n(sp_[A-Za-z0-9_-]{43})\n/.exec(created.stdout)?.[1]
  t.ok(secret, 'the secret is printed once')

  const database = await openDatabase(env.DATABASE_URL === undefined ? { dataDir: env.DATA_DIR } : { url: env.DATABASE_URL })
  t.teardown(() => database.close())
  const [key] = await query<{ role: string, name: string }>(database.db, sql`select role, name from api_keys where secret_hash = ${hashSecret(secret!)}`)
  t.same(key, { role: 'finance', name: 'Finance team' }, 'stored by its digest, with role and name')
  const [event] = await query<{ actor_label: string }>(database.db, sql`select actor_label from audit_events where action = 'api_key.created'`)
  t.equal(event?.actor_label, 'cli', 'audited as made from the shell')
})

t.test('cli refuses bad usage with a message and status 2', async (t) => {
  for (const args of [[], ['keys', 'create', '--role', 'boss', '--name', 'x'], ['keys', 'create', '--role', 'admin'], ['frobnicate']]) {
    const result = cli({ DATA_DIR: join(tmpdir(), 'sessional-pay-cli-unused') }, ...args)
    t.equal(result.status, 2, args.join(' ') || '(no command)')
    t.match(result.stderr, /Usage: npm run cli/)
  }
  const badConfig = cli({ PORT: 'x' }, 'migrate')
  t.equal(badConfig.status, 1)
  t.match(badConfig.stderr, /PORT: /)
})

t.test('cli demo seeds a small organisation once and prints a key per role', async (t) => {
  const env = await environment(t)
  const seeded = cli({ ...env, HOST: '0.0.0.0', PORT: '4567' }, 'demo')
  t.equal(seeded.status, 0, seeded.stderr)
  // Lines to paste into a shell, named as the README names them ($MANAGER, $FINANCE).
  const keys = [...seeded.stdout.matchAll(/^ {2}export (ADMIN|FINANCE|MANAGER|WORKER)=(sp_[A-Za-z0-9_-]{43}) +# /gm)].map((m) => m[1])
  t.same(keys, ['ADMIN', 'FINANCE', 'MANAGER', 'WORKER'])
  t.match(seeded.stdout, /^ {2}export BASE=http:\/\/127\.0\.0\.1:4567$/m, 'the base URL of the configured port (a wildcard host as loopback)')
  const again = cli(env, 'demo')
  t.equal(again.status, 1, 'refused on a database that holds people')
  t.match(again.stderr, /already holds people/)
  t.match(again.stderr, env.DATA_DIR === undefined ? /To start afresh, point DATABASE_URL at an empty database/ : `rm -rf "${env.DATA_DIR}"`,
    'and says how to start afresh')

  const database = await openDatabase(env.DATABASE_URL === undefined ? { dataDir: env.DATA_DIR } : { url: env.DATABASE_URL })
  t.teardown(() => database.close())
  const [counts] = await query<Record<string, number>>(database.db, sql`select
    (select count(*)::int from teams) as teams, (select count(*)::int from workers) as workers,
    (select count(distinct payment_mode)::int from workers) as payment_modes, (select count(distinct benefit_guard)::int from workers) as guards,
    (select count(*)::int from export_batches) as batches, (select count(distinct state)::int from timesheet_entries) as states`)
  t.same(counts, { teams: 2, workers: 8, payment_modes: 3, guards: 4, batches: 1, states: 5 }, 'two teams, eight workers, a batch, entries in every state')
})
