import Type, { type Static, type TSchema, type TUnsafe } from 'typebox'

/** A `$ref` to a shared schema (registered with addSchema) that keeps its static type. */
export function ref<T extends TSchema> (schema: T): TUnsafe<Static<T>> {
  const id = (schema as { $id?: string }).$id
  if (id === undefined) throw new Error('ref() needs a schema with an $id')
  return Type.Unsafe<Static<T>>(Type.Ref(id))
}

export const Uuid = (description: string) => Type.String({ format: 'uuid', description })
export const LocalDate = (description: string) => Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description })
export const Instant = (description: string) => Type.String({ format: 'date-time', description })
/** The schema or null; the description (given, or the inner schema's) sits on the union too. */
export const Nullable = <T extends TSchema>(schema: T, description?: string) => {
  const text = description ?? (schema as { description?: string }).description
  return Type.Union([schema, Type.Null()], text === undefined ? {} : { description: text })
}

export const IdParams = Type.Object({ id: Uuid('Resource id') }, { additionalProperties: false })

export const Reason = (description: string) => Type.String({ minLength: 1, maxLength: 1000, description })

export const Warnings = Type.Array(Type.String(), { description: 'Things the caller should know; the request still succeeded' })
