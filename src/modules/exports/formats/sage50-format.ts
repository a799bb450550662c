// Sage 50 Payroll multi-timesheet import (README "UK rules"): one row
// per payment, columns A to G, no header row (Sage's layout names columns by position only).
import type { ExportFormat, ExportLine, ExportSource } from '../model.js'
import { decimalCell, formulaEscapingFor, poundsCell, renderCsv, type CsvCell } from './csv-writer.js'
import { hourlyFigures, payrollLines } from './payroll-lines.js'

/** Column A: 2 tells Sage the row is a payment (D would be a deduction). */
const SAGE_PAYMENT = 2

function sage50Row (line: ExportLine): CsvCell[] {
  const hourly = line.unit === 'hour' ? hourlyFigures(line) : undefined
  return [
    SAGE_PAYMENT, line.payrollReference, line.payElementCode, line.department, line.costCentre,
    hourly === undefined ? poundsCell(line.grossPence) : decimalCell(hourly.hoursText),
    hourly === undefined ? '' : poundsCell(hourly.ratePence)
  ]
}

async function * sage50Rows (source: ExportSource): AsyncGenerator<CsvCell[]> {
  for await (const line of payrollLines(source)) yield sage50Row(line)
}

export const sage50Format: ExportFormat = {
  name: 'sage50',
  description: 'Sage 50 Payroll timesheet CSV (multi-timesheet import), no header row: one row per payroll ' +
    'line: 2 (payment), employee reference, payment number (pay element code), department, cost centre, ' +
    'hours (hourly lines) or value in pounds (session, holiday-pay and amount lines), hourly rate (hourly ' +
    'lines only). Voucher lines are left out.',
  contentType: 'text/csv; charset=utf-8',
  fileExtension: 'csv',
  render: (source) => renderCsv(sage50Rows(source), undefined, formulaEscapingFor(source))
}
