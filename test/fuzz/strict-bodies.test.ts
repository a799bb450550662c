// JSON bodies are validated strictly: a value of another JSON type is refused, never converted
// (issue 12, item 7: `{"displayName":12345}` was stored as "12345", a money field took "1500").
// Generated from openapi/openapi.json: every field of every operation's JSON body (and of the
// objects in its arrays) is sent a value ajv's type coercion would have turned into the field's
// type, and must be refused with an error pointing at it. Query strings and paths still coerce.
import t from 'tap'
import { roles, type Role } from '../../src/domain/actor.js'
import { build, type TestKey } from '../helpers/app.js'
import { loadDocument, operationsOf, refResolver, type Operation } from './operations.js'
import { typesOf, unwrap, type RefResolver, type Schema } from './schema-values.js'

const NIL = '00000000-0000-4000-8000-000000000000'

/**
 * Values of another type that ajv's `coerceTypes: 'array'` would turn into one the field takes:
 * numbers and booleans into strings, numeric and boolean strings into numbers and booleans,
 * "", 0 and false into null, a lone value into an array of it.
 */
function coercibleValues (schema: Schema, resolve: RefResolver): unknown[] {
  const types = new Set(typesOf(schema, resolve))
  const values: unknown[] = []
  if (types.has('string')) values.push(12345, true)
  if (types.has('integer') || types.has('number')) values.push('12', true)
  if (types.has('boolean')) values.push('true', 1)
  // ajv's coercion turns "", 0 and false into null: a nullable field would be cleared by them.
  if (types.has('null')) values.push(0, false, '')
  if (types.has('array')) {
    const item = unwrap(unwrap(schema, resolve).items ?? {}, resolve)
    values.push(item.format === 'uuid' ? NIL : item.type === 'integer' ? 1 : 'x')
  }
  // Only values of a type the field does not take (an integer field may also take a string).
  return values.filter((value) => !types.has(typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value) &&
    !(typeof value === 'number' && types.has('number')))
}

interface Case { pointer: string, body: Record<string, unknown>, value: unknown }

/** One case per field and coercible value: the field alone in the body (or in an array's first item). */
function casesOf (op: Operation, resolve: RefResolver): Case[] {
  const schema = unwrap(op.body!.schema, resolve)
  const cases: Case[] = []
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    for (const value of coercibleValues(field, resolve)) cases.push({ pointer: `/${name}`, body: { [name]: value }, value })
    const unwrapped = unwrap(field, resolve)
    const item = unwrapped.type === 'array' && unwrapped.items !== undefined ? unwrap(unwrapped.items, resolve) : undefined
    for (const [itemName, itemField] of Object.entries(item?.properties ?? {})) {
      for (const value of coercibleValues(itemField, resolve)) cases.push({ pointer: `/${name}/0/${itemName}`, body: { [name]: [{ [itemName]: value }] }, value })
    }
  }
  return cases
}

t.test('every JSON body field refuses a value of another type instead of converting it', async (t) => {
  const document = loadDocument()
  const resolve = refResolver(document)
  const operations = operationsOf(document).filter((op) => op.body !== undefined)
  t.ok(operations.length >= 20, `${operations.length} operations take a JSON body`)
  const h = await build(t)
  const keys = Object.fromEntries(await Promise.all(roles.map(async (role) => [role, await h.key(role)] as const))) as Record<Role, TestKey>
  const before = await h.app.inject({ method: 'GET', url: '/audit-events?limit=1', headers: keys.admin.headers })

  let sent = 0
  const accepted: string[] = []
  for (const op of operations) {
    const url = op.path.replace(/\{id\}/g, NIL)
    const cases = casesOf(op, resolve)
    t.ok(cases.length > 0, `${op.id}: has fields to try`)
    for (const c of cases) {
      // Validation runs after the role check: send as a role the route takes.
      let res
      for (const role of ['admin', 'finance', 'manager', 'worker'] as const) {
        res = await h.app.inject({ method: op.method, url, headers: { ...keys[role].headers, 'if-match': `"${NIL}:1"` }, payload: c.body })
        if (res.statusCode !== 403) break
      }
      sent++
      const body = res!.json() as { code?: string, errors?: Array<{ in: string, pointer: string }> }
      const pointed = res!.statusCode === 400 && body.code === 'validation_failed' &&
        (body.errors ?? []).some((e) => e.in === 'body' && e.pointer === c.pointer)
      if (!pointed) accepted.push(`${op.id} ${c.pointer} = ${JSON.stringify(c.value)} -> ${res!.statusCode} ${res!.body.slice(0, 160)}`)
    }
  }
  t.comment(`strict bodies: ${sent} requests over ${operations.length} operations; ${accepted.length} not refused at the field`)
  for (const line of accepted.slice(0, 20)) t.comment(`  ${line}`)
  t.same(accepted, [], 'every value of another type is refused with an error pointing at its field')
  const after = await h.app.inject({ method: 'GET', url: '/audit-events?limit=1', headers: keys.admin.headers })
  t.equal(after.json().items[0]?.id, before.json().items[0]?.id, 'nothing was changed by a refused body')
})

t.test('query strings, paths and headers still coerce: they are text on the wire', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  for (let i = 0; i < 3; i++) await h.person(`Coerced ${i}`)
  const page = await h.app.inject({ method: 'GET', url: '/people?limit=2', headers: admin.headers })
  t.equal(page.statusCode, 200, 'limit=2 is read as the integer 2')
  t.equal(page.json().items.length, 2)
  const active = await h.app.inject({ method: 'GET', url: '/people?limit=200&active=true', headers: admin.headers })
  t.equal(active.statusCode, 200, 'active=true is read as a boolean')
  const bad = await h.app.inject({ method: 'GET', url: '/people?limit=two', headers: admin.headers })
  t.equal(bad.statusCode, 400, 'text that is not a number is still refused')
  t.match(bad.json(), { errors: [{ in: 'query', pointer: '/limit' }] })
  // Text that reads as an infinite number passed the type check and skipped minimum and maximum.
  for (const limit of ['1e999', '-1e999', 'Infinity', '-Infinity']) {
    const infinite = await h.app.inject({ method: 'GET', url: `/people?limit=${limit}`, headers: admin.headers })
    t.equal(infinite.statusCode, 400, `limit=${limit} is refused`)
    t.match(infinite.json(), { code: 'validation_failed', errors: [{ in: 'query', pointer: '/limit', detail: 'must be a finite number' }] })
  }
})
