import t from 'tap'
import { sql } from 'drizzle-orm'
import { build } from '../helpers/app.js'
import { client } from '../helpers/entries.js'
import { payrollOrganisation } from '../helpers/payroll.js'
import { query } from '../helpers/sql.js'

const h = await build(t, { now: new Date('2026-11-29T12:00:00Z') })
const org = await payrollOrganisation(h)
const sam = await h.worker({ displayName: 'Sam', payrollReference: 'E001', teamIds: [org.team.id], dateOfBirth: '2006-10-15' })
const vic = await h.worker({ displayName: 'Vic', payrollReference: null, paymentMode: 'voucher', teamIds: [org.team.id] })
await org.approved(sam.id, '2025-10-06', '09:00', '11:30')
await org.approved(sam.id, '2025-10-20', '13:00', '14:00')
await org.approved(vic.id, '2025-10-21', '13:00', '14:00')
await org.manager.create({ workerId: sam.id, activityTypeId: org.activity.id, workDate: '2025-10-22', startTime: '09:00', endTime: '10:00', submit: true })
const october = await org.periodOf('2025-10-10')

t.test('the minimum-wage record of a worker for a period: daily times, breaks, hours, rate and floor', async (t) => {
  const record = await org.finance.call('GET', `/workers/${sam.id}/pay-record?periodId=${october.body.id}`)
  t.equal(record.status, 200)
  t.match(record.body, {
    workerName: 'Sam',
    payrollReference: 'E001',
    period: { startDate: '2025-10-01', endDate: '2025-10-31' },
    totalMinutes: 210,
    totalHoursText: '3.50',
    grossPence: 3053 + 1221
  })
  t.match(record.body.days, [
    { date: '2025-10-06', minutes: 150, hoursText: '2.50', entries: [{ startTime: '09:00', endTime: '11:30', breakMinutes: 0, ratePence: 1221, grossPence: 3053, band: 'age_18_to_20', floorPencePerHour: 1000 }] },
    { date: '2025-10-20', minutes: 60, entries: [{ band: 'age_18_to_20' }] }
  ], 'only approved work is on the record; the band follows the worker\'s age (19 in October 2025)')
  const csv = await org.finance.call('GET', `/workers/${sam.id}/pay-record?periodId=${october.body.id}&format=csv`)
  t.match(csv.res.headers['content-type'], /^text\/csv/)
  const lines = csv.res.body.trim().split('\r\n')
  t.equal(lines[0], 'date,entry_id,kind,state,activity,start,finish,break_minutes,minutes,hours,rate_unit,rate,gross,band,minimum_wage_per_hour')
  t.match(lines[1], /^2025-10-06,[0-9a-f-]{36},work,approved,Peer support,09:00,11:30,0,150,2.50,hour,12.21,30.53,age_18_to_20,10.00$/)
  const self = client(h, await h.key('worker', { personId: sam.id }))
  t.equal((await self.call('GET', `/workers/${sam.id}/pay-record?periodId=${october.body.id}`)).status, 200, 'a worker reads their own record')
  t.equal((await self.call('GET', `/workers/${vic.id}/pay-record?periodId=${october.body.id}`)).status, 404, 'never another\'s')
})

t.test('period summary: hours and gross by team, activity and payment mode', async (t) => {
  const summary = await org.finance.call('GET', `/reports/period-summary?periodId=${october.body.id}`)
  t.equal(summary.status, 200)
  t.match(summary.body, {
    period: { id: october.body.id },
    byTeam: [{ key: org.team.id, name: 'Youth Voice', minutes: 270, grossPence: 3053 + 1221 + 1221, entryCount: 3 }],
    byActivity: [{ key: org.activity.id, minutes: 270 }],
    totals: { minutes: 270, grossPence: 5495, entryCount: 3 },
    undecided: [{ state: 'submitted', entryCount: 1, minutes: 60 }]
  })
  t.same(summary.body.byPaymentMode.map((g: { key: string, grossPence: number }) => [g.key, g.grossPence]), [['payroll', 4274], ['voucher', 1221]])
  t.equal((await org.manager.call('GET', `/reports/period-summary?periodId=${october.body.id}`)).status, 403)
})

t.test('time to pay: median and 90th percentile of days from work to export, per batch', async (t) => {
  const period = await org.close('2025-10-10')
  const exported = await org.finance.call('POST', `/pay-periods/${period.id}/exports`)
  t.equal(exported.status, 201)
  const report = await org.finance.call('GET', '/reports/time-to-pay')
  // Exported on 2026-11-29 (the test clock): 419, 405 and 404 days after the work.
  t.match(report.body.batches, [{ exportId: exported.body.id, exportedOn: '2026-11-29', entryCount: 3, medianDays: 405, maxDays: 419 }])
  t.equal(report.body.batches[0].p90Days, 416.2)
})

