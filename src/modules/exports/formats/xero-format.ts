// Xero Payroll UK timesheets (README "UK rules"): one timesheet per worker for the batch's period, one
// line per day and earnings rate. Xero pays timesheet units at the rate it holds, so only hourly
// and session work fits: rolled-up holiday pay and amount adjustments (pence corrections) have no
// units and cannot go in a timesheet. They are left out here; the batch summary reports them so
// finance adds them in Xero by hand.
import type { DailyUnits, ExportFormat, ExportSource } from '../model.js'
import { consecutiveGroups } from './payroll-lines.js'
import { exactJsonNumber, renderJsonArrayFile } from './json-writer.js'

const workerElementKey = (workerId: string, payElementCode: string): string => JSON.stringify([workerId, payElementCode])

/**
 * The worker and element pairs paid through payroll in units. DailyUnits carry no payment mode,
 * so they are matched against the batch's payroll lines to leave voucher work out.
 */
async function payrollUnitKeys (source: ExportSource): Promise<Set<string>> {
  const keys = new Set<string>()
  for await (const line of source.lines()) {
    if (line.paymentMode === 'payroll' && line.unit !== 'amount') keys.add(workerElementKey(line.workerId, line.payElementCode))
  }
  return keys
}

async function * payrollDailyUnits (source: ExportSource): AsyncGenerator<DailyUnits> {
  const paidThroughPayroll = await payrollUnitKeys(source)
  for await (const units of source.dailyUnits()) {
    if (paidThroughPayroll.has(workerElementKey(units.workerId, units.payElementCode))) yield units
  }
}

function renderXeroTimesheets (source: ExportSource): AsyncGenerator<string> {
  const { header } = source
  const workers = consecutiveGroups(payrollDailyUnits(source), (units) => units.payrollReference)
  return renderJsonArrayFile(workers, ({ key, items }) => ({
    payrollCalendarID: header.payrollCalendarCode,
    employeeID: key,
    startDate: header.periodStartDate,
    endDate: header.periodEndDate,
    timesheetLines: items.map((units) => ({
      date: units.date,
      earningsRateID: units.payElementCode,
      numberOfUnits: exactJsonNumber(units.unitsText)
    }))
  }))
}

export const xeroFormat: ExportFormat = {
  name: 'xero',
  description: 'Xero Payroll UK timesheets JSON: one timesheet per worker for the period (payroll calendar, ' +
    'employee, start and end date) with one line per day and earnings rate (pay element): hours for hourly ' +
    'work, sessions for session work. Rolled-up holiday pay and amount adjustments cannot go in a timesheet ' +
    'and are left out (the batch summary lists them to add in Xero by hand); voucher work is left out.',
  contentType: 'application/json',
  fileExtension: 'json',
  render: renderXeroTimesheets
}
