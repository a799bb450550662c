// Formula escaping end to end: hostile text stored through the API (worker and activity names,
// team names and cost centres) comes out of every CSV download, and the pay record, with no
// cell a spreadsheet would run.
import t from 'tap'
import { build } from '../helpers/app.js'
import { client } from '../helpers/entries.js'
import { payrollOrganisation } from '../helpers/payroll.js'
import { csvRecords, formulaCells, unescapedCell } from './formats/csv-cells.js'

const h = await build(t, { now: new Date('2026-11-29T12:00:00Z') })
const org = await payrollOrganisation(h)
const admin = client(h, await h.key('admin'))

// The cases and their neighbours: a leading space, small, superscript, subscript and
// full-width signs, invisible characters and line breaks before a sign.
const hostileNames = [
  ' =1+1', '\uFE66SUM(A1)', '\u207C1+1', '\u208A1', '\uFF0Dcmd', '\u200B@SUM(1)', '\u3000-2+3', '\n=HYPERLINK("x")',
  '\u2212 1'
]
const workerFields = {
  dateOfBirth: '1990-01-01', paymentMode: 'payroll', holidayPayMode: 'rolled_up', engagementStartDate: '2025-01-01'
}
const workers: Array<{ id: string }> = []
for (const [i, name] of hostileNames.entries()) {
  const fields = { ...workerFields, displayName: name, payrollReference: `H${i}`, teamIds: [org.team.id] }
  const made = await admin.call('POST', '/workers', fields)
  if (made.status !== 201) throw new Error(JSON.stringify(made.body))
  workers.push(made.body as { id: string })
}
const activity = await admin.call('GET', `/activity-types/${org.activity.id}`)
const renamed = await admin.call('PATCH', `/activity-types/${org.activity.id}`, { name: ' +Peer support' }, {
  'if-match': activity.etag!
})
const team = await admin.call('GET', `/teams/${org.team.id}`)
const hostileTeam = await admin.call('PATCH', `/teams/${org.team.id}`, {
  name: '\uFE62Youth Voice', costCentre: '\uFF20CC1'
}, { 'if-match': team.etag! })
for (const [i, worker] of workers.entries()) await org.approved(worker.id, `2025-10-${String(6 + i).padStart(2, '0')}`)
const period = await org.close('2025-10-15')
const batch = (await org.finance.call('POST', `/pay-periods/${period.id}/exports`)).body as { id: string }

t.test('the hostile texts were stored as given', async (t) => {
  t.equal(renamed.status, 200)
  t.equal(hostileTeam.status, 200)
  t.equal(workers.length, hostileNames.length)
})

for (const format of ['csv', 'sage50', 'brightpay', 'brightpay-additions', 'iris']) {
  t.test(`${format}: no cell starts a formula`, async (t) => {
    const res = await org.finance.call('GET', `/exports/${batch.id}/files/${format}`)
    t.equal(res.status, 200)
    t.same(formulaCells(format, res.res.body), [])
  })
}

t.test('the csv names read back as stored once the escaping quote is off', async (t) => {
  const rows = csvRecords((await org.finance.call('GET', `/exports/${batch.id}/files/csv`)).res.body).slice(1)
  const names = new Set(rows.map((row) => unescapedCell(row[10]!)))
  for (const name of hostileNames) t.ok(names.has(name), JSON.stringify(name))
  t.ok(rows.every((row) => unescapedCell(row[11]!) === '\uFE62Youth Voice'), 'the department too')
})

t.test('the pay record CSV escapes the activity name', async (t) => {
  const res = await org.finance.call('GET', `/workers/${workers[0]!.id}/pay-record?periodId=${period.id}&format=csv`)
  t.equal(res.status, 200)
  t.same(formulaCells('pay-record', res.res.body), [])
  t.equal(unescapedCell(csvRecords(res.res.body)[1]![4]!), ' +Peer support')
})

t.test('json keeps the names exactly as stored', async (t) => {
  const res = await org.finance.call('GET', `/exports/${batch.id}/files/json`)
  const json = res.body as { entries: Array<{ workerName: string }> }
  t.same(new Set(json.entries.map((entry) => entry.workerName)), new Set(hostileNames))
})
