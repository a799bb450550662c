import t from 'tap'
import { sql } from 'drizzle-orm'
import { build } from '../helpers/app.js'
import type { CreateWorkerInput } from '../../src/modules/workers/service.js'
import { query } from '../helpers/sql.js'

// One app and database for the file; each test makes its own fixtures.
const now = new Date('2026-11-29T12:00:00Z')
const h = await build(t, { now })
const admin = await h.key('admin')
const headers = admin.headers

const newWorker = (overrides: Record<string, unknown> = {}) => ({
  displayName: 'Alex Example',
  payrollReference: `P-${Math.random().toString(36).slice(2, 10)}`,
  dateOfBirth: '1999-03-14',
  paymentMode: 'payroll',
  holidayPayMode: 'rolled_up',
  engagementStartDate: '2026-01-05',
  ...overrides
})

t.test('an admin adds a worker with only what pay needs, and reads it back', async (t) => {
  const team = await h.team()
  const res = await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker({ teamIds: [team.id], benefitGuard: 'esa_permitted_work', benefitPolicy: 'block' }) })
  t.equal(res.statusCode, 201)
  const worker = res.json()
  t.match(worker, {
    id: String,
    displayName: 'Alex Example',
    dateOfBirth: '1999-03-14',
    apprentice: false,
    apprenticeshipStartDate: null,
    paymentMode: 'payroll',
    holidayPayMode: 'rolled_up',
    benefitGuard: 'esa_permitted_work',
    benefitCapPence: null,
    benefitPolicy: 'block',
    engagementStartDate: '2026-01-05',
    engagementEndDate: null,
    teamIds: [team.id],
    active: true,
    version: 1
  })
  t.equal(res.headers.location, `/workers/${worker.id}`)
  const read = await h.app.inject({ method: 'GET', url: `/workers/${worker.id}`, headers })
  t.same(read.json(), worker)
  t.equal(read.headers.etag, `"${worker.id}:1"`)
  for (const field of ['bank', 'sortCode', 'nationalInsurance', 'niNumber', 'health', 'diagnosis']) {
    const refused = await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker({ [field]: 'x' }) })
    t.equal(refused.statusCode, 400, `a ${field} field is refused, not stored`)
  }
})

t.test('a person under school-leaving age cannot be put on payroll', async (t) => {
  // Born 2011-01-10: 15 on 2026-11-29, school leaving date the last Friday of June 2027.
  const res = await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker({ dateOfBirth: '2011-01-10' }) })
  t.equal(res.statusCode, 422)
  t.match(res.json(), { code: 'rule_violated', rule: 'school_age_payroll', payrollAllowedFrom: '2027-06-25', detail: /compulsory school age.*2027-06-25/ })
  const voucher = await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker({ dateOfBirth: '2011-01-10', paymentMode: 'voucher' }) })
  t.equal(voucher.statusCode, 201, 'vouchers remain open to them')
  const worker = voucher.json()
  const toPayroll = await h.app.inject({ method: 'PATCH', url: `/workers/${worker.id}`, headers: { ...headers, 'if-match': voucher.headers.etag as string }, payload: { paymentMode: 'payroll' } })
  t.equal(toPayroll.statusCode, 422, 'nor moved onto payroll later')
  t.match(toPayroll.json(), { rule: 'school_age_payroll' })
  // Born 2010-07-15: 16 in July 2026, past the June 2026 leaving date.
  const leaver = await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker({ dateOfBirth: '2010-07-15' }) })
  t.equal(leaver.statusCode, 201, 'a school leaver may be on payroll')
})

t.test('worker fields are checked together', async (t) => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ benefitGuard: 'custom' }, 'benefit_cap_required'],
    [{ benefitGuard: 'none', benefitCapPence: 5000 }, 'benefit_cap_not_custom'],
    [{ apprenticeshipStartDate: '2026-01-01' }, 'apprenticeship_start_without_apprentice'],
    [{ engagementEndDate: '2025-12-31' }, 'engagement_end_before_start'],
    [{ dateOfBirth: '2027-01-01' }, 'date_of_birth_in_future'],
    [{ dateOfBirth: '1890-01-01' }, 'date_of_birth_implausible'],
    [{ personId: '00000000-0000-4000-8000-000000000000', displayName: undefined }, 'unknown_person'],
    [{ teamIds: ['00000000-0000-4000-8000-000000000000'] }, 'unknown_team']
  ]
  for (const [fields, rule] of cases) {
    const res = await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker(fields) })
    t.equal(res.statusCode, 422, rule)
    t.equal(res.json().rule, rule)
  }
  const bothNames = await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker({ personId: (await h.person()).id }) })
  t.match(bothNames.json(), { status: 422, rule: 'person_or_name' })
  const badDate = await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker({ dateOfBirth: '1999-02-30' }) })
  t.equal(badDate.statusCode, 400, 'an impossible date is a validation problem')
  t.match(badDate.json().errors, [{ pointer: '/dateOfBirth' }])
  const custom = await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker({ benefitGuard: 'custom', benefitCapPence: 15000 }) })
  t.equal(custom.statusCode, 201)
})

