// The one way every export format writes CSV: csv-stringify does the quoting, every text cell is
// escaped against formula injection, and only numbers we formatted ourselves go out unescaped.
import { Readable, pipeline } from 'node:stream'
import { stringify, type Options } from 'csv-stringify'
import { formatPounds } from '../../../domain/money.js'
import { escapeFormula } from './formula-escaping.js'

/**
 * A number this service formatted ('2.50', '-10.17'). Written as is, never formula-escaped, so a
 * negative amount stays a number for payroll. Anything that is not a plain decimal is refused.
 */
export class NumericCell {
  readonly text: string
  constructor (text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new RangeError(`not a plain decimal number: ${JSON.stringify(text)}`)
    this.text = text
  }
}

/** Integer pence as pounds with 2 decimals: 3054 → 30.54, −1017 → -10.17. */
export const poundsCell = (pence: number): NumericCell => new NumericCell(formatPounds(pence))

/** A decimal the batch already holds as text (hours '2.50'). */
export const decimalCell = (text: string): NumericCell => new NumericCell(text)

/** Text (escaped), a safe integer, a boolean (`true`/`false`), one of our numbers, or null (empty). */
export type CsvCell = string | number | boolean | NumericCell | null

const options: Options = {
  // Payroll imports are Windows software: CRLF between records and after the last one.
  record_delimiter: 'windows',
  eof: true,
  // csv-stringify stops quoting a lone \n or \r once record_delimiter is set; a description with
  // a line break would then split a payroll row in two.
  quote_record_delimiter: true,
  cast: {
    // Deny by default: every text cell (names, references, departments, descriptions, ids) is
    // escaped; a new text column cannot forget it.
    string: (text) => escapeFormula(text),
    number: (value) => {
      if (!Number.isSafeInteger(value)) throw new RangeError(`a CSV number cell must be a safe integer (got ${value}); format decimals as a NumericCell`)
      return String(value)
    },
    boolean: (value) => value ? 'true' : 'false',
    object: (value) => {
      if (value instanceof NumericCell) return value.text
      throw new TypeError('a CSV cell must be text, an integer, a boolean, a NumericCell or null')
    }
  }
}

/**
 * CSV text for rows as they arrive, in chunks; a header row first when `header` is given. Streams
 * with back-pressure: rows are pulled only as fast as the output is read, so a million rows pass
 * in constant memory, and stopping early stops reading the rows.
 */
export async function * renderCsv (rows: AsyncIterable<readonly CsvCell[]>, header?: readonly string[]): AsyncGenerator<string> {
  const stringifier = stringify(header === undefined ? options : { ...options, header: true, columns: [...header] })
  stringifier.setEncoding('utf8')
  // pipeline destroys every stream on the first error, so a failing source fails this iteration
  // (the callback has nothing to add: the error reaches the reader through the stringifier).
  const csv = pipeline(Readable.from(rows), stringifier, () => {})
  for await (const chunk of csv) yield chunk as string
}
