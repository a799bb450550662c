import t from 'tap'
import { sql } from 'drizzle-orm'
import { build } from '../helpers/app.js'

const h = await build(t)
const admin = await h.key('admin')
const headers = admin.headers

t.test('teams carry a cost centre and their managers; managers read the teams they manage', async (t) => {
  const mo = await h.person('Mo')
  const created = await h.app.inject({ method: 'POST', url: '/teams', headers, payload: { name: 'Youth Voice', costCentre: 'YV01', managerIds: [mo.id] } })
  t.equal(created.statusCode, 201)
  t.match(created.json(), { name: 'Youth Voice', costCentre: 'YV01', managerIds: [mo.id], active: true, version: 1 })
  const duplicate = await h.app.inject({ method: 'POST', url: '/teams', headers, payload: { name: 'Youth Voice', costCentre: 'YV02' } })
  t.match(duplicate.json(), { status: 409, detail: 'A team with this name already exists' })
  const unknown = await h.app.inject({ method: 'POST', url: '/teams', headers, payload: { name: 'Ghosts', costCentre: 'G', managerIds: ['00000000-0000-4000-8000-000000000000'] } })
  t.match(unknown.json(), { status: 422, rule: 'unknown_person' })

  const moKey = await h.key('manager', { personId: mo.id })
  const mine = await h.app.inject({ method: 'GET', url: '/teams', headers: moKey.headers })
  t.same(mine.json().items.map((team: { id: string }) => team.id), [created.json().id], 'a manager lists only their own teams')

  const other = await h.person('Pat')
  const changed = await h.app.inject({ method: 'PATCH', url: `/teams/${created.json().id}`, headers: { ...headers, 'if-match': created.headers.etag as string }, payload: { managerIds: [other.id], costCentre: 'YV09' } })
  t.match(changed.json(), { managerIds: [other.id], costCentre: 'YV09', version: 2 })
  const gone = await h.app.inject({ method: 'GET', url: `/teams/${created.json().id}`, headers: moKey.headers })
  t.equal(gone.statusCode, 404, 'a former manager no longer sees the team')
})

t.test('activity types: code and unit are fixed, the rest can change', async (t) => {
  const created = await h.app.inject({ method: 'POST', url: '/activity-types', headers, payload: { code: 'PEER_SUPPORT', name: 'Peer support', payElementCode: 'SESS01', unit: 'hour' } })
  t.equal(created.statusCode, 201)
  const dup = await h.app.inject({ method: 'POST', url: '/activity-types', headers, payload: { code: 'PEER_SUPPORT', name: 'Again', payElementCode: 'X', unit: 'session' } })
  t.match(dup.json(), { status: 409, detail: 'An activity type with this code already exists' })
  const id = created.json().id
  const recode = await h.app.inject({ method: 'PATCH', url: `/activity-types/${id}`, headers: { ...headers, 'if-match': created.headers.etag as string }, payload: { unit: 'session' } })
  t.equal(recode.statusCode, 400, 'the unit cannot change')
  const renamed = await h.app.inject({ method: 'PATCH', url: `/activity-types/${id}`, headers: { ...headers, 'if-match': created.headers.etag as string }, payload: { payElementCode: 'SESS02', active: false } })
  t.match(renamed.json(), { code: 'PEER_SUPPORT', unit: 'hour', payElementCode: 'SESS02', active: false, version: 2 })
  const worker = await h.key('worker')
  const read = await h.app.inject({ method: 'GET', url: '/activity-types?active=false', headers: worker.headers })
  t.ok(read.json().items.some((a: { id: string }) => a.id === id), 'every role reads activity types')
})

t.test('Sage 50 numbers: teams, activity types and pay schedules hold them, in Sage\'s ranges, until cleared', async (t) => {
  const finance = await h.key('finance')
  const call = async (method: 'POST' | 'PATCH', url: string, payload: object, etag?: string, key = admin) =>
    h.app.inject({ method, url, headers: { ...key.headers, ...(etag === undefined ? {} : { 'if-match': etag }) }, payload })

  const team = await call('POST', '/teams', { name: 'Carers Panel', costCentre: 'CP01', sageDepartment: 0 })
  t.match(team.json(), { sageDepartment: 0 }, 'department 0 (Sage\'s default department) is a number like any other')
  const plain = await call('POST', '/teams', { name: 'No Sage', costCentre: 'NS01' })
  t.equal(plain.json().sageDepartment, null, 'not set until given')
  for (const sageDepartment of [-1, 1000, 2.5, '12']) {
    const refused = await call('POST', '/teams', { name: `Bad ${String(sageDepartment)}`, costCentre: 'B', sageDepartment })
    t.equal(refused.statusCode, 400, `department ${JSON.stringify(sageDepartment)} refused`)
    t.match(refused.json().errors, [{ pointer: '/sageDepartment' }])
  }
  const renumbered = await call('PATCH', `/teams/${team.json().id}`, { sageDepartment: 999 }, team.headers.etag as string)
  t.match(renumbered.json(), { sageDepartment: 999, version: 2 })
  const cleared = await call('PATCH', `/teams/${team.json().id}`, { sageDepartment: null }, renumbered.headers.etag as string)
  t.match(cleared.json(), { sageDepartment: null, version: 3 })

  const activity = await call('POST', '/activity-types', { code: 'PANEL', name: 'Panel', payElementCode: 'PAN', unit: 'session', sagePaymentNumber: 7 })
  t.match(activity.json(), { sagePaymentNumber: 7 })
  for (const sagePaymentNumber of [0, 1000]) {
    const refused = await call('POST', '/activity-types', { code: `BAD${sagePaymentNumber}`, name: 'Bad', payElementCode: 'B', unit: 'hour', sagePaymentNumber })
    t.equal(refused.statusCode, 400, `payment number ${sagePaymentNumber} refused`)
  }
  const repaid = await call('PATCH', `/activity-types/${activity.json().id}`, { sagePaymentNumber: 1 }, activity.headers.etag as string)
  t.match(repaid.json(), { sagePaymentNumber: 1, version: 2 })

  const schedule = await call('POST', '/pay-schedules', { name: 'Weekly', frequency: 'weekly', anchorDate: '2025-04-07', payrollCalendarCode: 'WK' }, undefined, finance)
  t.equal(schedule.json().sageHolidayPaymentNumber, null)
  const refused = await call('PATCH', `/pay-schedules/${schedule.json().id}`, { sageHolidayPaymentNumber: 0 }, schedule.headers.etag as string, finance)
  t.equal(refused.statusCode, 400)
  const holiday = await call('PATCH', `/pay-schedules/${schedule.json().id}`, { sageHolidayPaymentNumber: 9 }, schedule.headers.etag as string, finance)
  t.match(holiday.json(), { sageHolidayPaymentNumber: 9 })

  const audit = await h.app.inject({ method: 'GET', url: `/audit-events?entityType=team&entityId=${team.json().id}`, headers })
  t.match(audit.json().items.map((event: { after: unknown }) => event.after), [{ sageDepartment: null }, { sageDepartment: 999 }, { sageDepartment: 0 }],
    'each change is audited')
  await t.rejects(h.database.handle.db.execute(sql`update teams set sage_department = 1000 where id = ${team.json().id}`),
    { cause: { code: '23514' } }, 'and the database refuses a number out of range, however it is written')
})

