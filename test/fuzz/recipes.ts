import fc from 'fast-check'
import { roles, type Role } from '../../src/domain/actor.js'
import { badIdempotencyKeys, badParameter, brokenObject, hugeString } from './bad-values.js'
import { cursorForgery, type CursorForgery } from './cursors.js'
import type { Operation, Parameter } from './operations.js'
import { MemberTeamRef, PoolRef, validValue, type Hints, type RefResolver } from './schema-values.js'

export const invalidCredentials = ['none', 'empty bearer', 'unknown key', 'revoked key', 'basic scheme', 'truncated key', 'key with suffix', 'two keys', 'huge', 'no scheme'] as const
/** A key of a role (`dice` lets the sender swap a role the route refuses for one it takes), or a bad one. */
export type Credential = { role: Role, dice: number } | { invalid: typeof invalidCredentials[number], address: number }

export type Mode = 'valid' | 'bad body' | 'bad query' | 'bad path' | 'bad header' | 'bad credentials' | 'chaos'

export type IdempotencyChoice = { kind: 'none' } | { kind: 'fresh', key: string } | { kind: 'shared', index: number } | { kind: 'bad', key: string }
/** `unquoted`: the resource's current ETag without its double quotes (malformed: 400, never 412 or a match). */
export type IfMatchChoice =
  | { kind: 'none' } | { kind: 'current' } | { kind: 'stale' } | { kind: 'unquoted' } | { kind: 'bad', index: number } | { kind: 'other resource', pick: number }

/** A cursor from an earlier page of the same list, chosen when the request is sent. */
export class CursorRef {
  constructor (readonly pick: number) {}
}

/**
 * A real cursor (of this list mostly, of any list otherwise) decoded, forged and encoded again:
 * the right shape with a wrong value, or the wrong shape. Chosen when the request is sent.
 */
export class ForgedCursorRef {
  constructor (readonly pick: number, readonly forgery: CursorForgery) {}
}

/** One request to send, still holding references to be filled in from the world. */
export interface Recipe {
  op: Operation
  mode: Mode
  credential: Credential
  path: Record<string, unknown>
  query: Record<string, unknown>
  /** Absent: no body at all. */
  body: { value: unknown } | undefined
  contentType: string | undefined
  idempotency: IdempotencyChoice
  ifMatch: IfMatchChoice
  headers: Record<string, string>
  /** What was broken on purpose, for the report. */
  broken: string
  /** After a 2xx with an Idempotency-Key, send the same request again and expect a replay. */
  replay: boolean
}

const validCredential: fc.Arbitrary<Credential> = fc.record({ role: fc.constantFrom(...roles), dice: fc.nat(99) })
const badCredential: fc.Arbitrary<Credential> = fc.record({ invalid: fc.constantFrom(...invalidCredentials), address: fc.nat(63) })

const has = (op: Operation, name: string) => op.parameters.some((p) => p.in === 'header' && p.name === name)

/** The payroll formats a download path names, read from the parameter's description. */
const listedValues = (parameter: Parameter): string[] =>
  (parameter.description ?? '').split(/,\s*|\s+or\s+/).map((s) => s.trim()).filter((s) => /^[a-z0-9-]+$/.test(s))

function validParameter (op: Operation, parameter: Parameter, resolve: RefResolver, hints: Hints): fc.Arbitrary<unknown> {
  if (parameter.in === 'path' && parameter.name === 'id') return fc.nat().map((n) => new PoolRef(op.idKind ?? 'any', n))
  if (parameter.name === 'cursor') {
    return fc.oneof(
      { arbitrary: fc.nat().map((n) => new CursorRef(n)), weight: 3 },
      { arbitrary: fc.tuple(fc.nat(), cursorForgery).map(([n, forgery]) => new ForgedCursorRef(n, forgery)), weight: 2 }
    )
  }
  const listed = listedValues(parameter)
  if (parameter.in === 'path' && parameter.schema.enum === undefined && listed.length > 1) return fc.constantFrom(...listed)
  return validValue(parameter.schema, parameter.name, resolve, hints)
}

function validParameters (op: Operation, where: 'path' | 'query', resolve: RefResolver, hints: Hints): fc.Arbitrary<Record<string, unknown>> {
  const parameters = op.parameters.filter((p) => p.in === where)
  const model: Record<string, fc.Arbitrary<unknown>> = {}
  for (const parameter of parameters) model[parameter.name] = validParameter(op, parameter, resolve, hints)
  // A team filter beside a worker filter is mostly one of that worker's teams.
  if (model.teamId !== undefined && model.workerId !== undefined) model.teamId = fc.oneof({ arbitrary: fc.nat().map((n) => new MemberTeamRef(n)), weight: 3 }, { arbitrary: model.teamId, weight: 1 })
  const record = fc.record(model, { requiredKeys: parameters.filter((p) => p.required).map((p) => p.name) }) as fc.Arbitrary<Record<string, unknown>>
  // The query's fields are made to agree as a body's are (a date range in order).
  const properties = Object.fromEntries(parameters.map((p) => [p.name, p.schema]))
  return hints.object === undefined ? record : hints.object({ type: 'object', properties }, record)
}

