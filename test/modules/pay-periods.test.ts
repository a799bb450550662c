// Pay periods are computed from their schedule on every read; a row is made only when a period
// is acted on (closed, reopened, exported), inside that change's transaction, with the id the
// reads already showed (src/modules/pay-periods/period-id.ts).
import { sql } from 'drizzle-orm'
import t from 'tap'
import { periodIdOf, readPeriodId } from '../../src/modules/pay-periods/period-id.js'
import { build } from '../helpers/app.js'
import { payrollOrganisation } from '../helpers/payroll.js'
import { countOf, query } from '../helpers/sql.js'

const h = await build(t, { now: new Date('2026-11-29T12:00:00Z') })
const db = h.database.handle.db
const org = await payrollOrganisation(h)
const worker = await h.worker({ displayName: 'Pat', payrollReference: 'P001', teamIds: [org.team.id] })
const weekly = (await org.finance.call('POST', '/pay-schedules', { name: 'Weekly', frequency: 'weekly', anchorDate: '2026-01-05', payrollCalendarCode: 'W' })).body as { id: string }

const periodRows = async () => countOf(db, sql`select count(*) from pay_periods`)
const auditRows = async () => countOf(db, sql`select count(*) from audit_events`)

t.test('period ids carry their schedule and index, and read back', async (t) => {
  const scheduleId = '0f1e2d3c-4b5a-4968-b7a6-9f8e7d6c5b4a'
  for (const index of [0, 1, -1, 521_800, -521_800, 2 ** 23 - 1, -(2 ** 23)]) {
    const id = periodIdOf(scheduleId, index)
    t.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, `${index}: a UUIDv8 of the RFC variant`)
    t.same(readPeriodId(id.toUpperCase()), { scheduleKey: '0f1e2d3c4b5a968b7a69f8e7d', index }, `${index}: reads back`)
  }
  t.not(periodIdOf(scheduleId, 0), periodIdOf('1f1e2d3c-4b5a-4968-b7a6-9f8e7d6c5b4a', 0), 'another schedule, another id')
  t.equal(periodIdOf(scheduleId, 0), periodIdOf('0f1e2d3c-4b5a-4968-b7a6-9f8e7d000000', 0), 'but only 25 of its 32 hex digits are carried')
  t.throws(() => periodIdOf(scheduleId, 2 ** 23), RangeError, 'an index past 24 bits is refused')
  t.equal(readPeriodId('0f1e2d3c-4b5a-4968-b7a6-9f8e7d6c5b4a'), undefined, 'a version-4 id is not a period id')
})

t.test('reading periods records nothing, however often and however many', async (t) => {
  const [rowsBefore, auditBefore] = [await periodRows(), await auditRows()]
  const listings = []
  for (let i = 0; i < 5; i++) {
    const res = await org.finance.call('GET', `/pay-schedules/${weekly.id}/periods?from=2026-01-05&to=2028-04-23&limit=200`)
    t.equal(res.status, 200)
    listings.push(res.body.items as Array<{ id: string, index: number, state: string, version: number, closedAt: null }>)
  }
  t.equal(listings[0]!.length, 120, 'the 120 periods in one page of 200')
  t.same(listings[4], listings[0], 'the same periods, ids included, every time')
  t.ok(listings[0]!.every((p, i) => p.index === i && p.id === periodIdOf(weekly.id, i) && p.state === 'open' && p.version === 1 && p.closedAt === null),
    'each open at version 1, with its derived id')
  const forDate = await org.finance.call('GET', `/pay-schedules/${weekly.id}/period-for-date?date=2026-03-04`)
  t.same(forDate.body, listings[0]![8], 'the period holding a date is the listed one')
  t.equal(forDate.etag, `"${periodIdOf(weekly.id, 8)}:1"`)
  const byId = await org.finance.call('GET', `/pay-periods/${forDate.body.id}`)
  t.equal(byId.status, 200)
  t.same(byId.body, forDate.body, 'and reads by its id')
  t.equal(byId.etag, forDate.etag)
  t.equal((await org.finance.call('GET', `/workers/${worker.id}/pay-record?periodId=${forDate.body.id}`)).status, 200, 'a pay record of it')
  t.equal((await org.finance.call('GET', `/reports/period-summary?periodId=${forDate.body.id}`)).status, 200, 'its summary')
  t.equal(await periodRows(), rowsBefore, 'no period row was made')
  t.equal(await auditRows(), auditBefore, 'nothing was audited')
})

