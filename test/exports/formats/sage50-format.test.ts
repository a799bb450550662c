import t from 'tap'
import { sage50Format } from '../../../src/modules/exports/formats/sage50-format.js'
import { crlf, renderText } from './render.js'

t.test('sage50 has one payment row per payroll line, columns A to G, no header', async (t) => {
  t.equal(await renderText(sage50Format), crlf(
    '2,SP001,HOURLY,Peer Support,CC100,2.50,12.21',
    '2,SP001,HOLPAY,Peer Support,CC100,3.69,',
    "2,SP002,SESSION,'+Outreach,CC200,45.00,",
    "2,SP002,HOURLY,'+Outreach,CC200,-0.83,12.21"
  ))
})

t.test('sage50 leaves the voucher worker out', async (t) => {
  t.notMatch(await renderText(sage50Format), /SP003/)
})
