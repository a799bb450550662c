import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { roles } from '../../domain/actor.js'
import { ageBandOn } from '../../domain/age.js'
import { ruleViolated } from '../../errors.js'
import { IdParams, ref } from '../../http/common-schemas.js'
import { matchedVersion, setEtag } from '../../http/etag.js'
import { withPageSize } from '../../http/pagination.js'
import { problemResponse } from '../../http/problem-schema.js'
import { changeContext, todayOf } from '../../http/request-context.js'
import { seesDateOfBirth } from '../access/personal-data.js'
import { minimumWageOn, minimumWageTable } from '../statutory/service.js'
import {
  CreateWorkerBody, ListWorkersQuery, MinimumWageQuery, toWorkerView, UpdateWorkerBody, Worker, WorkerMinimumWage,
  WorkerPage, type WorkerAudience
} from './schemas.js'
import { createWorker, findWorker, listWorkers, updateWorker } from './service.js'

const tags = ['workers']
const admin = { access: { roles: ['admin'] } } as const
// Everyone reads, scoped: a worker sees only themself, a manager the workers of their teams.
const scopedReaders = { access: { roles } } as const
const notFound = problemResponse('No such worker (or not one you may see)')
// Every answer here is a staff view: the date of birth goes to admins only (seesDateOfBirth).
const staffAudience = (request: FastifyRequest): WorkerAudience =>
  ({ actor: request.actor, view: 'staff', today: todayOf(request) })

const workerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('', {
    config: { ...admin, idempotent: true },
    schema: {
      tags,
      summary: 'Add a worker (contributor)',
      operationId: 'createWorker',
      description: 'Admin only. Only what pay needs: no bank, NI, health or lived-experience data is accepted. A person of compulsory school age cannot be put on payroll (422). Give displayName for a new person, or personId to make an existing one (e.g. a manager) a worker.',
      body: CreateWorkerBody,
      response: { 201: ref(Worker) }
    }
  }, async (request, reply) => {
    const worker = await createWorker(app.db, changeContext(request), request.body)
    setEtag(reply, worker)
    const view = toWorkerView(worker, staffAudience(request))
    return reply.code(201).header('location', `/workers/${worker.id}`).send(view)
  })

  app.get('', {
    config: scopedReaders,
    schema: {
      tags,
      summary: 'List the workers you may see',
      operationId: 'listWorkers',
      description: 'Scoped: a worker sees only themself, a manager the workers of the teams they manage, finance and ' +
        'admin everyone. Filter by team, active and payment mode. Only an admin is shown dates of birth; everyone ' +
        'gets the minimum-wage band and age band today.',
      querystring: ListWorkersQuery,
      response: { 200: WorkerPage }
    }
  }, async (request) => {
    const page = await listWorkers(app.db, request.actor, withPageSize(request.query))
    const audience = staffAudience(request)
    return { items: page.items.map((worker) => toWorkerView(worker, audience)), nextCursor: page.nextCursor }
  })

  app.get('/:id', {
    config: scopedReaders,
    schema: {
      tags,
      summary: 'Read a worker',
      operationId: 'getWorker',
      description: 'Scoped like the list; anyone out of scope answers 404. Team ids show only the teams the caller ' +
        'may see. The date of birth is shown to an admin only (a worker reads theirs on /me); everyone gets the ' +
        'minimum-wage band and age band today.',
      params: IdParams,
      response: { 200: ref(Worker), 404: notFound }
    }
  }, async (request, reply) => {
    const worker = await findWorker(app.db, request.actor, request.params.id)
    setEtag(reply, worker)
    return toWorkerView(worker, staffAudience(request))
  })

  app.patch('/:id', {
    config: { ...admin, ifMatch: true },
    schema: {
      tags,
      summary: 'Change a worker',
      operationId: 'updateWorker',
      description: 'Admin only, with If-Match. Only the fields sent change; the worker rules (school age, benefit cap, engagement dates) are checked on the result.',
      params: IdParams,
      body: UpdateWorkerBody,
      response: {
        200: ref(Worker),
        404: notFound,
        409: problemResponse('Another worker already has this payroll reference'),
        422: problemResponse('A rule is broken: payroll for a child of school age, an unknown team or pay schedule, ' +
          'dates out of order (named by `rule`)')
      }
    }
  }, async (request, reply) => {
    const worker = await updateWorker(app.db, changeContext(request), request.params.id, matchedVersion(request), request.body)
    setEtag(reply, worker)
    return toWorkerView(worker, staffAudience(request))
  })

  app.get('/:id/minimum-wage', {
    config: scopedReaders,
    schema: {
      tags,
      summary: 'The worker\'s minimum-wage band and hourly floor on a date',
      operationId: 'getWorkerMinimumWage',
      description: 'The band follows the worker\'s age on the date (the conservative reading of the NMW rules) and the figures in force that day; school age means no entitlement. ' +
        'Only those who see the date of birth (admins) get the exact age and may ask about any date; everyone else gets the age band, for dates from the worker\'s engagement start ' +
        '(an earlier date is 422 date_before_engagement), so the date of birth cannot be worked out by asking about dates in turn.',
      params: IdParams,
      querystring: MinimumWageQuery,
      response: {
        200: WorkerMinimumWage,
        404: notFound,
        422: problemResponse('A date before the worker was born, or (unless you see the date of birth) before their engagement')
      }
    }
  }, async (request) => {
    const worker = await findWorker(app.db, request.actor, request.params.id)
    const seesBirth = seesDateOfBirth(request.actor, 'staff')
    if (!seesBirth && request.query.date < worker.engagementStartDate) {
      const detail = `Ask about dates from the worker's engagement start (${worker.engagementStartDate})`
      throw ruleViolated('date_before_engagement', detail, { field: '/date' })
    }
    const { age, ...judged } = minimumWageOn(worker, request.query.date, await minimumWageTable(app.db))
    const ageBand = ageBandOn(worker.dateOfBirth, request.query.date)
    return { workerId: worker.id, ...judged, ageBand, ...(seesBirth ? { age } : {}) }
  })
}

export default workerRoutes
