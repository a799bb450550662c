// The body of Staffology's `POST /employers/{id}/import/pay` (README "UK rules"): one object per worker
// with their payroll lines, in the batch's line order.
import { formatPounds } from '../../../domain/money.js'
import type { ExportFormat, ExportLine, ExportSource } from '../model.js'
import { consecutiveGroups, hourlyFigures, payrollLines } from './payroll-lines.js'
import { exactJsonNumber, renderJsonArrayFile } from './json-writer.js'

interface StaffologyPayLine {
  code: string
  /** Pounds: the line's gross. */
  value: number
  /** Hourly lines: pounds per hour; fixed amounts: null. */
  rate: number | null
  /** Hourly lines: hours; fixed amounts: null. */
  multiplier: number | null
  description: string
  costCentre: string
  department: string
}

function staffologyLine (line: ExportLine): StaffologyPayLine {
  const hourly = line.unit === 'hour' ? hourlyFigures(line) : undefined
  return {
    code: line.payElementCode,
    value: exactJsonNumber(formatPounds(line.grossPence)),
    rate: hourly === undefined ? null : exactJsonNumber(formatPounds(hourly.ratePence)),
    multiplier: hourly === undefined ? null : exactJsonNumber(hourly.hoursText),
    description: line.description,
    costCentre: line.costCentre,
    department: line.department
  }
}

function renderStaffology (source: ExportSource): AsyncGenerator<string> {
  const workers = consecutiveGroups(payrollLines(source), (line) => line.payrollReference)
  return renderJsonArrayFile(workers, ({ key, items }) => ({ payrollCode: key, lines: items.map(staffologyLine) }))
}

export const staffologyFormat: ExportFormat = {
  name: 'staffology',
  description: 'JSON body for Staffology\'s pay import (POST /employers/{id}/import/pay): one object per ' +
    'worker (payrollCode) with their payroll lines: code, value in pounds, rate and multiplier (hours) for ' +
    'hourly lines (null for fixed amounts), description, cost centre, department. Voucher lines are left out.',
  contentType: 'application/json',
  fileExtension: 'json',
  render: renderStaffology
}