t.test('payroll references are unique; a manager can become a worker too', async (t) => {
  const first = await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker({ payrollReference: 'DUP-1' }) })
  t.equal(first.statusCode, 201)
  const second = await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker({ payrollReference: 'DUP-1' }) })
  t.equal(second.statusCode, 409)
  t.match(second.json(), { code: 'conflict', detail: 'Another worker already has this payroll reference' })

  const manager = await h.person('Mo')
  const asWorker = await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker({ displayName: undefined, personId: manager.id }) })
  t.equal(asWorker.statusCode, 201)
  t.match(asWorker.json(), { id: manager.id, displayName: 'Mo' })
  const again = await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker({ displayName: undefined, personId: manager.id }) })
  t.equal(again.statusCode, 409, 'a person is a worker once')
})

t.test('updates need the current ETag, change only what is sent, and are audited', async (t) => {
  const teamA = await h.team()
  const teamB = await h.team()
  const created = await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker({ teamIds: [teamA.id] }) })
  const id = created.json().id
  const etag = created.headers.etag as string
  const missing = await h.app.inject({ method: 'PATCH', url: `/workers/${id}`, headers, payload: { active: false } })
  t.equal(missing.statusCode, 428)
  const changed = await h.app.inject({ method: 'PATCH', url: `/workers/${id}`, headers: { ...headers, 'if-match': etag }, payload: { displayName: 'Alex E.', teamIds: [teamB.id], payrollReference: null } })
  t.equal(changed.statusCode, 200)
  t.match(changed.json(), { displayName: 'Alex E.', teamIds: [teamB.id], payrollReference: null, dateOfBirth: '1999-03-14', version: 2 })
  const stale = await h.app.inject({ method: 'PATCH', url: `/workers/${id}`, headers: { ...headers, 'if-match': etag }, payload: { active: false } })
  t.equal(stale.statusCode, 412, 'a stale ETag is refused')
  t.match(stale.json(), { code: 'precondition_failed', currentVersion: 2 })
  const empty = await h.app.inject({ method: 'PATCH', url: `/workers/${id}`, headers: { ...headers, 'if-match': changed.headers.etag as string }, payload: {} })
  t.equal(empty.statusCode, 400, 'an empty change is refused')
  const [event] = await query<{ before: { teamIds: string[] }, after: { teamIds: string[], displayName: string } }>(h.database.handle.db,
    sql`select before, after from audit_events where action = 'worker.updated' and entity_id = ${id}`)
  t.same(event!.before.teamIds, [teamA.id])
  t.same(event!.after.teamIds, [teamB.id])
  t.equal(event!.after.displayName, 'Alex E.')
})

