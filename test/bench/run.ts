// `npm run bench`: seeds a fresh database through the services, starts the service in a child
// process, loads it from here (autocannon, loopback only, bounded in requests and time), and
// writes bench-results/report.json and report.md. Settings: test/bench/settings.ts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os, { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import { sql } from 'drizzle-orm'
import { openDatabase, rowsOf } from '../../src/db/open.js'
import { urlForDatabase } from '../helpers/templates.js'
import { call, download, load, sampleRss, startService, type MemoryWindow, type Service } from './load.js'
import { writeReport, type ExportResult, type Report } from './report.js'
import { seed, slotOf, type Seeded } from './seed.js'
import { benchSettings, type LoadSettings } from './settings.js'
import { loglogSlope, median, round } from './stats.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const resultsDir = join(root, 'bench-results')
const settings = benchSettings()
const cases = new Set((process.env.BENCH_CASES ?? 'write,read,bulk,export').split(',').map((c) => c.trim()))
const startedAt = new Date()
const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15)
const log = (line: string) => process.stderr.write(`[bench ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0).padStart(5)} s] ${line}\n`)

mkdirSync(resultsDir, { recursive: true })

// Cleanup happens once, whichever way the run ends (done, failed, interrupted, out of time).
let service: Service | undefined
let databaseName: string | undefined
let dataDir: string | undefined
let cleaning: Promise<void> | undefined
function cleanup (): Promise<void> {
  cleaning ??= (async () => {
    if (service !== undefined) await service.stop().catch(() => {})
    if (databaseName !== undefined && settings.serverUrl !== undefined) {
      const admin = postgres(settings.serverUrl, { max: 1, onnotice: () => {} })
      try {
        await admin.unsafe(`drop database if exists "${databaseName}" with (force)`)
        log(`dropped database ${databaseName}`)
      } catch (error) {
        log(`could not drop database ${databaseName}: ${(error as Error).message}`)
      } finally {
        await admin.end({ timeout: 5 })
      }
    }
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true })
  })()
  return cleaning
}
const watchdog = setTimeout(() => {
  log(`out of time (BENCH_MAX_MINUTES=${settings.maxMinutes}): stopping`)
  cleanup().finally(() => process.exit(2)).catch(() => {})
}, settings.maxMinutes * 60_000)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`)
    cleanup().finally(() => process.exit(130)).catch(() => {})
  })
}

const report: Report = {
  date: startedAt.toISOString(),
  finishedAt: null,
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1)!,
    loadAverageAtStart: os.loadavg().map((v) => round(v, 2)!),
    loadAverageAtEnd: null,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    database: settings.engine === 'postgres' ? 'PostgreSQL (unknown version)' : `PGlite ${pgliteVersion()}`
  },
  engine: settings.engine,
  settings: { ...settings, serverUrl: settings.serverUrl === undefined ? undefined : '(set)' },
  seeding: null,
  cases: {},
  errors: [],
  notes: []
}

function pgliteVersion (): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

async function prepareDatabase (): Promise<{ env: Record<string, string>, seeded: Seeded }> {
  let url: string | undefined
  if (settings.serverUrl !== undefined) {
    databaseName = `bench_${stamp.toLowerCase()}`
    const admin = postgres(settings.serverUrl, { max: 1, onnotice: () => {} })
    try {
      await admin.unsafe(`create database "${databaseName}"`)
    } finally {
      await admin.end({ timeout: 5 })
    }
    url = urlForDatabase(settings.serverUrl, databaseName)
    log(`created database ${databaseName}`)
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'sessional-pay-bench-'))
  }
  const database = await openDatabase(url === undefined
    ? { dataDir: dataDir! }
    : { url, poolMax: settings.seedConcurrency + 2, statementTimeoutMs: settings.statementTimeoutMs, applicationName: 'sessional-pay-bench-seed' })
  try {
    await database.migrate()
    if (database.engine === 'postgres') {
      const [row] = rowsOf<{ version: string }>(await database.db.execute(sql`select current_setting('server_version') as version`))
      report.machine.database = `PostgreSQL ${row!.version}`
    }
    const seeded = await seed(database.db, settings, log)
    const env: Record<string, string> = {
      ...(url === undefined ? { DATA_DIR: dataDir! } : { DATABASE_URL: url }),
      LOG_LEVEL: settings.logLevel,
      DB_STATEMENT_TIMEOUT_MS: String(settings.statementTimeoutMs)
    }
    return { env, seeded }
  } finally {
    await database.close()
  }
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

type Next = () => { path: string, headers?: Record<string, string>, body?: string }

/**
 * The app route and its bare baseline under the same load: a warm-up of each, then each as fast
 * as answers come back (closed loop: every connection sends its next request when the last
 * answer arrives), then each paced at half the app's saturated rate, where latency is the
 * service's own rather than queueing.
 */
async function compare (name: string, s: LoadSettings, method: string, svc: Service, nextApp: Next, nextBare: Next) {
  const run = (url: string, next: Next, seconds: number, rate?: number) =>
    load({ url, method, connections: s.connections, amount: rate === undefined ? s.amount : Math.ceil(rate * seconds), seconds, next, ...(rate === undefined ? {} : { rate }) })
  log(`${name}: warm-up`)
  await run(svc.appUrl, nextApp, s.warmupSeconds)
  await run(svc.bareUrl, nextBare, s.warmupSeconds)
  log(`${name}: bare route, saturated`)
  const bare = await run(svc.bareUrl, nextBare, s.seconds)
  log(`${name}: app, saturated (bare ${bare.requestsPerSecond} req/s, p99 ${bare.latencyMs.p99} ms)`)
  const app = await run(svc.appUrl, nextApp, s.seconds)
  const rate = Math.max(1, Math.round(app.requestsPerSecond / 2))
  log(`${name}: app ${app.requestsPerSecond} req/s, p99 ${app.latencyMs.p99} ms; both paced at ${rate} req/s`)
  const pacedApp = await run(svc.appUrl, nextApp, s.seconds, rate)
  const pacedBare = await run(svc.bareUrl, nextBare, s.seconds, rate)
  log(`${name}: paced p99 app ${pacedApp.latencyMs.p99} ms, bare ${pacedBare.latencyMs.p99} ms`)
  return { app, bare, paced: { requestsPerSecond: rate, app: pacedApp, bare: pacedBare } }
}

/** A load case's figures against its target: the app's rate over the bare route's, and its p99. */
function judged (s: LoadSettings, runs: Awaited<ReturnType<typeof compare>>, target: { ratioAtLeast: number, p99BelowMs: number }) {
  const { app, bare, paced } = runs
  const ratio = app.requestsPerSecond / bare.requestsPerSecond
  return {
    connections: s.connections,
    app,
    bare,
    paced,
    ratio: round(ratio),
    target,
    met: ratio >= target.ratioAtLeast && app.latencyMs.p99 < target.p99BelowMs && app.non2xx === 0
  }
}

async function writePath (svc: Service, seeded: Seeded) {
  const { writers } = seeded
  const body = (i: number, month: string) => {
    const writer = writers[i % writers.length]!
    return {
      writer,
      json: JSON.stringify({ workerId: writer.workerId, activityTypeId: seeded.activities.peer, teamId: writer.teamId, ...slotOf(month, Math.floor(i / writers.length)), notes: 'bench session' })
    }
  }
  let appIndex = 0
  let bareIndex = 0
  const nextApp = () => {
    const i = appIndex++
    const { writer, json } = body(i, seeded.months.writeApp)
    return { path: '/entries', headers: { ...bearer(writer.key), 'content-type': 'application/json', 'idempotency-key': `bench-write-${i}` }, body: json }
  }
  const nextBare = () => ({ path: '/bare/entries', headers: { 'content-type': 'application/json' }, body: body(bareIndex++, seeded.months.writeBare).json })
  const s = settings.write
  report.cases.writePath = judged(s, await compare('write path', s, 'POST', svc, nextApp, nextBare), { ratioAtLeast: 0.5, p99BelowMs: 50 })
}

async function readPath (svc: Service, seeded: Seeded) {
  const s = settings.read
  // The first pages of each team's list, walked once through the app for their cursors.
  const cursors: Array<Array<string | null>> = []
  for (const team of seeded.teams) {
    const pages: Array<string | null> = [null]
    while (pages.length < s.pages) {
      const cursor = pages[pages.length - 1]
      const page = await call('GET', `${svc.appUrl}/entries?teamId=${team.id}${cursor === null ? '' : `&cursor=${cursor}`}`, undefined, bearer(team.managerKey))
      if (page.status !== 200) throw new Error(`GET /entries: ${page.status} ${JSON.stringify(page.body)}`)
      if (page.body.nextCursor === null) break
      pages.push(page.body.nextCursor as string)
    }
    cursors.push(pages)
  }
  const pick = (i: number) => {
    const t = i % seeded.teams.length
    const pages = cursors[t]!
    const cursor = pages[Math.floor(i / seeded.teams.length) % pages.length]
    return { team: seeded.teams[t]!, query: `teamId=${seeded.teams[t]!.id}${cursor === null ? '' : `&cursor=${cursor}`}` }
  }
  let appIndex = 0
  let bareIndex = 0
  const nextApp = () => {
    const { team, query } = pick(appIndex++)
    return { path: `/entries?${query}`, headers: bearer(team.managerKey) }
  }
  const nextBare = () => {
    const { team, query } = pick(bareIndex++)
    return { path: `/bare/entries?${query}`, headers: { 'x-bench-person': team.managerPersonId } }
  }
  report.cases.readPath = { ...judged(s, await compare('read path', s, 'GET', svc, nextApp, nextBare), { ratioAtLeast: 0.6, p99BelowMs: 50 }), pagesPerTeam: s.pages }
}

async function bulkApproval (svc: Service, seeded: Seeded) {
  const lists = seeded.submittedByTeam.map((list) => [...list])
  const teams = seeded.teams
  const take = (t: number, n: number) => {
    const items = lists[t]!.splice(0, n)
    if (items.length < n) throw new Error(`team ${t}: not enough submitted entries left`)
    return items
  }
  const viaApp = async (t: number, n: number, key: string) => {
    const items = take(t, n)
    const res = await call('POST', `${svc.appUrl}/entries/decisions`, { decision: 'approve', items }, { ...bearer(teams[t]!.managerKey), 'idempotency-key': key })
    if (res.status !== 200) throw new Error(`POST /entries/decisions: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`)
    return { decided: res.body.decided as number, failed: res.body.failed as number, seconds: res.seconds }
  }
  const viaBare = async (t: number, n: number) => {
    const items = take(t, n)
    const res = await call('POST', `${svc.bareUrl}/bare/entries/approve`, { items })
    if (res.status !== 200) throw new Error(`bare approve: ${res.status}`)
    return { decided: res.body.decided as number, failed: n - (res.body.decided as number), seconds: res.seconds }
  }
  log('bulk approval: warm-up')
  await viaApp(0, seeded.bulkWarmup, 'bench-bulk-warmup')
  await viaBare(0, seeded.bulkWarmup)
  const run = async (one: (c: number) => Promise<{ decided: number, failed: number, seconds: number }>) => {
    const calls = []
    for (let c = 0; c < settings.bulkCalls; c++) calls.push(await one(c))
    const seconds = calls.reduce((a, b) => a + b.seconds, 0)
    const decided = calls.reduce((a, b) => a + b.decided, 0)
    return {
      calls: calls.length,
      perCall: settings.bulkPerCall,
      decided,
      failed: calls.reduce((a, b) => a + b.failed, 0),
      seconds: round(seconds)!,
      entriesPerSecond: round(decided / seconds, 1)!,
      callSecondsMedian: round(median(calls.map((c) => c.seconds)))!,
      callSecondsMax: round(Math.max(...calls.map((c) => c.seconds)))!
    }
  }
  log(`bulk approval: ${settings.bulkCalls} x ${settings.bulkPerCall} through POST /entries/decisions`)
  const app = await run((c) => viaApp(c % teams.length, settings.bulkPerCall, `bench-bulk-${c}`))
  log(`bulk approval: app ${app.entriesPerSecond} entries/s; now the bare UPDATE route`)
  const bare = await run((c) => viaBare(c % teams.length, settings.bulkPerCall))
  report.cases.bulkApproval = { app, bare, ratio: round(app.entriesPerSecond / bare.entriesPerSecond) }
}

async function exportsCase (svc: Service, seeded: Seeded) {
  const finance = bearer(seeded.financeKey)
  const results: ExportResult[] = []
  for (const [i, period] of seeded.exportPeriods.entries()) {
    const warmup = i === 0
    log(`export ${period.label} (${period.entries} entries, ${period.month}): claim`)
    await call('POST', `${svc.bareUrl}/bench/gc`)
    const memory = sampleRss(svc.pid)
    let window: MemoryWindow | undefined
    try {
      const claim = await call('POST', `${svc.appUrl}/pay-periods/${period.periodId}/exports`, undefined, { ...finance, 'idempotency-key': `bench-export-${period.periodId}` })
      if (claim.status !== 201) throw new Error(`claim: ${claim.status} ${JSON.stringify(claim.body).slice(0, 500)}`)
      const batch = claim.body as { id: string, totals: { entryCount: number }, lines: unknown[] }
      if (batch.totals.entryCount !== period.entries) throw new Error(`claim: ${batch.totals.entryCount} entries, expected ${period.entries}`)
      log(`export ${period.label}: claimed in ${claim.seconds.toFixed(2)} s; first download`)
      const fileUrl = `${svc.appUrl}/exports/${batch.id}/files/csv`
      const first = await download(fileUrl, finance)
      if (first.status !== 200) throw new Error(`download: ${first.status}`)
      const repeats = []
      for (let r = 0; r < (warmup ? 1 : settings.downloadRepeats); r++) repeats.push(await download(fileUrl, finance))
      window = memory.stop()
      log(`export ${period.label}: first download ${first.seconds.toFixed(2)} s, repeat ${median(repeats.map((d) => d.seconds)).toFixed(2)} s; COPY baseline`)
      const copies = []
      for (let r = 0; r < (warmup ? 1 : settings.downloadRepeats + 1); r++) copies.push(await download(`${svc.bareUrl}/bare/exports/${batch.id}/copy.csv`))
      if (copies.some((c) => c.status !== 200)) throw new Error(`COPY: ${copies.map((c) => c.status).join(',')}`)
      // The first COPY warms the same pages the downloads already read; the rest are measured.
      const copyRuns = copies.length > 1 ? copies.slice(1) : copies
      const copySeconds = median(copyRuns.map((c) => c.seconds))
      const repeatSeconds = median(repeats.map((d) => d.seconds))
      const result: ExportResult = {
        label: period.label,
        entries: period.entries,
        serviceMade: period.serviceMade,
        copied: period.copied,
        lines: batch.lines.length,
        claimSeconds: round(claim.seconds)!,
        firstDownloadSeconds: round(first.seconds)!,
        repeatDownloadSeconds: round(repeatSeconds)!,
        downloadBytes: first.bytes,
        copySeconds: round(copySeconds)!,
        copyBytes: copyRuns[0]!.bytes,
        entriesPerSecondDownload: Math.round(period.entries / repeatSeconds),
        entriesPerSecondCopy: Math.round(period.entries / copySeconds),
        ratioRepeatDownload: round(copySeconds / repeatSeconds),
        ratioFirstDownload: round(copySeconds / first.seconds),
        ratioClaimAndFirstDownload: round(copySeconds / (claim.seconds + first.seconds)),
        memory: window
      }
      results.push(result)
      log(`export ${period.label}: COPY ${copySeconds.toFixed(2)} s; ratio (repeat download) ${result.ratioRepeatDownload}; RSS ${window.startMB} -> ${Math.max(window.peakSampledMB, window.peakHwmMB ?? 0)} MB`)
    } finally {
      if (window === undefined) memory.stop()
    }
  }
  const measured = results.filter((r) => r.label !== 'warm-up')
  report.cases.exportThroughput = { warmup: results.find((r) => r.label === 'warm-up') ?? null, sizes: measured, target: { ratioAtLeast: 0.5 } }

  const peak = (r: ExportResult) => Math.max(r.memory.peakSampledMB, r.memory.peakHwmMB ?? 0)
  const [smaller, larger] = measured.slice(-2)
  if (smaller !== undefined && larger !== undefined) {
    report.cases.exportMemory = {
      smaller: { entries: smaller.entries, startMB: smaller.memory.startMB, peakMB: peak(smaller) },
      larger: { entries: larger.entries, startMB: larger.memory.startMB, peakMB: peak(larger) },
      growthMB: round(peak(larger) - peak(smaller), 1)!,
      ratio: round(peak(larger) / peak(smaller)),
      target: { growthBelowMB: 50 },
      met: peak(larger) - peak(smaller) < 50
    }
  }
  const slope = (pick: (r: ExportResult) => number) => round(loglogSlope(measured.map((r) => ({ n: r.entries, seconds: pick(r) }))))
  report.cases.scaling = {
    sizes: measured.map((r) => r.entries),
    exponents: {
      claim: slope((r) => r.claimSeconds),
      firstDownload: slope((r) => r.firstDownloadSeconds),
      repeatDownload: slope((r) => r.repeatDownloadSeconds),
      claimAndFirstDownload: slope((r) => r.claimSeconds + r.firstDownloadSeconds),
      copyBaseline: slope((r) => r.copySeconds)
    },
    target: { exponentAtMost: 1.1 }
  }
}

async function main () {
  log(`engine ${settings.engine}; results in ${resultsDir}`)
  const { env, seeded } = await prepareDatabase()
  report.seeding = {
    throughServices: {
      workers: seeded.counts.workers,
      teams: seeded.counts.teams,
      approvedEntries: seeded.counts.serviceApproved,
      submittedEntries: seeded.counts.serviceSubmitted,
      keys: 2 + seeded.teams.length + seeded.writers.length
    },
    copiedInSql: { approvedEntries: seeded.counts.copiedApproved },
    perExport: seeded.exportPeriods.map(({ label, month, entries, serviceMade, copied, copySeconds }) => ({ label, month, entries, serviceMade, copied, copySeconds })),
    months: seeded.months,
    seconds: seeded.seconds,
    serviceEntriesPerSecond: seeded.serviceEntriesPerSecond
  }
  const profileDir = settings.cpuProfile ? join(resultsDir, `profile-${stamp}`) : undefined
  if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true })
  service = await startService(env, { logFile: join(resultsDir, 'service.log'), ...(profileDir === undefined ? {} : { cpuProfileDir: profileDir }) })
  log(`service pid ${service.pid} at ${service.appUrl}, bare routes at ${service.bareUrl}`)
  const svc = service
  const steps: Array<[string, (svc: Service, seeded: Seeded) => Promise<void>]> = [
    ['write', writePath], ['read', readPath], ['bulk', bulkApproval], ['export', exportsCase]
  ]
  for (const [name, step] of steps) {
    if (!cases.has(name)) continue
    try {
      await step(svc, seeded)
    } catch (error) {
      log(`${name} failed: ${(error as Error).stack ?? String(error)}`)
      report.errors.push({ case: name, message: (error as Error).message })
    }
  }
  if (profileDir !== undefined) report.notes.push(`CPU profile of the service: ${profileDir} (summarise with: npx tsx test/bench/profile-summary.ts ${profileDir}/*.cpuprofile)`)
}

try {
  await main()
} catch (error) {
  log(`failed: ${(error as Error).stack ?? String(error)}`)
  report.errors.push({ case: 'setup', message: (error as Error).message })
  process.exitCode = 1
} finally {
  await cleanup()
  clearTimeout(watchdog)
  report.machine.loadAverageAtEnd = os.loadavg().map((v) => round(v, 2)!)
  report.finishedAt = new Date().toISOString()
  const written = writeReport(resultsDir, report)
  log(`wrote ${written.join(' and ')}`)
  if (report.errors.length > 0) process.exitCode = 1
}