t.test('schedules list their periods for every frequency, tiling the calendar', async (t) => {
  for (const [frequency, anchorDate, from, to, first, count] of [
    ['weekly', '2026-01-05', '2026-03-01', '2026-03-31', { startDate: '2026-02-23', endDate: '2026-03-01' }, 6],
    ['fortnightly', '2026-01-05', '2026-03-01', '2026-03-31', { startDate: '2026-02-16', endDate: '2026-03-01' }, 4],
    ['four_weekly', '2026-01-05', '2026-03-01', '2026-03-31', { startDate: '2026-02-02', endDate: '2026-03-01' }, 3],
    ['monthly', '2024-01-31', '2024-02-01', '2024-04-30', { startDate: '2024-01-31', endDate: '2024-02-28' }, 4]
  ] as const) {
    const schedule = await org.finance.call('POST', '/pay-schedules', { name: `S ${frequency}`, frequency, anchorDate, payrollCalendarCode: 'X' })
    t.equal(schedule.status, 201)
    const periods = await org.finance.call('GET', `/pay-schedules/${schedule.body.id}/periods?from=${from}&to=${to}`)
    t.equal(periods.body.items.length, count, `${frequency}: ${count} periods`)
    t.match(periods.body.items[0], { ...first, state: 'open' }, `${frequency}: the first`)
    for (let i = 1; i < periods.body.items.length; i++) {
      const before = new Date(`${periods.body.items[i - 1].endDate}T00:00:00Z`)
      before.setUTCDate(before.getUTCDate() + 1)
      t.equal(periods.body.items[i].startDate, before.toISOString().slice(0, 10), `${frequency}: no gap and no overlap`)
    }
  }
  const schedules = await org.finance.call('GET', '/pay-schedules')
  t.equal(schedules.body.items.filter((s: { isDefault: boolean }) => s.isDefault).length, 1, 'one default schedule')
  // 121 weekly periods: pages of at most 200 with a cursor, never cut short without saying so.
  const weekly = schedules.body.items.find((s: { frequency: string }) => s.frequency === 'weekly')
  const countPeriods = async () => (await query<{ n: number }>(h.database.handle.db, sql`select count(*)::int as n from pay_periods`))[0]!.n
  const before = await countPeriods()
  const listed: Array<{ startDate: string }> = []
  let url = `/pay-schedules/${weekly.id}/periods?from=2026-01-05&to=2028-04-24&limit=50`
  for (let pages = 1; ; pages++) {
    const page = await org.finance.call('GET', url)
    t.equal(page.status, 200, `page ${pages}`)
    listed.push(...page.body.items)
    if (page.body.nextCursor === null) break
    url = `/pay-schedules/${weekly.id}/periods?from=2026-01-05&to=2028-04-24&limit=50&cursor=${page.body.nextCursor}`
  }
  t.equal(listed.length, 121, 'the 121 periods are listed in full over three pages')
  t.equal(new Set(listed.map((p) => p.startDate)).size, 121, 'each once')
  t.equal(await countPeriods(), before, 'and the listing recorded nothing')
})

t.test('a manager sees only their teams\' entries on a shared worker\'s pay record', async (t) => {
  const other = await h.person('Other manager')
  const otherTeam = await h.team({ name: 'Other team', managerIds: [other.id] })
  const shared = await h.worker({ displayName: 'Shared', payrollReference: 'E099', teamIds: [org.team.id, otherTeam.id] })
  const otherManager = client(h, await h.key('manager', { personId: other.id }))
  const mine = await org.approved(shared.id, '2025-10-27', '09:00', '10:00')
  const theirs = await otherManager.create({ workerId: shared.id, teamId: otherTeam.id, activityTypeId: org.activity.id, workDate: '2025-10-28', startTime: '09:00', endTime: '10:00', submit: true })
  await otherManager.act(theirs.body.id, 'approve')
  const record = await org.manager.call('GET', `/workers/${shared.id}/pay-record?periodId=${october.body.id}`)
  const ids = record.body.days.flatMap((d: { entries: Array<{ entryId: string }> }) => d.entries.map((e) => e.entryId))
  t.same(ids, [mine.id], 'the other team\'s entry is not on it')
  const overlap = await org.manager.create({ workerId: shared.id, teamId: org.team.id, activityTypeId: org.activity.id, workDate: '2025-10-28', startTime: '09:30', endTime: '10:30' })
  t.equal(overlap.status, 409)
  t.notOk(JSON.stringify(overlap.body).includes(theirs.body.id), 'an overlap with the other team\'s entry is refused without naming it')
})
