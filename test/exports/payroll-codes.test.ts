// Vendor codes at export (issue 12, item 14): a sage50 file prints Sage 50's own department and
// payment numbers, held by the teams, activity types and pay schedule. One missing refuses the file
// (422, naming each) before anything is written; once downloaded, the file keeps its codes.
import t from 'tap'
import { sql } from 'drizzle-orm'
import { createRate } from '../../src/modules/rates/service.js'
import { build } from '../helpers/app.js'
import { client } from '../helpers/entries.js'
import { payrollOrganisation } from '../helpers/payroll.js'
import { countOf } from '../helpers/sql.js'
import { csvRecords } from './formats/csv-cells.js'

const h = await build(t, { now: new Date('2026-11-29T12:00:00Z') })
const org = await payrollOrganisation(h)
const db = h.database.handle.db
const admin = client(h, await h.key('admin'))

// A second activity on the same pay element as the first, with no Sage payment number.
const codesign = await h.activity({ code: 'CO_DESIGN', name: 'Co-design', payElementCode: 'SESS01' })
await createRate(db, h.ctx, { activityTypeId: codesign.id, scope: 'default', pencePerUnit: 1500, validFrom: '2025-04-01' })
// A team with no Sage department, and its own two managers (maker and checker).
const [lead, deputy] = [await h.person('Panel lead'), await h.person('Panel deputy')]
const panel = await h.team({ name: 'Panel', costCentre: 'PN01', managerIds: [lead.id, deputy.id] })
const panelLead = client(h, await h.key('manager', { personId: lead.id }))
const panelDeputy = client(h, await h.key('manager', { personId: deputy.id }))
// Paid in vouchers only: a team and activity without codes that no payroll file carries.
const voucherTeam = await h.team({ name: 'Vouchers', costCentre: 'VO01', managerIds: [lead.id, deputy.id] })
const voucherActivity = await h.activity({ code: 'GIFT', name: 'Gift session', payElementCode: 'GIFT', unit: 'session' })
await createRate(db, h.ctx, { activityTypeId: voucherActivity.id, scope: 'default', pencePerUnit: 2500, validFrom: '2025-04-01' })

const alex = await h.worker({ displayName: 'Alex', payrollReference: 'A1', teamIds: [org.team.id] })
const billie = await h.worker({ displayName: 'Billie', payrollReference: 'B1', teamIds: [panel.id], holidayPayMode: 'accrued' })
const casey = await h.worker({ displayName: 'Casey', payrollReference: null, paymentMode: 'voucher', teamIds: [voucherTeam.id] })

async function approvedBy (maker: typeof panelLead, checker: typeof panelLead, entry: object) {
  const made = await maker.create({ ...entry, submit: true })
  if (made.status !== 201) throw new Error(JSON.stringify(made.body))
  const decided = await checker.act(made.body.id, 'approve')
  if (decided.status !== 200) throw new Error(JSON.stringify(decided.body))
}
await org.approved(alex.id, '2025-10-06')
await approvedBy(org.manager, org.checker, { workerId: alex.id, activityTypeId: codesign.id, workDate: '2025-10-07', startTime: '10:00', endTime: '11:00' })
await approvedBy(panelLead, panelDeputy, { workerId: billie.id, activityTypeId: org.activity.id, workDate: '2025-10-08', startTime: '10:00', endTime: '11:00' })
await approvedBy(panelLead, panelDeputy, { workerId: casey.id, activityTypeId: voucherActivity.id, workDate: '2025-10-09', startTime: '10:00', endTime: '11:00' })
const period = await org.close('2025-10-15')

// The schedule's holiday-pay number cleared, so all three kinds of code are missing.
const schedule = await org.finance.call('GET', `/pay-schedules/${org.schedule.id}`)
await org.finance.call('PATCH', `/pay-schedules/${org.schedule.id}`, { sageHolidayPaymentNumber: null }, { 'if-match': schedule.etag! })

const claimed = await org.finance.call('POST', `/pay-periods/${period.id}/exports`)
const batch = claimed.body as { id: string, lines: Array<{ lineNo: number, workerId: string, kind: string, payElementCode: string, description: string }> }
const sage50 = () => org.finance.call('GET', `/exports/${batch.id}/files/sage50`)
const kept = async () => ({
  files: await countOf(db, sql`select count(*) from export_files where batch_id = ${batch.id} and format = 'sage50'`),
  codes: await countOf(db, sql`select count(*) from export_file_codes where batch_id = ${batch.id}`)
})

t.test('the export claims whatever codes are set: they are a matter for the files', async (t) => {
  t.equal(claimed.status, 201)
})

t.test('a line is one activity type: two activities on one pay element are two lines, each with its own numbers', async (t) => {
  const alexLines = batch.lines.filter((line) => line.workerId === alex.id)
  t.match(alexLines, [
    { kind: 'pay', payElementCode: 'SESS01', description: 'Co-design' },
    { kind: 'pay', payElementCode: 'SESS01', description: 'Peer support' },
    { kind: 'holiday_pay' }
  ])
})

