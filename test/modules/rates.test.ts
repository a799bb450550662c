import t from 'tap'
import { sql } from 'drizzle-orm'
import { build } from '../helpers/app.js'
import { query } from '../helpers/sql.js'

const h = await build(t, { now: new Date('2026-11-29T12:00:00Z') })
const admin = await h.key('admin')
const headers = admin.headers

async function addRate (body: Record<string, unknown>) {
  return h.app.inject({ method: 'POST', url: '/rates', headers, payload: body })
}
async function resolve (params: Record<string, string>) {
  return h.app.inject({ method: 'GET', url: `/rates/resolve?${new URLSearchParams(params)}`, headers })
}

t.test('worker beats team beats default, on the first and last day of each range', async (t) => {
  const activity = await h.activity()
  const team = await h.team()
  const worker = await h.worker({ teamIds: [team.id] })
  const other = await h.worker({ teamIds: [team.id] })
  const lonely = await h.worker()
  t.equal((await addRate({ activityTypeId: activity.id, scope: 'default', pencePerUnit: 1300, validFrom: '2026-04-01' })).statusCode, 201)
  t.equal((await addRate({ activityTypeId: activity.id, scope: 'team', teamId: team.id, pencePerUnit: 1400, validFrom: '2026-05-01', validTo: '2026-05-31' })).statusCode, 201)
  t.equal((await addRate({ activityTypeId: activity.id, scope: 'worker', workerId: worker.id, pencePerUnit: 1500, validFrom: '2026-05-10', validTo: '2026-05-20' })).statusCode, 201)

  const expect = async (workerId: string, date: string, source: string | null, pence?: number) => {
    const res = await resolve({ workerId, activityTypeId: activity.id, date })
    if (source === null) {
      t.equal(res.statusCode, 404, `${date}: no rate`)
      t.match(res.json(), { code: 'not_found', detail: new RegExp(date) })
      return
    }
    t.equal(res.statusCode, 200, `${date}`)
    t.match(res.json(), { source, rate: { pencePerUnit: pence }, reason: String }, `${date}: ${source} ${pence}`)
  }
  await expect(worker.id, '2026-03-31', null)
  await expect(worker.id, '2026-04-01', 'default', 1300)
  await expect(worker.id, '2026-04-30', 'default', 1300)
  await expect(worker.id, '2026-05-01', 'team', 1400)
  await expect(worker.id, '2026-05-09', 'team', 1400)
  await expect(worker.id, '2026-05-10', 'worker', 1500)
  await expect(worker.id, '2026-05-20', 'worker', 1500)
  await expect(worker.id, '2026-05-21', 'team', 1400)
  await expect(worker.id, '2026-05-31', 'team', 1400)
  await expect(worker.id, '2026-06-01', 'default', 1300)
  await expect(worker.id, '2031-01-01', 'default', 1300)
  await expect(other.id, '2026-05-15', 'team', 1400)
  await expect(lonely.id, '2026-05-15', 'default', 1300)
})

t.test('a later rate closes the open one the day before, audited', async (t) => {
  const activity = await h.activity()
  const first = (await addRate({ activityTypeId: activity.id, scope: 'default', pencePerUnit: 1300, validFrom: '2026-04-01' })).json()
  const second = await addRate({ activityTypeId: activity.id, scope: 'default', pencePerUnit: 1350, validFrom: '2026-09-01' })
  t.equal(second.statusCode, 201)
  t.equal(second.json().closedRateId, first.id)
  const closed = await h.app.inject({ method: 'GET', url: `/rates/${first.id}`, headers })
  t.match(closed.json(), { validFrom: '2026-04-01', validTo: '2026-08-31', version: 2 })
  const [event] = await query<{ before: { validTo: string | null }, after: { validTo: string }, reason: string }>(h.database.handle.db,
    sql`select before, after, reason from audit_events where action = 'rate.closed' and entity_id = ${first.id}`)
  t.equal(event!.before.validTo, null)
  t.equal(event!.after.validTo, '2026-08-31')
  t.match(event!.reason, /later rate/)
  const w = await h.worker()
  t.match((await resolve({ workerId: w.id, activityTypeId: activity.id, date: '2026-08-31' })).json(), { rate: { pencePerUnit: 1300 } })
  t.match((await resolve({ workerId: w.id, activityTypeId: activity.id, date: '2026-09-01' })).json(), { rate: { pencePerUnit: 1350 } })
})

