import t from 'tap'
import { brightpayAdditionsFormat } from '../../../src/modules/exports/formats/brightpay-additions-format.js'
import { brightpayFormat } from '../../../src/modules/exports/formats/brightpay-format.js'
import { exportSource } from './fixture.js'
import { crlf, renderText } from './render.js'

t.test('brightpay hourly payments: hourly payroll lines with hours and rate per hour', async (t) => {
  t.equal(await renderText(brightpayFormat), crlf(
    'Works Number,Hours,Rate Per Hour,Description,Department',
    'SP001,2.50,12.21,Peer support group,Peer Support',
    "SP002,-0.83,12.21,Correction of entry-00,'+Outreach"
  ))
})

t.test('brightpay additions: session, holiday-pay and amount lines in pounds, and the hourly lines\' rounding', async (t) => {
  t.equal(await renderText(brightpayAdditionsFormat), crlf(
    'Works Number,Amount,Description,Department',
    'SP001,0.01,Rounding: Peer support group,Peer Support',
    'SP001,3.69,Holiday pay (12.07%),Peer Support',
    "SP002,45.00,'\tEvening forum,'+Outreach",
    "SP002,-0.04,Rounding: Correction of entry-00,'+Outreach"
  ))
})

t.test('the two brightpay files carry each payroll line once, its rounding, and no voucher line', async (t) => {
  const hourly = await renderText(brightpayFormat)
  const additions = await renderText(brightpayAdditionsFormat)
  const rows = [hourly, additions].flatMap((file) => file.split('\r\n').slice(1, -1))
  t.equal(rows.length, 6, 'four payroll lines in the batch, two of them hourly with a rounding difference')
  t.notMatch(hourly + additions, /SP003/)
})

t.test('batches claimed before layout 3 keep their additions file: no rounding rows', async (t) => {
  t.equal(await renderText(brightpayAdditionsFormat, exportSource({ fileLayout: 2 })), crlf(
    'Works Number,Amount,Description,Department',
    'SP001,3.69,Holiday pay (12.07%),Peer Support',
    "SP002,45.00,'\tEvening forum,'+Outreach"
  ))
})
