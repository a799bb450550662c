import t from 'tap'
import { jsonFormat } from '../../../src/modules/exports/formats/json-format.js'
import { accruedHoliday, declined, entries, exportSource, header, lines, totals } from './fixture.js'
import { lf, renderText } from './render.js'

const r = String.raw

t.test('json: the whole batch, keys in model order, money in integer pence', async (t) => {
  t.equal(await renderText(jsonFormat), lf(
    '{',
    r`"batch":{"id":"batch-7","number":7,"payScheduleId":"schedule-1","payScheduleName":"Monthly contributors","payrollCalendarCode":"xero-calendar-1","periodId":"period-2025-06","periodStartDate":"2025-06-01","periodEndDate":"2025-06-30","payDate":"2025-07-04","createdAt":"2025-07-01T09:30:00.000Z","holidayPayElementCode":"HOLPAY"},`,
    r`"totals":{"entryCount":6,"workerCount":3,"minutes":280,"grossPence":8127,"payrollGrossPence":6906,"voucherGrossPence":1221,"holidayPayPence":369,"lateEntryCount":1},`,
    r`"lines":[`,
    r`{"lineNo":1,"kind":"pay","paymentMode":"payroll","workerId":"worker-1","payrollReference":"SP001","workerName":"O'Brien, Sam \"Sunny\"","department":"Peer Support","costCentre":"CC100","payElementCode":"HOURLY","description":"Peer support group","unit":"hour","minutes":150,"sessions":0,"ratePence":1221,"grossPence":3054,"hoursHundredths":250,"hoursText":"2.50","payrollComputedPence":3053,"differencePence":1,"late":false,"entryCount":3},`,
    r`{"lineNo":2,"kind":"holiday_pay","paymentMode":"payroll","workerId":"worker-1","payrollReference":"SP001","workerName":"O'Brien, Sam \"Sunny\"","department":"Peer Support","costCentre":"CC100","payElementCode":"HOLPAY","description":"Holiday pay (12.07%)","unit":"amount","minutes":0,"sessions":0,"ratePence":null,"grossPence":369,"hoursHundredths":null,"hoursText":null,"payrollComputedPence":null,"differencePence":null,"late":false,"entryCount":0},`,
    r`{"lineNo":3,"kind":"pay","paymentMode":"payroll","workerId":"worker-2","payrollReference":"SP002","workerName":"=HYPERLINK(\"https://evil.test\",\"Claim\")","department":"+Outreach","costCentre":"CC200","payElementCode":"SESSION","description":"\tEvening forum","unit":"session","minutes":120,"sessions":1,"ratePence":4500,"grossPence":4500,"hoursHundredths":null,"hoursText":null,"payrollComputedPence":null,"differencePence":null,"late":true,"entryCount":1},`,
    r`{"lineNo":4,"kind":"adjustment","paymentMode":"payroll","workerId":"worker-2","payrollReference":"SP002","workerName":"=HYPERLINK(\"https://evil.test\",\"Claim\")","department":"+Outreach","costCentre":"CC200","payElementCode":"HOURLY","description":"Correction of entry-00","unit":"hour","minutes":-50,"sessions":0,"ratePence":1221,"grossPence":-1017,"hoursHundredths":-83,"hoursText":"-0.83","payrollComputedPence":-1013,"differencePence":-4,"late":false,"entryCount":1},`,
    r`{"lineNo":5,"kind":"pay","paymentMode":"voucher","workerId":"worker-3","payrollReference":"SP003","workerName":"@Pat Jones","department":"Peer Support","costCentre":"CC100","payElementCode":"HOURLY","description":"Peer support group","unit":"hour","minutes":60,"sessions":0,"ratePence":1221,"grossPence":1221,"hoursHundredths":100,"hoursText":"1.00","payrollComputedPence":1221,"differencePence":0,"late":false,"entryCount":1}`,
    r`],`,
    r`"entries":[`,
    r`{"entryId":"entry-01","lineNo":1,"kind":"work","correctsEntryId":null,"workerId":"worker-1","payrollReference":"SP001","workerName":"O'Brien, Sam \"Sunny\"","department":"Peer Support","costCentre":"CC100","activityCode":"PEER-GROUP","payElementCode":"HOURLY","workDate":"2025-06-02","startTime":"10:00","endTime":"11:00","breakMinutes":10,"minutes":50,"unit":"hour","ratePence":1221,"grossPence":1018,"paymentMode":"payroll","late":false,"approvedAt":"2025-06-03T08:00:00.000Z"},`,
    r`{"entryId":"entry-02","lineNo":1,"kind":"work","correctsEntryId":null,"workerId":"worker-1","payrollReference":"SP001","workerName":"O'Brien, Sam \"Sunny\"","department":"Peer Support","costCentre":"CC100","activityCode":"PEER-GROUP","payElementCode":"HOURLY","workDate":"2025-06-04","startTime":"09:00","endTime":"09:50","breakMinutes":0,"minutes":50,"unit":"hour","ratePence":1221,"grossPence":1018,"paymentMode":"payroll","late":false,"approvedAt":"2025-06-05T08:00:00.000Z"},`,
    r`{"entryId":"entry-03","lineNo":1,"kind":"work","correctsEntryId":null,"workerId":"worker-1","payrollReference":"SP001","workerName":"O'Brien, Sam \"Sunny\"","department":"Peer Support","costCentre":"CC100","activityCode":"PEER-GROUP","payElementCode":"HOURLY","workDate":"2025-06-04","startTime":"14:00","endTime":"14:50","breakMinutes":0,"minutes":50,"unit":"hour","ratePence":1221,"grossPence":1018,"paymentMode":"payroll","late":false,"approvedAt":"2025-06-05T08:00:00.000Z"},`,
    r`{"entryId":"entry-04","lineNo":3,"kind":"work","correctsEntryId":null,"workerId":"worker-2","payrollReference":"SP002","workerName":"=HYPERLINK(\"https://evil.test\",\"Claim\")","department":"+Outreach","costCentre":"CC200","activityCode":"FORUM","payElementCode":"SESSION","workDate":"2025-05-28","startTime":"18:00","endTime":"20:00","breakMinutes":0,"minutes":120,"unit":"session","ratePence":4500,"grossPence":4500,"paymentMode":"payroll","late":true,"approvedAt":"2025-06-20T12:00:00.000Z"},`,
    r`{"entryId":"entry-05","lineNo":4,"kind":"adjustment","correctsEntryId":"entry-00","workerId":"worker-2","payrollReference":"SP002","workerName":"=HYPERLINK(\"https://evil.test\",\"Claim\")","department":"+Outreach","costCentre":"CC200","activityCode":"PEER-GROUP","payElementCode":"HOURLY","workDate":"2025-06-10","startTime":null,"endTime":null,"breakMinutes":0,"minutes":-50,"unit":"hour","ratePence":1221,"grossPence":-1017,"paymentMode":"payroll","late":false,"approvedAt":"2025-06-25T16:45:00.000Z"},`,
    r`{"entryId":"entry-06","lineNo":5,"kind":"work","correctsEntryId":null,"workerId":"worker-3","payrollReference":"SP003","workerName":"@Pat Jones","department":"Peer Support","costCentre":"CC100","activityCode":"PEER-GROUP","payElementCode":"HOURLY","workDate":"2025-06-12","startTime":"13:00","endTime":"14:00","breakMinutes":0,"minutes":60,"unit":"hour","ratePence":1221,"grossPence":1221,"paymentMode":"voucher","late":false,"approvedAt":"2025-06-13T08:00:00.000Z"}`,
    r`],`,
    r`"declined":[`,
    r`{"workerId":"worker-4","payrollReference":null,"workerName":"Lee Smith","minutes":90,"entryCount":1}`,
    r`],`,
    r`"accruedHoliday":[`,
    r`{"workerId":"worker-2","payrollReference":"SP002","workerName":"=HYPERLINK(\"https://evil.test\",\"Claim\")","minutesWorked":70,"accruedMinutes":9,"accruedHoursText":"0.15"}`,
    ']',
    '}'
  ))
})

t.test('json parses back to exactly the batch it was made from', async (t) => {
  t.strictSame(JSON.parse(await renderText(jsonFormat)), { batch: header, totals, lines, entries, declined, accruedHoliday })
})

t.test('json bytes do not depend on the key order of the source objects', async (t) => {
  const reversed = <T extends object>(record: T): T => Object.fromEntries(Object.entries(record).reverse()) as T
  const source = exportSource({
    header: reversed(header),
    totals: reversed(totals),
    lines: lines.map(reversed),
    entries: entries.map(reversed),
    declined: declined.map(reversed),
    accruedHoliday: accruedHoliday.map(reversed)
  })
  t.equal(await renderText(jsonFormat, source), await renderText(jsonFormat))
})

t.test('empty lists are written as [] and the document still parses', async (t) => {
  const text = await renderText(jsonFormat, exportSource({ declined: [], accruedHoliday: [] }))
  t.match(text, /"declined":\[\],\n"accruedHoliday":\[\]\n\}\n$/)
  t.same(JSON.parse(text).declined, [])
})
