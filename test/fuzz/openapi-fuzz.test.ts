// OpenAPI-driven fuzzing (issue 6, item 1). Every operation of openapi/openapi.json is called
// with requests generated from its own schemas: valid ones (ids of real resources, current
// ETags) and ones broken in a part (body, query, path, headers, credentials). Each answer is
// checked against the document; afterwards the database must still hold its invariants.
//
//   FUZZ_RUNS=50000 npx tap test/fuzz/openapi-fuzz.test.ts     more requests
//   FUZZ_SEED=42 npx tap test/fuzz/openapi-fuzz.test.ts        another seed
//   FUZZ_ONLY='^createEntry$' npx tap ...                       only matching operationIds
import fc from 'fast-check'
import t from 'tap'
import { build } from '../helpers/app.js'
import { onServer } from '../helpers/database.js'
import { fuzzHints } from './hints.js'
import { checkInvariants, rowCounts } from './invariants.js'
import { loadDocument, operationsOf, refResolver, type Operation } from './operations.js'
import { recipeArbitrary, type Recipe } from './recipes.js'
import { checkMalformedIfMatch, checkResponse, documentedSchema, responseValidators } from './response-checks.js'
import { learn, send, type Exchange } from './send.js'
import { buildFuzzWorld, FIXED_NOW } from './world.js'

const DEFAULT_RUNS = 10_000
const seed = Number(process.env.FUZZ_SEED ?? 20_261_115)
const target = Number(process.env.FUZZ_RUNS ?? DEFAULT_RUNS)
const only = process.env.FUZZ_ONLY === undefined ? undefined : new RegExp(process.env.FUZZ_ONLY)
const verbose = process.env.FUZZ_VERBOSE === '1'
// The default run takes about 2 minutes on PGlite; a 2-core machine busy with other work can
// take longer than tap's 180 s per file, and longer runs longer still (30 ms a request is ample).
t.setTimeout(Math.max(300_000, target * 30))

interface Violation { op: string, mode: string, broken: string, request: Exchange['request'], status: number, problems: string[], body: string }

