// Downloads are named with stored data (a pay record with the worker's payroll reference): the
// header is built by the content-disposition package and the data is reduced to safe file-name
// characters, so no stored value can change the name a browser saves the file as.
import { parse } from 'content-disposition'
import { sql } from 'drizzle-orm'
import fc from 'fast-check'
import t from 'tap'
import { attachment, fileNamePart } from '../../src/http/attachment.js'
import { build } from '../helpers/app.js'
import { payrollOrganisation } from '../helpers/payroll.js'
import { countOf, query } from '../helpers/sql.js'

const NAMED_CASE = 'X";filename*=UTF-8\'\'evil.html;x="'
const workerFields = {
  dateOfBirth: '1990-01-01', paymentMode: 'payroll', holidayPayMode: 'rolled_up', engagementStartDate: '2025-01-01'
}

const h = await build(t, { now: new Date('2026-11-29T12:00:00Z') })
const org = await payrollOrganisation(h)
const sam = await h.worker({ displayName: 'Sam', payrollReference: 'E001', teamIds: [org.team.id] })
await org.approved(sam.id, '2025-10-06')
const october = (await org.periodOf('2025-10-15')).body as { id: string, startDate: string }
const admin = await h.key('admin')
const db = h.database.handle.db

/** Stores a payroll reference as it is, past the API's validation (as data stored before the rule). */
async function storeReference (reference: string): Promise<void> {
  await db.execute(sql`update workers set payroll_reference = ${reference} where id = ${sam.id}`)
}

async function payRecordDisposition (): Promise<string> {
  const res = await org.finance.call('GET', `/workers/${sam.id}/pay-record?periodId=${october.id}&format=csv`)
  if (res.status !== 200) throw new Error(`pay record answered ${res.status}`)
  return String(res.res.headers['content-disposition'])
}

const expectedName = (reference: string) => `pay-record-${fileNamePart(reference)}-${october.startDate}.csv`

t.test('the named case: a stored reference with a quoted filename* cannot rename the pay record', async (t) => {
  await storeReference(NAMED_CASE)
  const header = await payRecordDisposition()
  const parsed = parse(header)
  t.equal(parsed.type, 'attachment')
  t.same(Object.keys(parsed.parameters), ['filename'], 'one parameter: no filename* smuggled in')
  t.equal(parsed.parameters.filename, 'pay-record-X__filename__UTF-8__evil.html_x__-2025-10-01.csv')
  t.notMatch(parsed.parameters.filename, /\.html$/)
})

t.test('any stored payroll reference leaves the parsed file name the one the service meant', async (t) => {
  // Unicode, quotes, semicolons, backslashes, percent signs, line breaks: whatever a database holds.
  // (PostgreSQL text cannot hold NUL.)
  const stored = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).filter((text) => !text.includes('\u0000'))
  const hostile = fc.constantFrom(
    NAMED_CASE, 'a"b', 'a;filename=evil.exe', '\r\nSet-Cookie: x=1', '../../etc/passwd', '%22', '€', '\\"'
  )
  await fc.assert(fc.asyncProperty(fc.oneof(stored, hostile), async (reference) => {
    await storeReference(reference)
    const header = await payRecordDisposition()
    const parsed = parse(header)
    return parsed.type === 'attachment' &&
      Object.keys(parsed.parameters).join() === 'filename' &&
      parsed.parameters.filename === expectedName(reference) &&
      /^pay-record-[A-Za-z0-9._-]+-2025-10-01\.csv$/.test(parsed.parameters.filename!)
  }), { seed: 3, numRuns: 60 })
  await storeReference('E001')
  t.pass('60 stored references checked through the route')
})

t.test('the header builder keeps any name it is given whole (export files too)', async (t) => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), (name) => {
    const parsed = parse(attachment(`${name}.csv`))
    return parsed.type === 'attachment' && parsed.parameters.filename === `${name}.csv`
  }), { seed: 5, numRuns: 500 })
  t.pass('500 names round-trip through create and parse')
})

t.test('a payroll reference with quotes, spaces or separators is refused at input and changes nothing', async (t) => {
  const before = await countOf(db, sql`select count(*) from workers`)
  const refused = [
    NAMED_CASE, 'SP 001', 'SP;001', 'SP"001', 'SP/001', 'SP,001', '=1+1', ' SP001', 'SP001\n', '-SP001', 'é001'
  ]
  for (const reference of refused) {
    const created = await h.app.inject({
      method: 'POST',
      url: '/workers',
      headers: admin.headers,
      payload: { ...workerFields, displayName: 'New', payrollReference: reference }
    })
    t.equal(created.statusCode, 400, JSON.stringify(reference))
    t.match(created.headers['content-type'], /^application\/problem\+json/)
    t.match(created.json(), {
      code: 'validation_failed',
      errors: [{ in: 'body', pointer: '/payrollReference', detail: /letters, digits/ }]
    })
  }
  t.equal(await countOf(db, sql`select count(*) from workers`), before, 'no worker made')

  const current = await h.app.inject({ method: 'GET', url: `/workers/${sam.id}`, headers: admin.headers })
  const patched = await h.app.inject({
    method: 'PATCH',
    url: `/workers/${sam.id}`,
    headers: { ...admin.headers, 'if-match': String(current.headers.etag) },
    payload: { payrollReference: NAMED_CASE }
  })
  t.equal(patched.statusCode, 400)
  t.match(patched.json(), { errors: [{ pointer: '/payrollReference' }] })
  const stored = sql`select payroll_reference from workers where id = ${sam.id}`
  const [row] = await query<{ payroll_reference: string }>(db, stored)
  t.equal(row?.payroll_reference, 'E001', 'unchanged')
})

t.test('payroll references as payroll software writes them are accepted', async (t) => {
  for (const reference of ['SP001', '1042', 'E.12_3', 'A-7', '3f2504e0-4f89-41d3-9a0c-0305e82c3301']) {
    const created = await h.app.inject({
      method: 'POST',
      url: '/workers',
      headers: admin.headers,
      payload: { ...workerFields, displayName: reference, payrollReference: reference }
    })
    t.equal(created.statusCode, 201, reference)
    t.equal(created.json().payrollReference, reference)
  }
})