const freshKey = fc.stringMatching(/^[\x21-\x7E]{8,40}$/)

/**
 * Requests for one operation: half of them valid in every part (ids of real resources, the
 * current ETag, dates and amounts where the service can say yes), the rest with one part
 * broken (body, query, path, headers or credentials), or several at once.
 */
export function recipeArbitrary (op: Operation, resolve: RefResolver, hints: Hints): fc.Arbitrary<Recipe> {
  const idempotent = has(op, 'idempotency-key')
  const conditional = has(op, 'if-match')
  const path = validParameters(op, 'path', resolve, hints)
  const query = validParameters(op, 'query', resolve, hints)
  const bodySchema = op.body?.schema
  const body: fc.Arbitrary<{ value: unknown } | undefined> = bodySchema === undefined
    ? fc.constant(undefined)
    : validValue(bodySchema, 'body', resolve, hints).map((value) => ({ value }))
  const idempotency: fc.Arbitrary<IdempotencyChoice> = idempotent
    ? fc.oneof(
      { arbitrary: fc.constant({ kind: 'none' as const }), weight: 4 },
      { arbitrary: freshKey.map((key) => ({ kind: 'fresh' as const, key })), weight: 4 },
      { arbitrary: fc.nat(5).map((index) => ({ kind: 'shared' as const, index })), weight: 1 })
    : fc.constant({ kind: 'none' as const })

  const valid = fc.record({
    op: fc.constant(op),
    mode: fc.constant<Mode>('valid'),
    credential: validCredential,
    path,
    query,
    body,
    contentType: fc.constant(undefined),
    idempotency,
    ifMatch: fc.constant<IfMatchChoice>(conditional ? { kind: 'current' } : { kind: 'none' }),
    headers: fc.constant({}),
    broken: fc.constant(''),
    replay: fc.integer({ min: 0, max: 9 }).map((n) => n === 0)
  }) as fc.Arbitrary<Recipe>

  const brokenBody = (recipe: Recipe): fc.Arbitrary<Recipe> => {
    if (bodySchema === undefined) {
      // A body where none is expected.
      return fc.jsonValue({ maxDepth: 2 }).map((value) => ({ ...recipe, body: { value }, broken: 'unexpected body' }))
    }
    const current = recipe.body?.value
    const object = typeof current === 'object' && current !== null && !Array.isArray(current) ? current as Record<string, unknown> : {}
    return fc.oneof(
      { arbitrary: brokenObject(bodySchema, object, resolve).map(({ value, mutation, field }) => ({ ...recipe, body: { value }, broken: `body: ${mutation}${field === undefined ? '' : ` (${field})`}` })), weight: 8 },
      { arbitrary: fc.constant({ ...recipe, body: undefined, broken: 'body: left out' }), weight: 1 },
      {
        arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', 'application/xml', 'application/problem+json', 'application/json-patch+json', '')
          .map((contentType) => ({ ...recipe, contentType, broken: `body: content type ${JSON.stringify(contentType)}` })),
        weight: 1
      }
    )
  }

  const brokenQuery = (recipe: Recipe): fc.Arbitrary<Recipe> => {
    const parameters = op.parameters.filter((p) => p.in === 'query')
    const options: Array<fc.Arbitrary<Recipe>> = [
      fc.tuple(fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom('state', 'sort', 'offset', 'page', '__proto__', 'constructor')), fc.string({ maxLength: 8 }))
        .filter(([name]) => !parameters.some((p) => p.name === name))
        .map(([name, value]) => ({ ...recipe, query: { ...recipe.query, [name]: value }, broken: `query: unknown ${name}` }))
    ]
    if (parameters.length > 0) {
      options.push(fc.constantFrom(...parameters).chain((p) => badParameter(p.schema, resolve).map((value) => ({ ...recipe, query: { ...recipe.query, [p.name]: value }, broken: `query: bad ${p.name}` }))))
      options.push(fc.constantFrom(...parameters).chain((p) => badParameter(p.schema, resolve).map((value) => ({ ...recipe, query: { ...recipe.query, [p.name]: value }, broken: `query: bad ${p.name}` }))))
      const required = parameters.filter((p) => p.required)
      if (required.length > 0) {
        options.push(fc.constantFrom(...required).map((p) => {
          const { [p.name]: _left, ...rest } = recipe.query
          return { ...recipe, query: rest, broken: `query: ${p.name} left out` }
        }))
      }
    }
    return fc.oneof(...options)
  }

  const brokenPath = (recipe: Recipe): fc.Arbitrary<Recipe> => {
    const parameters = op.parameters.filter((p) => p.in === 'path')
    if (parameters.length === 0) return fc.constant(recipe)
    return fc.constantFrom(...parameters).chain((p) => fc.oneof(
      { arbitrary: badParameter(p.schema, resolve), weight: 3 },
      // A real id of some other kind of resource, or of an unknown one.
      { arbitrary: fc.nat().map((n) => new PoolRef('any', n)), weight: 1 },
      { arbitrary: fc.uuid(), weight: 1 }
    ).map((value) => ({ ...recipe, path: { ...recipe.path, [p.name]: value }, broken: `path: bad ${p.name}` })))
  }

  const brokenHeaders = (recipe: Recipe): fc.Arbitrary<Recipe> => {
    const options: Array<fc.Arbitrary<Recipe>> = [
      fc.constantFrom<Record<string, string>>(
        { 'x-request-id': 'x'.repeat(500) }, { 'x-request-id': 'line\tbreak' }, { 'x-request-id': '<script>' }, { accept: 'text/html' },
        { accept: 'application/xml' }, { 'accept-encoding': 'gzip;q=x' }, { 'if-none-match': '*' }, { 'x-forwarded-for': '1.2.3.4, 5.6.7.8' },
        { 'content-encoding': 'gzip' }, { 'transfer-encoding': 'chunked' }, { 'idempotency-key': 'not-expected-here' }, { 'if-match': '"not-expected:1"' }
      ).map((headers) => ({ ...recipe, headers, broken: `headers: ${Object.keys(headers).join(', ')}` }))
    ]
    if (idempotent) {
      options.push(fc.oneof(fc.constantFrom(...badIdempotencyKeys), hugeString(2000)).map((key) => ({ ...recipe, idempotency: { kind: 'bad' as const, key }, broken: 'headers: bad Idempotency-Key' })))
      options.push(fc.nat(5).map((index) => ({ ...recipe, idempotency: { kind: 'shared' as const, index }, broken: 'headers: reused Idempotency-Key' })))
    }
    if (conditional) {
      options.push(fc.constantFrom<IfMatchChoice>({ kind: 'none' }, { kind: 'stale' }, { kind: 'unquoted' }).map((ifMatch) => ({ ...recipe, ifMatch, broken: `headers: If-Match ${ifMatch.kind}` })))
      options.push(fc.nat().map((index) => ({ ...recipe, ifMatch: { kind: 'bad' as const, index }, broken: 'headers: bad If-Match' })))
      options.push(fc.nat().map((pick) => ({ ...recipe, ifMatch: { kind: 'other resource' as const, pick }, broken: 'headers: If-Match of another resource' })))
    }
    return fc.oneof(...options)
  }

  const hasPath = op.parameters.some((p) => p.in === 'path')
  const modes: Array<fc.WeightedArbitrary<Recipe>> = [
    { arbitrary: valid, weight: 50 },
    { arbitrary: valid.chain(brokenBody).map((r) => ({ ...r, mode: 'bad body' as const })), weight: bodySchema === undefined ? 3 : 14 },
    { arbitrary: valid.chain(brokenQuery).map((r) => ({ ...r, mode: 'bad query' as const })), weight: 8 },
    { arbitrary: valid.chain(brokenHeaders).map((r) => ({ ...r, mode: 'bad header' as const })), weight: 10 },
    { arbitrary: fc.tuple(valid, badCredential).map(([r, credential]) => ({ ...r, credential, mode: 'bad credentials' as const, broken: `credentials: ${'invalid' in credential ? credential.invalid : ''}` })), weight: op.secured ? 8 : 1 },
    {
      arbitrary: fc.tuple(valid, fc.oneof(validCredential, badCredential)).chain(([r, credential]) => brokenBody({ ...r, credential }))
        .chain((r) => brokenQuery(r).map((q) => ({ ...q, broken: `${r.broken}; ${q.broken}` })))
        .chain((r) => brokenHeaders(r).map((hd) => ({ ...hd, broken: `${r.broken}; ${hd.broken}` })))
        .map((r) => ({ ...r, mode: 'chaos' as const })),
      weight: 4
    }
  ]
  if (hasPath) modes.push({ arbitrary: valid.chain(brokenPath).map((r) => ({ ...r, mode: 'bad path' as const })), weight: 8 })
  return fc.oneof(...modes)
}