t.test('the minimum-wage band changes on a birthday and the floor across 1 April', async (t) => {
  const teen = await h.worker({ dateOfBirth: '2008-04-10' }) // 18 on 2026-04-10, 21 on 2029-04-10
  const floor = async (date: string) => (await h.app.inject({ method: 'GET', url: `/workers/${teen.id}/minimum-wage?date=${date}`, headers })).json()
  t.match(await floor('2026-03-31'), { age: 17, band: 'age_16_to_17', floorPencePerHour: 755, effectiveFrom: '2025-04-01' })
  t.match(await floor('2026-04-01'), { age: 17, band: 'age_16_to_17', floorPencePerHour: 800, effectiveFrom: '2026-04-01' }, '1 April: new figures')
  t.match(await floor('2026-04-09'), { age: 17, band: 'age_16_to_17', floorPencePerHour: 800 })
  t.match(await floor('2026-04-10'), { age: 18, band: 'age_18_to_20', floorPencePerHour: 1085 }, 'the 18th birthday: new band')
  const adult = await h.worker({ dateOfBirth: '2005-11-30' }) // 21 on 2026-11-30
  const adultFloor = async (date: string) => (await h.app.inject({ method: 'GET', url: `/workers/${adult.id}/minimum-wage?date=${date}`, headers })).json()
  t.match(await adultFloor('2026-11-29'), { age: 20, band: 'age_18_to_20', floorPencePerHour: 1085 })
  t.match(await adultFloor('2026-11-30'), { age: 21, band: 'age_21_and_over', floorPencePerHour: 1271 })
  t.match(await adultFloor('2024-03-31'), { floorPencePerHour: null, effectiveFrom: null }, 'before the first figures held: no floor known')
  const child = await h.worker({ dateOfBirth: '2012-05-01', paymentMode: 'voucher' })
  t.match((await h.app.inject({ method: 'GET', url: `/workers/${child.id}/minimum-wage?date=2026-11-29`, headers })).json(), { band: 'school_age', floorPencePerHour: null })
})

t.test('a manager and finance get the bands on today, not the date of birth; an admin gets both', async (t) => {
  const managerKey = await h.key('manager')
  const team = await h.team({ managerIds: [managerKey.personId!] })
  const finance = await h.key('finance')
  // Today is 2026-11-29 (the app's clock).
  type Extra = Partial<CreateWorkerInput>
  const banded = (dateOfBirth: string, minimumWageBand: string, ageBand: string, extra: Extra = {}) =>
    ({ dateOfBirth, minimumWageBand, ageBand, extra })
  const cases = [
    banded('2008-04-10', 'age_18_to_20', 'age_18_to_20'),
    banded('2005-11-29', 'age_21_and_over', 'age_21_and_over'), // 21 today
    banded('2005-11-30', 'age_18_to_20', 'age_18_to_20'), // 21 tomorrow
    banded('2009-06-01', 'age_16_to_17', 'age_16_to_17'),
    banded('2012-05-01', 'school_age', 'age_under_16', { paymentMode: 'voucher' }),
    // In the first year of an apprenticeship.
    banded('2004-01-01', 'apprentice', 'age_21_and_over', { apprentice: true, apprenticeshipStartDate: '2026-09-01' })
  ]
  for (const { dateOfBirth, minimumWageBand, ageBand, extra } of cases) {
    const worker = await h.worker({ teamIds: [team.id], dateOfBirth, ...extra })
    for (const [who, key] of [['manager', managerKey.headers], ['finance', finance.headers]] as const) {
      const res = await h.app.inject({ method: 'GET', url: `/workers/${worker.id}`, headers: key })
      t.equal(res.statusCode, 200)
      t.match(res.json(), { id: worker.id, minimumWageBand, ageBand }, `${who}: born ${dateOfBirth}`)
      t.notOk('dateOfBirth' in res.json(), `${who}: no date of birth`)
      t.notOk(res.body.includes(dateOfBirth), `${who}: nor the date anywhere in the answer`)
    }
    const asAdmin = await h.app.inject({ method: 'GET', url: `/workers/${worker.id}`, headers })
    t.match(asAdmin.json(), { dateOfBirth, minimumWageBand, ageBand }, 'admin: the date and the bands')
  }
  const listed = await h.app.inject({ method: 'GET', url: `/workers?teamId=${team.id}`, headers: managerKey.headers })
  t.equal(listed.json().items.length, cases.length)
  t.notOk(listed.body.includes('dateOfBirth'), 'the manager\'s list holds no date of birth')
})

t.test('lists filter by team, active and payment mode, a page at a time', async (t) => {
  const team = await h.team()
  const ids: string[] = []
  for (const paymentMode of ['payroll', 'voucher', 'declined', 'payroll']) {
    ids.push((await h.worker({ paymentMode: paymentMode as 'payroll', teamIds: [team.id] })).id)
  }
  const inTeam = await h.app.inject({ method: 'GET', url: `/workers?teamId=${team.id}&limit=3`, headers })
  t.equal(inTeam.json().items.length, 3)
  const rest = await h.app.inject({ method: 'GET', url: `/workers?teamId=${team.id}&limit=3&cursor=${inTeam.json().nextCursor}`, headers })
  t.same([...inTeam.json().items, ...rest.json().items].map((w: { id: string }) => w.id), [...ids].reverse())
  const vouchers = await h.app.inject({ method: 'GET', url: `/workers?teamId=${team.id}&paymentMode=voucher`, headers })
  t.same(vouchers.json().items.map((w: { id: string }) => w.id), [ids[1]])
  const inactive = await h.app.inject({ method: 'GET', url: `/workers?teamId=${team.id}&active=false`, headers })
  t.same(inactive.json().items, [])
})

