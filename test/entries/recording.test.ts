import t from 'tap'
import { build } from '../helpers/app.js'
import { client, organisation } from '../helpers/entries.js'

// Sunday 29 November 2026, midday in London.
const h = await build(t, { now: new Date('2026-11-29T12:00:00Z') })
const org = await organisation(h)
const worker = await h.worker({ teamIds: [org.team.id], engagementStartDate: '2025-01-01' })
const me = client(h, await h.key('worker', { personId: worker.id }))
const session = (fields: Record<string, unknown> = {}) => ({ activityTypeId: org.activity.id, workDate: '2026-11-02', startTime: '10:00', endTime: '12:30', breakMinutes: 30, ...fields })

t.test('a worker records a session: worked minutes are derived and instants stored', async (t) => {
  const res = await me.create(session({ notes: 'Peer support group' }))
  t.equal(res.status, 201)
  t.match(res.body, {
    workerId: worker.id,
    teamId: org.team.id,
    workDate: '2026-11-02',
    startTime: '10:00',
    endDate: '2026-11-02',
    endTime: '12:30',
    startsAt: '2026-11-02T10:00:00.000Z',
    endsAt: '2026-11-02T12:30:00.000Z',
    breakMinutes: 30,
    workedMinutes: 120,
    state: 'draft',
    pay: null,
    warnings: [],
    version: 1
  })
  t.equal(res.etag, `"${res.body.id}:1"`)
})

t.test('clock changes: 00:30-02:30 is 180 minutes in October and 60 in March', async (t) => {
  const october = await me.create(session({ workDate: '2026-10-25', startTime: '00:30', endTime: '02:30', breakMinutes: 0 }))
  t.match(october.body, { workedMinutes: 180, startsAt: '2026-10-24T23:30:00.000Z', endsAt: '2026-10-25T02:30:00.000Z' })
  const march = await me.create(session({ workDate: '2026-03-29', startTime: '00:30', endTime: '02:30', breakMinutes: 0 }))
  t.match(march.body, { workedMinutes: 60, startsAt: '2026-03-29T00:30:00.000Z', endsAt: '2026-03-29T01:30:00.000Z' })
  const gap = await me.create(session({ workDate: '2026-03-29', startTime: '01:30', endTime: '03:00', breakMinutes: 0 }))
  t.equal(gap.status, 422)
  t.match(gap.body, { rule: 'nonexistent_local_time', field: '/startTime', detail: /does not exist/ })
  const repeated = await me.create(session({ workDate: '2026-10-25', startTime: '05:00', endTime: '06:00', breakMinutes: 0 }))
  t.same(repeated.body.warnings, [], 'an ordinary time on the clock-change day gives no warning')
  const ambiguous = await me.create(session({ workDate: '2025-10-26', startTime: '01:10', endTime: '01:50', breakMinutes: 0 }))
  t.match(ambiguous.body, { workedMinutes: 40 })
  t.match(ambiguous.body.warnings, [/01:10 on 2025-10-26 happened twice/, /01:50 on 2025-10-26 happened twice/], 'a time that happened twice is flagged')
  const overnight = await me.create(session({ workDate: '2026-11-10', startTime: '22:00', endDate: '2026-11-11', endTime: '02:00', breakMinutes: 0 }))
  t.match(overnight.body, { workedMinutes: 240, endDate: '2026-11-11' }, 'a session past midnight gives its end date')
})

t.test('each impossible or disallowed session is refused, naming the field', async (t) => {
  const inactive = await h.activity({ code: 'OLD' })
  const { updateActivityType } = await import('../../src/modules/activity-types/service.js')
  await updateActivityType(h.database.handle.db, h.ctx, inactive.id, 1, { active: false })
  const otherTeam = await h.team()
  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ['end before start', { startTime: '12:00', endTime: '11:00' }, 'end_not_after_start', '/endTime'],
    ['end equal to start', { startTime: '12:00', endTime: '12:00' }, 'end_not_after_start', '/endTime'],
    ['break as long as the span', { startTime: '10:00', endTime: '11:00', breakMinutes: 60 }, 'break_not_less_than_span', '/breakMinutes'],
    ['more than 24 hours', { workDate: '2026-11-03', startTime: '08:00', endDate: '2026-11-04', endTime: '09:00', breakMinutes: 0 }, 'longer_than_24_hours', '/endTime'],
    ['a future work date', { workDate: '2026-11-30' }, 'work_date_in_future', '/workDate'],
    ['before the engagement started', { workDate: '2024-12-31' }, 'before_engagement', '/workDate'],
    ['an inactive activity', { activityTypeId: inactive.id }, 'activity_inactive', '/activityTypeId'],
    ['a team the worker is not in', { teamId: otherTeam.id }, 'not_a_member', '/teamId'],
    ['an end date two days on', { endDate: '2026-11-04' }, 'end_date_out_of_range', '/endDate']
  ]
  for (const [name, fields, rule, field] of cases) {
    const res = await me.create(session(fields))
    t.equal(res.status, 422, name)
    t.match(res.body, { code: 'rule_violated', rule, field }, name)
  }
  const badTime = await me.create(session({ startTime: '25:00' }))
  t.equal(badTime.status, 400)
  t.match(badTime.body.errors, [{ pointer: '/startTime' }])
})