t.test('overlapping ranges are refused by the database itself', async (t) => {
  const activity = await h.activity()
  const team = await h.team()
  await addRate({ activityTypeId: activity.id, scope: 'team', teamId: team.id, pencePerUnit: 1300, validFrom: '2026-04-01', validTo: '2026-06-30' })
  const inside = await addRate({ activityTypeId: activity.id, scope: 'team', teamId: team.id, pencePerUnit: 1400, validFrom: '2026-06-30' })
  t.equal(inside.statusCode, 409, 'a rate starting on the last day of another')
  t.match(inside.json(), { code: 'conflict', constraint: 'rates_no_overlap' })
  const before = await addRate({ activityTypeId: activity.id, scope: 'team', teamId: team.id, pencePerUnit: 1400, validFrom: '2026-01-01' })
  t.equal(before.statusCode, 409, 'an open-ended rate starting before a later one')
  const otherTeam = await h.team()
  t.equal((await addRate({ activityTypeId: activity.id, scope: 'team', teamId: otherTeam.id, pencePerUnit: 1400, validFrom: '2026-05-01' })).statusCode, 201, 'another team is another key')

  // Straight to the database, past every check in code: the exclusion constraint still refuses.
  await t.rejects(h.database.handle.db.execute(sql`insert into rates (activity_type_id, scope, team_id, pence_per_unit, valid_from, valid_to)
    values (${activity.id}, 'team', ${team.id}, 999, '2026-05-01', '2026-05-01')`), { cause: { code: '23P01' } })
  const [{ n }] = await query<{ n: number }>(h.database.handle.db, sql`select count(*)::int as n from rates where activity_type_id = ${activity.id} and team_id = ${team.id}`) as [{ n: number }]
  t.equal(n, 1)
})

t.test('a worker rate below the worker\'s minimum wage is refused, naming both figures', async (t) => {
  const activity = await h.activity()
  const worker = await h.worker({ displayName: 'Sam', dateOfBirth: '1990-01-01' })
  const res = await addRate({ activityTypeId: activity.id, scope: 'worker', workerId: worker.id, pencePerUnit: 1270, validFrom: '2026-04-01' })
  t.equal(res.statusCode, 422)
  t.match(res.json(), {
    rule: 'below_minimum_wage',
    ratePencePerHour: 1270,
    floorPencePerHour: 1271,
    band: 'age_21_and_over',
    detail: '£12.70 an hour is below the minimum wage of £12.71 an hour for Sam (21 and over) on 2026-04-01'
  })
  t.equal((await addRate({ activityTypeId: activity.id, scope: 'worker', workerId: worker.id, pencePerUnit: 1221, validFrom: '2025-04-01', validTo: '2026-03-31' })).statusCode, 201, 'the 2025 floor applied before April 2026')
  const session = await h.activity({ unit: 'session' })
  t.equal((await addRate({ activityTypeId: session.id, scope: 'worker', workerId: worker.id, pencePerUnit: 500, validFrom: '2026-04-01' })).statusCode, 201, 'session fees are checked per entry at approval, not here')
})

t.test('team and default rates below a member\'s floor succeed with warnings naming who', async (t) => {
  const activity = await h.activity()
  const team = await h.team()
  await h.worker({ displayName: 'Young Jo', dateOfBirth: '2008-01-01', teamIds: [team.id] }) // 18 on 2026-04-01
  await h.worker({ displayName: 'Adult Al', dateOfBirth: '1980-01-01', teamIds: [team.id] })
  const teamRate = await addRate({ activityTypeId: activity.id, scope: 'team', teamId: team.id, pencePerUnit: 1100, validFrom: '2026-04-01' })
  t.equal(teamRate.statusCode, 201)
  t.same(teamRate.json().warnings, [
    '£11.00 an hour is below the minimum wage of £12.71 an hour for Adult Al (21 and over) on 2026-04-01'
  ], 'only members under their floor are named (Young Jo, 18, has a floor of £10.85)')
  const fine = await addRate({ activityTypeId: activity.id, scope: 'team', teamId: team.id, pencePerUnit: 1300, validFrom: '2026-06-01' })
  t.same(fine.json().warnings, [])
  const old = await addRate({ activityTypeId: (await h.activity()).id, scope: 'default', pencePerUnit: 1000, validFrom: '2023-01-01', validTo: '2023-12-31' })
  t.same(old.json().warnings, ['No minimum-wage figures are held for 2023-01-01: the rate could not be checked'])
})

t.test('conflicting team rates are a 409 naming the teams, unless the team is named', async (t) => {
  const activity = await h.activity()
  const red = await h.team()
  const blue = await h.team()
  const green = await h.team()
  const worker = await h.worker({ teamIds: [red.id, blue.id, green.id] })
  await addRate({ activityTypeId: activity.id, scope: 'team', teamId: red.id, pencePerUnit: 1400, validFrom: '2026-04-01' })
  await addRate({ activityTypeId: activity.id, scope: 'team', teamId: blue.id, pencePerUnit: 1500, validFrom: '2026-04-01' })
  const conflict = await resolve({ workerId: worker.id, activityTypeId: activity.id, date: '2026-06-01' })
  t.equal(conflict.statusCode, 409)
  t.match(conflict.json(), { rule: 'conflicting_team_rates' })
  t.same([...conflict.json().teamIds].sort(), [red.id, blue.id].sort())
  const named = await resolve({ workerId: worker.id, activityTypeId: activity.id, date: '2026-06-01', teamId: blue.id })
  t.match(named.json(), { source: 'team', teamId: blue.id, rate: { pencePerUnit: 1500 } })
  const greenNamed = await resolve({ workerId: worker.id, activityTypeId: activity.id, date: '2026-06-01', teamId: green.id })
  t.equal(greenNamed.statusCode, 404, 'the named team has no rate and there is no default')
  const notMember = await resolve({ workerId: worker.id, activityTypeId: activity.id, date: '2026-06-01', teamId: (await h.team()).id })
  t.match(notMember.json(), { status: 422, rule: 'not_a_member' })
})

