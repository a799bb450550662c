import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import semver from 'semver'
import { root } from '../helpers/server-process.js'

/**
 * `engines.node` in package.json tells the truth: every Node version it allows is allowed by
 * every installed package (so `npm ci` never warns EBADENGINE on a version we claim), and its
 * lowest version is the lowest that all of them allow (no stricter than needed). The Dockerfile
 * and CI's runtimes agree with it (README, Node.js versions).
 */
interface Manifest { name: string, version: string, engines?: { node?: string } }

function installed (folder: string, found: Manifest[] = []): Manifest[] {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === '.bin') continue
    const path = join(folder, entry.name)
    if (entry.name.startsWith('@')) {
      installed(path, found)
      continue
    }
    if (existsSync(join(path, 'package.json'))) found.push(JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as Manifest)
    if (existsSync(join(path, 'node_modules'))) installed(join(path, 'node_modules'), found)
  }
  return found
}

const ours = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest).engines?.node
const ranges = installed(join(root, 'node_modules'))
  .filter((m) => typeof m.engines?.node === 'string' && semver.validRange(m.engines.node) !== null)
  .map((m) => ({ name: `${m.name}@${m.version}`, range: m.engines!.node! }))

/** The lowest version all the ranges allow: it is the lower bound of one of their comparators. */
function lowestAllowed (all: string[]): string | undefined {
  const bounds = all.flatMap((range) => new semver.Range(range).set.flat().map((c) => c.semver.version))
    .filter((v) => v !== '0.0.0' && semver.valid(v) !== null)
  return bounds.sort(semver.compare).find((v) => all.every((range) => semver.satisfies(v, range)))
}

t.test('engines.node allows only Node versions every installed package allows, from the lowest they all allow', async (t) => {
  t.ok(ours, 'package.json says which Node versions it runs on')
  t.ok(ranges.length > 50, `${ranges.length} installed packages state their Node versions`)
  const narrower = ranges.filter(({ range }) => !semver.subset(ours!, range))
  t.same(narrower, [], `every package allows all of ${ours}`)
  t.equal(semver.minVersion(ours!)?.version, lowestAllowed(ranges.map((r) => r.range)), 'the lowest Node it claims is the lowest they all allow')
})

t.test('the image ships a Node version engines allow, and CI runs both ends', async (t) => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8')
  const shipped = /^ARG NODE_VERSION=(\S+)$/m.exec(dockerfile)?.[1]
  t.ok(shipped !== undefined && semver.satisfies(shipped, ours!), `the image's Node ${shipped} satisfies ${ours}`)
  const ci = readFileSync(join(root, '.ci/run'), 'utf8')
  t.match(ci, `lowest_node=${semver.minVersion(ours!)?.version}`, 'CI runs the PGlite pass on the lowest version engines allow')
  t.match(ci, 'NODE_VERSION=', 'and reads the server pass\'s version from the Dockerfile')
})