t.test('engagement end, inactive worker, and a worker in several teams', async (t) => {
  const { updateWorker } = await import('../../src/modules/workers/service.js')
  const leaver = await h.worker({ teamIds: [org.team.id], engagementStartDate: '2025-01-01', engagementEndDate: '2026-10-31' })
  const leaverClient = client(h, await h.key('worker', { personId: leaver.id }))
  t.match((await leaverClient.create(session({ workDate: '2026-11-02' }))).body, { status: 422, rule: 'after_engagement' })
  t.equal((await leaverClient.create(session({ workDate: '2026-10-31' }))).status, 201, 'the last day of engagement is fine')
  await updateWorker(h.database.handle.db, h.ctx, leaver.id, leaver.version, { active: false })
  t.match((await leaverClient.create(session({ workDate: '2026-10-30' }))).body, { status: 422, rule: 'worker_inactive' })

  const second = await h.team()
  const both = await h.worker({ teamIds: [org.team.id, second.id], engagementStartDate: '2025-01-01' })
  const bothClient = client(h, await h.key('worker', { personId: both.id }))
  t.match((await bothClient.create(session())).body, { status: 422, rule: 'team_required' })
  t.match((await bothClient.create(session({ teamId: second.id }))).body, { teamId: second.id, state: 'draft' })
})

t.test('overlapping sessions are refused with the other entry named', async (t) => {
  const first = await me.create(session({ workDate: '2026-11-05', startTime: '09:00', endTime: '11:00', breakMinutes: 0 }))
  const overlap = await me.create(session({ workDate: '2026-11-05', startTime: '10:30', endTime: '12:00', breakMinutes: 0 }))
  t.equal(overlap.status, 409)
  t.match(overlap.body, { rule: 'overlapping_entry', conflictingEntryId: first.body.id, detail: new RegExp(first.body.id) })
  const touching = await me.create(session({ workDate: '2026-11-05', startTime: '11:00', endTime: '12:00', breakMinutes: 0 }))
  t.equal(touching.status, 201, 'a session may start as another ends')
  const moved = await me.patch(touching.body.id, { startTime: '10:59' })
  t.match(moved.body, { status: 409, conflictingEntryId: first.body.id }, 'an edit into another session is refused too')
})

t.test('managers record for workers in their teams, audited as such; finance cannot', async (t) => {
  const manager = client(h, org.managerKey)
  const made = await manager.create(session({ workerId: worker.id, workDate: '2026-11-06' }))
  t.equal(made.status, 201)
  const history = await manager.call('GET', `/entries/${made.body.id}/history`)
  t.match(history.body.items, [{ action: 'entry.created', actorRole: 'manager', after: { onBehalfOfWorker: true } }])
  const stranger = await h.worker()
  t.equal((await manager.create(session({ workerId: stranger.id }))).status, 404, 'not a worker of their teams')
  t.match((await manager.create(session())).body, { status: 422, rule: 'worker_required' })
  const finance = client(h, await h.key('finance'))
  t.equal((await finance.create(session({ workerId: worker.id }))).status, 403)
  const otherWorker = await h.worker({ teamIds: [org.team.id] })
  t.equal((await me.create(session({ workerId: otherWorker.id }))).status, 404, 'a worker records only for themself')
})

t.test('drafts are edited with If-Match and deleted; nothing else is', async (t) => {
  const draft = await me.create(session({ workDate: '2026-11-09' }))
  const stale = await me.call('PATCH', `/entries/${draft.body.id}`, { breakMinutes: 0 }, { 'if-match': `"${draft.body.id}:9"` })
  t.equal(stale.status, 412)
  const edited = await me.patch(draft.body.id, { breakMinutes: 0, notes: 'no break after all' })
  t.match(edited.body, { workedMinutes: 150, notes: 'no break after all', version: 2 })
  const gone = await me.call('DELETE', `/entries/${draft.body.id}`, undefined, { 'if-match': edited.etag! })
  t.equal(gone.status, 204)
  t.equal((await me.get(draft.body.id)).status, 404)
  const submitted = await me.create(session({ workDate: '2026-11-10', startTime: '09:00', endTime: '10:00', breakMinutes: 0, submit: true }))
  t.equal(submitted.body.state, 'submitted')
  t.match((await me.patch(submitted.body.id, { notes: 'x' })).body, { status: 409, rule: 'entry_not_editable' })
  t.match((await me.call('DELETE', `/entries/${submitted.body.id}`, undefined, { 'if-match': submitted.etag! })).body, { status: 409, rule: 'entry_not_deletable' })
})
