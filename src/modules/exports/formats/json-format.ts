// The whole batch as one JSON document, money in integer pence exactly as the model holds it.
import type { ExportFormat, ExportSource } from '../model.js'
import {
  accruedHolidayInModelOrder, declinedInModelOrder, entryInModelOrder, headerInModelOrder, lineInModelOrder,
  totalsInModelOrder
} from './json-key-order.js'
import { renderJsonArray } from './json-writer.js'

async function * renderBatchJson (source: ExportSource): AsyncGenerator<string> {
  yield `{\n"batch":${JSON.stringify(headerInModelOrder(source.header))},\n`
  yield `"totals":${JSON.stringify(totalsInModelOrder(source.totals))},\n"lines":`
  yield * renderJsonArray(source.lines(), lineInModelOrder)
  yield ',\n"entries":'
  yield * renderJsonArray(source.entries(), entryInModelOrder)
  yield ',\n"declined":'
  yield * renderJsonArray(source.declined(), declinedInModelOrder)
  yield ',\n"accruedHoliday":'
  yield * renderJsonArray(source.accruedHoliday(), accruedHolidayInModelOrder)
  yield '\n}\n'
}

export const jsonFormat: ExportFormat = {
  name: 'json',
  description: 'The whole batch as one JSON document: header, totals, every line (payroll, voucher and ' +
    'rolled-up holiday pay, with hours and the rounding difference from hours x rate), every claimed ' +
    'entry, declined workers and accrued holiday. Money is integer pence; nothing is left out.',
  contentType: 'application/json',
  fileExtension: 'json',
  render: renderBatchJson
}
