import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { LocalDate, ref } from '../../http/common-schemas.js'
import { pageQueryFields, withPageSize } from '../../http/pagination.js'
import { problemResponse } from '../../http/problem-schema.js'
import { todayOf } from '../../http/request-context.js'
import { EntryPage, EntryState, toEntryView } from '../entries/schemas.js'
import { listEntries } from '../entries/service.js'
import { toWorkerView, Worker } from '../workers/schemas.js'
import { findWorker } from '../workers/service.js'
import { earningsByWeek } from './earnings.js'

const tags = ['me']
const workerOnly = { access: { roles: ['worker'] } } as const

const MyEntriesQuery = Type.Object({
  state: Type.Optional(EntryState),
  from: Type.Optional(LocalDate('Work dates on or after')),
  to: Type.Optional(LocalDate('Work dates on or before')),
  ...pageQueryFields
}, { additionalProperties: false })

const EarningsQuery = Type.Object({
  from: LocalDate('First day of interest (its whole week is shown)'),
  to: LocalDate('Last day of interest (at most 53 weeks after from)')
}, { additionalProperties: false })

const Earnings = Type.Object({
  weeks: Type.Array(Type.Object({
    weekStart: LocalDate('Monday'),
    weekEnd: LocalDate('Sunday'),
    minutes: Type.Integer({ description: 'Minutes of submitted, approved and exported entries' }),
    approvedGrossPence: Type.Integer({ description: 'Gross of approved and exported entries, as frozen at approval' }),
    pendingGrossPence: Type.Integer({ description: 'Gross submitted entries would earn at today\'s rates (an estimate until approved)' }),
    capPence: Type.Union([Type.Integer(), Type.Null()], { description: 'Your weekly earnings cap (benefit guard); null if none' }),
    headroomPence: Type.Union([Type.Integer(), Type.Null()], { description: 'How much more you can earn that week under the cap, counting rolled-up holiday pay (negative: over it); null if no cap' })
  }), { description: 'One per Monday-to-Sunday week' })
})

/** A worker's own record, entries and earnings: never anyone else's. */
const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    config: workerOnly,
    schema: {
      tags,
      summary: 'My worker record',
      operationId: 'getMe',
      description: 'Worker keys only: your own worker record, with your date of birth (the one place a worker key ' +
        'is shown it).',
      response: { 200: ref(Worker) }
    }
  }, async (request) => {
    const worker = await findWorker(app.db, request.actor, request.actor.personId!)
    return toWorkerView(worker, { actor: request.actor, view: 'own-record', today: todayOf(request) })
  })

  app.get('/entries', {
    config: workerOnly,
    schema: {
      tags,
      summary: 'My entries, latest work first',
      operationId: 'listMyEntries',
      description: 'Worker keys only: your entries, latest work first.',
      querystring: MyEntriesQuery,
      response: { 200: EntryPage }
    }
  }, async (request) => {
    const page = await listEntries(app.db, request.actor, { ...withPageSize(request.query), workerId: request.actor.personId! })
    return { items: page.items.map(toEntryView), nextCursor: page.nextCursor }
  })

  app.get('/earnings', {
    config: workerOnly,
    schema: {
      tags,
      summary: 'My earnings per week, with my cap headroom',
      operationId: 'getMyEarnings',
      description: 'Worker keys only: per Monday-to-Sunday week, minutes, approved and pending gross, your cap and the headroom left under it.',
      querystring: EarningsQuery,
      response: { 200: Earnings, 422: problemResponse('`from` is after `to`, or the range is longer than allowed') }
    }
  }, async (request) => {
    const worker = await findWorker(app.db, request.actor, request.actor.personId!)
    return { weeks: await earningsByWeek(app.db, worker, request.query.from, request.query.to) }
  })
}

export default meRoutes
