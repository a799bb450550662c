// A falsy value a client sends is kept as sent (issue 12, review): 0, false and "" are values,
// not "nothing", and never turn into null or a default on the way to the database or back. (The
// report: PATCH a worker with `benefitCapPence: 0` cleared the cap. It does not reproduce: that
// field's minimum is 1, so 0 is refused with 400 at the field; bodies are validated without
// coercion, see test/fuzz/strict-bodies.test.ts for values of other types, and the services
// keep values with `??`, never `||`.)
//
// Generated from openapi/openapi.json: every field of every JSON body (and of the objects in its
// arrays) whose schema accepts 0, false or "" is sent that value on a request that otherwise
// succeeds, and the resource read back holds exactly it, never null or the value before. A
// field that takes a falsy value with no probe below fails the test, so a new one is covered.
// And every nullable field is sent each falsy value of its own type that it refuses (0 for a cap
// of at least 1, "" for a date or id): a validator that coerced would read it as null through the
// union's null branch and clear the field; it must be refused at the field instead.
import type { LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { build, type Harness, type TestKey } from '../helpers/app.js'
import { client, organisation } from '../helpers/entries.js'
import { roles, type Role } from '../../src/domain/actor.js'
import { loadDocument, operationsOf, refResolver, type Operation } from '../fuzz/operations.js'
import { responseValidators } from '../fuzz/response-checks.js'
import { typesOf, unwrap, type Schema } from '../fuzz/schema-values.js'

const FALSY = [0, false, ''] as const
type Falsy = typeof FALSY[number]

const typeOf = (value: Falsy): string => typeof value === 'number' ? 'integer' : typeof value

interface BodyField {
  op: Operation
  /** JSON pointer into the body: `/name`, or `/list/0/name` for an array's objects. */
  pointer: string
  /** The falsy values the field's schema accepts. */
  accepted: Falsy[]
  /** The falsy values of a type the field takes that its schema refuses (`0` for minimum 1). */
  refused: Falsy[]
  nullable: boolean
}

/** Every field of every JSON body, with the falsy values it accepts and refuses. */
function bodyFields (): BodyField[] {
  const document = loadDocument()
  const resolve = refResolver(document)
  const compile = responseValidators(document)
  const found: BodyField[] = []
  const visit = (op: Operation, properties: Record<string, Schema>, prefix: string): void => {
    for (const [name, field] of Object.entries(properties)) {
      const validate = compile(field)
      const types = typesOf(field, resolve)
      const ownType = (value: Falsy) => types.includes(typeOf(value)) || (typeof value === 'number' && types.includes('number'))
      found.push({
        op,
        pointer: `${prefix}/${name}`,
        accepted: FALSY.filter((value) => validate(value)),
        refused: FALSY.filter((value) => ownType(value) && !validate(value)),
        nullable: validate(null)
      })
      const unwrapped = unwrap(field, resolve)
      const item = unwrapped.type === 'array' && unwrapped.items !== undefined ? unwrap(unwrapped.items, resolve) : undefined
      if (item?.properties !== undefined) visit(op, item.properties, `${prefix}/${name}/0`)
    }
  }
  for (const op of operationsOf(document)) {
    if (op.body === undefined) continue
    visit(op, unwrap(op.body.schema, resolve).properties ?? {}, '')
  }
  return found
}

/** Every `operationId /pointer` whose field accepts a falsy value, with the values it accepts. */
const falsyFields = (): Map<string, Falsy[]> =>
  new Map(bodyFields().filter((field) => field.accepted.length > 0).map((field) => [`${field.op.id} ${field.pointer}`, field.accepted]))

/** A body holding `value` at `pointer` (`/name` or `/list/0/name`). */
function bodyWith (pointer: string, value: unknown): Record<string, unknown> {
  const [name, index, inner] = pointer.slice(1).split('/')
  return index === undefined ? { [name!]: value } : { [name!]: [{ [inner!]: value }] }
}

interface Outcome {
  res: LightMyRequestResponse
  /** The resource read back after the change (absent when the request was refused). */
  stored?: Record<string, unknown>
}

/**
 * How to send a value in a field on a request that otherwise succeeds, and read the resource
 * back. `before` is a truthy value the resource holds first where the operation changes one, so
 * "left as it was" is told apart from "set". `expect` reads the outcome: by default the field
 * read back must hold the value sent.
 */
interface Probe {
  send: (value: Falsy) => Promise<Outcome>
  expect?: (outcome: Outcome, value: Falsy) => string | undefined
}

async function probes (h: Harness): Promise<Record<string, Probe>> {
  const admin = await h.key('admin')
  const finance = await h.key('finance')
  const get = async (key: TestKey, url: string) => (await h.app.inject({ method: 'GET', url, headers: key.headers })).json() as Record<string, unknown>
  const patch = async (key: TestKey, url: string, payload: object): Promise<Outcome> => {
    const read = await h.app.inject({ method: 'GET', url, headers: key.headers })
    const res = await h.app.inject({ method: 'PATCH', url, headers: { ...key.headers, 'if-match': read.headers.etag as string }, payload })
    return { res, ...(res.statusCode < 300 ? { stored: await get(key, url) } : {}) }
  }
  const post = async (key: TestKey, url: string, payload: object, readUrl: (id: string) => string): Promise<Outcome> => {
    const res = await h.app.inject({ method: 'POST', url, headers: key.headers, payload })
    return { res, ...(res.statusCode < 300 ? { stored: await get(key, readUrl(res.json().id as string)) } : {}) }
  }
  let n = 0
  const org = await organisation(h)
  const worker = await h.worker({ teamIds: [org.team.id] })
  const workerKey = await h.key('worker', { personId: worker.id })
  const entries = client(h, workerKey)
  const session = { activityTypeId: org.activity.id, workDate: '2026-03-02', startTime: '09:00', endTime: '12:00', breakMinutes: 15, notes: 'before' }
  // Each entry on a day of its own: sessions of one worker may not overlap.
  const day = () => `2026-03-${String(2 + (n++ % 25)).padStart(2, '0')}`
  const entryPatch = (field: string) => async (value: Falsy) => {
    const made = await entries.create({ ...session, workDate: day() })
    const url = `/entries/${made.body.id as string}`
    const read = await entries.get(made.body.id)
    const res = await h.app.inject({ method: 'PATCH', url, headers: { ...workerKey.headers, 'if-match': read.etag! }, payload: { [field]: value } })
    return { res, ...(res.statusCode < 300 ? { stored: (await entries.get(made.body.id)).body } : {}) }
  }
  const entryCreate = (field: string) => async (value: Falsy) => {
    const res = await h.app.inject({ method: 'POST', url: '/entries', headers: workerKey.headers, payload: { ...session, workDate: day(), [field]: value } })
    return { res, ...(res.statusCode < 300 ? { stored: (await entries.get(res.json().id)).body } : {}) }
  }
  const correction = (field: string) => async (value: Falsy) => {
    const made = await entries.create({ ...session, workDate: day(), submit: true })
    const approved = await client(h, org.managerKey).act(made.body.id, 'approve')
    if (approved.status !== 200) throw new Error(`fixture: approval answered ${approved.status}`)
    const res = await h.app.inject({ method: 'POST', url: `/entries/${made.body.id as string}/corrections`, headers: org.managerKey.headers, payload: { [field]: value, reason: 'Probe' } })
    return { res }
  }
  // A correction of nothing is refused for that rule, naming the field: the 0 arrived as 0 (had
  // it been dropped, the refusal would be that neither minutes nor pence was given).
  const zeroCorrection = (field: string) => (outcome: Outcome): string | undefined => {
    const body = outcome.res.json() as { rule?: string, field?: string }
    return outcome.res.statusCode === 422 && body.rule === 'zero_correction' && body.field === field
      ? undefined
      : `answered ${outcome.res.statusCode} ${outcome.res.body.slice(0, 200)}, not 422 zero_correction at ${field}`
  }
  const schedule = { frequency: 'monthly', anchorDate: '2026-01-01', payDateOffsetDays: 3 }
  const newSchedule = async () => {
    const res = await h.app.inject({ method: 'POST', url: '/pay-schedules', headers: finance.headers, payload: { ...schedule, name: `Probe ${++n}`, payrollCalendarCode: `P${n}` } })
    return res.json().id as string
  }
  return {
    'updatePerson /active': { send: async (value) => patch(admin, `/people/${(await h.person()).id}`, { active: value }) },
    'createWorker /apprentice': {
      send: (value) => post(admin, '/workers', {
        displayName: `Probe ${++n}`, dateOfBirth: '1990-01-01', paymentMode: 'payroll', holidayPayMode: 'rolled_up', engagementStartDate: '2024-01-01', apprentice: value
      }, (id) => `/workers/${id}`)
    },
    'updateWorker /apprentice': {
      send: async (value) => patch(admin, `/workers/${(await h.worker({ apprentice: true })).id}`, { apprentice: value })
    },
    'updateWorker /active': { send: async (value) => patch(admin, `/workers/${(await h.worker()).id}`, { active: value }) },
    'updateTeam /active': { send: async (value) => patch(admin, `/teams/${(await h.team()).id}`, { active: value }) },
    // Sage 50's default department is 0.
    'createTeam /sageDepartment': {
      send: (value) => post(admin, '/teams', { name: `Probe ${++n}`, costCentre: 'PR01', sageDepartment: value }, (id) => `/teams/${id}`)
    },
    'updateTeam /sageDepartment': {
      send: async (value) => patch(admin, `/teams/${(await h.team()).id}`, { sageDepartment: value })
    },
    'updateActivityType /active': { send: async (value) => patch(admin, `/activity-types/${(await h.activity()).id}`, { active: value }) },
    'createEntry /breakMinutes': { send: entryCreate('breakMinutes') },
    'createEntry /notes': { send: entryCreate('notes') },
    'createEntry /submit': {
      send: entryCreate('submit'),
      expect: ({ stored }) => stored?.state === 'draft' ? undefined : `submit: false left the entry ${String(stored?.state)}, not a draft`
    },
    'updateEntry /breakMinutes': { send: entryPatch('breakMinutes') },
    'updateEntry /notes': { send: entryPatch('notes') },
    'createCorrection /minutes': { send: correction('minutes'), expect: zeroCorrection('/minutes') },
    'createCorrection /pence': { send: correction('pence'), expect: zeroCorrection('/pence') },
    'createPaySchedule /payDateOffsetDays': {
      send: (value) => post(finance, '/pay-schedules', { ...schedule, name: `Probe ${++n}`, payrollCalendarCode: `P${n}`, payDateOffsetDays: value }, (id) => `/pay-schedules/${id}`)
    },
    'createPaySchedule /isDefault': {
      send: async (value) => {
        await newSchedule() // the first schedule is the default whatever it says: this is the second
        return post(finance, '/pay-schedules', { ...schedule, name: `Probe ${++n}`, payrollCalendarCode: `P${n}`, isDefault: value }, (id) => `/pay-schedules/${id}`)
      }
    },
    'updatePaySchedule /payDateOffsetDays': { send: async (value) => patch(finance, `/pay-schedules/${await newSchedule()}`, { payDateOffsetDays: value }) }
  }
}

t.test('every body field that takes 0, false or "" keeps it: stored and read back as sent, never null', async (t) => {
  const fields = falsyFields()
  t.ok(fields.size >= 10, `${fields.size} body fields accept a falsy value`)
  const h = await build(t, { now: new Date('2026-04-15T10:00:00Z') })
  const table = await probes(h)
  t.same([...fields.keys()].filter((key) => table[key] === undefined), [], 'every such field has a probe here (add one for a new field)')
  t.same(Object.keys(table).filter((key) => !fields.has(key)), [], 'every probe is of a field the document has')
  let sent = 0
  for (const [key, values] of fields) {
    const probe = table[key]
    if (probe === undefined) continue
    const name = key.split('/').pop()!
    for (const value of values) {
      const outcome = await probe.send(value)
      sent++
      const what = `${key} = ${JSON.stringify(value)}`
      if (probe.expect !== undefined) {
        t.equal(probe.expect(outcome, value), undefined, what)
        continue
      }
      t.ok(outcome.res.statusCode >= 200 && outcome.res.statusCode < 300, `${what}: accepted (${outcome.res.statusCode} ${outcome.res.statusCode < 300 ? '' : outcome.res.body.slice(0, 200)})`)
      t.equal(outcome.res.json()[name], value, `${what}: the answer holds it`)
      t.equal(outcome.stored?.[name], value, `${what}: read back as sent`)
    }
  }
  t.comment(`falsy values: ${sent} requests over ${fields.size} fields`)
})

const NIL = '00000000-0000-4000-8000-000000000000'

t.test('a nullable body field refuses the falsy values of its own type it does not take: never read as null', async (t) => {
  const cases = bodyFields().filter((field) => field.nullable && field.refused.length > 0)
  t.ok(cases.some((field) => field.op.id === 'updateWorker' && field.pointer === '/benefitCapPence' && field.refused.includes(0)),
    'updateWorker /benefitCapPence refuses 0 (a cap is at least 1p)')
  const h = await build(t)
  const keys = Object.fromEntries(await Promise.all(roles.map(async (role) => [role, await h.key(role)] as const))) as Record<Role, TestKey>
  const notRefused: string[] = []
  let sent = 0
  for (const { op, pointer, refused } of cases) {
    const url = op.path.replace(/\{id\}/g, NIL)
    for (const value of refused) {
      // Validation runs after the role check: send as a role the route takes.
      let res: LightMyRequestResponse | undefined
      for (const role of ['admin', 'finance', 'manager', 'worker'] as const) {
        res = await h.app.inject({ method: op.method, url, headers: { ...keys[role].headers, 'if-match': `"${NIL}:1"` }, payload: bodyWith(pointer, value) })
        if (res.statusCode !== 403) break
      }
      sent++
      const body = res!.json() as { code?: string, errors?: Array<{ in: string, pointer: string }> }
      const pointed = res!.statusCode === 400 && body.code === 'validation_failed' && (body.errors ?? []).some((e) => e.in === 'body' && e.pointer === pointer)
      if (!pointed) notRefused.push(`${op.id} ${pointer} = ${JSON.stringify(value)} -> ${res!.statusCode} ${res!.body.slice(0, 160)}`)
    }
  }
  t.comment(`refused falsy values: ${sent} requests over ${cases.length} nullable fields`)
  t.same(notRefused, [], 'each is refused with an error pointing at its field')

  // The case reported: a worker's cap PATCHed to 0 is refused, and the cap stays as it was.
  const admin = keys.admin
  const worker = await h.worker({ benefitGuard: 'custom', benefitCapPence: 5000 })
  const read = await h.app.inject({ method: 'GET', url: `/workers/${worker.id}`, headers: admin.headers })
  const res = await h.app.inject({
    method: 'PATCH', url: `/workers/${worker.id}`, headers: { ...admin.headers, 'if-match': read.headers.etag as string }, payload: { benefitCapPence: 0 }
  })
  t.equal(res.statusCode, 400, 'benefitCapPence: 0 is refused')
  t.match(res.json(), { code: 'validation_failed', errors: [{ in: 'body', pointer: '/benefitCapPence', detail: 'must be >= 1' }] })
  const after = await h.app.inject({ method: 'GET', url: `/workers/${worker.id}`, headers: admin.headers })
  t.equal(after.json().benefitCapPence, 5000, 'the cap is unchanged, not cleared')
  t.equal(after.headers.etag, read.headers.etag, 'the worker did not change')
})
