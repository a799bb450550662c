// Run once by tap (`before`) ahead of the test files: makes the migrated template database
// each test file copies, on PGlite or, when DATABASE_URL is set, on that Postgres server.
import { existsSync, renameSync, writeFileSync } from 'node:fs'
import postgres from 'postgres'
import { openDatabase } from '../../src/db/open.js'
import { migrationsHash, pgliteTemplatePath, serverTemplateName, serverUrl, urlForDatabase } from '../helpers/templates.js'

const hash = migrationsHash()
const url = serverUrl()

if (url === undefined) {
  const path = pgliteTemplatePath(hash)
  if (!existsSync(path)) {
    const database = await openDatabase({})
    await database.migrate()
    const dump = await (database.db as unknown as { $client: { dumpDataDir: (c: 'none') => Promise<Blob> } }).$client.dumpDataDir('none')
    await database.close()
    const partial = `${path}.${process.pid}.partial`
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()))
    renameSync(partial, path)
  }
} else {
  const admin = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const name = serverTemplateName(hash)
    // Databases left by interrupted earlier runs (their test process, named in the database
    // name, is gone) and templates of older migrations no test is copying.
    const alive = (pid: number): boolean => {
      try { process.kill(pid, 0); return true } catch { return false }
    }
    const candidates = await admin<Array<{ datname: string }>>`
      select datname from pg_database
      where datname like 'sp\\_test\\_%' or (datname like 'sp\\_template\\_%' and datname <> ${name} and datname not like '%\\_building\\_%')`
    for (const { datname } of candidates) {
      const pid = /^sp_test_(\d+)_/.exec(datname)?.[1]
      if (pid !== undefined && alive(Number(pid))) continue
      await admin.unsafe(`drop database if exists "${datname}"`).catch(() => {})
    }
    const [existing] = await admin`select 1 from pg_database where datname = ${name}`
    if (existing === undefined) {
      const building = `${name}_building_${process.pid}`
      await admin.unsafe(`create database "${building}"`)
      const database = await openDatabase({ url: urlForDatabase(url, building) })
      await database.migrate()
      await database.close()
      await admin.unsafe(`alter database "${building}" rename to "${name}"`)
    }
  } finally {
    await admin.end()
  }
}
