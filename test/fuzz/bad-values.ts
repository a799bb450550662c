import fc from 'fast-check'
import { edgeInstant, unwrap, type RefResolver, type Schema } from './schema-values.js'

/** Dates that are malformed, impossible, or at the edges of what a database keeps. */
export const badDates = [
  '2025-02-30', '2025-02-29', '2023-02-29', '2025-04-31', '2025-13-01', '2025-00-10', '2025-01-00', '2025-01-32',
  '0000-01-01', '0000-02-29', '0001-01-01', '1900-02-29', '9999-12-31', '10000-01-01', '-2025-01-01', '+02025-01-01',
  '2025-1-1', '25-01-01', '2025/01/01', '2025-01-01T00:00:00Z', '2025-01-01 ', ' 2025-01-01', '2025-01-01\n',
  '\uff12\uff10\uff12\uff15-01-01', 'today', '', '2025-02-30T25:61:61Z', '1970-01-01', '4714-11-24'
]

/** Instants that are malformed or at the edges. */
export const badInstants = [
  '2025-02-30T10:00:00Z', '2025-01-01T24:00:00Z', '2025-01-01T10:00:00', '2025-01-01T10:00:00+25:00', '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z', '2025-01-01', 'yesterday', '2025-01-01T10:00:60Z', '2025-06-01T10:00:00.1234567890Z', '1e10'
]

/** Strings that are not uuids, or are uuids no database row has, or only look like one. */
export const badUuids = [
  'not-a-uuid', '0', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '00000000-0000-4000-8000-000000000000', '{00000000-0000-4000-8000-000000000001}', '000000000000400080000000000000000',
  '00000000-0000-4000-8000-00000000000g', '00000000-0000-4000-8000-0000000000001', "' OR '1'='1", '1; DROP TABLE people',
  '../../etc/passwd', '%00', 'null', '\u0000', '\uff10\uff10\uff10\uff10\uff10\uff10\uff10\uff10-0000-4000-8000-000000000000'
]

/** Header values a client might send as Idempotency-Key (all outside its pattern or length). */
export const badIdempotencyKeys = ['', ' ', 'has space', 'x'.repeat(256), 'tab\there', '\u00e9t\u00e9', 'a'.repeat(10_000)]

/** If-Match values that are wrong in form or for the resource. */
export const badIfMatch = (id: string): string[] => [
  '', '*', 'W/"x"', `W/"${id}:1"`, `"${id}:0"`, `"${id}:-1"`, `"${id}:999999999"`, `"${id}:1e3"`, `"${id}:abc"`, `${id}:1`,
  '"00000000-0000-4000-8000-000000000000:1"', `"${id.toUpperCase()}:1"`, `"${id}:1", *`, 'x'.repeat(1001), '""', '"', `"${id}:99999999999999999999"`
]

/** Characters and strings that stress text handling: NUL, lone surrogates, bidi, combining marks. */
export const awkwardStrings = [
  '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83d', '\u202eevil', '\u200b', 'e\u0301\u0301\u0301', '\ufeff', '\uffff',
  '\ud83d\ude00\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67', '\u0085', '\r\n', '\\', '"', "'", '$' + '{1+1}', '{{7*7}}',
  '<script>alert(1)</script>', '=1+2', '+SUM(A1)', '@cmd', '-2', ' leading', 'trailing ', '%s%s%s', '%00', '\u2028\u2029'
]

/** Numbers at and past every edge an integer column or JavaScript number has. */
export const edgeNumbers = [
  -1, 0, -0, 1.5, -2147483648, -2147483649, 2147483647, 2147483648, 4294967296, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2,
  -(Number.MAX_SAFE_INTEGER + 2), 1e20, 1e308, -1e308, 5e-324, 0.1, 1e-7
]

/** Values of the wrong type for anything. */
export const wrongTypes: unknown[] = [
  null, true, false, 0, -1, 1.5, '', ' ', 'null', 'true', '0', '1e999', [], [null], {}, { $ne: 1 }, ['a', 'b'],
  { nested: { deeper: [1, 2, { x: 'y' }] } }, 'x'.repeat(300)
]

/** A long string (up to just past the default body limit when `max` allows). */
export const hugeString = (max: number): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom('x', '\u00e9', '\ud83d\ude00', 'ab ', '\u0000'), fc.integer({ min: 1000, max })).map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length))

/** The fields of an object schema, with what kind of value each holds (after unwrapping). */
function fieldsOf (schema: Schema, resolve: RefResolver): Array<[string, Schema]> {
  const object = unwrap(schema, resolve)
  return Object.entries(object.properties ?? {}).map(([name, field]) => [name, unwrap(field, resolve)])
}

/** A value at least one rule of `schema` refuses (for one field, or the whole of it). */
function badValueFor (schema: Schema): fc.Arbitrary<unknown> {
  const options: Array<fc.Arbitrary<unknown>> = [fc.constantFrom(...wrongTypes)]
  if (schema.format === 'date') options.push(fc.constantFrom(...badDates), fc.constantFrom(...badDates), fc.constantFrom(...badDates))
  if (schema.format === 'date-time') options.push(fc.constantFrom(...badInstants), fc.constantFrom(...badDates), edgeInstant)
  if (schema.format === 'uuid') options.push(fc.constantFrom(...badUuids), fc.constantFrom(...badUuids), fc.uuid())
  if (schema.type === 'integer' || schema.type === 'number') options.push(fc.constantFrom(...edgeNumbers), fc.constantFrom(...edgeNumbers), fc.integer().map(String))
  if (schema.type === 'string') options.push(fc.constantFrom(...awkwardStrings), hugeString(20_000), fc.string({ unit: 'binary', maxLength: 30 }))
  if (schema.enum !== undefined) options.push(fc.string({ maxLength: 12 }), fc.constantFrom(...schema.enum.map((v) => String(v).toUpperCase())))
  if (schema.type === 'array') options.push(fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 3 }), fc.constant(Array.from({ length: 600 }, () => null)))
  return fc.oneof(...options)
}

