import { setTimeout as delay } from 'node:timers/promises'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import type postgres from 'postgres'
import type { TestApp } from './app.js'

/**
 * Longest any request may take while the database misbehaves. A hang detector, not a
 * performance figure: a request still unanswered after this is stuck (waiting on a dead
 * connection, a pool that never frees), and fails the test.
 */
export const HANG_BOUND_MS = 10_000

export interface TimedResponse {
  /** Undefined when the request hung past the bound. */
  res: LightMyRequestResponse | undefined
  ms: number
}

/** One request, timed, given up on (and reported as hung) after `boundMs`. */
export async function timedInject (app: TestApp, options: InjectOptions, boundMs = HANG_BOUND_MS): Promise<TimedResponse> {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  const bound = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), boundMs) })
  try {
    const res = await Promise.race([app.inject(options), bound])
    return { res, ms: performance.now() - started }
  } finally {
    clearTimeout(timer)
  }
}

/** The answer the service must give when the database is unavailable or busy: 503 + Retry-After, as a problem. */
export function isUnavailableProblem (res: LightMyRequestResponse): boolean {
  if (res.statusCode !== 503) return false
  const retryAfter = Number(res.headers['retry-after'])
  if (!Number.isInteger(retryAfter) || retryAfter <= 0) return false
  if (res.headers['content-type'] !== 'application/problem+json; charset=utf-8') return false
  const body = res.json() as { code?: unknown, status?: unknown }
  return body.code === 'service_unavailable' && body.status === 503
}

/** Polls `check` until it returns a value other than undefined, failing after `timeoutMs`. */
export async function waitFor<T> (what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000, everyMs = 10): Promise<T> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (performance.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`)
    await delay(everyMs)
  }
}

export interface Backend { pid: number, state: string | null, waiting: string | null }

/** The service's connections to its database, seen by an outside connection. */
export async function backendsOf (sql: postgres.Sql, applicationName: string): Promise<Backend[]> {
  return sql<Backend[]>`select pid, state, wait_event_type as waiting from pg_stat_activity
    where datname = current_database() and application_name = ${applicationName} and pid <> pg_backend_pid()`
}

/**
 * Terminates the service's backends (pg_terminate_backend: the client sees 57P01 or its
 * socket closed); `which` narrows it to those busy with a request. Returns how many went.
 */
export async function terminateBackends (sql: postgres.Sql, applicationName: string, which: 'all' | 'busy' = 'all'): Promise<number> {
  const rows = await sql<Array<{ done: boolean }>>`select pg_terminate_backend(pid) as done from pg_stat_activity
    where datname = current_database() and application_name = ${applicationName} and pid <> pg_backend_pid()
      and (${which} = 'all' or state in ('active', 'idle in transaction'))`
  return rows.filter((row) => row.done).length
}
