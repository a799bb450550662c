// Judges tap's coverage report of the PGlite pass (written by `npx tap report json-summary`):
// fails when the report misses a file of src/ (an incomplete report, so its percentage means
// nothing) or when its line coverage is under the floor. Usage: node .ci/coverage-check.mjs FLOOR
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

// Run only as child processes the tests start, which record no coverage (see childEnv in
// test/helpers/server-process.ts): the service's and the CLI's entry points, and the demo seed.
const childOnly = new Set(['src/server.ts', 'src/cli.ts', 'src/demo.ts'])

const floor = Number(process.argv[2])
const root = resolve(import.meta.dirname, '..')
const summary = JSON.parse(readFileSync(join(root, '.tap/report/coverage-summary.json'), 'utf8'))
const reported = new Set(Object.keys(summary).filter((f) => f !== 'total').map((f) => relative(root, f)))
const sources = readdirSync(join(root, 'src'), { recursive: true })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join('src', f))
const missing = sources.filter((f) => !reported.has(f) && !childOnly.has(f)).sort()
const { lines } = summary.total
let failed = false
console.log(`coverage report: ${reported.size} files, ${lines.total} lines; src/: ${sources.length} files ` +
  `(${childOnly.size} run only in child processes)`)
if (missing.length > 0) {
  console.log(`!! the report misses ${missing.length} file(s) of src/, so it is incomplete: ${missing.join(', ')}`)
  failed = true
}
if (!(lines.pct >= floor)) {
  console.log(`!! line coverage ${lines.pct}% is below the ${floor}% floor`)
  failed = true
} else {
  console.log(`line coverage ${lines.pct}% (floor ${floor}%)`)
}
process.exit(failed ? 1 : 0)
