import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { roles } from '../../domain/actor.js'
import { IdParams, ref } from '../../http/common-schemas.js'
import { matchedVersion, setEtag } from '../../http/etag.js'
import { withPageSize } from '../../http/pagination.js'
import { problemResponse } from '../../http/problem-schema.js'
import { changeContext } from '../../http/request-context.js'
import { ActivityType, ActivityTypePage, CreateActivityTypeBody, ListActivityTypesQuery, toActivityTypeView, UpdateActivityTypeBody } from './schemas.js'
import { createActivityType, getActivityType, listActivityTypes, updateActivityType } from './service.js'

const tags = ['activity types']
const admin = { access: { roles: ['admin'] } } as const
const everyone = { access: { roles } } as const
const notFound = problemResponse('No such activity type')

const activityTypeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('', {
    config: { ...admin, idempotent: true },
    schema: {
      tags,
      summary: 'Create an activity type',
      operationId: 'createActivityType',
      description: 'Admin only. Code and unit never change afterwards; rates and entries depend on them. ' +
        'sagePaymentNumber is the activity\'s payment number in Sage 50 Payroll, needed before a sage50 file with ' +
        'its payroll lines can be downloaded.',
      body: CreateActivityTypeBody,
      response: { 201: ref(ActivityType) }
    }
  }, async (request, reply) => {
    const row = await createActivityType(app.db, changeContext(request), request.body)
    setEtag(reply, row)
    return reply.code(201).header('location', `/activity-types/${row.id}`).send(toActivityTypeView(row))
  })

  app.get('', {
    config: everyone,
    schema: {
      tags,
      summary: 'List activity types',
      operationId: 'listActivityTypes',
      description: 'Every key reads activity types: workers need them to record sessions.',
      querystring: ListActivityTypesQuery,
      response: { 200: ActivityTypePage }
    }
  }, async (request) => {
    const page = await listActivityTypes(app.db, withPageSize(request.query))
    return { items: page.items.map(toActivityTypeView), nextCursor: page.nextCursor }
  })

  app.get('/:id', {
    config: everyone,
    schema: {
      tags,
      summary: 'Read an activity type',
      operationId: 'getActivityType',
      description: 'Every key reads activity types, with an ETag for changing one.',
      params: IdParams,
      response: { 200: ref(ActivityType), 404: notFound }
    }
  }, async (request, reply) => {
    const row = await getActivityType(app.db, request.params.id)
    setEtag(reply, row)
    return toActivityTypeView(row)
  })

  app.patch('/:id', {
    config: { ...admin, ifMatch: true },
    schema: {
      tags,
      summary: 'Rename, re-code for payroll, or deactivate an activity type',
      operationId: 'updateActivityType',
      description: 'Admin only, with If-Match: name, pay element code, Sage 50 payment number and active flag. A ' +
        'sage50 file already downloaded keeps the payment numbers it was first rendered with.',
      params: IdParams,
      body: UpdateActivityTypeBody,
      response: { 200: ref(ActivityType), 404: notFound }
    }
  }, async (request, reply) => {
    const row = await updateActivityType(app.db, changeContext(request), request.params.id, matchedVersion(request), request.body)
    setEtag(reply, row)
    return toActivityTypeView(row)
  })
}

export default activityTypeRoutes
