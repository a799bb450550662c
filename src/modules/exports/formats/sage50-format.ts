// Sage 50 Payroll multi-timesheet import (README "UK rules"): one row
// per payment, columns A to G, no header row (Sage's layout names columns by position only).
import { RECONCILED_LAYOUT, type ExportFormat, type ExportLine, type ExportSource, type VendorCodes } from '../model.js'
import { decimalCell, formulaEscapingFor, poundsCell, renderCsv, type CsvCell } from './csv-writer.js'
import { hourlyFigures, payrollLinesAsPaid } from './payroll-lines.js'

/** Column A: 2 tells Sage the row is a payment (D would be a deduction). */
const SAGE_PAYMENT = 2

/**
 * Columns C and D: Sage's payment number and department number (the vendor codes of the line's
 * activity type or the schedule's holiday pay, and of its team). Batches claimed before
 * RECONCILED_LAYOUT print the pay element code and team name, as they always did.
 */
function codeCells (line: ExportLine, source: ExportSource): [CsvCell, CsvCell] {
  if (source.fileLayout < RECONCILED_LAYOUT) return [line.payElementCode, line.department]
  const codes: VendorCodes | undefined = source.vendorCodes.get(line.lineNo)
  if (codes === undefined) throw new Error(`export line ${line.lineNo} has no Sage 50 codes`)
  return [codes.element, codes.department]
}

function sage50Row (line: ExportLine, source: ExportSource): CsvCell[] {
  const hourly = line.unit === 'hour' ? hourlyFigures(line) : undefined
  return [
    SAGE_PAYMENT, line.payrollReference, ...codeCells(line, source), line.costCentre,
    hourly === undefined ? poundsCell(line.grossPence) : decimalCell(hourly.hoursText),
    hourly === undefined ? '' : poundsCell(hourly.ratePence)
  ]
}

async function * sage50Rows (source: ExportSource): AsyncGenerator<CsvCell[]> {
  for await (const line of payrollLinesAsPaid(source)) yield sage50Row(line, source)
}

export const sage50Format: ExportFormat = {
  name: 'sage50',
  description: 'Sage 50 Payroll timesheet CSV (multi-timesheet import), no header row: one row per payroll ' +
    'line: 2 (payment), employee reference, Sage payment number (the activity type\'s sagePaymentNumber, or the ' +
    'pay schedule\'s sageHolidayPaymentNumber for holiday pay), Sage department number (the team\'s ' +
    'sageDepartment), cost centre, hours (hourly lines) or value in pounds (session, holiday-pay and amount ' +
    'lines), hourly rate (hourly lines only). An hourly line whose gross differs from hours x rate is followed by ' +
    'a value row of the difference, so the file pays the batch\'s payroll total to the penny. Refused (422 ' +
    'missing_payroll_codes) until every team and pay element of the payroll lines has its Sage number; the ' +
    'numbers are kept from the first download. Voucher lines are left out.',
  contentType: 'text/csv; charset=utf-8',
  fileExtension: 'csv',
  vendorCodes: {
    vendor: 'Sage 50 Payroll',
    team: 'sageDepartment',
    activityType: 'sagePaymentNumber',
    paySchedule: 'sageHolidayPaymentNumber'
  },
  render: (source) => renderCsv(sage50Rows(source), undefined, formulaEscapingFor(source))
}
