// Issue 6 item 4: the Postgres server itself stopped for a few seconds under load and started
// again. Stopping the server would break every other test file using it at the same time, so
// this file runs only when told how (and .ci/run runs it alone, after the server pass):
//
//   FAULTS_SERVER_STOP='pg_ctlcluster --skip-systemctl-redirect 17 main stop -m fast' \
//   FAULTS_SERVER_START='pg_ctlcluster --skip-systemctl-redirect 17 main start' \
//   DATABASE_URL=postgres://root@127.0.0.1:5432/test npx tap test/faults/server-restart.test.ts
//
// The same scenario through a TCP proxy runs on every server pass (database-faults.test.ts).
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import t from 'tap'
import { build } from '../helpers/app.js'
import { onServer } from '../helpers/database.js'
import { outageUnderLoad } from '../helpers/outage.js'

const run = promisify(execFile)
const stop = process.env.FAULTS_SERVER_STOP
const start = process.env.FAULTS_SERVER_START
const skip = !onServer()
  ? 'stopping the database server needs a Postgres server: set DATABASE_URL'
  : stop === undefined || start === undefined
    ? 'set FAULTS_SERVER_STOP and FAULTS_SERVER_START (commands that stop and start the server) to run it; .ci/run does, after the server pass, with nothing else using the server'
    : false

async function shell (command: string): Promise<number> {
  const started = performance.now()
  await run('/bin/sh', ['-c', command], { timeout: 60_000 })
  return performance.now() - started
}

t.test('the Postgres server stopped for a few seconds and started again: fast 503s, /readyz not ready, recovery without restarting the service, no acknowledged write lost', { skip }, async (t) => {
  const h = await build(t, { now: new Date('2026-11-29T12:00:00Z') })
  let stopMs = 0
  let startMs = 0
  // Whatever happens, the server is running again when this file ends.
  t.teardown(async () => { await shell(start!).catch(() => {}) })
  await outageUnderLoad(t, h, {
    name: 'server stopped and started',
    app: h.app,
    down: async () => { stopMs = await shell(stop!) },
    up: async () => { startMs = await shell(start!) },
    describe: () => `\`${stop}\` took ${Math.round(stopMs)} ms, \`${start}\` ${Math.round(startMs)} ms`
  })
})
