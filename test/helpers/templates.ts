import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrationsFolder } from '../../src/db/open.js'

/**
 * Migrating a fresh database takes seconds; tests instead copy a migrated template made once
 * per run by test/setup/prepare-templates.ts. The template is named after the migrations'
 * content, so a changed migration makes a new one.
 */
export function migrationsHash (): string {
  const hash = createHash('sha256')
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) walk(path)
      else hash.update(entry.name).update(readFileSync(path))
    }
  }
  walk(migrationsFolder)
  return hash.digest('hex').slice(0, 12)
}

export const serverUrl = (): string | undefined => process.env.DATABASE_URL === '' ? undefined : process.env.DATABASE_URL

export const pgliteTemplatePath = (hash: string): string => join(tmpdir(), `sessional-pay-pglite-${hash}.tar`)

export const serverTemplateName = (hash: string): string => `sp_template_${hash}`

/** The same server, another database on it. */
export function urlForDatabase (url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}
