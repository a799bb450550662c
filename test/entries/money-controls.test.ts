// Money controls (issue 11): nobody moves money alone (maker and checker), a blocking earnings cap
// holds when deciders race, and a clawback never takes back more than an entry paid. Runs on
// both engines; the races are real concurrent requests (on the server pass, concurrent
// transactions on separate connections).
import t from 'tap'
import { sql } from 'drizzle-orm'
import { build, type TestKey } from '../helpers/app.js'
import { client, organisation } from '../helpers/entries.js'
import { query } from '../helpers/sql.js'

const h = await build(t, { now: new Date('2026-11-29T12:00:00Z') })
const org = await organisation(h, { ratePence: 1300 })
const manager = client(h, org.managerKey)
const checker = client(h, org.checkerKey)
const finance = client(h, await h.key('finance'))
let week = 0
/** Monday of a fresh week for each use, so tests never share a week or overlap. */
const nextMonday = (): string => new Date(Date.UTC(2026, 0, 5) + (week++) * 7 * 86_400_000).toISOString().slice(0, 10)
const plusDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

async function submittedEntries (workerKey: TestKey, monday: string, count: number): Promise<Array<{ id: string, etag: string }>> {
  const api = client(h, workerKey)
  const made: Array<{ id: string, etag: string }> = []
  for (let i = 0; i < count; i++) {
    // Up to three 60-minute sessions a day, Monday to Sunday.
    const hour = 8 + 2 * (i % 3)
    const res = await api.create({ activityTypeId: org.activity.id, workDate: plusDays(monday, Math.floor(i / 3)), startTime: `${String(hour).padStart(2, '0')}:00`, endTime: `${String(hour + 1).padStart(2, '0')}:00`, submit: true })
    if (res.status !== 201) throw new Error(JSON.stringify(res.body))
    made.push({ id: res.body.id, etag: res.etag! })
  }
  return made
}

/** A worker whose submitted entries were recorded before their blocking cap was set (so they add up to more than it). */
async function cappedWorkerWith (entries: number, capPence: number) {
  const worker = await h.worker({ teamIds: [org.team.id], holidayPayMode: 'accrued' })
  const key = await h.key('worker', { personId: worker.id })
  const monday = nextMonday()
  const made = await submittedEntries(key, monday, entries)
  await h.database.handle.db.execute(sql`update workers set benefit_guard = 'custom', benefit_policy = 'block', benefit_cap_pence = ${capPence} where id = ${worker.id}`)
  return { worker, key, monday, made }
}

const approvedWeekGross = async (workerId: string, monday: string): Promise<number> =>
  (await query<{ gross: number }>(h.database.handle.db, sql`select coalesce(sum(gross_pence), 0)::int as gross from timesheet_entries
    where worker_id = ${workerId} and state in ('approved', 'exported') and work_date between ${monday} and ${plusDays(monday, 6)}`))[0]!.gross

for (const deciders of [2, 16]) {
  t.test(`a blocking cap holds with ${deciders} managers approving at the same moment`, async (t) => {
    // Each entry is £13.00; the cap fits half of them.
    const fits = deciders / 2
    const { worker, monday, made } = await cappedWorkerWith(deciders, 1300 * fits + 650)
    const keys = await Promise.all(Array.from({ length: deciders }, async () => {
      const person = await h.person('Manager')
      await h.database.handle.db.execute(sql`insert into team_managers (team_id, person_id) values (${org.team.id}, ${person.id})`)
      return h.key('manager', { personId: person.id })
    }))
    const answers = await Promise.all(made.map(async (entry, i) =>
      client(h, keys[i]!).call('POST', `/entries/${entry.id}/approve`, {}, { 'if-match': entry.etag })))
    const approved = answers.filter((a) => a.status === 200)
    const refused = answers.filter((a) => a.status === 409 && a.body.rule === 'earnings_cap_exceeded')
    t.equal(approved.length, fits, `${fits} approved`)
    t.equal(refused.length, deciders - fits, `the rest refused with earnings_cap_exceeded (${answers.map((a) => a.status).join(' ')})`)
    t.ok(refused.every((a) => a.body.capPence === 1300 * fits + 650 && a.body.weekGrossPence > a.body.capPence), 'each refusal names the cap and the week it would make')
    const gross = await approvedWeekGross(worker.id, monday)
    t.ok(gross <= 1300 * fits + 650, `the approved week (${gross}p) never exceeds the cap without an override`)
  })
}