export type BodyMutation = 'wrong value' | 'missing required' | 'unknown field' | 'huge string' | 'awkward text' | 'not an object' | 'prototype keys' | 'nested junk'

/**
 * Breaks one thing in a valid object: a field's value or type, a required field left out, an
 * unknown field added, or the whole body replaced.
 */
export function brokenObject (schema: Schema, valid: Record<string, unknown>, resolve: RefResolver): fc.Arbitrary<{ value: unknown, mutation: BodyMutation, field?: string }> {
  const fields = fieldsOf(schema, resolve)
  const required = unwrap(schema, resolve).required ?? []
  const options: Array<fc.Arbitrary<{ value: unknown, mutation: BodyMutation, field?: string }>> = []
  if (fields.length > 0) {
    options.push(fc.constantFrom(...fields).chain(([name, field]) => badValueFor(field).map((bad) => ({ value: { ...valid, [name]: bad }, mutation: 'wrong value' as const, field: name }))))
    options.push(fc.constantFrom(...fields).chain(([name, field]) => badValueFor(field).map((bad) => ({ value: { ...valid, [name]: bad }, mutation: 'wrong value' as const, field: name }))))
    const strings = fields.filter(([, field]) => field.type === 'string')
    if (strings.length > 0) {
      options.push(fc.tuple(fc.constantFrom(...strings), hugeString(1_100_000)).map(([[name], huge]) => ({ value: { ...valid, [name]: huge }, mutation: 'huge string' as const, field: name })))
      options.push(fc.tuple(fc.constantFrom(...strings), fc.constantFrom(...awkwardStrings), fc.string({ maxLength: 5 })).map(([[name], odd, tail]) => ({ value: { ...valid, [name]: `${tail}${odd}${tail}` }, mutation: 'awkward text' as const, field: name })))
    }
    const arrays = fields.filter(([, field]) => field.type === 'array' && field.items !== undefined)
    if (arrays.length > 0) {
      // A bad item inside an array (e.g. one broken id among the decisions).
      options.push(fc.constantFrom(...arrays).chain(([name, field]) => {
        const item = unwrap(field.items!, resolve)
        const itemFields = fieldsOf(item, resolve)
        const badItem = itemFields.length > 0
          ? fc.constantFrom(...itemFields).chain(([itemName, itemField]) => badValueFor(itemField).map((bad) => ({ [itemName]: bad })))
          : badValueFor(item)
        const current = Array.isArray(valid[name]) ? valid[name] as unknown[] : []
        return badItem.map((bad) => ({
          value: { ...valid, [name]: [...current, typeof bad === 'object' && bad !== null && itemFields.length > 0 && typeof current[0] === 'object' ? { ...(current[0] as object), ...bad } : bad] },
          mutation: 'nested junk' as const,
          field: name
        }))
      }))
    }
  }
  if (required.length > 0) {
    options.push(fc.constantFrom(...required).map((name) => {
      const { [name]: _left, ...rest } = valid
      return { value: rest, mutation: 'missing required' as const, field: name }
    }))
  }
  options.push(fc.tuple(fc.oneof(fc.string({ minLength: 1, maxLength: 10 }), fc.constantFrom('id', 'version', 'state', 'role', 'createdAt', 'grossPence', 'constructor')), fc.jsonValue({ maxDepth: 1 }))
    .filter(([key]) => unwrap(schema, resolve).properties?.[key] === undefined)
    .map(([key, extra]) => ({ value: { ...valid, [key]: extra }, mutation: 'unknown field' as const, field: key })))
  options.push(fc.constantFrom<unknown>([], [valid], 'text', 42, null, true, '').map((value) => ({ value, mutation: 'not an object' as const })))
  options.push(fc.constant({ value: new RawJson(`{"__proto__":{"admin":true},${JSON.stringify(valid).slice(1)}`), mutation: 'prototype keys' as const }))
  options.push(fc.constantFrom(
    '{"a":', '{"a":1,"a":2}', '['.repeat(5000), `{"x":${'['.repeat(2000)}${']'.repeat(2000)}}`, '{"n":1e999999}', '\u0000', 'null', '{"s":"\\ud800"}', '\ufeff{}', '{"constructor":{"prototype":{"x":1}}}'
  ).map((text) => ({ value: new RawJson(text), mutation: 'nested junk' as const })))
  return fc.oneof(...options)
}

/** A body sent as these exact characters (not JSON-encoded by the harness). */
export class RawJson {
  constructor (readonly text: string) {}
}

/** A query or path value that breaks its parameter's schema. */
export function badParameter (schema: Schema, resolve: RefResolver): fc.Arbitrary<unknown> {
  const unwrapped = unwrap(schema, resolve)
  return fc.oneof(
    badValueFor(unwrapped).map((value) => typeof value === 'object' && value !== null && !Array.isArray(value) ? JSON.stringify(value) : value),
    fc.constantFrom('', '%', '%zz', '\u00e9', '\ud83d\ude00', 'a&b=c', '#frag', '..', 'x'.repeat(600)),
    fc.array(fc.string({ maxLength: 5 }), { minLength: 2, maxLength: 3 })
  )
}
