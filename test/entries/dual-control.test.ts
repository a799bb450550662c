// Dual control (issue 11): above DUAL_CONTROL_ABOVE_PENCE an entry's gross, a correction in either
// direction, and any override of a blocking earnings cap need a second, distinct approver with
// role finance or admin; both approvals are audited and readable on the entry; the bulk endpoint
// answers per item; the database refuses a second approval by the first approver.
import t from 'tap'
import { sql } from 'drizzle-orm'
import { classifyDatabaseError } from '../../src/db/errors.js'
import { createRate } from '../../src/modules/rates/service.js'
import { build } from '../helpers/app.js'
import { client, organisation } from '../helpers/entries.js'
import { query } from '../helpers/sql.js'

const h = await build(t, { now: new Date('2026-11-29T12:00:00Z'), env: { DUAL_CONTROL_ABOVE_PENCE: '5000' } })
const org = await organisation(h, { ratePence: 1300 })
const manager = client(h, org.managerKey)
const admin = client(h, await h.key('admin'))
const finance = client(h, await h.key('finance'))
const otherFinance = client(h, await h.key('finance'))
const worker = await h.worker({ teamIds: [org.team.id], holidayPayMode: 'accrued' })
const workerApi = client(h, await h.key('worker', { personId: worker.id }))

let day = 0
/** A submitted session of `hours` (at £13.00 an hour) on a day of its own, recorded by the worker. */
async function submitted (hours: number, activityTypeId = org.activity.id) {
  const workDate = new Date(Date.UTC(2026, 0, 5) + (day++) * 86_400_000).toISOString().slice(0, 10)
  const res = await workerApi.create({ activityTypeId, workDate, startTime: '08:00', endTime: `${String(8 + hours).padStart(2, '0')}:00`, submit: true })
  if (res.status !== 201) throw new Error(JSON.stringify(res.body))
  return res.body as { id: string, version: number }
}

/** The constraint that refused a statement, or 'allowed'. */
async function refusal (statement: () => Promise<unknown>): Promise<string> {
  try {
    await statement()
    return 'allowed'
  } catch (error) {
    return classifyDatabaseError(error)?.constraint ?? String(error)
  }
}

const auditOf = (id: string) => query<{ action: string, after: Record<string, unknown> }>(h.database.handle.db,
  sql`select action, after from audit_events where entity_id = ${id} and action in ('entry.first_approved', 'entry.approved', 'entry.rejected') order by id`)

t.test('above the threshold an entry is approved by two distinct people, finance or admin second', async (t) => {
  const entry = await submitted(4) // £52.00 > £50.00
  const first = await manager.act(entry.id, 'approve')
  t.equal(first.status, 200)
  t.match(first.body, {
    state: 'submitted',
    pay: null,
    decidedByPersonId: null,
    dualControl: { reason: /gross pay \(£52.00\) is above the £50.00 dual-control threshold/, firstApprovedByPersonId: org.manager.id, awaitingSecondApproval: true },
    warnings: [/finance or an admin other than you must give the second approval/]
  }, 'the first approval is recorded; the entry waits')
  t.match((await manager.act(entry.id, 'approve')).body, { status: 403, rule: 'second_approver_role' }, 'the first approver cannot approve twice')
  t.match((await client(h, org.checkerKey).act(entry.id, 'approve')).body, { status: 403, rule: 'second_approver_role' }, 'another manager is not a second approver')
  t.match((await workerApi.act(entry.id, 'approve')).body, { status: 403 }, 'nor is the worker')

  const queue = await finance.call('GET', '/entries?awaitingSecondApproval=true')
  t.ok(queue.body.items.some((e: { id: string }) => e.id === entry.id), 'finance sees it in the second-approval queue')
  const notQueued = await finance.call('GET', '/entries?awaitingSecondApproval=false')
  t.notOk(notQueued.body.items.some((e: { id: string }) => e.id === entry.id), 'and not among the others')

  const second = await finance.act(entry.id, 'approve')
  t.match(second.body, { state: 'approved', pay: { grossPence: 5200 }, dualControl: { awaitingSecondApproval: false, firstApprovedByPersonId: org.manager.id } })
  t.match(await auditOf(entry.id), [
    { action: 'entry.first_approved', after: { awaitingSecondApproval: true, grossPence: 5200, checker: { personId: org.manager.id } } },
    { action: 'entry.approved', after: { grossPence: 5200, firstApprover: { personId: org.manager.id }, dualControlReason: /above/ } }
  ], 'both steps are audited, naming maker, first approver and checker')
})

t.test('an admin first approver needs a different finance or admin second', async (t) => {
  const entry = await submitted(5)
  t.match((await admin.act(entry.id, 'approve')).body, { state: 'submitted', dualControl: { awaitingSecondApproval: true } })
  t.match((await admin.act(entry.id, 'approve')).body, { status: 403, rule: 'dual_control_distinct' })
  t.match((await client(h, await h.key('admin')).act(entry.id, 'approve')).body, { state: 'approved' }, 'another admin key may')
})

t.test('at the threshold one approval is enough; a penny above needs two', async (t) => {
  for (const [fee, twoNeeded] of [[5000, false], [5001, true]] as const) {
    const activity = await h.activity({ unit: 'session' })
    await createRate(h.database.handle.db, h.ctx, { activityTypeId: activity.id, scope: 'default', pencePerUnit: fee, validFrom: '2024-04-01' })
    const entry = await submitted(1, activity.id)
    const res = await manager.act(entry.id, 'approve')
    t.equal(res.body.state, twoNeeded ? 'submitted' : 'approved', `a £${fee / 100} fee`)
    t.equal(res.body.dualControl === null, !twoNeeded)
  }
})