t.test('every documented operation answers generated requests within its contract', async (t) => {
  const started = performance.now()
  const document = loadDocument()
  const resolve = refResolver(document)
  const operations = operationsOf(document).filter((op) => only === undefined || only.test(op.id))
  t.ok(operations.length > 0, 'operations to fuzz')
  const validatorFor = responseValidators(document)
  const problemSchema = document.components.schemas.Problem!

  const h = await build(t, { now: FIXED_NOW })
  const world = await buildFuzzWorld(h)
  const worldReady = performance.now()

  const rounds = Math.ceil(target / operations.length)
  const statusCounts = new Map<number, number>()
  const perOperation = new Map<string, { sent: number, succeeded: number }>(operations.map((op) => [op.id, { sent: 0, succeeded: 0 }]))
  const undocumented = new Map<string, number>()
  const violations: Violation[] = []
  const outcomes = new Map<string, number>()
  let requests = 0
  let replays = 0
  let judgeMs = 0
  const opMs = new Map<string, number>()

  const judge = (op: Operation, recipe: Recipe, exchange: Exchange): void => {
    const { response } = exchange
    requests++
    statusCounts.set(response.statusCode, (statusCounts.get(response.statusCode) ?? 0) + 1)
    const counts = perOperation.get(op.id)!
    counts.sent++
    if (response.statusCode < 300) counts.succeeded++
    if (response.statusCode >= 300 && op.responses[String(response.statusCode)] === undefined) {
      const key = `${response.statusCode} ${op.id}`
      undocumented.set(key, (undocumented.get(key) ?? 0) + 1)
    }
    if (verbose && recipe.mode === 'valid') {
      const body = /json/.test(String(response.headers['content-type'])) ? response.json() as { code?: string, rule?: string, detail?: string } : {}
      const key = `${op.id} ${exchange.request.credential} ${response.statusCode} ${body.code ?? ''} ${body.rule ?? ''}${body.code === 'validation_failed' ? body.detail ?? '' : ''}`
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1)
    }
    const problems = checkResponse(op, exchange, validatorFor, world.secrets, problemSchema)
    if (recipe.ifMatch.kind === 'unquoted') problems.push(...checkMalformedIfMatch(exchange))
    if (problems.length > 0) {
      violations.push({ op: op.id, mode: recipe.mode, broken: recipe.broken, request: exchange.request, status: response.statusCode, problems, body: response.body.slice(0, 300) })
    }
  }

  const exercise = async (recipe: Recipe): Promise<void> => {
    const { op } = recipe
    let exchange: Exchange
    const sentAt = performance.now()
    try {
      exchange = await send(h, world, recipe, `shared-${seed}`)
      const ms = performance.now() - sentAt
      opMs.set(op.id, (opMs.get(op.id) ?? 0) + ms)
    } catch (error) {
      requests++
      violations.push({ op: op.id, mode: recipe.mode, broken: recipe.broken, request: { method: op.method, url: op.path, headers: {}, payload: undefined, remoteAddress: '', credential: '' }, status: 0, problems: [`the request could not be sent: ${(error as Error).message}`], body: '' })
      return
    }
    const tj = performance.now()
    judge(op, recipe, exchange)
    judgeMs += performance.now() - tj
    const { response } = exchange
    if ((response.statusCode >= 200 && response.statusCode < 300) || response.statusCode === 403) {
      learn(world, op, exchange, documentedSchema(op, response.statusCode, response.headers['content-type']))
    }
    // The same request again with the same Idempotency-Key replays the first answer.
    const idempotent = op.parameters.some((p) => p.in === 'header' && p.name === 'idempotency-key')
    if (recipe.replay && idempotent && response.statusCode < 300 && exchange.options.headers['idempotency-key'] !== undefined) {
      const again = await h.app.inject(exchange.options)
      replays++
      const replay: Exchange = { ...exchange, response: again }
      judge(op, recipe, replay)
      const heldSecret = response.body.includes('"secret"')
      const problems: string[] = []
      if (heldSecret) {
        if (again.statusCode !== 409) problems.push(`a replay of a response holding a secret answered ${again.statusCode}, not 409`)
      } else {
        if (again.statusCode !== response.statusCode) problems.push(`replay answered ${again.statusCode}, first ${response.statusCode}`)
        if (again.body !== response.body) problems.push('replay body differs from the first')
        if (again.headers['idempotent-replayed'] !== 'true') problems.push('replay without Idempotent-Replayed: true')
      }
      if (problems.length > 0) violations.push({ op: op.id, mode: 'replay', broken: recipe.broken, request: exchange.request, status: again.statusCode, problems, body: again.body.slice(0, 300) })
    }
  }

  const round = fc.tuple(
    fc.tuple(...operations.map((op) => recipeArbitrary(op, resolve, fuzzHints))),
    fc.shuffledSubarray(operations.map((_op, i) => i), { minLength: operations.length, maxLength: operations.length })
  )
  await fc.assert(fc.asyncProperty(round, async ([recipes, order]) => {
    for (const index of order) await exercise(recipes[index]!)
  }), { seed, numRuns: rounds, endOnFailure: true })
  const finished = performance.now()

  const engine = onServer() ? 'Postgres server' : 'PGlite'
  t.comment(`fuzz: seed ${seed} (FUZZ_SEED), ${operations.length} operations x ${rounds} rounds, ${requests} requests (${replays} idempotent replays) on ${engine}`)
  t.comment(`fuzz: world built in ${((worldReady - started) / 1000).toFixed(1)} s, requests took ${((finished - worldReady) / 1000).toFixed(1)} s (${((finished - worldReady) / requests).toFixed(1)} ms each)`)
  t.comment(`fuzz: responses by status: ${[...statusCounts.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(', ')}`)
  const reached = [...perOperation.entries()].filter(([, c]) => c.succeeded > 0)
  t.comment(`fuzz: ${reached.length} of ${operations.length} operations answered 2xx at least once; 2xx/sent per operation: ${[...perOperation.entries()].map(([id, c]) => `${id} ${c.succeeded}/${c.sent}`).join(', ')}`)
  const never = [...perOperation.entries()].filter(([, c]) => c.succeeded === 0).map(([id]) => id)
  if (never.length > 0) t.comment(`fuzz: operations that never succeeded: ${never.join(', ')}`)
  t.comment(`fuzz: answers with a status the operation does not document: ${undocumented.size === 0 ? 'none' : [...undocumented.entries()].map(([k, n]) => `${k} x${n}`).join(', ')}`)
  if (verbose) for (const [key, n] of [...outcomes.entries()].sort()) t.comment(`  valid: ${key} x${n}`)
  t.comment(`fuzz: judging took ${(judgeMs / 1000).toFixed(1)} s`)
  if (verbose) t.comment(`fuzz: ms per operation: ${[...opMs.entries()].sort(([, a], [, b]) => b - a).map(([id, ms]) => `${id} ${(ms / perOperation.get(id)!.sent).toFixed(1)}`).join(', ')}`)
  t.comment(`fuzz: ${violations.length} violations`)
  for (const v of violations.slice(0, 25)) {
    t.comment(`  ${v.op} [${v.mode}${v.broken === '' ? '' : `: ${v.broken}`}] as ${v.request.credential}: ${v.request.method} ${v.request.url.slice(0, 200)} -> ${v.status}: ${v.problems.join('; ')}`)
    t.comment(`    headers ${JSON.stringify(v.request.headers).slice(0, 300)} body ${(v.request.payload ?? '').slice(0, 300)}`)
    t.comment(`    answer ${v.body}`)
  }
  t.equal(violations.length, 0, 'no response broke the contract')
  t.same([...undocumented.keys()], [], 'every status answered is documented for its operation')
  t.same(operations.filter((op) => perOperation.get(op.id)!.sent === 0).map((op) => op.id), [], 'every operation was called')
  t.ok(requests >= Math.min(target, DEFAULT_RUNS), `at least ${Math.min(target, DEFAULT_RUNS)} requests were sent`)

  const results = await checkInvariants(h.database.handle.db)
  t.comment(`fuzz: rows after the run: ${JSON.stringify(await rowCounts(h.database.handle.db))}`)
  t.comment(`fuzz: invariants: ${results.map((r) => `${r.name}: ${r.count}`).join('; ')}`)
  for (const result of results) t.equal(result.count, 0, result.name)

  const logs = h.rawLogs()
  t.notOk(world.secrets.some((secret) => logs.includes(secret)), 'no API key secret reached the logs')
})
