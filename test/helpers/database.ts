import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import postgres from 'postgres'
import { openDatabase, type DatabaseHandle } from '../../src/db/open.js'
import { migrationsHash, pgliteTemplatePath, serverTemplateName, serverUrl, urlForDatabase } from './templates.js'

export interface TestDatabase {
  handle: DatabaseHandle
  /** postgres:// URL of this test's own database (server pass only). */
  url: string | undefined
  /** Drops the database (server pass); call after the handle is closed. */
  dispose (): Promise<void>
}

export const onServer = (): boolean => serverUrl() !== undefined

/**
 * A migrated database of this test's own: PGlite loaded from the template dump, or on the
 * server a new database copied from the template.
 */
export async function createTestDatabase (options: { poolMax?: number, statementTimeoutMs?: number } = {}): Promise<TestDatabase> {
  const hash = migrationsHash()
  const url = serverUrl()
  if (url === undefined) {
    const dump = new Blob([readFileSync(pgliteTemplatePath(hash))])
    const handle = await openDatabase({ loadDataDir: dump })
    return { handle, url: undefined, dispose: async () => {} }
  }
  const name = `sp_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = postgres(url, { max: 1, onnotice: () => {} })
  try {
    // Two files copying the template at the same instant can see "being accessed by other
    // users" (55006); the copy is retried a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.unsafe(`create database "${name}" template "${serverTemplateName(hash)}"`)
        break
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt === 10) throw error
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt))
      }
    }
  } finally {
    await admin.end()
  }
  const testUrl = urlForDatabase(url, name)
  const handle = await openDatabase({
    url: testUrl,
    poolMax: options.poolMax ?? 10,
    statementTimeoutMs: options.statementTimeoutMs ?? 15_000,
    connectTimeoutS: 5,
    applicationName: name
  })
  return {
    handle,
    url: testUrl,
    async dispose () {
      const dropper = postgres(url, { max: 1, onnotice: () => {} })
      try {
        await dropper.unsafe(`drop database if exists "${name}" with (force)`)
      } finally {
        await dropper.end()
      }
    }
  }
}
