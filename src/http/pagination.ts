import Type, { type TSchema } from 'typebox'

const MAX_PAGE_SIZE = 200
const DEFAULT_PAGE_SIZE = 50

/** A list's query with its page size: the schema fills in the default, but the type cannot say so. */
export const withPageSize = <Query extends { limit?: number }>(query: Query): Query & { limit: number } =>
  ({ ...query, limit: query.limit ?? DEFAULT_PAGE_SIZE })

/** Query fields every list route accepts; route schemas spread these into their querystring. */
export const pageQueryFields = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: `Items per page (1 to ${MAX_PAGE_SIZE})` })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'The `nextCursor` of the previous page' }))
}

export const pageOf = <T extends TSchema>(item: T, description: string) => Type.Object({
  items: Type.Array(item, { description }),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last page' })
}, { description: `A page of a list: ${description.charAt(0).toLowerCase()}${description.slice(1)}` })
