// What a benchmark run does, from the environment: full sizes on a Postgres server
// (DATABASE_URL), smaller ones on the embedded PGlite engine. Every BENCH_* variable is optional.

export interface BenchSettings {
  engine: 'postgres' | 'pglite'
  /** Postgres server URL (the bench makes and drops its own bench_<timestamp> database on it). */
  serverUrl: string | undefined
  workers: number
  teams: number
  /** Entries of the measured exports (ascending); the middle and largest are the memory pair. */
  exportSizes: number[]
  /** Exports of at most this many entries are made wholly through the services. */
  serviceEntriesMax: number
  bulkCalls: number
  bulkPerCall: number
  /** Workers who record their own entries in the write-path case (each has a worker key). */
  writers: number
  write: LoadSettings
  read: LoadSettings & { pages: number }
  /** Downloads (export and COPY) measured after the first, per size; the median is reported. */
  downloadRepeats: number
  /** statement_timeout of the service under test (the default 15 s cancels a 1M claim on slow disks). */
  statementTimeoutMs: number
  logLevel: string
  cpuProfile: boolean
  /** The whole run stops (and cleans up) after this long. */
  maxMinutes: number
  seedConcurrency: number
}

export interface LoadSettings {
  connections: number
  /** Upper bound of requests per measured run... */
  amount: number
  /** ...and of its seconds: whichever comes first ends it. */
  seconds: number
  warmupSeconds: number
}

const int = (name: string, fallback: number): number => {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number (got ${JSON.stringify(raw)})`)
  return value
}

const list = (name: string, fallback: number[]): number[] => {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const values = raw.split(',').map((part) => Number(part.trim().replace(/_/g, '')))
  if (values.length < 2 || values.some((value) => !Number.isSafeInteger(value) || value <= 0)) {
    throw new Error(`${name} must list at least two entry counts, e.g. 10000,100000,1000000 (got ${JSON.stringify(raw)})`)
  }
  return [...values].sort((a, b) => a - b)
}

export function benchSettings (): BenchSettings {
  const serverUrl = process.env.DATABASE_URL === '' ? undefined : process.env.DATABASE_URL
  const server = serverUrl !== undefined
  const workers = int('BENCH_WORKERS', server ? 2000 : 200)
  return {
    engine: server ? 'postgres' : 'pglite',
    serverUrl,
    workers,
    teams: int('BENCH_TEAMS', server ? 20 : 4),
    exportSizes: list('BENCH_EXPORT_SIZES', server ? [10_000, 100_000, 1_000_000] : [1_000, 10_000, 50_000]),
    serviceEntriesMax: int('BENCH_SERVICE_ENTRIES_MAX', server ? 10_000 : 1_000),
    bulkCalls: int('BENCH_BULK_CALLS', 20),
    bulkPerCall: int('BENCH_BULK_PER_CALL', server ? 500 : 100),
    writers: Math.min(workers, int('BENCH_WRITERS', 256)),
    write: {
      connections: int('BENCH_WRITE_CONNECTIONS', 32),
      amount: int('BENCH_WRITE_REQUESTS', server ? 20_000 : 5_000),
      seconds: int('BENCH_WRITE_SECONDS', 20),
      warmupSeconds: int('BENCH_WARMUP_SECONDS', 5)
    },
    read: {
      connections: int('BENCH_READ_CONNECTIONS', 64),
      amount: int('BENCH_READ_REQUESTS', server ? 50_000 : 10_000),
      seconds: int('BENCH_READ_SECONDS', 20),
      warmupSeconds: int('BENCH_WARMUP_SECONDS', 5),
      pages: int('BENCH_READ_PAGES', 10)
    },
    downloadRepeats: Math.max(1, int('BENCH_DOWNLOAD_REPEATS', 2)),
    statementTimeoutMs: int('BENCH_STATEMENT_TIMEOUT_MS', 900_000),
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
    cpuProfile: process.env.BENCH_CPU_PROFILE === '1',
    maxMinutes: int('BENCH_MAX_MINUTES', 90),
    seedConcurrency: server ? int('BENCH_SEED_CONCURRENCY', 6) : 1
  }
}
