import t from 'tap'
import { staffologyFormat } from '../../../src/modules/exports/formats/staffology-format.js'
import { exportSource, lines } from './fixture.js'
import { lf, renderText } from './render.js'

const r = String.raw

t.test('staffology: one object per worker with their payroll lines, in line order', async (t) => {
  t.equal(await renderText(staffologyFormat), lf(
    '[',
    r`{"payrollCode":"SP001","lines":[` +
      r`{"code":"HOURLY","value":30.54,"rate":12.21,"multiplier":2.5,"description":"Peer support group","costCentre":"CC100","department":"Peer Support"},` +
      r`{"code":"HOLPAY","value":3.69,"rate":null,"multiplier":null,"description":"Holiday pay (12.07%)","costCentre":"CC100","department":"Peer Support"}]},`,
    r`{"payrollCode":"SP002","lines":[` +
      r`{"code":"SESSION","value":45,"rate":null,"multiplier":null,"description":"\tEvening forum","costCentre":"CC200","department":"+Outreach"},` +
      r`{"code":"HOURLY","value":-10.17,"rate":12.21,"multiplier":-0.83,"description":"Correction of entry-00","costCentre":"CC200","department":"+Outreach"}]}`,
    ']'
  ))
})

t.test('staffology numbers are the exact pounds and hours, read back as the same values', async (t) => {
  const body = JSON.parse(await renderText(staffologyFormat)) as Array<{ lines: Array<{ value: number, rate: number | null, multiplier: number | null }> }>
  const hourly = body[0]?.lines[0]
  t.equal(hourly?.value, 30.54)
  t.equal(hourly?.rate, 12.21)
  t.equal(hourly?.multiplier, 2.5)
  t.notOk(JSON.stringify(body).includes('SP003'), 'no voucher worker')
})

t.test('a worker whose lines are not together refuses to render rather than appear twice', async (t) => {
  const [first, second, third] = lines
  const source = exportSource({ lines: [first!, third!, second!] })
  await t.rejects(renderText(staffologyFormat, source), /not together/)
})

t.test('a batch with no payroll lines is an empty array', async (t) => {
  t.equal(await renderText(staffologyFormat, exportSource({ lines: lines.filter((line) => line.paymentMode === 'voucher') })), '[]\n')
})
