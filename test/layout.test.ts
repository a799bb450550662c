import t from 'tap'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

// The layout README.md describes, checked on the text of the sources (read, not run): http/,
// db/ and domain/ serve the modules and depend on none of them, no two modules import each
// other, however indirectly, every advisory lock is taken in src/db/advisory-locks.ts, and a
// migration named in a comment or the README is a file of migrations/.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

function sourceFiles (folder: string, ending = '.ts'): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) return sourceFiles(path, ending)
    return entry.name.endsWith(ending) ? [path] : []
  })
}

/** The files of src/ a file imports (static, type-only, re-exports and dynamic imports), from src/. */
function importsOf (file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true)
  return importedFiles
    .filter(({ fileName }) => fileName.startsWith('.'))
    .map(({ fileName }) => relative(root, resolve(root, dirname(file), fileName)).split('\\').join('/'))
}

const files = sourceFiles('src').map((file) => file.split('\\').join('/'))
const moduleOf = (file: string) => /^src\/modules\/([^/]+)\//.exec(file)?.[1]

t.test('the scan reads the layout it checks', async (t) => {
  t.ok(files.includes('src/http/auth.ts') && files.includes('src/db/schema.ts') && files.includes('src/domain/money.ts'))
  t.ok(importsOf('src/app.ts').includes('src/modules/api-keys/routes.js'), 'relative imports resolve to paths under src/')
})

t.test('src/http, src/db and src/domain import nothing from src/modules', async (t) => {
  const arrows = files
    .filter((file) => /^src\/(http|db|domain)\//.test(file))
    .flatMap((file) => importsOf(file).filter((target) => target.startsWith('src/modules/')).map((target) => `${file} -> ${target}`))
  t.same(arrows, [], 'cross-cutting code is given what it needs from a module (src/app.ts), never imports it')
})

/** Every cycle of a graph that has one (at least one per cycle found by depth-first search). */
function cyclesIn (uses: Map<string, Set<string>>): string[] {
  const cycles: string[] = []
  const done = new Set<string>()
  const visit = (node: string, path: string[]) => {
    if (path.includes(node)) {
      cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '))
      return
    }
    if (done.has(node)) return
    for (const next of uses.get(node) ?? []) visit(next, [...path, node])
    done.add(node)
  }
  for (const node of uses.keys()) visit(node, [])
  return cycles
}

t.test('no import cycle between the folders of src/modules', async (t) => {
  t.same(cyclesIn(new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])]])), ['a -> b -> c -> a'], 'the check finds a cycle')
  const uses = new Map<string, Set<string>>()
  for (const file of files) {
    const from = moduleOf(file)
    if (from === undefined) continue
    for (const target of importsOf(file)) {
      const to = moduleOf(target)
      if (to !== undefined && to !== from) uses.set(from, (uses.get(from) ?? new Set()).add(to))
    }
  }
  t.ok(uses.size > 5, 'modules import each other, so the check has something to check')
  t.same(cyclesIn(uses), [], 'the modules depend on each other in one direction only')
})

t.test('every advisory lock is taken in src/db/advisory-locks.ts, the one table of their keys', async (t) => {
  const takers = files.filter((file) => /pg_(try_)?advisory_/.test(readFileSync(join(root, file), 'utf8')))
  t.same(takers, ['src/db/advisory-locks.ts'])
})

t.test('a migration named in the sources, tests, migrations or README is a file of migrations/', async (t) => {
  const texts = [...files, ...sourceFiles('test'), ...sourceFiles('migrations', '.sql'), 'README.md']
  const named = new Set(texts.flatMap((file) => [...readFileSync(join(root, file), 'utf8').matchAll(/\b\d{4}_[a-z][a-z0-9_]*/g)].map((match) => match[0])))
  t.ok(named.size > 0, 'migrations are named somewhere, so the check has something to check')
  for (const name of named) t.ok(existsSync(join(root, 'migrations', `${name}.sql`)), `migrations/${name}.sql exists`)
})

// Optimistic concurrency in one place: the conditionalRequests hook reads If-Match for routes
// with config.ifMatch (handlers take matchedVersion), and src/db/versioned.ts locks, checks and
// bumps versions. A module that parses If-Match, compares a version or writes the next one by
// hand is what this check catches.
const byHand = [
  { what: 'calls expectedVersion( (read If-Match with matchedVersion(request) and config.ifMatch)', pattern: /\bexpectedVersion\(/ },
  { what: 'compares a version by hand (use checkVersion or lockForChange)', pattern: /\.version\s*!==?\s*expectedVersion|expectedVersion\s*!==?\s*\w+\.version/ },
  { what: 'writes the next version by hand (use changeSet, sideChangeSet or nextVersion)', pattern: /version:\s*[^,}\n]*\bversion\b\s*\}?`?\s*\+\s*1/ }
]

t.test('no module reads If-Match, checks a version or bumps one by hand', async (t) => {
  const samples = [
    'const version = expectedVersion(request, request.params.id)',
    'if (current.version !== expectedVersion) throw preconditionFailed(current.version)',
    '.set({ state: \'open\', updatedAt: sql`now()`, version: current.version + 1 })',
    '.set({ updatedAt: sql`now()`, version: sql`$' + '{workers.version} + 1` })'
  ]
  t.same(samples.map((sample) => byHand.findIndex(({ pattern }) => pattern.test(sample))), [0, 1, 2, 2], 'the check sees each way of doing it by hand')
  const found = files.filter((file) => file.startsWith('src/modules/')).flatMap((file) => {
    const text = readFileSync(join(root, file), 'utf8')
    return byHand.filter(({ pattern }) => pattern.test(text)).map(({ what }) => `${file} ${what}`)
  })
  t.same(found, [])
})
