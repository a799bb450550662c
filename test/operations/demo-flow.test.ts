import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { childEnv, freshEnvironment, root, startServer } from '../helpers/server-process.js'

/**
 * The README's "first minute with the demo", run as a newcomer runs it: `npm run cli -- demo`,
 * its `export ...` lines pasted into a shell, the service started on the same settings, then the
 * steps the README shows. Those steps are scripts/demo-flow.sh: the README must show the script's
 * commands verbatim, so neither can drift from what runs here.
 */
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const script = readFileSync(join(root, 'scripts/demo-flow.sh'), 'utf8')
const marker = '<!-- scripts/demo-flow.sh -->'

/** The script without its opening comment and `set` line: what a reader pastes. */
const scriptSteps = script.split('\n').filter((_line, i, lines) =>
  !lines.slice(0, i + 1).every((l) => l.startsWith('#') || l.startsWith('set '))).join('\n').trim()

const hasCurl = spawnSync('curl', ['--version']).status === 0

t.test('the README shows the steps of scripts/demo-flow.sh verbatim', async (t) => {
  const at = readme.indexOf(marker)
  t.ok(at > 0, `the README marks the demo steps (${marker})`)
  const block = /```sh\n([\s\S]*?)\n```/.exec(readme.slice(at))?.[1]
  t.equal(block?.trim(), scriptSteps, 'the block after the marker is the script\'s commands')
  t.match(readme, 'npm run cli -- demo', 'and the README seeds the demo with the command this test runs')
})

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

t.test('the demo, its pasted keys and the README\'s steps work end to end', {
  skip: hasCurl ? false : 'curl is not installed: the README\'s steps use it'
}, async (t) => {
  const { env } = await freshEnvironment(t)
  const settings = { ...env, PORT: String(await freePort()), HOME: process.env.HOME ?? root }

  const seeded = spawnSync('npm', ['run', 'cli', '--', 'demo'], { cwd: root, env: childEnv(settings), encoding: 'utf8' })
  t.equal(seeded.status, 0, seeded.stderr)
  const pasted = seeded.stdout.split('\n').filter((line) => line.startsWith('  export ')).join('\n')
  t.match(pasted, /export MANAGER=sp_/, 'a MANAGER key to paste')
  t.match(pasted, /export FINANCE=sp_/, 'a FINANCE key to paste')

  const server = startServer(settings)
  t.teardown(async () => {
    server.child.kill('SIGTERM')
    await server.exited
  })
  const base = await server.listening
  t.ok(pasted.split('\n').includes(`  export BASE=${base}`), `BASE is where the service listens (${base})`)

  const folder = mkdtempSync(join(tmpdir(), 'sessional-pay-demo-flow-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  const shell = spawnSync('bash', ['-c', `${pasted}\nbash ${JSON.stringify(join(root, 'scripts/demo-flow.sh'))}`], {
    cwd: folder, env: childEnv({ HOME: settings.HOME }), encoding: 'utf8'
  })
  t.equal(shell.status, 0, `the steps succeed: ${shell.stderr}`)
  t.match(shell.stdout, /"state":"approved"/, '1. the manager approved an entry')
  t.match(shell.stdout, /"state":"closed"/, '2. finance closed the period')
  t.match(shell.stdout, /^export batch [0-9a-f-]{36}$/m, '3. and exported it')
  const files = readdirSync(folder)
  t.match(files, [/^sessional-pay-batch-\d+-sage50\.csv$/], '4. the Sage 50 file was saved under the name the service gave')
  t.ok(files.length === 1 && statSync(join(folder, files[0]!)).size > 0, 'and it holds the batch')
  const rows = readFileSync(join(folder, files[0]!), 'utf8').split('\r\n').filter((row) => row !== '')
  t.same(rows.filter((row) => !/^2,SP\d{3},2[1-4],[12],(YV01|PS02),-?\d+\.\d\d,(\d+\.\d\d)?$/.test(row)), [],
    'every row is a payment with Sage\'s own numbers: payment 21 to 24, department 1 or 2 (the demo\'s codes)')
  t.ok(rows.length > 0, `${rows.length} rows`)
})