t.test('a sage50 file with a code missing is refused, naming each missing code, and nothing is recorded', async (t) => {
  const refused = await sage50()
  t.equal(refused.status, 422)
  t.match(refused.res.headers['content-type'], /^application\/problem\+json/)
  t.match(refused.body, { code: 'rule_violated', rule: 'missing_payroll_codes', format: 'sage50' })
  t.same(refused.body.missing, [
    { entityType: 'team', id: panel.id, name: 'Panel', field: 'sageDepartment' },
    { entityType: 'activity_type', id: codesign.id, name: 'Co-design', field: 'sagePaymentNumber' },
    { entityType: 'pay_schedule', id: org.schedule.id, name: 'Monthly', field: 'sageHolidayPaymentNumber' }
  ], 'the payroll lines\' team, activity type and holiday pay; the voucher-only team and activity need none')
  t.match(refused.body.detail, /team "Panel" \(sageDepartment\), activity type "Co-design" \(sagePaymentNumber\), pay schedule "Monthly"/)
  t.same(await kept(), { files: 0, codes: 0 }, 'no digest and no codes were written')
  const summary = await org.finance.call('GET', `/exports/${batch.id}`)
  t.equal(summary.body.files.find((file: { format: string }) => file.format === 'sage50').sha256, null)
  for (const format of ['csv', 'json', 'iris', 'staffology']) {
    t.equal((await org.finance.call('GET', `/exports/${batch.id}/files/${format}`)).status, 200, `${format} needs no Sage numbers`)
  }
})

t.test('set the numbers and the file downloads with them; later changes never alter it', async (t) => {
  const team = await admin.call('GET', `/teams/${panel.id}`)
  t.equal((await admin.call('PATCH', `/teams/${panel.id}`, { sageDepartment: 40 }, { 'if-match': team.etag! })).status, 200)
  const activity = await admin.call('GET', `/activity-types/${codesign.id}`)
  t.equal((await admin.call('PATCH', `/activity-types/${codesign.id}`, { sagePaymentNumber: 5 }, { 'if-match': activity.etag! })).status, 200)
  const still = await sage50()
  t.same(still.body.missing, [{ entityType: 'pay_schedule', id: org.schedule.id, name: 'Monthly', field: 'sageHolidayPaymentNumber' }],
    'one left: the message names only it')
  t.match(still.body.detail, /1 is not set/)
  const current = await org.finance.call('GET', `/pay-schedules/${org.schedule.id}`)
  await org.finance.call('PATCH', `/pay-schedules/${org.schedule.id}`, { sageHolidayPaymentNumber: 9 }, { 'if-match': current.etag! })

  const first = await sage50()
  t.equal(first.status, 200)
  t.same(csvRecords(first.res.body).map((cells) => cells.slice(0, 5)), [
    ['2', 'A1', '5', '12', 'YV01'],
    ['2', 'A1', '3', '12', 'YV01'],
    ['2', 'A1', '3', '12', 'YV01'],
    ['2', 'A1', '9', '12', 'YV01'],
    ['2', 'B1', '3', '40', 'PN01']
  ], 'Co-design is payment 5, Peer support 3 (its 50 minutes with their rounding row), holiday pay 9; Youth Voice is ' +
    'department 12, Panel 40; the voucher worker is left out')
  t.same(await kept(), { files: 1, codes: 4 }, 'the digest and the codes of the four payroll lines are kept')

  const renumbered = await admin.call('GET', `/teams/${org.team.id}`)
  await admin.call('PATCH', `/teams/${org.team.id}`, { sageDepartment: 13 }, { 'if-match': renumbered.etag! })
  const again = await sage50()
  t.equal(again.status, 200)
  t.equal(again.res.body, first.res.body, 'the same bytes: the codes of the first download are kept')
  t.equal(again.etag, first.etag)
})

t.test('the kept codes can be neither changed nor deleted', async (t) => {
  await t.rejects(db.execute(sql`update export_file_codes set department_code = 1 where batch_id = ${batch.id}`), { cause: { code: '23514' } })
  await t.rejects(db.execute(sql`delete from export_file_codes where batch_id = ${batch.id}`), { cause: { code: '23514' } })
})

t.test('first downloads at once all print the same codes, kept once', async (t) => {
  const worker = await h.worker({ displayName: 'Dee', payrollReference: 'D1', teamIds: [org.team.id] })
  await org.approved(worker.id, '2025-11-03')
  await approvedBy(org.manager, org.checker, { workerId: worker.id, activityTypeId: codesign.id, workDate: '2025-11-04', startTime: '09:00', endTime: '09:45' })
  const november = await org.close('2025-11-15')
  const next = (await org.finance.call('POST', `/pay-periods/${november.id}/exports`)).body as { id: string }
  const downloads = await Promise.all(Array.from({ length: 6 }, () => org.finance.call('GET', `/exports/${next.id}/files/sage50`)))
  t.same(downloads.map((d) => d.status), [200, 200, 200, 200, 200, 200])
  t.equal(new Set(downloads.map((d) => d.res.body)).size, 1, 'one file, byte for byte')
  t.equal(new Set(downloads.map((d) => d.etag)).size, 1)
  t.equal(await countOf(db, sql`select count(*) from export_file_codes where batch_id = ${next.id}`), 3, 'the codes of its three payroll lines, once')
  t.equal(await countOf(db, sql`select count(*) from export_files where batch_id = ${next.id}`), 1)
})