t.test('statutory figures are seeded from README "UK rules" and an admin adds next year', async (t) => {
  const worker = await h.key('worker')
  const seeded = await h.app.inject({ method: 'GET', url: '/statutory/minimum-wage-rates', headers: worker.headers })
  t.match(seeded.json().items, [
    { effectiveFrom: '2024-04-01', age21AndOverPence: 1144, age18To20Pence: 860, age16To17Pence: 640, apprenticePence: 640 },
    { effectiveFrom: '2025-04-01', age21AndOverPence: 1221, age18To20Pence: 1000, age16To17Pence: 755, apprenticePence: 755 },
    { effectiveFrom: '2026-04-01', age21AndOverPence: 1271, age18To20Pence: 1085, age16To17Pence: 800, apprenticePence: 800 }
  ])
  const thresholds = await h.app.inject({ method: 'GET', url: '/statutory/benefit-thresholds', headers: worker.headers })
  const sources = [...seeded.json().items, ...thresholds.json().items].map((row: { source: string }) => row.source)
  t.notOk(sources.some((source) => /\.md\b/.test(source)), 'no seeded source names a file outside the repository')
  t.match(thresholds.json().items, [
    { effectiveFrom: '2024-04-01', esaPermittedWorkWeeklyPence: 18350, esaPermittedWorkWeeklyHours: 16 },
    { effectiveFrom: '2025-04-01', esaPermittedWorkWeeklyPence: 19550, ucWorkAllowanceMonthlyPence: 41100 },
    { effectiveFrom: '2026-04-01', esaPermittedWorkWeeklyPence: 20350 }
  ])

  const next = { effectiveFrom: '2027-04-01', age21AndOverPence: 1320, age18To20Pence: 1150, age16To17Pence: 850, apprenticePence: 850, source: 'test figures' }
  t.equal((await h.app.inject({ method: 'POST', url: '/statutory/minimum-wage-rates', headers: worker.headers, payload: next })).statusCode, 403)
  t.equal((await h.app.inject({ method: 'POST', url: '/statutory/minimum-wage-rates', headers, payload: next })).statusCode, 201)
  const again = await h.app.inject({ method: 'POST', url: '/statutory/minimum-wage-rates', headers, payload: next })
  t.match(again.json(), { status: 409, detail: 'Minimum-wage figures from this date already exist' })
  const w = await h.worker({ dateOfBirth: '1980-01-01' })
  const floor = await h.app.inject({ method: 'GET', url: `/workers/${w.id}/minimum-wage?date=2027-04-01`, headers })
  t.match(floor.json(), { floorPencePerHour: 1320, effectiveFrom: '2027-04-01' }, 'the new figures apply from their date')
  const benefits = await h.app.inject({ method: 'POST', url: '/statutory/benefit-thresholds', headers, payload: { effectiveFrom: '2027-04-01', esaPermittedWorkWeeklyPence: 21000, esaPermittedWorkWeeklyHours: 16, ucWorkAllowanceMonthlyPence: 42000, source: 'test' } })
  t.equal(benefits.statusCode, 201)
})

t.test('people: admins add and rename; finance reads', async (t) => {
  const created = await h.app.inject({ method: 'POST', url: '/people', headers, payload: { displayName: 'Chris' } })
  t.equal(created.statusCode, 201)
  const finance = await h.key('finance')
  t.equal((await h.app.inject({ method: 'GET', url: `/people/${created.json().id}`, headers: finance.headers })).statusCode, 200)
  t.equal((await h.app.inject({ method: 'POST', url: '/people', headers: finance.headers, payload: { displayName: 'X' } })).statusCode, 403)
  const blank = await h.app.inject({ method: 'POST', url: '/people', headers, payload: { displayName: '   ' } })
  t.equal(blank.statusCode, 400, 'a blank name is refused')
  const list = await h.app.inject({ method: 'GET', url: '/people?active=true&limit=1', headers })
  t.equal(list.json().items.length, 1)
  t.type(list.json().nextCursor, 'string')
})
