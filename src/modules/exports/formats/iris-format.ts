// IRIS payroll element import, format 2 (README "UK rules"): EmployeeID, PayElementID, Amount, E/D,
// RateValue, one row per payroll line.
import type { ExportFormat, ExportLine, ExportSource } from '../model.js'
import { decimalCell, formulaEscapingFor, poundsCell, renderCsv, type CsvCell } from './csv-writer.js'
import { hourlyFigures, payrollLinesAsPaid } from './payroll-lines.js'

const COLUMNS = ['EmployeeID', 'PayElementID', 'Amount', 'E/D', 'RateValue'] as const

// Every line is an earning: a correction that claws pay back is an earning with a negative amount.
const EARNING = 'E'

function irisRow (line: ExportLine): CsvCell[] {
  if (line.unit !== 'hour') return [line.payrollReference, line.payElementCode, poundsCell(line.grossPence), EARNING, '']
  const { hoursText, ratePence } = hourlyFigures(line)
  return [line.payrollReference, line.payElementCode, decimalCell(hoursText), EARNING, poundsCell(ratePence)]
}

async function * irisRows (source: ExportSource): AsyncGenerator<CsvCell[]> {
  for await (const line of payrollLinesAsPaid(source)) yield irisRow(line)
}

export const irisFormat: ExportFormat = {
  name: 'iris',
  description: 'IRIS element import, format 2, with a header row: employee ID, pay element, amount, E/D, ' +
    'rate, one row per payroll line. Hourly lines give hours and the rate; other lines give the value in ' +
    'pounds and no rate; an hourly line whose gross differs from hours x rate is followed by a row of the ' +
    'difference, so the file pays the batch\'s payroll total to the penny. Always E (earning); a clawback is a ' +
    'negative amount. Voucher lines are left out.',
  contentType: 'text/csv; charset=utf-8',
  fileExtension: 'csv',
  render: (source) => renderCsv(irisRows(source), COLUMNS, formulaEscapingFor(source))
}
