import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import { createTestDatabase, onServer } from './database.js'

export const root = fileURLToPath(new URL('../..', import.meta.url))

export interface ServerProcess {
  child: ChildProcess
  /** Base URL once it listens (rejects if it exits first). */
  listening: Promise<string>
  stdout: string[]
  stderr: () => string
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
}

/**
 * The environment of a child process the tests start (a server, the CLI, a shell): only the given
 * variables and PATH, and no coverage recording. tap records coverage in every Node process under
 * a test; these load the sources through tsx, whose recorded source maps counted each file as one
 * line, and merged with the test processes' coverage of the same files they made tap's report
 * hold a few hundred lines instead of thousands, depending on the order the files were read.
 */
export const childEnv = (env: Record<string, string>): Record<string, string> =>
  ({ PATH: process.env.PATH ?? '', _TAPJS_PROCESSINFO_COVERAGE_: '0', ...env })

/** `src/server.ts` run from source, in the test's own Node (no tsx process of its own). */
export const fromSource = [process.execPath, '--import', 'tsx', 'src/server.ts']

/**
 * Starts the service (by default from source; `command` gives another way, such as `npm start`)
 * in a child process with only the given environment. `detached` puts it in a process group of
 * its own (its pid is the group id).
 */
export function startServer (env: Record<string, string>, command = fromSource, options: { detached?: boolean } = {}): ServerProcess {
  const [file, ...args] = command
  const child = spawn(file!, args, {
    cwd: root,
    env: childEnv({ HOST: '127.0.0.1', PORT: '0', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached === true
  })
  const stdout: string[] = []
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8') })
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }))
  const listening = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout.push(line)
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)
      if (match !== null) resolve(match[1]!)
    })
    exited.then(({ code }) => { reject(new Error(`server exited (${code}) before listening: ${stderr}`)) }, reject)
  })
  listening.catch(() => {})
  return { child, listening, stdout, stderr: () => stderr, exited }
}

/**
 * The environment of a service on a database of this test's own: a new data folder on PGlite,
 * or a new database on the server pass (`url`).
 */
export async function freshEnvironment (t: Test): Promise<{ env: Record<string, string>, url: string | undefined }> {
  if (!onServer()) {
    const dir = mkdtempSync(join(tmpdir(), 'sessional-pay-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    return { env: { DATA_DIR: dir }, url: undefined }
  }
  const database = await createTestDatabase()
  await database.handle.close()
  t.teardown(() => database.dispose())
  return { env: { DATABASE_URL: database.url! }, url: database.url }
}
