import fc from 'fast-check'
import type { Kind } from './world.js'

/** The parts of JSON Schema (as OpenAPI 3.1 uses it) the generators read. */
export interface Schema {
  $ref?: string
  type?: string | string[]
  enum?: unknown[]
  anyOf?: Schema[]
  oneOf?: Schema[]
  allOf?: Schema[]
  properties?: Record<string, Schema>
  required?: string[]
  additionalProperties?: boolean | Schema
  minProperties?: number
  items?: Schema
  minItems?: number
  maxItems?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  format?: string
  minimum?: number
  maximum?: number
  description?: string
}

/**
 * Stands for the id of a real resource of a kind, chosen when the request is sent: the pools
 * grow as the fuzzer creates things, and a preferred state (a submitted entry to approve) can
 * be honoured then.
 */
export class PoolRef {
  constructor (readonly kind: Kind | 'any', readonly pick: number) {}
}

/** Stands for a team the sibling `workerId` (or the calling worker) belongs to, chosen when sent. */
export class MemberTeamRef {
  constructor (readonly pick: number) {}
}

/** Resolves `#/components/schemas/X` against the document. */
export type RefResolver = (ref: string) => Schema

/**
 * Domain knowledge the schema cannot carry, keyed by field name: which kind of resource a uuid
 * names, and date and money ranges where requests can succeed (work dates in the past, rates
 * above the minimum wage, statutory figures in the future so they do not starve the run).
 */
export interface Hints {
  field (name: string, schema: Schema): fc.Arbitrary<unknown> | undefined
  /** Makes an object's fields agree with each other (a session's end after its start). */
  object? (schema: Schema, arbitrary: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>>
}

export const isoDate = (d: Date): string => d.toISOString().slice(0, 10)
export const dateBetween = (min: string, max: string): fc.Arbitrary<string> =>
  fc.date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true }).map(isoDate)

/**
 * RFC 3339 date-times at the edges: leap seconds (valid RFC 3339 at 23:59:60 UTC, but no
 * instant JavaScript knows), offsets that carry 9999-12-31 into year 10000 or 1000-01-01 back
 * into 999, lower-case separators, long fractions. Sent as valid values: the schema allows them.
 */
export const edgeInstantTexts = [
  '2026-12-31T23:59:60Z', '2016-12-31T23:59:60Z', '2026-06-30T23:59:60Z', '2026-12-31T23:59:60.5Z', '2027-01-01T00:59:60+01:00',
  '2026-12-31T18:59:60-05:00', '9999-12-31T23:59:59-23:59', '9999-12-31T23:00:00-01:00', '9999-12-31T23:59:59.999-00:01',
  '1000-01-01T00:00:00+23:59', '1000-01-01T00:30:00+01:00', '2026-12-31T23:30:00-01:00', '2027-01-01T00:30:00+01:00',
  '9999-12-31T23:59:59Z', '1000-01-01T00:00:00Z', '2026-07-15t11:00:00z', '2026-07-15T11:00:00.123456789+05:45'
]

const pad2 = (n: number): string => String(n).padStart(2, '0')

/** An edge date-time: one of the above, or a year's first or last day with a leap second or any offset. */
export const edgeInstant: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...edgeInstantTexts),
  fc.record({
    date: fc.constantFrom('1000-01-01', '9999-12-31', '2026-12-31', '2027-01-01', '2026-06-30'),
    time: fc.constantFrom('00:00:00', '23:59:59', '23:59:60', '00:59:60', '12:00:00.5'),
    offset: fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), fc.nat(23), fc.nat(59)).map(([sign, h, m]) => `${sign}${pad2(h)}:${pad2(m)}`))
  }).map(({ date, time, offset }) => `${date}T${time}${offset}`)
)

/** The JSON types a field's schema takes (from `type`, or each branch of anyOf/oneOf). */
export function typesOf (schema: Schema, resolve: RefResolver): string[] {
  if (schema.$ref !== undefined) return typesOf(resolve(schema.$ref), resolve)
  const branches = schema.anyOf ?? schema.oneOf
  if (branches !== undefined) return branches.flatMap((branch) => typesOf(branch, resolve))
  if (schema.type === undefined) return []
  return Array.isArray(schema.type) ? schema.type : [schema.type]
}

