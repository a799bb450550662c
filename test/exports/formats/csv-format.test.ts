import t from 'tap'
import { csvFormat } from '../../../src/modules/exports/formats/csv-format.js'
import { crlf, renderText } from './render.js'

const BATCH = '7,batch-7,2025-06-01,2025-06-30,2025-07-04'

t.test('the full csv has one row per claimed entry, every field as worked by hand', async (t) => {
  t.equal(await renderText(csvFormat), crlf(
    'batch_number,batch_id,period_start,period_end,pay_date,line_no,entry_id,kind,corrects_entry_id,payroll_reference,' +
      'worker_name,department,cost_centre,activity_code,pay_element_code,work_date,start_time,end_time,break_minutes,' +
      'minutes,unit,rate,gross,payment_mode,late,approved_at',
    `${BATCH},1,entry-01,work,,SP001,"O'Brien, Sam ""Sunny""",Peer Support,CC100,PEER-GROUP,HOURLY,2025-06-02,10:00,11:00,10,50,hour,12.21,10.18,payroll,false,2025-06-03T08:00:00.000Z`,
    `${BATCH},1,entry-02,work,,SP001,"O'Brien, Sam ""Sunny""",Peer Support,CC100,PEER-GROUP,HOURLY,2025-06-04,09:00,09:50,0,50,hour,12.21,10.18,payroll,false,2025-06-05T08:00:00.000Z`,
    `${BATCH},1,entry-03,work,,SP001,"O'Brien, Sam ""Sunny""",Peer Support,CC100,PEER-GROUP,HOURLY,2025-06-04,14:00,14:50,0,50,hour,12.21,10.18,payroll,false,2025-06-05T08:00:00.000Z`,
    `${BATCH},3,entry-04,work,,SP002,"'=HYPERLINK(""https://evil.test"",""Claim"")",'+Outreach,CC200,FORUM,SESSION,2025-05-28,18:00,20:00,0,120,session,45.00,45.00,payroll,true,2025-06-20T12:00:00.000Z`,
    `${BATCH},4,entry-05,adjustment,entry-00,SP002,"'=HYPERLINK(""https://evil.test"",""Claim"")",'+Outreach,CC200,PEER-GROUP,HOURLY,2025-06-10,,,0,-50,hour,12.21,-10.17,payroll,false,2025-06-25T16:45:00.000Z`,
    `${BATCH},5,entry-06,work,,SP003,'@Pat Jones,Peer Support,CC100,PEER-GROUP,HOURLY,2025-06-12,13:00,14:00,0,60,hour,12.21,12.21,voucher,false,2025-06-13T08:00:00.000Z`
  ))
})

t.test('the three 50-minute entries of the rounding example each show 10.18, not a share of 30.54', async (t) => {
  const rows = (await renderText(csvFormat)).split('\r\n').filter((row) => row.includes(',SP001,'))
  t.same(rows.map((row) => row.split(',').at(-4)), ['10.18', '10.18', '10.18'])
})

t.test('rolled-up holiday pay is not an entry, so the full csv leaves it out', async (t) => {
  t.notMatch(await renderText(csvFormat), /HOLPAY/)
})