t.test('a worker submitting two sessions at once cannot pass a blocking cap with both', async (t) => {
  const worker = await h.worker({ teamIds: [org.team.id], holidayPayMode: 'accrued', benefitGuard: 'custom', benefitPolicy: 'block', benefitCapPence: 2000 })
  const api = client(h, await h.key('worker', { personId: worker.id }))
  const monday = nextMonday()
  const drafts = await Promise.all(['09:00', '11:00'].map(async (start, i) =>
    api.create({ activityTypeId: org.activity.id, workDate: monday, startTime: start, endTime: `${10 + 2 * i}:00` })))
  const answers = await Promise.all(drafts.map(async (d) => api.call('POST', `/entries/${d.body.id}/submit`, {}, { 'if-match': d.etag! })))
  t.same(answers.map((a) => a.status).sort(), [200, 409], 'one submitted, the other refused')
  t.match(answers.find((a) => a.status === 409)!.body, { rule: 'earnings_cap_exceeded', capPence: 2000, weekGrossPence: 2600 })
})

t.test('maker and checker: whoever records on a worker\'s behalf or raises a correction cannot approve it, singly or in bulk', async (t) => {
  const worker = await h.worker({ teamIds: [org.team.id], holidayPayMode: 'accrued' })
  const monday = nextMonday()
  const onBehalf = await manager.create({ workerId: worker.id, activityTypeId: org.activity.id, workDate: monday, startTime: '09:00', endTime: '11:30', submit: true })
  t.equal(onBehalf.status, 201)
  t.match((await manager.call('POST', `/entries/${onBehalf.body.id}/approve`, {}, { 'if-match': onBehalf.etag! })).body,
    { status: 403, code: 'forbidden', rule: 'maker_checker' }, 'the recorder cannot approve')
  const bulk = await manager.call('POST', '/entries/decisions', { decision: 'approve', items: [{ id: onBehalf.body.id, version: onBehalf.body.version }] })
  t.match(bulk.body.results, [{ id: onBehalf.body.id, outcome: 'failed', status: 403, rule: 'maker_checker' }], 'nor in bulk, answered per item')
  t.equal((await finance.call('POST', `/entries/${onBehalf.body.id}/approve`, {}, { 'if-match': onBehalf.etag! })).status, 403, 'finance never approves time')
  const approved = await checker.call('POST', `/entries/${onBehalf.body.id}/approve`, {}, { 'if-match': onBehalf.etag! })
  t.equal(approved.status, 200, 'a second manager approves it')
  const [audit] = await query<{ actor_key_id: string, after: { makers: Array<{ keyId: string }>, checker: { keyId: string } } }>(h.database.handle.db,
    sql`select actor_key_id, after from audit_events where action = 'entry.approved' and entity_id = ${onBehalf.body.id}`)
  t.equal(audit!.after.checker.keyId, org.checkerKey.id, 'the audit names the checker')
  t.ok(audit!.after.makers.some((m) => m.keyId === org.managerKey.id), 'and the maker')

  const huge = await manager.call('POST', `/entries/${approved.body.id}/corrections`, { pence: 10_000_000, reason: 'bonus' })
  t.equal(huge.status, 201)
  t.match((await manager.call('POST', `/entries/${huge.body.id}/approve`, {}, { 'if-match': huge.etag! })).body,
    { status: 403, rule: 'maker_checker' }, 'the manager who raised a correction cannot approve it')
  t.match((await manager.call('POST', `/entries/${huge.body.id}/reject`, { reason: 'typo' }, { 'if-match': huge.etag! })).body,
    { state: 'rejected' }, 'but may reject it: that moves no money')
})

t.test('a clawback never takes back more than the entry paid, judged again at approval', async (t) => {
  const worker = await h.worker({ teamIds: [org.team.id], holidayPayMode: 'accrued' })
  const workerKey = await h.key('worker', { personId: worker.id })
  const [made] = await submittedEntries(workerKey, nextMonday(), 1)
  // 60 minutes approved; +60 raised (pending); -90 accepted only because the +60 counts.
  const approved = await checker.call('POST', `/entries/${made!.id}/approve`, {}, { 'if-match': made!.etag })
  t.equal(approved.status, 200)
  const plus = await manager.call('POST', `/entries/${made!.id}/corrections`, { minutes: 60, reason: 'stayed longer' })
  const minus = await finance.call('POST', `/entries/${made!.id}/corrections`, { minutes: -90, reason: 'left early' })
  t.equal(minus.status, 201, 'raised while the +60 is pending')
  t.equal((await checker.call('POST', `/entries/${plus.body.id}/reject`, { reason: 'not agreed' }, { 'if-match': plus.etag! })).status, 200)
  const refused = await checker.call('POST', `/entries/${minus.body.id}/approve`, {}, { 'if-match': minus.etag! })
  t.equal(refused.status, 422, 'with the +60 rejected, the -90 would take back more than was paid')
  t.match(refused.body, { rule: 'correction_exceeds_entry', minutesPaid: 60, pencePaid: 1300, correctionMinutes: -90 })
  const net = (await query<{ minutes: number, pence: number }>(h.database.handle.db, sql`select sum(worked_minutes)::int as minutes, sum(gross_pence)::int as pence
    from timesheet_entries where (id = ${made!.id} or corrects_entry_id = ${made!.id}) and state in ('approved', 'exported')`))[0]
  t.same(net, { minutes: 60, pence: 1300 }, 'the entry still pays what it did')
})
