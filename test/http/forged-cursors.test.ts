// Forged cursors and odd instants are bad requests, never database errors (issue 12, item 1):
// a cursor of the right shape with wrong values, or an RFC 3339 leap second or offset that
// carries the year past 9999, reached Postgres and answered 500. Every list of the document is
// sent the issue's cursors and every one-element forgery of a real cursor of its own.
import t, { type Test } from 'tap'
import { roles, type Role } from '../../src/domain/actor.js'
import { build, type TestKey } from '../helpers/app.js'
import { client, organisation } from '../helpers/entries.js'
import { payrollOrganisation } from '../helpers/payroll.js'
import { everyReplacement } from '../fuzz/cursors.js'
import { loadDocument, operationsOf } from '../fuzz/operations.js'
import { edgeInstantTexts } from '../fuzz/schema-values.js'

const encode = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url')
const PROBLEM = /^application\/problem\+json/

// The cursors the issue names, for every list.
const named = [
  ['x', '2026-01-01T00:00:00Z', '00000000-0000-0000-0000-000000000000'],
  [9007199254740991],
  ['1'],
  ['2026-01-01', '1', '00000000-0000-0000-0000-000000000000'],
  ['2026-01-01', '2026-01-01T00:00:00.000Z', 'x'],
  ['99999-01-01', '2026-01-01T00:00:00.000Z', '00000000-0000-0000-0000-000000000000'],
  ['2026-01-01T00:00:00Z', 'not-a-uuid'],
  ['-271821-04-20T00:00:00.000Z', '00000000-0000-0000-0000-000000000000'],
  [2147483648]
]

/**
 * A world with two of everything a list shows (so a page of one has a cursor), and a GET of
 * each list as the first role allowed to read it.
 */
async function listWorld (t: Test) {
  const h = await build(t)
  const keys = Object.fromEntries(await Promise.all(roles.map(async (role) => [role, await h.key(role)] as const))) as Record<Role, TestKey>
  const { team, activity, managerKey } = await organisation(h)
  await h.key('admin')
  await h.person()
  await h.team()
  await h.activity()
  const worker = await h.worker({ teamIds: [team.id] })
  const workerKey = await h.key('worker', { personId: worker.id })
  const admin = client(h, keys.admin)
  await admin.call('POST', '/rates', { activityTypeId: activity.id, scope: 'team', teamId: team.id, pencePerUnit: 1400, validFrom: '2025-04-01' })
  const entryIds: string[] = []
  for (const workDate of ['2026-03-02', '2026-03-03']) {
    const made = await client(h, managerKey).create({ workerId: worker.id, teamId: team.id, activityTypeId: activity.id, workDate, startTime: '10:00', endTime: '11:00' })
    t.equal(made.status, 201, `entry on ${workDate}`)
    entryIds.push((made.body as { id: string }).id)
  }
  // An entry's history of two events.
  t.equal((await client(h, managerKey).act(entryIds[0]!, 'submit')).status, 200, 'an entry submitted')
  // Two export batches: a payroll organisation's months of May and June 2025, closed and exported.
  const payroll = await payrollOrganisation(h)
  const payee = await h.worker({ teamIds: [payroll.team.id] })
  for (const date of ['2025-05-06', '2025-06-06']) {
    await payroll.approved(payee.id, date)
    const period = await payroll.close(date)
    const exported = await payroll.finance.call('POST', `/pay-periods/${period.id}/exports`)
    t.equal(exported.status, 201, `exported the period of ${date}: ${JSON.stringify(exported.body)}`)
  }
  // Two more pay schedules (the first made, the payroll one, is the default).
  for (const name of ['Fortnightly', 'Weekly']) {
    const made = await client(h, keys.finance).call('POST', '/pay-schedules', { name, frequency: name.toLowerCase(), anchorDate: '2025-01-06', payrollCalendarCode: name })
    t.equal(made.status, 201, `pay schedule ${name}`)
  }
  const as: Record<string, TestKey> = { '/me/entries': workerKey }
  const lists = operationsOf(loadDocument()).filter((op) => op.parameters.some((p) => p.in === 'query' && p.name === 'cursor'))
  const getter = (op: (typeof lists)[number]) => async (query: string) => {
    // A schedule's periods: the payroll schedule's, in a range of three months.
    const url = op.id === 'listPayPeriods'
      ? `${op.path.replace('{id}', payroll.schedule.id)}?from=2025-01-01&to=2025-03-31&${query}`
      : `${op.path.replace('{id}', entryIds[0]!)}?${query}`
    for (const role of ['admin', 'finance', 'manager', 'worker'] as const) {
      const res = await h.app.inject({ method: 'GET', url, headers: (as[op.path] ?? keys[role]).headers })
      if (res.statusCode !== 403) return res
    }
    throw new Error(`${op.id}: no role may list`)
  }
  return { lists, getter }
}

