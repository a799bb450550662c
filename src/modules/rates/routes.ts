import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { roles } from '../../domain/actor.js'
import { IdParams, ref } from '../../http/common-schemas.js'
import { matchedVersion, setEtag } from '../../http/etag.js'
import { withPageSize } from '../../http/pagination.js'
import { problemResponse } from '../../http/problem-schema.js'
import { changeContext } from '../../http/request-context.js'
import { findWorker } from '../workers/service.js'
import { CreatedRate, CreateRateBody, ListRatesQuery, Rate, RatePage, ResolvedRate, ResolveRateQuery, toRateView, UpdateRateBody } from './schemas.js'
import { createRate, findRate, listRates, resolveRate, updateRate } from './service.js'

const tags = ['rates']
const admin = { access: { roles: ['admin'] } } as const
// Scoped: default rates, and those of the teams and workers the caller may see.
const scopedReaders = { access: { roles } } as const
const notFound = problemResponse('No such rate (or not one you may see)')

const rateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('', {
    config: { ...admin, idempotent: true },
    schema: {
      tags,
      summary: 'Add a rate (closes an earlier open-ended rate of the same activity and scope)',
      operationId: 'createRate',
      description: 'Admin only. A rate of the same activity and scope that is open-ended and starts earlier is closed the day before this one starts (audited); any other overlap is refused by the database (409). A worker rate below the worker\'s minimum wage on its first day is refused (422, naming both figures); team and default rates below an active member\'s floor succeed with warnings naming who.',
      body: CreateRateBody,
      response: { 201: ref(CreatedRate) }
    }
  }, async (request, reply) => {
    const { rate, warnings, closedRate } = await createRate(app.db, changeContext(request), request.body)
    setEtag(reply, rate)
    return reply.code(201).header('location', `/rates/${rate.id}`).send({ ...toRateView(rate), warnings, closedRateId: closedRate?.id ?? null })
  })

  app.get('', {
    config: scopedReaders,
    schema: {
      tags,
      summary: 'List the rates you may see',
      operationId: 'listRates',
      description: 'Scoped: default rates, and the rates of teams and workers the caller may see. Filter by activity, scope, team, worker, or the date a rate is in force.',
      querystring: ListRatesQuery,
      response: { 200: RatePage }
    }
  }, async (request) => {
    const page = await listRates(app.db, request.actor, withPageSize(request.query))
    return { items: page.items.map(toRateView), nextCursor: page.nextCursor }
  })

  app.get('/resolve', {
    config: scopedReaders,
    schema: {
      tags,
      summary: 'The rate that applies to a worker\'s activity on a date, and why',
      operationId: 'resolveRate',
      description: 'Worker beats team beats default. A worker in several teams whose team rates differ is a 409 naming the teams, unless teamId names the team the work was for. Scoped: only the worker\'s teams the caller may see take part.',
      querystring: ResolveRateQuery,
      response: { 200: ResolvedRate, 404: problemResponse('No such worker, or no rate applies on that date'), 409: problemResponse('The worker\'s teams have conflicting rates: name the team'), 422: problemResponse('The worker is not in the named team') }
    }
  }, async (request) => {
    // Scoped: only the worker's teams the caller may see take part (their teamIds, filtered).
    const worker = await findWorker(app.db, request.actor, request.query.workerId)
    const seesAll = request.actor.role === 'admin' || request.actor.role === 'finance'
    const resolved = await resolveRate(app.db, { ...request.query, ...(seesAll ? {} : { withinTeams: worker.teamIds }) })
    return { ...resolved, rate: toRateView(resolved.rate) }
  })

  app.get('/:id', {
    config: scopedReaders,
    schema: {
      tags,
      summary: 'Read a rate',
      operationId: 'getRate',
      description: 'Scoped like the list.',
      params: IdParams,
      response: { 200: ref(Rate), 404: notFound }
    }
  }, async (request, reply) => {
    const rate = await findRate(app.db, request.actor, request.params.id)
    setEtag(reply, rate)
    return toRateView(rate)
  })

  app.patch('/:id', {
    config: { ...admin, ifMatch: true },
    schema: {
      tags,
      summary: 'Set or clear a rate\'s last day',
      operationId: 'updateRate',
      description: 'Admin only, with If-Match. Only the last day changes; a different amount is a new rate.',
      params: IdParams,
      body: UpdateRateBody,
      response: { 200: ref(Rate), 404: notFound, 409: problemResponse('The new range would overlap another rate'), 422: problemResponse('The rate would end before it starts') }
    }
  }, async (request, reply) => {
    const rate = await updateRate(app.db, changeContext(request), request.params.id, matchedVersion(request), request.body)
    setEtag(reply, rate)
    return toRateView(rate)
  })
}

export default rateRoutes
