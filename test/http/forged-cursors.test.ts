// Forged cursors and odd instants are bad requests, never database errors (issue 12, item 1):
// a cursor of the right shape with wrong values, or an RFC 3339 leap second or offset that
// carries the year past 9999, reached Postgres and answered 500. Every list of the document is
// sent the issue's cursors and every one-element forgery of a real cursor of its own.
import t from 'tap'
import { roles, type Role } from '../../src/domain/actor.js'
import { build, type TestKey } from '../helpers/app.js'
import { client, organisation } from '../helpers/entries.js'
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

t.test('every list answers a forged cursor with 400 invalid_cursor, never a 500', async (t) => {
  const h = await build(t)
  const keys = Object.fromEntries(await Promise.all(roles.map(async (role) => [role, await h.key(role)] as const))) as Record<Role, TestKey>
  // Two of everything, so that a page of one has a real cursor to forge.
  const { team, activity, managerKey } = await organisation(h)
  await h.key('admin')
  await h.person()
  await h.team()
  await h.activity()
  const worker = await h.worker({ teamIds: [team.id] })
  const workerKey = await h.key('worker', { personId: worker.id })
  const admin = client(h, keys.admin)
  await admin.call('POST', '/rates', { activityTypeId: activity.id, scope: 'team', teamId: team.id, pencePerUnit: 1400, validFrom: '2025-04-01' })
  for (const workDate of ['2026-03-02', '2026-03-03']) {
    const made = await client(h, managerKey).create({ workerId: worker.id, teamId: team.id, activityTypeId: activity.id, workDate, startTime: '10:00', endTime: '11:00' })
    t.equal(made.status, 201, `entry on ${workDate}`)
  }
  const as: Record<string, TestKey> = { '/me/entries': workerKey }

  const lists = operationsOf(loadDocument()).filter((op) => op.parameters.some((p) => p.in === 'query' && p.name === 'cursor'))
  t.ok(lists.length >= 10, `${lists.length} lists take a cursor`)
  let sent = 0
  let refused = 0
  let failed = 0
  for (const op of lists) {
    const get = async (query: string) => {
      for (const role of ['admin', 'finance', 'manager', 'worker'] as const) {
        const res = await h.app.inject({ method: 'GET', url: `${op.path}?${query}`, headers: (as[op.path] ?? keys[role]).headers })
        if (res.statusCode !== 403) return res
      }
      throw new Error(`${op.id}: no role may list`)
    }
    const first = await get('limit=1')
    t.equal(first.statusCode, 200, `${op.id}: a first page`)
    // A real cursor of the list (exports: one batch in this world, so a well-formed one).
    const real = first.json().nextCursor as string | null ?? encode([1])
    if ((await get(`limit=1&cursor=${real}`)).statusCode !== 200) t.fail(`${op.id}: its own cursor is taken`)
    // Audit event ids are bigints: any safe integer is a key that list could have issued.
    const mustRefuse = (key: unknown[]) => !(op.id === 'listAuditEvents' && key.length === 1 && Number.isSafeInteger(key[0]))
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
