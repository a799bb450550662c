import t from 'tap'
import { csvFormat } from '../../../src/modules/exports/formats/csv-format.js'
import type { ExportEntry } from '../../../src/modules/exports/model.js'
import { entries, exportSource } from './fixture.js'

const ENTRY_COUNT = 200_000
// The entries alone: no holiday-pay lines to add rows of their own.
const noLines = { lines: [] }

t.test('the full csv streams: 200,000 entries come out as rows in many chunks, read as they go', async (t) => {
  let produced = 0
  let producedAtFirstChunk: number | undefined
  async function * manyEntries (): AsyncGenerator<ExportEntry> {
    for (let i = 0; i < ENTRY_COUNT; i++) {
      produced++
      yield { ...entries[0]!, entryId: `entry-${i}` }
    }
  }
  const source = { ...exportSource(noLines), entries: manyEntries }
  let chunks = 0
  let records = 0
  let last = ''
  for await (const chunk of csvFormat.render(source)) {
    producedAtFirstChunk ??= produced
    chunks++
    records += chunk.split('\r\n').length - 1
    last = chunk
  }
  t.equal(records, ENTRY_COUNT + 1, 'a header and one row per entry')
  t.ok(chunks > 100, `many chunks (${chunks}), not one string`)
  t.ok(producedAtFirstChunk! < ENTRY_COUNT, `the first chunk came after ${producedAtFirstChunk} entries, before the last`)
  t.ok(last.endsWith(`,entry-${ENTRY_COUNT - 1},work,,SP001,"O'Brien, Sam ""Sunny""",Peer Support,CC100,PEER-GROUP,HOURLY,` +
    '2025-06-02,10:00,11:00,10,50,hour,12.21,10.18,payroll,false,2025-06-03T08:00:00.000Z\r\n'), 'the last entry is the last row')
})

t.test('stopping a download early stops reading entries', async (t) => {
  let produced = 0
  let closed = false
  async function * manyEntries (): AsyncGenerator<ExportEntry> {
    try {
      for (let i = 0; i < ENTRY_COUNT; i++) {
        produced++
        yield { ...entries[0]!, entryId: `entry-${i}` }
      }
    } finally {
      closed = true
    }
  }
  const download = csvFormat.render({ ...exportSource(noLines), entries: manyEntries })[Symbol.asyncIterator]()
  await download.next()
  await download.return?.()
  await new Promise((resolve) => setImmediate(resolve))
  t.ok(closed, 'the entries cursor was closed')
  t.ok(produced < ENTRY_COUNT, `only ${produced} entries were read`)
})
