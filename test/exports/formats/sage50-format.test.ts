import t from 'tap'
import { sage50Format } from '../../../src/modules/exports/formats/sage50-format.js'
import { exportSource } from './fixture.js'
import { crlf, renderText } from './render.js'

t.test('sage50 has one payment row per payroll line, columns A to G, no header, with Sage\'s own numbers', async (t) => {
  t.equal(await renderText(sage50Format), crlf(
    '2,SP001,3,10,CC100,2.50,12.21',
    '2,SP001,3,10,CC100,0.01,',
    '2,SP001,9,10,CC100,3.69,',
    '2,SP002,4,20,CC200,45.00,',
    '2,SP002,3,20,CC200,-0.83,12.21',
    '2,SP002,3,20,CC200,-0.04,'
  ), 'payment number (C) and department number (D) are the vendor codes; each hourly line whose gross differs from ' +
    'hours x rate is followed by a value row of the difference (+0.01 for 2.50 h x 12.21 = 30.53 against 30.54, ' +
    '-0.04 for -0.83 h x 12.21 = -10.13 against -10.17)')
})

t.test('sage50 leaves the voucher worker out', async (t) => {
  t.notMatch(await renderText(sage50Format), /SP003/)
})

t.test('a payroll line without its codes is never written with a guess', async (t) => {
  await t.rejects(renderText(sage50Format, exportSource({ vendorCodes: new Map() })), /export line 1 has no Sage 50 codes/)
})

t.test('batches claimed before layout 3 keep their file byte for byte: team names and element codes, no rounding rows', async (t) => {
  t.equal(await renderText(sage50Format, exportSource({ fileLayout: 2, vendorCodes: new Map() })), crlf(
    '2,SP001,HOURLY,Peer Support,CC100,2.50,12.21',
    '2,SP001,HOLPAY,Peer Support,CC100,3.69,',
    "2,SP002,SESSION,'+Outreach,CC200,45.00,",
    "2,SP002,HOURLY,'+Outreach,CC200,-0.83,12.21"
  ))
})
