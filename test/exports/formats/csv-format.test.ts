import t from 'tap'
import { csvFormat } from '../../../src/modules/exports/formats/csv-format.js'
import type { ExportEntry } from '../../../src/modules/exports/model.js'
import { csvRecords } from './csv-cells.js'
import { entries, exportSource, lines } from './fixture.js'
import { crlf, renderText } from './render.js'

const BATCH = '7,batch-7,2025-06-01,2025-06-30,2025-07-04'
const SAM = 'SP001,"O\'Brien, Sam ""Sunny""",Peer Support,CC100'

t.test('the full csv has one row per claimed entry and per holiday-pay line, every field as worked by hand', async (t) => {
  t.equal(await renderText(csvFormat), crlf(
    'batch_number,batch_id,period_start,period_end,pay_date,line_no,entry_id,kind,corrects_entry_id,payroll_reference,' +
      'worker_name,department,cost_centre,activity_code,pay_element_code,work_date,start_time,end_time,break_minutes,' +
      'minutes,unit,rate,gross,payment_mode,late,approved_at',
    `${BATCH},1,entry-01,work,,${SAM},PEER-GROUP,HOURLY,2025-06-02,10:00,11:00,10,50,hour,12.21,10.18,payroll,false,2025-06-03T08:00:00.000Z`,
    `${BATCH},1,entry-02,work,,${SAM},PEER-GROUP,HOURLY,2025-06-04,09:00,09:50,0,50,hour,12.21,10.18,payroll,false,2025-06-05T08:00:00.000Z`,
    `${BATCH},1,entry-03,work,,${SAM},PEER-GROUP,HOURLY,2025-06-04,14:00,14:50,0,50,hour,12.21,10.18,payroll,false,2025-06-05T08:00:00.000Z`,
    `${BATCH},2,,holiday_pay,,${SAM},,HOLPAY,,,,,0,amount,,3.69,payroll,false,`,
    `${BATCH},3,entry-04,work,,SP002,"'=HYPERLINK(""https://evil.test"",""Claim"")",'+Outreach,CC200,FORUM,SESSION,2025-05-28,18:00,20:00,0,120,session,45.00,45.00,payroll,true,2025-06-20T12:00:00.000Z`,
    `${BATCH},4,entry-05,adjustment,entry-00,SP002,"'=HYPERLINK(""https://evil.test"",""Claim"")",'+Outreach,CC200,PEER-GROUP,HOURLY,2025-06-10,,,0,-50,hour,12.21,-10.17,payroll,false,2025-06-25T16:45:00.000Z`,
    `${BATCH},5,entry-06,work,,SP003,'@Pat Jones,Peer Support,CC100,PEER-GROUP,HOURLY,2025-06-12,13:00,14:00,0,60,hour,12.21,12.21,voucher,false,2025-06-13T08:00:00.000Z`
  ))
})

t.test('the three 50-minute entries of the rounding example each show 10.18, not a share of 30.54', async (t) => {
  const rows = csvRecords(await renderText(csvFormat)).filter((cells) => cells[9] === 'SP001' && cells[7] === 'work')
  t.same(rows.map((cells) => cells[22]), ['10.18', '10.18', '10.18'])
})

t.test('the gross column adds up to the batch total and the line numbers run from 1 without gaps', async (t) => {
  const rows = csvRecords(await renderText(csvFormat)).slice(1)
  const pence = rows.map((cells) => Math.round(Number(cells[22]) * 100))
  t.equal(pence.reduce((a, b) => a + b, 0), 8127, 'the batch total, £81.27, holiday pay included')
  t.same([...new Set(rows.map((cells) => cells[5]))], ['1', '2', '3', '4', '5'])
})

t.test('each holiday-pay row comes after the entries of the lines before it; declined entries (no line) come last', async (t) => {
  const declinedEntry: ExportEntry = {
    ...entries[0]!,
    entryId: 'entry-07',
    lineNo: null,
    workerId: 'worker-4',
    payrollReference: '',
    workerName: 'Lee Smith',
    workDate: '2025-06-03',
    startTime: '09:00',
    endTime: '10:30',
    breakMinutes: 0,
    minutes: 90,
    grossPence: 0,
    paymentMode: 'declined'
  }
  const lastHoliday = { ...lines[1]!, lineNo: 5 }
  const source = exportSource({ lines: [...lines.slice(0, 4), lastHoliday], entries: [...entries.slice(0, 5), declinedEntry] })
  const rows = csvRecords(await renderText(csvFormat, source)).slice(1)
  t.same(rows.map((cells) => cells[6] === '' ? `holiday pay, line ${cells[5]!}` : cells[6]),
    ['entry-01', 'entry-02', 'entry-03', 'holiday pay, line 2', 'entry-04', 'entry-05', 'holiday pay, line 5', 'entry-07'])
})

t.test('batches claimed before layout 3 keep their csv: entries only, no holiday-pay rows', async (t) => {
  const text = await renderText(csvFormat, exportSource({ fileLayout: 2 }))
  t.notMatch(text, /HOLPAY/)
  t.equal(csvRecords(text).length, 1 + entries.length)
})
