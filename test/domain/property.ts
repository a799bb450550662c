// Shared property-test settings: a fixed seed, so a failure reproduces on every run.
import fc from 'fast-check'
import type { Test } from 'tap'

export const SEED = 42

/** Asserts a fast-check property as one tap assertion named for the behaviour. */
export function holds<Ts> (t: Test, name: string, property: fc.IProperty<Ts>, numRuns = 500): void {
  t.doesNotThrow(() => fc.assert(property, { seed: SEED, numRuns }), name)
}

/** Calendar dates 'YYYY-MM-DD' from `from` to `to`, drawn without any time zone. */
export function dateBetween (from: string, to: string): fc.Arbitrary<string> {
  return fc.date({ min: new Date(`${from}T00:00:00Z`), max: new Date(`${to}T00:00:00Z`), noInvalidDate: true })
    .map((instant) => instant.toISOString().slice(0, 10))
}

/** Wall-clock times 'HH:mm' across a whole day. */
export const timeOfDay: fc.Arbitrary<string> = fc.integer({ min: 0, max: 24 * 60 - 1 })
  .map((minute) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`)