t.test('every list answers a forged cursor with 400 invalid_cursor, never a 500', async (t) => {
  const { lists, getter } = await listWorld(t)
  t.ok(lists.length >= 15, `${lists.length} lists take a cursor`)
  let sent = 0
  let refused = 0
  let failed = 0
  for (const op of lists) {
    const get = getter(op)
    const first = await get('limit=1')
    t.equal(first.statusCode, 200, `${op.id}: a first page`)
    // A real cursor of the list (exports: one batch in this world, so a well-formed one).
    const real = first.json().nextCursor as string | null ?? encode([1])
    if ((await get(`limit=1&cursor=${real}`)).statusCode !== 200) t.fail(`${op.id}: its own cursor is taken`)
    // Audit event ids are bigints and schedule names any text: any safe integer (or string) is a
    // key those lists could have issued.
    const issuable = (key: unknown[]) => key.length === 1 &&
      ((['listAuditEvents', 'getEntryHistory'].includes(op.id) && Number.isSafeInteger(key[0])) ||
        (op.id === 'listPaySchedules' && typeof key[0] === 'string'))
    const mustRefuse = (key: unknown[]) => !issuable(key)
    const forged = [...named.map((key) => ({ cursor: encode(key), label: JSON.stringify(key), mustRefuse: mustRefuse(key) })),
      ...everyReplacement(real).map(({ cursor, element, value }) => ({ cursor, label: `element ${element} = ${JSON.stringify(value)}`, mustRefuse: false }))]
    for (const { cursor, label, mustRefuse } of forged) {
      const res = await get(`limit=1&cursor=${encodeURIComponent(cursor)}`)
      sent++
      if (res.statusCode === 400) refused++
      const ok = res.statusCode === 200 || (res.statusCode === 400 && PROBLEM.test(String(res.headers['content-type'])) &&
        ['invalid_cursor', 'validation_failed'].includes(res.json().code))
      if (res.statusCode >= 500) failed++
      if (!ok || (mustRefuse && res.statusCode !== 400)) t.fail(`${op.id} cursor ${label}: ${res.statusCode} ${res.body.slice(0, 160)}`)
    }
  }
  t.comment(`forged cursors: ${sent} sent to ${lists.length} lists, ${refused} refused with 400, ${failed} answered 5xx`)
  t.ok(sent > 500, 'hundreds of forgeries were tried')
})

t.test('every list is one convention: pages of limit, a nextCursor, and a walk of pages of one is the whole list', async (t) => {
  const { lists, getter } = await listWorld(t)
  const document = loadDocument() as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }> }>> }
  // Every GET answering a JSON object with an `items` array is a list of this convention.
  for (const [path, operations] of Object.entries(document.paths)) {
    const properties = operations.get?.responses['200']?.content?.['application/json']?.schema.properties
    if (properties?.items === undefined) continue
    t.ok(lists.some((op) => op.path === path), `${path}: takes limit and cursor`)
    t.ok('nextCursor' in properties, `${path}: answers nextCursor`)
  }
  for (const op of lists) {
    const get = getter(op)
    const whole = await get('limit=200')
    t.equal(whole.statusCode, 200, `${op.id}: the whole list`)
    const items = whole.json().items as unknown[]
    const walked: unknown[] = []
    let cursor: string | null = null
    for (let pages = 0; pages <= items.length; pages++) {
      const res = await get(`limit=1${cursor === null ? '' : `&cursor=${cursor}`}`)
      const page = res.json() as { items: unknown[], nextCursor: string | null }
      t.ok(page.items.length <= 1, `${op.id}: a page holds at most limit items`)
      walked.push(...page.items)
      cursor = page.nextCursor
      if (cursor === null) break
    }
    t.ok(items.length >= 2, `${op.id}: ${items.length} items to walk`)
    t.same(walked, items, `${op.id}: pages of one walk the whole list, in order, once each`)
    t.equal(cursor, null, `${op.id}: the last page has no nextCursor`)
  }
})

t.test('an instant filter that is a leap second or leaves the years 1000 to 9999 is a 400 naming the field', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  const refusedOf = async (name: string, value: string) => {
    const res = await h.app.inject({ method: 'GET', url: `/audit-events?${name}=${encodeURIComponent(value)}`, headers: admin.headers })
    return res
  }
  for (const [name, value] of [['from', '2026-12-31T23:59:60Z'], ['to', '9999-12-31T23:59:59-23:59'], ['from', '2027-01-01T00:59:60+01:00'], ['to', '9999-12-31T23:00:00-01:00']]) {
    const res = await refusedOf(name!, value!)
    t.equal(res.statusCode, 400, `${name}=${value}: 400`)
    t.match(res.headers['content-type'], PROBLEM)
    t.match(res.json(), { code: 'validation_failed', errors: [{ in: 'query', pointer: `/${name}`, detail: /leap second/ }] }, `${name}=${value}: names the field and the rule`)
  }
  // Every edge the fuzzer sends: a 200 or a 400, never more.
  const answers = new Map<number, number>()
  for (const value of edgeInstantTexts) {
    for (const name of ['from', 'to']) {
      const res = await refusedOf(name, value)
      answers.set(res.statusCode, (answers.get(res.statusCode) ?? 0) + 1)
      if (![200, 400].includes(res.statusCode)) t.fail(`${name}=${value}: ${res.statusCode}`)
    }
  }
  // Within range, with an offset that changes the year: read as the instant it names.
  for (const value of ['2026-12-31T23:30:00-01:00', '1000-01-01T00:30:00+01:00', '9999-12-31T23:59:59Z']) {
    t.equal((await refusedOf('from', value)).statusCode, 200, `from=${value} is a real instant`)
  }
  t.comment(`edge instants: ${[...answers.entries()].map(([status, n]) => `${status}: ${n}`).join(', ')}`)
})
