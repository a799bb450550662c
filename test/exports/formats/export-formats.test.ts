import t from 'tap'
import { exportFormats, formatByName } from '../../../src/modules/exports/formats/index.js'
import { renderText } from './render.js'

const PAYROLL_FORMATS = ['sage50', 'brightpay', 'brightpay-additions', 'iris', 'staffology', 'xero']
const csvFormats = exportFormats.filter((format) => format.contentType.startsWith('text/csv'))
const jsonFormats = exportFormats.filter((format) => format.contentType === 'application/json')

t.test('every format the issue names can be found by its URL name, and only those', async (t) => {
  t.same(exportFormats.map((format) => format.name), ['csv', 'json', 'sage50', 'brightpay', 'brightpay-additions', 'iris', 'staffology', 'xero'])
  for (const format of exportFormats) t.equal(formatByName(format.name), format, format.name)
  t.equal(formatByName('pdf'), undefined)
  t.equal(formatByName('SAGE50'), undefined, 'names match exactly')
})

t.test('every format says what it holds and what it leaves out', async (t) => {
  for (const format of exportFormats) t.match(format.description, /left out/, format.name)
})

t.test('csv formats are text/csv files, json formats application/json files', async (t) => {
  t.same(csvFormats.map((format) => format.name), ['csv', 'sage50', 'brightpay', 'brightpay-additions', 'iris'])
  t.same(jsonFormats.map((format) => format.name), ['json', 'staffology', 'xero'])
  for (const format of csvFormats) t.equal(format.fileExtension, 'csv', format.name)
  for (const format of jsonFormats) t.equal(format.fileExtension, 'json', format.name)
})

t.test('every rendering of a batch is byte-for-byte the same', async (t) => {
  for (const format of exportFormats) t.equal(await renderText(format), await renderText(format), format.name)
})

t.test('csv files end every record with CRLF and never begin a cell with a formula character', async (t) => {
  for (const format of csvFormats) {
    const text = await renderText(format)
    t.ok(text.endsWith('\r\n'), `${format.name} ends with CRLF`)
    t.notMatch(text.replaceAll('\r\n', ''), /[\r\n]/, `${format.name} has no bare LF or CR`)
    t.notMatch(text, /(?:^|,)"?[=+@\t]/m, `${format.name} escapes formula cells`)
  }
})

t.test('json files use LF only and parse', async (t) => {
  for (const format of jsonFormats) {
    const text = await renderText(format)
    t.notMatch(text, /\r/, format.name)
    t.doesNotThrow(() => JSON.parse(text), format.name)
  }
})

t.test('voucher lines never reach a payroll file', async (t) => {
  for (const name of PAYROLL_FORMATS) t.notMatch(await renderText(formatByName(name)!), /SP003|Pat Jones/, name)
})