t.test('rate changes need the current ETag; the end date can be set and cleared', async (t) => {
  const activity = await h.activity()
  const created = await addRate({ activityTypeId: activity.id, scope: 'default', pencePerUnit: 1300, validFrom: '2026-04-01' })
  const id = created.json().id
  const stale = await h.app.inject({ method: 'PATCH', url: `/rates/${id}`, headers: { ...headers, 'if-match': `"${id}:7"` }, payload: { validTo: '2026-12-31' } })
  t.equal(stale.statusCode, 412)
  const closed = await h.app.inject({ method: 'PATCH', url: `/rates/${id}`, headers: { ...headers, 'if-match': created.headers.etag as string }, payload: { validTo: '2026-12-31' } })
  t.match(closed.json(), { validTo: '2026-12-31', version: 2 })
  const backwards = await h.app.inject({ method: 'PATCH', url: `/rates/${id}`, headers: { ...headers, 'if-match': closed.headers.etag as string }, payload: { validTo: '2026-01-01' } })
  t.match(backwards.json(), { status: 422, rule: 'rate_ends_before_start' })
  const reopened = await h.app.inject({ method: 'PATCH', url: `/rates/${id}`, headers: { ...headers, 'if-match': closed.headers.etag as string }, payload: { validTo: null } })
  t.match(reopened.json(), { validTo: null, version: 3 })
})

t.test('bad rate requests are refused clearly', async (t) => {
  const activity = await h.activity()
  const team = await h.team()
  const cases: Array<[Record<string, unknown>, number, string]> = [
    [{ activityTypeId: activity.id, scope: 'team', pencePerUnit: 1300, validFrom: '2026-04-01' }, 422, 'rate_scope'],
    [{ activityTypeId: activity.id, scope: 'default', teamId: team.id, pencePerUnit: 1300, validFrom: '2026-04-01' }, 422, 'rate_scope'],
    [{ activityTypeId: '00000000-0000-4000-8000-000000000000', scope: 'default', pencePerUnit: 1300, validFrom: '2026-04-01' }, 422, 'unknown_activity_type'],
    [{ activityTypeId: activity.id, scope: 'worker', workerId: '00000000-0000-4000-8000-000000000000', pencePerUnit: 1300, validFrom: '2026-04-01' }, 422, 'unknown_worker'],
    [{ activityTypeId: activity.id, scope: 'default', pencePerUnit: 1300, validFrom: '2026-04-01', validTo: '2026-03-01' }, 422, 'rates_dates_check'],
    [{ activityTypeId: activity.id, scope: 'default', pencePerUnit: 0, validFrom: '2026-04-01' }, 400, 'validation_failed'],
    [{ activityTypeId: activity.id, scope: 'default', pencePerUnit: 12.5, validFrom: '2026-04-01' }, 400, 'validation_failed']
  ]
  for (const [body, status, rule] of cases) {
    const res = await addRate(body)
    t.equal(res.statusCode, status, rule)
    t.ok(res.json().rule === rule || res.json().code === rule, rule)
  }
})

t.test('a rate that would leave a gap after it is refused', async (t) => {
  const activity = await h.activity()
  const open = await addRate({ activityTypeId: activity.id, scope: 'default', pencePerUnit: 1300, validFrom: '2026-04-01' })
  const bounded = await addRate({ activityTypeId: activity.id, scope: 'default', pencePerUnit: 1400, validFrom: '2026-07-01', validTo: '2026-07-31' })
  t.equal(bounded.statusCode, 422)
  t.match(bounded.json(), { rule: 'rate_would_leave_gap', openRateId: open.json().id })
  t.match((await h.app.inject({ method: 'GET', url: `/rates/${open.json().id}`, headers })).json(), { validTo: null }, 'the open rate is untouched')
})

t.test('floor checks: a worker\'s own rate always; workers not yet born are skipped', async (t) => {
  const activity = await h.activity()
  const inactive = await h.worker({ displayName: 'Resting', dateOfBirth: '1990-01-01', active: false })
  const res = await addRate({ activityTypeId: activity.id, scope: 'worker', workerId: inactive.id, pencePerUnit: 100, validFrom: '2026-04-01' })
  t.match(res.json(), { status: 422, rule: 'below_minimum_wage' }, 'an inactive worker\'s own rate is still checked')
  await h.worker({ displayName: 'Born later', dateOfBirth: '2009-01-01', paymentMode: 'voucher' })
  const old = await addRate({ activityTypeId: activity.id, scope: 'default', pencePerUnit: 1221, validFrom: '2025-04-01', validTo: '2025-12-31' })
  t.equal(old.statusCode, 201)
  const older = await addRate({ activityTypeId: (await h.activity()).id, scope: 'default', pencePerUnit: 1300, validFrom: '2008-06-01', validTo: '2008-12-31' })
  t.equal(older.statusCode, 201, 'a default rate from before some workers were born is fine')
})