/** Strips anyOf-with-null and $ref: the schema a present, non-null value must match. */
export function unwrap (schema: Schema, resolve: RefResolver): Schema {
  if (schema.$ref !== undefined) return unwrap(resolve(schema.$ref), resolve)
  const branches = schema.anyOf ?? schema.oneOf
  if (branches !== undefined) {
    const present = branches.filter((branch) => branch.type !== 'null')
    if (present.length === 1) return unwrap(present[0]!, resolve)
  }
  return schema
}

const codePoints = (s: string): number => [...s].length

function stringArbitrary (schema: Schema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0
  const max = Math.min(schema.maxLength ?? 40, Math.max(min, 40))
  const fits = (s: string) => codePoints(s) >= min && codePoints(s) <= (schema.maxLength ?? Infinity)
  if (schema.pattern !== undefined) {
    const pattern = new RegExp(schema.pattern)
    let matching: fc.Arbitrary<string>
    try {
      matching = fc.stringMatching(pattern)
    } catch {
      // fast-check cannot generate from lookaheads: plain words mostly pass them.
      matching = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _.]{0,30}[A-Za-z0-9]$/)
    }
    return matching.filter((s) => pattern.test(s) && fits(s))
  }
  return fc.oneof(
    { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: max }), weight: 3 },
    { arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: max }), weight: 1 }
  ).filter(fits)
}

function integerArbitrary (schema: Schema): fc.Arbitrary<number> {
  const min = schema.minimum ?? -1_000_000
  const max = schema.maximum ?? 1_000_000
  const small = fc.integer({ min: Math.max(min, 0), max: Math.min(max, 100) })
  return fc.oneof({ arbitrary: fc.integer({ min, max }), weight: 1 }, { arbitrary: min <= 100 && max >= 0 ? small : fc.integer({ min, max }), weight: 2 })
}

/** A value the schema accepts (and, with the hints, one the service is likely to accept too). */
export function validValue (schema: Schema, name: string, resolve: RefResolver, hints: Hints): fc.Arbitrary<unknown> {
  if (schema.$ref !== undefined) return validValue(resolve(schema.$ref), name, resolve, hints)
  const hinted = hints.field(name, schema)
  if (hinted !== undefined) return hinted
  const branches = schema.anyOf ?? schema.oneOf
  if (branches !== undefined) {
    return fc.oneof(...branches.map((branch) => ({ arbitrary: validValue(branch, name, resolve, hints), weight: branch.type === 'null' ? 1 : 4 })))
  }
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum)
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  switch (type) {
    case 'null':
      return fc.constant(null)
    case 'boolean':
      return fc.boolean()
    case 'integer':
      return integerArbitrary(schema)
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true })
    case 'string':
      if (schema.format === 'uuid') return fc.oneof({ arbitrary: fc.nat().map((n) => new PoolRef('any', n)), weight: 3 }, { arbitrary: fc.uuid(), weight: 1 })
      if (schema.format === 'date') return dateBetween('2024-01-01', '2026-07-14')
      if (schema.format === 'date-time') {
        return fc.oneof(
          { arbitrary: fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()), weight: 3 },
          { arbitrary: edgeInstant, weight: 1 }
        )
      }
      return stringArbitrary(schema)
    case 'array': {
      const items = validValue(schema.items ?? {}, name, resolve, hints)
      return fc.array(items, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) })
    }
    case 'object':
    case undefined: {
      if (schema.properties === undefined) return type === 'object' ? fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }) : fc.jsonValue({ maxDepth: 2 })
      const model: Record<string, fc.Arbitrary<unknown>> = {}
      for (const [key, property] of Object.entries(schema.properties)) model[key] = validValue(property, key, resolve, hints)
      let record = fc.record(model, { requiredKeys: schema.required ?? [] }) as fc.Arbitrary<Record<string, unknown>>
      const minProperties = schema.minProperties ?? 0
      if (minProperties > 0) record = record.filter((value) => Object.keys(value).length >= minProperties)
      return hints.object === undefined ? record : hints.object(schema, record)
    }
    default:
      return fc.jsonValue({ maxDepth: 1 })
  }
}
