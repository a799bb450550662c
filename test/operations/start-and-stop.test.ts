import { spawnSync } from 'node:child_process'
import t from 'tap'
import { processTree, survivors } from '../helpers/processes.js'
import { childEnv, freshEnvironment, root, startServer } from '../helpers/server-process.js'

/**
 * The service started as the README says (`npm start`), then stopped as a process manager
 * stops it: SIGTERM to the process it started. npm hands the signal to its child only; a shell
 * or a tsx process between them died of the signal and left the server (and tsx's esbuild
 * service) running, orphaned. Then the commands the README gives for the container image,
 * `node dist/cli.js ...` and its CMD `node dist/server.js`, on the build `npm start` made.
 */
const home = process.env.HOME ?? root
// npm start compiles the whole service first (tsc): over a minute on a busy 2-core machine.
t.setTimeout(600_000)

t.test('npm start, then SIGTERM to npm: the whole process tree exits, status 0', async (t) => {
  const { env } = await freshEnvironment(t)
  // Its own process group (its pid is the group id), so anything it leaves behind is found.
  const server = startServer({ ...env, HOME: home }, ['npm', 'start'], { detached: true })
  const group = server.child.pid!
  t.teardown(() => {
    for (const left of survivors(group, [])) {
      try { process.kill(left.pid, 'SIGKILL') } catch {}
    }
  })
  const base = await server.listening
  t.equal((await fetch(`${base}/healthz`)).status, 200, 'it answers')
  const tree = processTree(group)
  t.ok(tree.some((p) => /node dist\/server\.js/.test(p.command)), `it runs the build: ${tree.map((p) => p.command).join(' > ')}`)

  server.child.kill('SIGTERM')
  t.same(await server.exited, { code: 0, signal: null }, 'npm exits 0')
  t.ok(server.stdout.some((line) => line.includes('"shutting down"')), 'the service shut down gracefully')
  t.same(survivors(group, tree.map((p) => p.pid)), [], 'no process of its group or tree is left')
})

t.test('the container image\'s commands: node dist/cli.js migrate and keys create, node dist/server.js', async (t) => {
  const { env } = await freshEnvironment(t)
  // As the image runs them: production mode, no tsx, the compiled code (built by npm start above).
  const image = childEnv({ NODE_ENV: 'production', ...env })
  const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/cli.js', ...args], { cwd: root, env: image, encoding: 'utf8' })

  const migrated = cli('migrate')
  t.equal(migrated.status, 0, migrated.stderr)
  t.match(migrated.stdout, /migrations applied/)
  const created = cli('keys', 'create', '--role', 'admin', '--name', 'First admin')
  t.equal(created.status, 0, created.stderr)
  const secret = /\n(sp_[A-Za-z0-9_-]{43})\n/.exec(created.stdout)?.[1]
  t.ok(secret, 'the secret is printed once')
  t.match(cli().stderr, /node dist\/cli\.js <command>/, 'the usage names the in-image command')

  const server = startServer({ ...image, HOME: home }, [process.execPath, 'dist/server.js'], { detached: true })
  const base = await server.listening
  const keys = await fetch(`${base}/api-keys`, { headers: { authorization: `Bearer ${secret!}` } })
  t.equal(keys.status, 200, 'the key made by the CLI works on the compiled server')
  const tree = processTree(server.child.pid!)
  server.child.kill('SIGTERM')
  t.same(await server.exited, { code: 0, signal: null }, 'exits 0 on SIGTERM')
  t.same(survivors(server.child.pid!, tree.map((p) => p.pid)), [], 'and leaves nothing running')
})
