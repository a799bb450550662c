// What the payroll formats read from a batch: its payroll lines, grouped per worker where a format
// nests them.
import { RECONCILED_LAYOUT, type ExportLine, type ExportSource } from '../model.js'

/** The batch's lines paid through payroll; voucher lines are paid apart (README "Pay rules"). */
export async function * payrollLines (source: ExportSource): AsyncGenerator<ExportLine> {
  for await (const line of source.lines()) {
    if (line.paymentMode === 'payroll') yield line
  }
}

/**
 * The payroll lines as a file that gives hours and a rate pays them: payroll computes hours x rate
 * (payrollComputedPence), so an hourly line whose gross differs is followed by a rounding line, an
 * amount of the difference on the same worker, element and team, and the file pays each line's
 * gross to the penny. Batches claimed before RECONCILED_LAYOUT keep their files as they were.
 */
export async function * payrollLinesAsPaid (source: ExportSource): AsyncGenerator<ExportLine> {
  for await (const line of payrollLines(source)) {
    yield line
    const difference = line.unit === 'hour' ? line.differencePence ?? 0 : 0
    if (source.fileLayout >= RECONCILED_LAYOUT && difference !== 0) yield roundingLine(line, difference)
  }
}

/** The amount that makes an hourly line's hours x rate pay its gross (it keeps the line's number). */
function roundingLine (line: ExportLine, differencePence: number): ExportLine {
  return {
    ...line,
    description: `Rounding: ${line.description}`,
    unit: 'amount',
    minutes: 0,
    sessions: 0,
    ratePence: null,
    grossPence: differencePence,
    hoursHundredths: null,
    hoursText: null,
    payrollComputedPence: null,
    differencePence: null,
    entryCount: 0
  }
}

/** Hours ('2.50') and pence per hour of an hourly line, which the model types as nullable. */
export function hourlyFigures (line: ExportLine): { hoursText: string, ratePence: number } {
  if (line.unit !== 'hour' || line.hoursText === null || line.ratePence === null) {
    throw new Error(`export line ${line.lineNo} is not an hourly line with hours and a rate`)
  }
  return { hoursText: line.hoursText, ratePence: line.ratePence }
}

/**
 * Runs of consecutive items with the same key (a payroll reference), in order. The batch comes
 * sorted by payroll reference, so a key that comes back after another means a broken source:
 * that throws rather than send a worker to payroll twice.
 */
export async function * consecutiveGroups<T> (items: AsyncIterable<T>, keyOf: (item: T) => string): AsyncGenerator<{ key: string, items: T[] }> {
  const finished = new Set<string>()
  let current: { key: string, items: T[] } | undefined
  for await (const item of items) {
    const key = keyOf(item)
    if (current?.key === key) {
      current.items.push(item)
      continue
    }
    if (finished.has(key)) throw new Error(`export items for ${JSON.stringify(key)} are not together: the source must be sorted by payroll reference`)
    if (current !== undefined) {
      finished.add(current.key)
      yield current
    }
    current = { key, items: [item] }
  }
  if (current !== undefined) yield current
}
