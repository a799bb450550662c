// Reads CSV files back cell by cell (csv-parse), to check what a spreadsheet would see.
import { parse } from 'csv-parse/sync'
import { startsFormula } from '../../../src/modules/exports/formats/formula-escaping.js'

/** The records of a CSV text (RFC 4180, CRLF), each an array of cells. */
export const csvRecords = (text: string): string[][] => parse(text, { relax_column_count: true }) as string[][]

/**
 * The columns of each CSV file that hold numbers this service formatted (amounts, hours, minutes,
 * counts): only there may a cell begin with `-` (a negative amount stays a number for payroll).
 */
export const NUMBER_COLUMNS: Record<string, readonly number[]> = {
  // batch_number, line_no, break_minutes, minutes, rate, gross
  csv: [0, 5, 18, 19, 21, 22],
  // 2 (payment), hours or value, rate
  sage50: [0, 5, 6],
  // Hours, Rate Per Hour
  brightpay: [1, 2],
  // Amount
  'brightpay-additions': [1],
  // Amount, RateValue
  iris: [2, 4],
  // break_minutes, minutes, hours, rate, gross, minimum_wage_per_hour
  'pay-record': [7, 8, 9, 11, 12, 14]
}

const PLAIN_NUMBER = /^(-?\d+(\.\d+)?)?$/

/**
 * Cells a spreadsheet would run as a formula: a text cell that starts one (after any white space
 * or invisible characters), or a number column holding anything but a plain number.
 */
export function formulaCells (format: string, text: string): Array<{ record: number, column: number, cell: string }> {
  const numbers = NUMBER_COLUMNS[format]
  if (numbers === undefined) throw new Error(`no number columns listed for ${format}`)
  const found: Array<{ record: number, column: number, cell: string }> = []
  csvRecords(text).forEach((cells, record) => cells.forEach((cell, column) => {
    const isNumberColumn = numbers.includes(column) && (record > 0 || format === 'sage50')
    if (isNumberColumn ? !PLAIN_NUMBER.test(cell) : startsFormula(cell)) found.push({ record, column, cell })
  }))
  return found
}

/** The text a cell was made from: the escaping quote taken off again. */
export const unescapedCell = (cell: string): string =>
  cell.startsWith('\'') && startsFormula(cell.slice(1)) ? cell.slice(1) : cell
