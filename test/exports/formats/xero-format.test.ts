import t from 'tap'
import { xeroFormat } from '../../../src/modules/exports/formats/xero-format.js'
import { exportSource, lines } from './fixture.js'
import { lf, renderText } from './render.js'

const r = String.raw

t.test('xero: one timesheet per payroll worker, one line per day and earnings rate', async (t) => {
  t.equal(await renderText(xeroFormat), lf(
    '[',
    r`{"payrollCalendarID":"xero-calendar-1","employeeID":"SP001","startDate":"2025-06-01","endDate":"2025-06-30","timesheetLines":[` +
      r`{"date":"2025-06-02","earningsRateID":"HOURLY","numberOfUnits":0.84},` +
      r`{"date":"2025-06-04","earningsRateID":"HOURLY","numberOfUnits":1.67}]},`,
    r`{"payrollCalendarID":"xero-calendar-1","employeeID":"SP002","startDate":"2025-06-01","endDate":"2025-06-30","timesheetLines":[` +
      r`{"date":"2025-05-28","earningsRateID":"SESSION","numberOfUnits":1},` +
      r`{"date":"2025-06-10","earningsRateID":"HOURLY","numberOfUnits":-0.83}]}`,
    ']'
  ))
})

t.test('xero leaves out holiday pay and the voucher worker, and says so in its description', async (t) => {
  const text = await renderText(xeroFormat)
  t.notMatch(text, /HOLPAY/)
  t.notMatch(text, /SP003/)
  t.match(xeroFormat.description, /holiday pay/i)
  t.match(xeroFormat.description, /amount adjustments/)
})

t.test('a worker with only holiday pay gets no timesheet', async (t) => {
  const source = exportSource({ lines: lines.filter((line) => line.unit === 'amount'), dailyUnits: [] })
  t.equal(await renderText(xeroFormat, source), '[]\n')
})
