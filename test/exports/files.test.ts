import { createHash } from 'node:crypto'
import { parse } from 'content-disposition'
import t from 'tap'
import { build } from '../helpers/app.js'
import { client } from '../helpers/entries.js'
import { payrollOrganisation } from '../helpers/payroll.js'

const h = await build(t, { now: new Date('2026-11-29T12:00:00Z') })
const org = await payrollOrganisation(h)
const sam = await h.worker({ displayName: 'Sam', payrollReference: 'E001', teamIds: [org.team.id] })
const hostile = await h.worker({ displayName: '=HYPERLINK("http://x")', payrollReference: 'E002', teamIds: [org.team.id] })
for (const day of ['2025-10-06', '2025-10-07', '2025-10-08']) await org.approved(sam.id, day)
await org.approved(hostile.id, '2025-10-09', '09:00', '10:00')
const period = await org.close('2025-10-15')
const batch = (await org.finance.call('POST', `/pay-periods/${period.id}/exports`)).body
const formats = ['csv', 'json', 'sage50', 'brightpay', 'brightpay-additions', 'iris', 'staffology', 'xero']

t.test('every format downloads the same bytes every time, with a strong ETag and its SHA-256', async (t) => {
  for (const format of formats) {
    const first = await h.app.inject({ method: 'GET', url: `/exports/${batch.id}/files/${format}`, headers: (await h.key('finance')).headers })
    const second = await h.app.inject({ method: 'GET', url: `/exports/${batch.id}/files/${format}`, headers: (await h.key('finance')).headers })
    t.equal(first.statusCode, 200, format)
    const sha = createHash('sha256').update(first.rawPayload).digest('hex')
    t.ok(first.rawPayload.equals(second.rawPayload), `${format}: byte-identical on every download`)
    t.equal(first.headers['x-content-sha256'], sha, `${format}: the SHA-256 header is the body's`)
    t.equal(first.headers['repr-digest'], `sha-256=:${Buffer.from(sha, 'hex').toString('base64')}:`)
    t.equal(first.headers.etag, `"${sha}"`, `${format}: strong ETag`)
    t.equal(second.headers.etag, first.headers.etag)
    t.same(parse(String(first.headers['content-disposition'])), {
      type: 'attachment',
      parameters: { filename: `sessional-pay-batch-${batch.number}-${format}.${/json|staffology|xero/.test(format) ? 'json' : 'csv'}` }
    })
    t.match(first.headers['content-type'], format === 'json' || format === 'staffology' || format === 'xero' ? /^application\/json/ : /^text\/csv/)
  }
  const summary = await org.finance.call('GET', `/exports/${batch.id}`)
  t.equal(summary.body.files.length, formats.length)
  for (const file of summary.body.files) t.match(file.sha256, /^[0-9a-f]{64}$/, `${file.format}: its digest is listed`)
  const etag = summary.body.files.find((f: { format: string }) => f.format === 'csv').sha256
  const notModified = await org.finance.call('GET', `/exports/${batch.id}/files/csv`, undefined, { 'if-none-match': `"${etag}"` })
  t.equal(notModified.status, 304)
})

t.test('the files say what the batch says', async (t) => {
  const csv = (await org.finance.call('GET', `/exports/${batch.id}/files/csv`)).res.body
  const rows = csv.split('\r\n').filter((line) => line !== '')
  const holidayLines = batch.lines.filter((line: { kind: string }) => line.kind === 'holiday_pay').length
  t.equal(holidayLines, 2)
  t.equal(rows.length, 1 + batch.totals.entryCount + holidayLines, 'a header, one row per entry and one per holiday-pay line')
  t.ok(csv.endsWith('\r\n'), 'CRLF line endings')
  const sage = (await org.finance.call('GET', `/exports/${batch.id}/files/sage50`)).res.body
  t.ok(sage.startsWith('2,E001,3,12,YV01,2.50,12.21\r\n2,E001,3,12,YV01,0.01,\r\n2,E001,9,12,YV01,3.69,\r\n'),
    'Sage 50: payment 3 in department 12, the 2.50 hours at £12.21 (30.53) and the penny to 30.54, then holiday pay (payment 9)')
  const json = (await org.finance.call('GET', `/exports/${batch.id}/files/json`)).body
  t.same(json.totals, batch.totals, 'json totals are the batch totals')
  t.equal(json.lines.length, batch.lines.length)
  const xero = (await org.finance.call('GET', `/exports/${batch.id}/files/xero`)).body
  t.match(xero, [{ payrollCalendarID: 'CAL-1', employeeID: 'E001', startDate: '2025-10-01', endDate: '2025-10-31' }])
  const units = xero[0].timesheetLines.map((l: { numberOfUnits: number }) => Math.round(l.numberOfUnits * 100))
  t.same(units.sort(), [83, 83, 84], 'three 50-minute days are 0.83 + 0.83 + 0.84 hours: exactly the line\'s 2.50')
})

t.test('CSV cells that could run as spreadsheet formulas are escaped', async (t) => {
  const csv = (await org.finance.call('GET', `/exports/${batch.id}/files/csv`)).res.body
  t.ok(csv.includes('"\'=HYPERLINK(""http://x"")"'), 'the hostile name is quoted and prefixed with an apostrophe')
  t.notOk(/(^|,)=HYPERLINK/m.test(csv), 'no cell starts with =')
})

t.test('only finance and admin download; an unknown format is a 400 naming the formats, an unknown batch 404', async (t) => {
  const worker = client(h, await h.key('worker', { personId: sam.id }))
  t.equal((await worker.call('GET', `/exports/${batch.id}/files/csv`)).status, 403)
  t.equal((await org.manager.call('GET', `/exports/${batch.id}`)).status, 403)
  const excel = await org.finance.call('GET', `/exports/${batch.id}/files/excel`)
  t.equal(excel.status, 400)
  t.match(excel.body, { code: 'validation_failed', errors: [{ in: 'params', pointer: '/format' }] }, 'names the path parameter')
  t.match(JSON.stringify(excel.body), /sage50/, 'and lists the formats there are')
  t.equal((await org.finance.call('GET', '/exports/00000000-0000-4000-8000-000000000000/files/csv')).status, 404)
})