t.test('ids that name no period are not found', async (t) => {
  const missingSchedule = periodIdOf('6c1b6a3e-2f55-4a1e-9a0c-3b1f7b0e9d21', 0)
  const pastTheCalendar = periodIdOf(weekly.id, 2 ** 23 - 1)
  for (const id of [missingSchedule, pastTheCalendar, '6c1b6a3e-2f55-4a1e-9a0c-3b1f7b0e9d21']) {
    t.equal((await org.finance.call('GET', `/pay-periods/${id}`)).status, 404, `GET ${id}`)
    t.equal((await org.finance.call('POST', `/pay-periods/${id}/close`, undefined, { 'if-match': `"${id}:1"` })).status, 404, `close ${id}`)
    t.equal((await org.finance.call('POST', `/pay-periods/${id}/exports`)).status, 404, `export ${id}`)
  }
  t.equal(await periodRows(), 0)
})

t.test('a refused change leaves no row', async (t) => {
  const period = await org.finance.call('GET', `/pay-schedules/${weekly.id}/period-for-date?date=2026-05-01`)
  const id = period.body.id as string
  t.equal((await org.finance.call('POST', `/pay-periods/${id}/close`, undefined, { 'if-match': `"${id}:7"` })).status, 412, 'a stale ETag')
  t.match((await org.finance.call('POST', `/pay-periods/${id}/reopen`, { reason: 'r' }, { 'if-match': period.etag! })).body, { status: 409, rule: 'illegal_transition' })
  t.match((await org.finance.call('POST', `/pay-periods/${id}/exports`)).body, { status: 409, rule: 'period_open' })
  t.equal(await periodRows(), 0, 'the period is still only computed')
})

t.test('acting on a computed period makes its row, under the id already shown', async (t) => {
  await org.approved(worker.id, '2025-10-06', '09:00', '11:00')
  const october = await org.periodOf('2025-10-10')
  const id = october.body.id as string
  t.equal(october.etag, `"${id}:1"`)
  const closed = await org.finance.call('POST', `/pay-periods/${id}/close`, undefined, { 'if-match': october.etag! })
  t.equal(closed.status, 200)
  t.match(closed.body, { id, state: 'closed', version: 2, closedAt: '2026-11-29T12:00:00.000Z' })
  t.equal(closed.etag, `"${id}:2"`)
  t.same(await query(db, sql`select id, state::text as state, version from pay_periods`), [{ id, state: 'closed', version: 2 }], 'one row, the closed one')
  const listed = await org.finance.call('GET', `/pay-schedules/${org.schedule.id}/periods?from=2025-09-01&to=2025-11-30`)
  t.match(listed.body.items, [{ state: 'open', version: 1 }, { id, state: 'closed', version: 2 }, { state: 'open', version: 1 }], 'the listing shows the row')
  const exported = await org.finance.call('POST', `/pay-periods/${id}/exports`)
  t.equal(exported.status, 201)
  t.equal(exported.body.payPeriodId, id)
  t.match((await org.finance.call('GET', `/pay-periods/${id}`)).body, { id, state: 'exported', version: 3 })
  t.match((await org.finance.call('POST', `/pay-periods/${id}/exports`)).body, { status: 409, rule: 'period_exported', exportId: exported.body.id })
  t.equal(await periodRows(), 1)
})

t.test('two first closes of one period make one row: one succeeds, the other finds it changed', async (t) => {
  const period = await org.finance.call('GET', `/pay-schedules/${weekly.id}/period-for-date?date=2026-06-10`)
  const close = () => org.finance.call('POST', `/pay-periods/${period.body.id}/close`, undefined, { 'if-match': period.etag! })
  const statuses = (await Promise.all([close(), close()])).map((res) => res.status).sort()
  t.same(statuses, [200, 412])
  t.equal(await countOf(db, sql`select count(*) from pay_periods where pay_schedule_id = ${weekly.id}`), 1)
  t.equal(await countOf(db, sql`select count(*) from audit_events where entity_id = ${period.body.id} and action = 'pay_period.closed'`), 1)
})

t.test('a row made before periods were computed keeps its own id', async (t) => {
  // As GETs used to make them: a random id, open, version 1.
  const [legacy] = await query<{ id: string }>(db, sql`insert into pay_periods (pay_schedule_id, period_index, start_date, end_date, pay_date)
    values (${weekly.id}, 20, '2026-05-25', '2026-05-31', '2026-05-31') returning id`)
  const id = legacy!.id
  t.not(id, periodIdOf(weekly.id, 20))
  const listed = await org.finance.call('GET', `/pay-schedules/${weekly.id}/periods?from=2026-05-25&to=2026-05-31`)
  t.match(listed.body.items, [{ id, index: 20, state: 'open' }], 'listed under its row\'s id')
  t.match((await org.finance.call('GET', `/pay-periods/${periodIdOf(weekly.id, 20)}`)).body, { id }, 'the derived id reads the row too')
  const closed = await org.finance.call('POST', `/pay-periods/${id}/close`, undefined, { 'if-match': `"${id}:1"` })
  t.match(closed.body, { id, state: 'closed', version: 2 })
  t.equal(await countOf(db, sql`select count(*) from pay_periods where pay_schedule_id = ${weekly.id} and period_index = 20`), 1)
})