t.test('dates of birth, and facts derived from them, never reach the logs', async (t) => {
  await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker({ dateOfBirth: '1987-06-05' }) })
  await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker({ dateOfBirth: '1987-06-31' }) })
  const refused = await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker({ dateOfBirth: '2012-02-03' }) })
  t.match(refused.json(), { rule: 'school_age_payroll', payrollAllowedFrom: '2028-06-30' })
  const logs = h.rawLogs()
  t.notOk(logs.includes('1987-06'), 'neither a stored nor a refused date of birth is logged')
  t.notOk(logs.includes('2012-02-03') || logs.includes('2028-06-30'), 'nor a school-leaving date worked out from one')
  t.ok(h.logs.some((line) => line.problem === 'rule_violated' && line.rule === 'school_age_payroll'), 'the refusal is logged by its rule')
})

t.test('a date before the worker was born is refused, not an error', async (t) => {
  const worker = await h.worker({ dateOfBirth: '2000-05-05' })
  const res = await h.app.inject({ method: 'GET', url: `/workers/${worker.id}/minimum-wage?date=1999-01-01`, headers })
  t.equal(res.statusCode, 422)
  t.match(res.json(), { rule: 'date_before_birth' })
  const early = await h.app.inject({ method: 'POST', url: '/workers', headers, payload: newWorker({ dateOfBirth: '2000-05-05', engagementStartDate: '1999-01-01' }) })
  t.match(early.json(), { status: 422, rule: 'engagement_before_birth' })
})

t.test('renaming the person behind a worker moves the worker\'s ETag (no lost update)', async (t) => {
  const worker = await h.worker()
  const read = await h.app.inject({ method: 'GET', url: `/workers/${worker.id}`, headers })
  const person = await h.app.inject({ method: 'GET', url: `/people/${worker.id}`, headers })
  await h.app.inject({ method: 'PATCH', url: `/people/${worker.id}`, headers: { ...headers, 'if-match': person.headers.etag as string }, payload: { displayName: 'New Name' } })
  const stale = await h.app.inject({ method: 'PATCH', url: `/workers/${worker.id}`, headers: { ...headers, 'if-match': read.headers.etag as string }, payload: { displayName: 'Old Name' } })
  t.equal(stale.statusCode, 412)
  t.equal((await h.app.inject({ method: 'GET', url: `/workers/${worker.id}`, headers })).json().displayName, 'New Name')
})

t.test('the minimum-wage answer gives staff other than admins an age band, never the age, and only from the engagement start', async (t) => {
  const boss = await h.person('Band Manager')
  const team = await h.team({ name: 'Band Team', managerIds: [boss.id] })
  const worker = await h.worker({ dateOfBirth: '2005-03-14', engagementStartDate: '2024-09-01', teamIds: [team.id] })
  const asManager = (await h.key('manager', { personId: boss.id })).headers
  const asFinance = (await h.key('finance')).headers
  for (const [who, callerHeaders] of [['manager', asManager], ['finance', asFinance]] as const) {
    const res = await h.app.inject({ method: 'GET', url: `/workers/${worker.id}/minimum-wage?date=2025-03-13`, headers: callerHeaders })
    t.equal(res.statusCode, 200)
    t.match(res.json(), { band: '18_to_20', ageBand: 'age_18_to_20' }, `${who}: the bands`)
    t.notOk('age' in res.json(), `${who}: not the exact age`)
    const early = await h.app.inject({ method: 'GET', url: `/workers/${worker.id}/minimum-wage?date=2005-03-13`, headers: callerHeaders })
    t.match(early.json(), { status: 422, rule: 'date_before_engagement' }, `${who}: no dates before the engagement, so no probing for the birth date`)
  }
  const asAdmin = await h.app.inject({ method: 'GET', url: `/workers/${worker.id}/minimum-wage?date=2025-03-14`, headers })
  t.match(asAdmin.json(), { age: 20, ageBand: 'age_18_to_20', band: '18_to_20' }, 'an admin sees the age')
})
