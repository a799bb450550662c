import Type, { type Static, type TSchema, type TUnsafe } from 'typebox'

/** A `$ref` to a shared schema (registered with addSchema) that keeps its static type. */
export function ref<T extends TSchema> (schema: T): TUnsafe<Static<T>> {
  const id = (schema as { $id?: string }).$id
  if (id === undefined) throw new Error('ref() needs a schema with an $id')
  return Type.Unsafe<Static<T>>(Type.Ref(id))
}

export const Uuid = (description: string) => Type.String({ format: 'uuid', description })
// Years 0001 to 9999, as the calendar maths (domain/calendar-date.ts) and Postgres take them:
// ajv's `date` format also accepts year 0000, which then failed as a 500 (found by the fuzzer).
export const LocalDate = (description: string) => Type.String({ format: 'date', pattern: '^(?:000[1-9]|00[1-9]\\d|0[1-9]\\d{2}|[1-9]\\d{3})-\\d{2}-\\d{2}$', description })
// Years 1000 to 9999: with any offset the instant stays within what Postgres stores (it has no
// year 0, so '0000-01-01T00:00:00Z' or '0001-01-01T00:00:00+14:00' failed as a 500; fuzzer).
export const Instant = (description: string) => Type.String({ format: 'date-time', pattern: '^[1-9]\\d{3}-', description })
/** An instant a client sends: the service reads it as a real instant it can store, or answers 400. */
export const InstantInput = (description: string) =>
  Instant(`${description}: RFC 3339, not a leap second (:60), ` +
    'and in the years 1000 to 9999 also once its offset is applied')
/** The schema or null; the description (given, or the inner schema's) sits on the union too. */
export const Nullable = <T extends TSchema>(schema: T, description?: string) => {
  const text = description ?? (schema as { description?: string }).description
  return Type.Union([schema, Type.Null()], text === undefined ? {} : { description: text })
}

export const IdParams = Type.Object({ id: Uuid('Resource id') }, { additionalProperties: false })

export const Reason = (description: string) => Type.String({ minLength: 1, maxLength: 1000, description })

export const Warnings = Type.Array(Type.String(), { description: 'Things the caller should know; the request still succeeded' })
