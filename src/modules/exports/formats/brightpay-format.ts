// BrightPay "Import Hourly Payments" CSV (README "UK rules"): hourly payroll lines only. Fixed amounts
// go in the additions file (brightpay-additions-format.ts); together they carry every payroll line once.
import type { ExportFormat, ExportSource } from '../model.js'
import { decimalCell, formulaEscapingFor, poundsCell, renderCsv, type CsvCell } from './csv-writer.js'
import { hourlyFigures, payrollLines } from './payroll-lines.js'

// BrightPay matches the columns on import ("Match Header Row"), so the file names them.
const COLUMNS = ['Works Number', 'Hours', 'Rate Per Hour', 'Description', 'Department'] as const

async function * hourlyRows (source: ExportSource): AsyncGenerator<CsvCell[]> {
  for await (const line of payrollLines(source)) {
    if (line.unit !== 'hour') continue
    const { hoursText, ratePence } = hourlyFigures(line)
    yield [line.payrollReference, decimalCell(hoursText), poundsCell(ratePence), line.description, line.department]
  }
}

export const brightpayFormat: ExportFormat = {
  name: 'brightpay',
  description: 'BrightPay hourly payments CSV with a header row: works number, hours, rate per hour, ' +
    'description, department, one row per hourly payroll line. Session, holiday-pay and amount lines are ' +
    'in brightpay-additions; voucher lines are left out.',
  contentType: 'text/csv; charset=utf-8',
  fileExtension: 'csv',
  render: (source) => renderCsv(hourlyRows(source), COLUMNS, formulaEscapingFor(source))
}
