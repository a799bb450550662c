import Type, { type Static } from 'typebox'
import { Instant, Uuid } from '../../http/common-schemas.js'
import { pageOf, pageQueryFields } from '../../http/pagination.js'
import type { PersonRow } from './service.js'

export const DisplayName = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'Name shown to colleagues and on exports (not necessarily a legal name)' })

export const Person = Type.Object({
  id: Uuid('Person id (a worker\'s id is their person id)'),
  displayName: Type.String({ description: 'Name shown to colleagues' }),
  active: Type.Boolean({ description: 'False: the person\'s API keys stop working' }),
  createdAt: Instant('When the record was made'),
  updatedAt: Instant('Last change'),
  version: Type.Integer({ description: 'Changes on every update; part of the ETag' })
}, { $id: 'Person', description: 'Someone the service knows by name: a contributor or a manager' })

export const CreatePersonBody = Type.Object({ displayName: DisplayName }, { additionalProperties: false })

export const UpdatePersonBody = Type.Object({
  displayName: Type.Optional(DisplayName),
  active: Type.Optional(Type.Boolean({ description: 'False stops the person\'s API keys working' }))
}, { additionalProperties: false, minProperties: 1 })

export const ListPeopleQuery = Type.Object({
  active: Type.Optional(Type.Boolean({ description: 'Only active (true) or inactive (false) people' })),
  ...pageQueryFields
}, { additionalProperties: false })

export const PersonPage = pageOf(Type.Ref('Person'), 'People, newest first')

export const toPersonView = (row: PersonRow): Static<typeof Person> => ({
  id: row.id,
  displayName: row.displayName,
  active: row.active,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  version: row.version
})

export const peopleSchemas = [Person]
