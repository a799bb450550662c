// Summarises V8 CPU profiles (node --cpu-prof; `BENCH_CPU_PROFILE=1 npm run bench` writes one for
// the service): self time by function, inclusive time of this project's functions, and self
// time by package.  npx tsx test/bench/profile-summary.ts <file.cpuprofile>... [--top N]
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string, url: string, lineNumber: number }
  hitCount?: number
  children?: number[]
}
interface Profile { nodes: ProfileNode[], startTime: number, endTime: number, samples: number[] }

const args = process.argv.slice(2)
const topAt = args.indexOf('--top')
const top = topAt === -1 ? 25 : Number(args[topAt + 1])
const files = args.filter((arg, i) => arg !== '--top' && i !== topAt + 1)
if (files.length === 0) {
  process.stderr.write('usage: npx tsx test/bench/profile-summary.ts <file.cpuprofile>... [--top N]\n')
  process.exit(2)
}

const shortUrl = (url: string) => {
  const path = url.replace(/^file:\/\//, '')
  return path.includes('/node_modules/') ? path.replace(/^.*\/node_modules\//, 'node_modules/') : path.replace(/^.*\/(src|test)\//, '$1/')
}
const label = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`
const packageOf = (url: string) => {
  const short = shortUrl(url)
  if (short === '') return '(native / V8)'
  if (short.startsWith('node_modules/')) return short.split('/').slice(0, short.split('/')[1]!.startsWith('@') ? 3 : 2).join('/')
  if (short.startsWith('node:')) return 'node internals'
  return short.split('/').slice(0, 2).join('/')
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const totalMs = (profile.endTime - profile.startTime) / 1000
  const perSample = totalMs / Math.max(1, profile.samples.length)
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)

  const self = new Map<string, number>()
  const inclusive = new Map<string, number>()
  const packages = new Map<string, number>()
  let idle = 0
  for (const node of profile.nodes) {
    const ms = (node.hitCount ?? 0) * perSample
    if (ms === 0) continue
    const name = node.callFrame.functionName
    if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') {
      if (name === '(idle)') idle += ms
      self.set(name, (self.get(name) ?? 0) + ms)
      continue
    }
    self.set(label(node), (self.get(label(node)) ?? 0) + ms)
    packages.set(packageOf(node.callFrame.url), (packages.get(packageOf(node.callFrame.url)) ?? 0) + ms)
    // Inclusive: every distinct frame on the stack gets the sample once.
    const seen = new Set<string>()
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!
      const key = label(frame)
      if (seen.has(key)) continue
      seen.add(key)
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms)
    }
  }
  const busy = totalMs - idle
  const table = (title: string, rows: Map<string, number>, filter: (key: string) => boolean = () => true) => {
    process.stdout.write(`\n${title}\n`)
    for (const [key, ms] of [...rows.entries()].filter(([key]) => filter(key)).sort((a, b) => b[1] - a[1]).slice(0, top)) {
      process.stdout.write(`${(ms / 1000).toFixed(2).padStart(9)} s ${(100 * ms / busy).toFixed(1).padStart(5)} %  ${key}\n`)
    }
  }
  process.stdout.write(`${file}\n  ${(totalMs / 1000).toFixed(1)} s profiled, ${(busy / 1000).toFixed(1)} s busy (percentages are of busy time)\n`)
  table('self time by package', packages)
  table('self time by function', self)
  table('inclusive time of this project\'s functions (src/, test/)', inclusive, (key) => / (src|test)\//.test(key))
}
