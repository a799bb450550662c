// Judges tap's coverage report of the PGlite pass (written by `npx tap report json-summary`):
// fails when the report misses a file of src/ or counts too few of a file's lines (incomplete or
// broken data, so its percentage means nothing), or when its line coverage is under the floor. Usage: node .ci/coverage-check.mjs FLOOR
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import ts from 'typescript'

// Run only as child processes the tests start, which record no coverage (see childEnv in
// test/helpers/server-process.ts): the service's and the CLI's entry points, and the demo seed.
// src/database-options.ts is imported by those two alone.
const childOnly = new Set(['src/server.ts', 'src/cli.ts', 'src/demo.ts', 'src/database-options.ts'])

// A file of types alone compiles to no code, so no process ever loads it.
const typesOnly = (file) => ts.transpileModule(readFileSync(join(root, file), 'utf8'), {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, removeComments: true, sourceMap: false }
}).outputText.replace(/export \{\};?/g, '').trim() === ''

const floor = Number(process.argv[2])
const root = resolve(import.meta.dirname, '..')
const summary = JSON.parse(readFileSync(join(root, '.tap/report/coverage-summary.json'), 'utf8'))
const reported = new Set(Object.keys(summary).filter((f) => f !== 'total').map((f) => relative(root, f)))
const sources = readdirSync(join(root, 'src'), { recursive: true })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join('src', f))
const missing = sources.filter((f) => !reported.has(f) && !childOnly.has(f) && !typesOnly(f)).sort()
// c8 counts nearly every line of a file it maps correctly (at least 90 % here); a broken source
// map made it count one line per file, which no count of files shows.
const undercounted = Object.entries(summary).filter(([f]) => f !== 'total').filter(([f, { lines }]) =>
  lines.total < readFileSync(f, 'utf8').split('\n').length / 2).map(([f, { lines }]) => `${relative(root, f)} (${lines.total})`)
const { lines } = summary.total
let failed = false
console.log(`coverage report: ${reported.size} files, ${lines.total} lines; src/: ${sources.length} files ` +
  `(${childOnly.size} run only in child processes, ${sources.filter(typesOnly).length} hold types alone)`)
if (missing.length > 0) {
  console.log(`!! the report misses ${missing.length} file(s) of src/, so it is incomplete: ${missing.join(', ')}`)
  failed = true
}
if (undercounted.length > 0) {
  console.log(`!! the report counts under half the lines of ${undercounted.length} file(s), so its data is broken: ` +
    undercounted.slice(0, 10).join(', '))
  failed = true
}
if (!(lines.pct >= floor)) {
  console.log(`!! line coverage ${lines.pct}% is below the ${floor}% floor`)
  failed = true
} else {
  console.log(`line coverage ${lines.pct}% (floor ${floor}%)`)
}
process.exit(failed ? 1 : 0)
