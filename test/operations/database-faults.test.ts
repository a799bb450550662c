import t from 'tap'
import postgres from 'postgres'
import { build } from '../helpers/app.js'
import { onServer } from '../helpers/database.js'

const serverOnly = onServer() ? false : 'terminating a backend needs a Postgres server: runs on the server pass (DATABASE_URL)'

t.test('a backend terminated mid-request gives 503 + Retry-After, and the next request succeeds', { skip: serverOnly }, async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  const victim = await h.key('worker')
  const outside = postgres(h.database.url!, { max: 2, onnotice: () => {} })
  t.teardown(() => outside.end())
  const locked = await outside.reserve()
  await locked`begin`
  await locked`select 1 from api_keys where id = ${victim.id} for update`

  const pending = h.app.inject({ method: 'POST', url: `/api-keys/${victim.id}/revoke`, headers: { ...admin.headers, 'if-match': `"${victim.id}:1"` } })
  let terminated = 0
  for (let polls = 0; terminated === 0 && polls < 10_000; polls++) {
    const rows = await outside`select pg_terminate_backend(pid) as done from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`
    terminated = rows.length
  }
  t.equal(terminated, 1, 'the waiting backend was terminated')
  const failed = await pending
  t.equal(failed.statusCode, 503)
  t.equal(failed.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(failed.json(), { code: 'service_unavailable' })
  t.ok(Number(failed.headers['retry-after']) > 0)
  t.notMatch(failed.body, /terminat|57P01|api_keys|select/i, 'no database detail leaks')
  await locked`rollback`
  locked.release()

  const retried = await h.app.inject({ method: 'POST', url: `/api-keys/${victim.id}/revoke`, headers: { ...admin.headers, 'if-match': `"${victim.id}:1"` } })
  t.equal(retried.statusCode, 200, 'the service reconnects by itself')
  t.equal((await h.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)
})
