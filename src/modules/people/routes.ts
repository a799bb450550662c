import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, ref } from '../../http/common-schemas.js'
import { matchedVersion, setEtag } from '../../http/etag.js'
import { withPageSize } from '../../http/pagination.js'
import { problemResponse } from '../../http/problem-schema.js'
import { changeContext } from '../../http/request-context.js'
import { CreatePersonBody, ListPeopleQuery, Person, PersonPage, toPersonView, UpdatePersonBody } from './schemas.js'
import { createPerson, getPerson, listPeople, updatePerson } from './service.js'

const tags = ['people']
const admin = { access: { roles: ['admin'] } } as const
const readers = { access: { roles: ['admin', 'finance'] } } as const

const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('', {
    config: { ...admin, idempotent: true },
    schema: {
      tags,
      summary: 'Add a person (a manager, or someone to make a worker)',
      operationId: 'createPerson',
      description: 'Admin only. A person is named only: contributors become workers (POST /workers), managers are bound to teams and to manager keys.',
      body: CreatePersonBody,
      response: { 201: ref(Person) }
    }
  }, async (request, reply) => {
    const person = await createPerson(app.db, changeContext(request), request.body)
    setEtag(reply, person)
    return reply.code(201).header('location', `/people/${person.id}`).send(toPersonView(person))
  })

  app.get('', {
    config: readers,
    schema: {
      tags,
      summary: 'List people',
      operationId: 'listPeople',
      description: 'Admin and finance. Newest first, filtered by active.',
      querystring: ListPeopleQuery,
      response: { 200: PersonPage }
    }
  }, async (request) => {
    const page = await listPeople(app.db, withPageSize(request.query))
    return { items: page.items.map(toPersonView), nextCursor: page.nextCursor }
  })

  app.get('/:id', {
    config: readers,
    schema: {
      tags,
      summary: 'Read a person',
      operationId: 'getPerson',
      description: 'Admin and finance. With an ETag for renaming or deactivating the person.',
      params: IdParams,
      response: { 200: ref(Person), 404: problemResponse('No such person') }
    }
  }, async (request, reply) => {
    const person = await getPerson(app.db, request.params.id)
    setEtag(reply, person)
    return toPersonView(person)
  })

  app.patch('/:id', {
    config: { ...admin, ifMatch: true },
    schema: {
      tags,
      summary: 'Rename or deactivate a person',
      operationId: 'updatePerson',
      description: 'Admin only, with If-Match. Renaming a worker\'s person moves the worker\'s ETag too; deactivating a person stops their keys working.',
      params: IdParams,
      body: UpdatePersonBody,
      response: { 200: ref(Person), 404: problemResponse('No such person') }
    }
  }, async (request, reply) => {
    const person = await updatePerson(app.db, changeContext(request), request.params.id, matchedVersion(request), request.body)
    setEtag(reply, person)
    return toPersonView(person)
  })
}

export default peopleRoutes
