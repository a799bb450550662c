// BrightPay additions CSV (README "UK rules": "separate additions CSV for fixed amounts"): the payroll
// lines that are not hourly (session fees, rolled-up holiday pay, pence adjustments), and the rounding
// of hourly lines whose gross differs from hours x rate.
import type { ExportFormat, ExportSource } from '../model.js'
import { formulaEscapingFor, poundsCell, renderCsv, type CsvCell } from './csv-writer.js'
import { payrollLinesAsPaid } from './payroll-lines.js'

const COLUMNS = ['Works Number', 'Amount', 'Description', 'Department'] as const

async function * fixedAmountRows (source: ExportSource): AsyncGenerator<CsvCell[]> {
  for await (const line of payrollLinesAsPaid(source)) {
    if (line.unit === 'hour') continue
    yield [line.payrollReference, poundsCell(line.grossPence), line.description, line.department]
  }
}

export const brightpayAdditionsFormat: ExportFormat = {
  name: 'brightpay-additions',
  description: 'BrightPay additions CSV with a header row: works number, amount in pounds, description, ' +
    'department, one row per fixed-amount payroll line (sessions, rolled-up holiday pay, amount ' +
    'adjustments) and a rounding row for each hourly line whose gross differs from hours x rate. Hourly lines ' +
    'are in brightpay; together the two files pay the batch\'s payroll total to the penny. Voucher lines are left out.',
  contentType: 'text/csv; charset=utf-8',
  fileExtension: 'csv',
  render: (source) => renderCsv(fixedAmountRows(source), COLUMNS, formulaEscapingFor(source))
}