t.test('a correction above the threshold in either direction needs two approvals', async (t) => {
  const original = await submitted(6) // £78.00: dual controlled itself
  await manager.act(original.id, 'approve')
  await finance.act(original.id, 'approve')
  for (const pence of [6000, -5500]) {
    const raised = await finance.call('POST', `/entries/${original.id}/corrections`, { pence, reason: 'Agreed correction' })
    t.equal(raised.status, 201)
    t.match((await finance.act(raised.body.id, 'approve')).body, { status: 403, rule: 'decider_role' }, 'finance never approves first (and raised it)')
    const first = await manager.act(raised.body.id, 'approve')
    t.match(first.body, { state: 'submitted', dualControl: { reason: /correction \(£-?\d+\.00\) is above/ } }, `${pence} pence: first approval`)
    t.match((await finance.act(raised.body.id, 'approve')).body, { status: 403, rule: 'maker_checker' }, 'whoever raised it never approves it, second or first')
    t.match((await otherFinance.act(raised.body.id, 'approve')).body, { state: 'approved' }, 'another finance key gives the second approval')
  }
  const small = await finance.call('POST', `/entries/${original.id}/corrections`, { pence: -100, reason: 'Small fix' })
  t.match((await manager.act(small.body.id, 'approve')).body, { state: 'approved', dualControl: null }, 'a small correction needs one approval')
})

t.test('the bulk endpoint answers per item: first approvals, second approvals and refusals', async (t) => {
  const big = [await submitted(4), await submitted(4)]
  const smallOne = await submitted(1)
  const items = async () => Promise.all([...big, smallOne].map(async (e) => ({ id: e.id, version: (await manager.get(e.id)).body.version })))
  const firstRound = await manager.call('POST', '/entries/decisions', { decision: 'approve', items: await items() })
  t.match(firstRound.body, { decided: 3, failed: 0, results: [{ outcome: 'first_approval' }, { outcome: 'first_approval' }, { outcome: 'approved' }] })
  const managerAgain = await manager.call('POST', '/entries/decisions', { decision: 'approve', items: (await items()).slice(0, 2) })
  t.match(managerAgain.body, { decided: 0, failed: 2, results: [{ outcome: 'failed', status: 403, rule: 'second_approver_role' }, { outcome: 'failed', rule: 'second_approver_role' }] })
  const secondRound = await finance.call('POST', '/entries/decisions', { decision: 'approve', items: await items() })
  t.match(secondRound.body, { decided: 2, failed: 1, results: [{ outcome: 'approved' }, { outcome: 'approved' }, { outcome: 'failed', status: 403, rule: 'decider_role' }] })
})

t.test('rejecting or withdrawing undoes a first approval: the next submission needs two afresh', async (t) => {
  const entry = await submitted(4)
  await manager.act(entry.id, 'approve')
  t.match((await finance.act(entry.id, 'reject', { reason: 'Hours do not match the register' })).body, { state: 'rejected', dualControl: null },
    'finance, as second approver, may refuse')
  t.equal((await workerApi.act(entry.id, 'submit')).body.state, 'submitted')
  t.match((await finance.act(entry.id, 'approve')).body, { status: 403, rule: 'decider_role' }, 'a fresh submission starts with a manager again')
  t.match((await manager.act(entry.id, 'approve')).body, { dualControl: { awaitingSecondApproval: true } })
  t.match((await workerApi.act(entry.id, 'withdraw')).body, { state: 'draft', dualControl: null })
  t.same((await auditOf(entry.id)).map((a) => a.action), ['entry.first_approved', 'entry.rejected', 'entry.first_approved'])
})

t.test('two second approvers at once: exactly one approval', async (t) => {
  const entry = await submitted(4)
  const first = await manager.act(entry.id, 'approve')
  const answers = await Promise.all([finance, otherFinance, admin].map((c) =>
    c.call('POST', `/entries/${entry.id}/approve`, undefined, { 'if-match': first.etag! })))
  t.same(answers.map((a) => a.status).sort(), [200, 412, 412])
  t.equal((await auditOf(entry.id)).filter((a) => a.action === 'entry.approved').length, 1)
})

t.test('the database refuses a second approval by the first approver, whatever the service does', async (t) => {
  const entry = await submitted(4)
  await manager.act(entry.id, 'approve')
  const attempt = async () => h.database.handle.db.execute(sql`update timesheet_entries set state = 'approved', decided_at = now(),
    decided_by_key_id = first_approved_by_key_id, decided_by_person_id = first_approved_by_person_id,
    rate_id = (select id from rates limit 1), rate_pence_per_unit = 1300, rate_unit = 'hour', rate_source = 'default',
    gross_pence = 5200, payment_mode = 'payroll' where id = ${entry.id}`)
  t.equal(await refusal(attempt), 'entries_dual_control_check')
  const fresh = await submitted(1)
  t.equal(await refusal(async () => h.database.handle.db.execute(sql`update timesheet_entries set first_approved_at = now() where id = ${fresh.id}`)),
    'entries_dual_control_check', 'a first approval without its reason is refused')
})
