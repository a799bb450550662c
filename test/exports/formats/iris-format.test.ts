import t from 'tap'
import { irisFormat } from '../../../src/modules/exports/formats/iris-format.js'
import { exportSource } from './fixture.js'
import { crlf, renderText } from './render.js'

t.test('iris format 2: hours and rate for hourly lines, pounds for the rest and for rounding, always E', async (t) => {
  t.equal(await renderText(irisFormat), crlf(
    'EmployeeID,PayElementID,Amount,E/D,RateValue',
    'SP001,HOURLY,2.50,E,12.21',
    'SP001,HOURLY,0.01,E,',
    'SP001,HOLPAY,3.69,E,',
    'SP002,SESSION,45.00,E,',
    'SP002,HOURLY,-0.83,E,12.21',
    'SP002,HOURLY,-0.04,E,'
  ))
})

t.test('iris leaves the voucher worker out', async (t) => {
  t.notMatch(await renderText(irisFormat), /SP003/)
})

t.test('batches claimed before layout 3 keep their iris file: no rounding rows', async (t) => {
  t.equal(await renderText(irisFormat, exportSource({ fileLayout: 2 })), crlf(
    'EmployeeID,PayElementID,Amount,E/D,RateValue',
    'SP001,HOURLY,2.50,E,12.21',
    'SP001,HOLPAY,3.69,E,',
    'SP002,SESSION,45.00,E,',
    'SP002,HOURLY,-0.83,E,12.21'
  ))
})
