// Issue 6 item 5: a model-based run of random concurrent operations (fast-check commands)
// over a small organisation: 2 teams, 4 workers, 2 managers, finance and an admin. Each
// command (run with fc.asyncModelRun) is a round of 1-6 operations sent at once (record and submit sessions, some
// deliberately overlapping; submit, withdraw, approve, reject, edit; bulk decisions; close,
// reopen and export six monthly periods; correct approved and exported entries). The model moves only on
// 2xx answers; after each round some sequential order must explain every outcome, exports must
// have claimed exactly what was waiting, and the database must match the model (no lost
// update). After each run, the invariants are checked in SQL: each approved entry paid
// exactly once, batches reconcile to the penny, no overlapping live sessions, an audit event
// per transition. Needs a Postgres server; skipped, saying why, on PGlite.
//
// MODEL_SEED (default fixed), MODEL_RUNS (6) and MODEL_ROUNDS (60) make longer runs.
import t from 'tap'
import fc from 'fast-check'
import { onServer } from '../helpers/database.js'
import { Model } from '../helpers/entry-model.js'
import { checkInvariants, compareWithDatabase } from '../helpers/model-invariants.js'
import { runRound, type OpSpec, type RoundStats } from '../helpers/model-round.js'
import { buildModelWorld, type ModelWorld } from '../helpers/model-world.js'

const serverOnly = onServer() ? false : 'real concurrency needs concurrent connections (PGlite serves one at a time): runs on the Postgres server pass (DATABASE_URL)'

const seed = Number(process.env.MODEL_SEED ?? 20_261_129)
const runs = Number(process.env.MODEL_RUNS ?? 6)
const rounds = Number(process.env.MODEL_ROUNDS ?? 60)

const sometimes = (oneIn: number) => fc.integer({ min: 1, max: oneIn }).map((n) => n === 1)
const pick = fc.nat({ max: 999 })

const operation: fc.Arbitrary<OpSpec> = fc.oneof(
  { weight: 7, arbitrary: fc.record({ kind: fc.constant('create' as const), worker: fc.nat({ max: 3 }), byManager: sometimes(4), submit: sometimes(4).map((no) => !no), variant: fc.constantFrom('fresh', 'fresh', 'fresh', 'overlap', 'race', 'keyed-twice'), pick }) },
  ...(['submit', 'withdraw', 'approve', 'reject', 'patch'] as const).map((kind) => ({
    weight: { submit: 3, withdraw: 1, approve: 6, reject: 2, patch: 1 }[kind],
    arbitrary: fc.record({ kind: fc.constant(kind), pick, illegal: sometimes(8), stale: sometimes(8), byAdmin: sometimes(6) })
  })),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bulk' as const), team: fc.nat({ max: 1 }), approve: sometimes(4).map((no) => !no), take: fc.nat({ max: 3 }), pick, outOfScope: sometimes(3), stale: sometimes(3) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('close' as const, 'close' as const, 'reopen' as const, 'export' as const, 'export' as const), period: fc.nat({ max: 5 }), illegal: sometimes(6) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('correct' as const), pick, byFinance: fc.boolean(), amount: fc.constantFrom('minutes15', 'minutes30', 'pence75', 'clawbackTooMuch') }) }
)

interface Real { world: ModelWorld, stats: RoundStats & { rounds: number }, serial: { next: number }, violations: string[] }

class Round implements fc.AsyncCommand<Model, Real> {
  constructor (readonly specs: OpSpec[]) {}
  check (): boolean { return true }
  async run (model: Model, real: Real): Promise<void> {
    const violations = await runRound(model, real.world, this.specs, real.stats, real.serial)
    violations.push(...await compareWithDatabase(model, real.world))
    real.stats.rounds++
    if (violations.length > 0) {
      real.violations.push(...violations)
      throw new Error(`round ${real.stats.rounds}: ${violations.join('\n')}`)
    }
  }

  toString (): string { return `round[${this.specs.map((s) => s.kind).join(' ')}]` }
}

t.test(`model-based concurrency: ${runs} runs of up to ${rounds} rounds of concurrent operations, then the payroll invariants`, { skip: serverOnly, timeout: 600_000 }, async (t) => {
  const stats: RoundStats & { rounds: number } = { ops: 0, requests: 0, successes: 0, refusals: 0, rounds: 0, outcomes: {} }
  const violations: string[] = []
  let batches = 0
  let entries = 0
  const started = performance.now()
  t.comment(`fast-check seed ${seed} (MODEL_SEED), ${runs} runs (MODEL_RUNS), up to ${rounds} rounds each (MODEL_ROUNDS)`)
  const property = fc.asyncProperty(fc.array(fc.array(operation, { minLength: 1, maxLength: 6 }).map((specs) => new Round(specs)), { minLength: rounds, maxLength: rounds }), async (commands) => {
    const world = await buildModelWorld()
    try {
      const model = new Model(world.periods, world.workers.length)
      const real: Real = { world, stats, serial: { next: 0 }, violations }
      await fc.asyncModelRun(() => ({ model, real }), commands)
      const found = await checkInvariants(model, world)
      violations.push(...found)
      batches += model.batches.size
      entries += model.entries.size
      if (found.length > 0) throw new Error(`invariants after the run:\n${found.join('\n')}`)
    } finally {
      await world.close()
    }
  })
  const result = await fc.check(property, { seed, numRuns: runs, endOnFailure: true })
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const outcomes = Object.entries(stats.outcomes).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} x${n}`).join(', ')
  t.comment(`model run: seed ${seed}, runs ${result.numRuns}, rounds ${stats.rounds}, operations run ${stats.ops}, requests sent ${stats.requests} ` +
    `(2xx ${stats.successes}, refused ${stats.refusals}), entries ${entries}, export batches ${batches}, violations ${violations.length}, ${seconds} s`)
  t.comment(`answers: ${outcomes}`)
  for (const violation of violations) t.comment(`violation: ${violation}`)
  t.notOk(result.failed, result.failed ? fc.defaultReportMessage(result) ?? 'failed' : 'every round linearizable, the database always matched the model, and every invariant held')
  t.same(violations, [], 'no violations')
})
