import t from 'tap'
import postgres from 'postgres'
import { onServer } from '../helpers/database.js'
import { freshEnvironment, startServer } from '../helpers/server-process.js'

t.test('first start prints one admin key; later starts never print one; SIGTERM exits 0', async (t) => {
  const { env } = await freshEnvironment(t)
  const first = startServer(env)
  const base = await first.listening
  const banner = /First run: an admin API key was created[\s\S]*?\n\s+(sp_[A-Za-z0-9_-]+)\n/.exec(first.stderr())
  t.ok(banner, 'the key is printed on first run')
  const key = banner![1]!
  t.notOk(first.stdout.join('\n').includes(key), 'the key is not in the JSON logs')
  const keys = await fetch(`${base}/api-keys`, { headers: { authorization: `Bearer ${key}` } })
  t.equal(keys.status, 200, 'the printed key works')
  t.equal((await fetch(`${base}/readyz`)).status, 200)
  first.child.kill('SIGTERM')
  t.same(await first.exited, { code: 0, signal: null }, 'exits 0 on SIGTERM')
  t.ok(first.stdout.some((line) => line.includes('"shutting down"')), 'says it is shutting down')

  const second = startServer(env)
  await second.listening
  t.notMatch(second.stderr(), /sp_/, 'no key is printed again')
  second.child.kill('SIGINT')
  t.same(await second.exited, { code: 0, signal: null }, 'exits 0 on SIGINT')
})

t.test('a bad setting stops start-up with a message naming the variable', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'abc' }, /PORT: /],
    [{ DATABASE_URL: 'mysql://root@localhost/db' }, /DATABASE_URL: /],
    [{ TZ_NAME: 'Nowhere/Special' }, /TZ_NAME: /]
  ]
  for (const [env, message] of cases) {
    const server = startServer(env)
    const { code } = await server.exited
    t.equal(code, 1, `${Object.keys(env)[0]}: exit status 1`)
    t.match(server.stderr(), message)
  }
})

t.test('on SIGTERM an in-flight request finishes before the process exits', { skip: onServer() ? false : 'needs a second database connection to hold a request in flight: runs on the Postgres server pass' }, async (t) => {
  const { env, url } = await freshEnvironment(t)
  const server = startServer(env)
  const base = await server.listening
  const key = /\n\s+(sp_[A-Za-z0-9_-]+)\n/.exec(server.stderr())![1]!
  const made = await (await fetch(`${base}/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'victim', role: 'finance' })
  })).json() as { id: string }

  // Hold the key's row lock from outside so the revoke request waits inside the service.
  const blocker = postgres(url!, { max: 2, onnotice: () => {} })
  t.teardown(() => blocker.end())
  const locked = await blocker.reserve()
  await locked`begin`
  await locked`select 1 from api_keys where id = ${made.id} for update`
  const revoke = fetch(`${base}/api-keys/${made.id}/revoke`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'if-match': `"${made.id}:1"` }
  })
  t.match(made, { id: String }, 'the key to revoke exists')
  // Wait until the request is really waiting on the lock (an observed state, not a sleep).
  let waiting = 0
  for (let polls = 0; waiting === 0 && polls < 10_000; polls++) {
    const [row] = await blocker`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`
    waiting = (row as { n: number }).n
  }
  t.ok(waiting > 0, 'the revoke request is waiting on the lock')
  server.child.kill('SIGTERM')
  await locked`commit`
  locked.release()
  const response = await revoke
  t.equal(response.status, 200, 'the in-flight request completed')
  t.same(await server.exited, { code: 0, signal: null })
})
