// Statutory figures change every April and are kept as effective-dated rows (README "UK rules").
import { assertDate } from './calendar-date.js'

/**
 * The row in force on `date`: the latest `effectiveFrom` on or before it, whatever order the
 * table is in; undefined when every row starts later.
 */
export function effectiveOn<T extends { effectiveFrom: string }> (table: readonly T[], date: string): T | undefined {
  assertDate('date', date)
  let found: T | undefined
  for (const row of table) {
    assertDate('effectiveFrom', row.effectiveFrom)
    if (row.effectiveFrom <= date && (found === undefined || row.effectiveFrom > found.effectiveFrom)) found = row
  }
  return found
}
