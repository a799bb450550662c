// The load side of the benchmarks (this process): the service under test in a child process,
// autocannon runs bounded in requests and time, single timed downloads, and RSS sampling of
// the child from /proc.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { openSync, readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import autocannon, { type RequestSpec, type Result } from 'autocannon'
import type { ServerMessage } from './server.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

export interface Service {
  child: ChildProcess
  pid: number
  appUrl: string
  bareUrl: string
  stop (): Promise<number | null>
}

/** Starts test/bench/server.ts in its own process; resolves once both instances listen. */
export async function startService (env: Record<string, string>, options: { logFile: string, cpuProfileDir?: string }): Promise<Service> {
  const log = openSync(options.logFile, 'a')
  const child = spawn(process.execPath, [
    '--import', 'tsx', '--expose-gc',
    ...(options.cpuProfileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir]),
    'test/bench/server.ts'
  ], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', log, log, 'ipc'] })
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  const ready = new Promise<ServerMessage>((resolve, reject) => {
    child.once('message', (message: ServerMessage) => resolve(message))
    exited.then((code) => reject(new Error(`the service exited (${code}) before listening; see ${options.logFile}`)), reject)
  })
  const message = await ready
  if (message.type !== 'listening') throw new Error(`the service failed to start: ${message.message}`)
  return {
    child,
    pid: child.pid!,
    appUrl: message.app,
    bareUrl: message.bare,
    async stop () {
      if (child.exitCode !== null) return child.exitCode
      child.send({ type: 'stop' })
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
      const code = await exited
      clearTimeout(timer)
      return code
    }
  }
}

const MB = 1024 * 1024

/** VmRSS and VmHWM of a process, in bytes. */
function memoryOf (pid: number): { rss: number, hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}

export interface MemoryWindow { startMB: number, peakSampledMB: number, peakHwmMB: number | null, samples: number }

/**
 * Samples a process's RSS every `everyMs` until stopped. The kernel's high-water mark (VmHWM)
 * is reset first (`5` to /proc/<pid>/clear_refs), so it catches peaks between samples too.
 */
export function sampleRss (pid: number, everyMs = 20): { stop (): MemoryWindow } {
  let hwmReset = true
  try { writeFileSync(`/proc/${pid}/clear_refs`, '5') } catch { hwmReset = false }
  const start = memoryOf(pid).rss
  let peak = start
  let samples = 1
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, memoryOf(pid).rss)
      samples++
    } catch {}
  }, everyMs)
  return {
    stop () {
      clearInterval(timer)
      const last = memoryOf(pid)
      peak = Math.max(peak, last.rss)
      const round = (bytes: number) => Math.round(bytes / MB * 10) / 10
      return { startMB: round(start), peakSampledMB: round(peak), peakHwmMB: hwmReset ? round(last.hwm) : null, samples }
    }
  }
}

export interface Download { status: number, bytes: number, seconds: number, firstByteSeconds: number }

/** One GET read to the end and discarded, timed to its last byte. */
export async function download (url: string, headers: Record<string, string> = {}): Promise<Download> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent: false }, (response) => {
      const firstByte = performance.now()
      let bytes = 0
      response.on('data', (chunk: Buffer) => { bytes += chunk.length })
      response.on('end', () => {
        const done = performance.now()
        resolve({ status: response.statusCode ?? 0, bytes, seconds: (done - started) / 1000, firstByteSeconds: (firstByte - started) / 1000 })
      })
      response.on('error', reject)
    })
    request.on('error', reject)
    request.setTimeout(30 * 60_000, () => request.destroy(new Error(`no answer from ${url}`)))
  })
}

/** A JSON request, timed to the end of its body. */
export async function call (method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number, body: any, headers: Headers, seconds: number }> {
  const started = performance.now()
  const response = await fetch(url, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30 * 60_000)
  })
  const text = await response.text()
  const seconds = (performance.now() - started) / 1000
  const json = /json/.test(response.headers.get('content-type') ?? '') && text !== ''
  return { status: response.status, body: json ? JSON.parse(text) : text, headers: response.headers, seconds }
}

export interface LoadRun {
  requests: number
  seconds: number
  requestsPerSecond: number
  latencyMs: { p50: number, p90: number, p99: number, max: number, mean: number }
  non2xx: number
  errors: number
  timeouts: number
  statusCodes: Record<string, number>
}

/**
 * An autocannon run against one URL, ending after `amount` requests or `seconds`, whichever
 * comes first. `next` gives each request its path, headers and body.
 */
export async function load (options: {
  url: string
  connections: number
  amount: number
  seconds: number
  method: string
  /** Requests per second over all connections (default: as fast as answers come back). */
  rate?: number
  next: () => { path: string, headers?: Record<string, string>, body?: string }
}): Promise<LoadRun> {
  const request: RequestSpec = {
    method: options.method,
    setupRequest: (raw) => {
      const made = options.next()
      return { ...raw, method: options.method, path: made.path, headers: { ...made.headers }, ...(made.body === undefined ? {} : { body: made.body }) }
    }
  }
  const instance = autocannon({ url: options.url, connections: options.connections, amount: options.amount, timeout: 30, requests: [request], ...(options.rate === undefined ? {} : { overallRate: options.rate }) })
  const timer = setTimeout(() => instance.stop(), options.seconds * 1000)
  let result: Result
  try {
    result = await instance
  } finally {
    clearTimeout(timer)
  }
  const statusCodes: Record<string, number> = {}
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = Number(stats.count)
  const requests = Object.values(statusCodes).reduce((a, b) => a + b, 0)
  return {
    requests,
    seconds: result.duration,
    requestsPerSecond: Math.round(requests / result.duration * 10) / 10,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: Math.round(result.latency.mean * 100) / 100 },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes
  }
}
