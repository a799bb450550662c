import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { roles } from '../../domain/actor.js'
import { IdParams, ref } from '../../http/common-schemas.js'
import { matchedVersion, setEtag } from '../../http/etag.js'
import { pageOf, pageQueryFields, withPageSize } from '../../http/pagination.js'
import { problemResponse } from '../../http/problem-schema.js'
import { changeContext } from '../../http/request-context.js'
import {
  CreatePayScheduleBody, ForDateQuery, PayPeriod, PaySchedule, PeriodsQuery, ReopenBody, toPayPeriodView, toPayScheduleView, UpdatePayScheduleBody
} from './schemas.js'
import {
  closePayPeriod, createPaySchedule, getPayPeriod, getPaySchedule, listPaySchedules, periodForDate, periodsOf, reopenPayPeriod, updatePaySchedule
} from './service.js'

const tags = ['pay periods']
const finance = { access: { roles: ['finance', 'admin'] } } as const
// Schedules and period dates are not personal: every key reads them (a worker sees pay dates).
const everyone = { access: { roles } } as const
const noSchedule = problemResponse('No such pay schedule')
const noPeriod = problemResponse('No such pay period')

/** Pay schedules (finance sets them) and their derived periods. */
export const payScheduleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('', {
    config: { ...finance, idempotent: true },
    schema: {
      tags,
      summary: 'Create a pay schedule',
      operationId: 'createPaySchedule',
      description: 'Finance and admin. Periods tile the calendar from the anchor date (monthly periods start on the anchor\'s day of the month, or the last day of shorter months). The first schedule becomes the default for workers without one.',
      body: CreatePayScheduleBody,
      response: { 201: ref(PaySchedule) }
    }
  }, async (request, reply) => {
    const schedule = await createPaySchedule(app.db, changeContext(request), request.body)
    setEtag(reply, schedule)
    return reply.code(201).header('location', `/pay-schedules/${schedule.id}`).send(toPayScheduleView(schedule))
  })

  app.get('', {
    config: everyone,
    schema: {
      tags,
      summary: 'List pay schedules',
      operationId: 'listPaySchedules',
      description: 'Every key: schedules and pay dates are not personal.',
      querystring: Type.Object({ ...pageQueryFields }, { additionalProperties: false }),
      response: { 200: pageOf(Type.Ref('PaySchedule'), 'Schedules by name') }
    }
  }, async (request) => {
    const page = await listPaySchedules(app.db, withPageSize(request.query))
    return { items: page.items.map(toPayScheduleView), nextCursor: page.nextCursor }
  })

  app.get('/:id', {
    config: everyone,
    schema: {
      tags,
      summary: 'Read a pay schedule',
      operationId: 'getPaySchedule',
      description: 'Every key: schedules are not personal. With an ETag for changing it.',
      params: IdParams,
      response: { 200: ref(PaySchedule), 404: noSchedule }
    }
  }, async (request, reply) => {
    const schedule = await getPaySchedule(app.db, request.params.id)
    setEtag(reply, schedule)
    return toPayScheduleView(schedule)
  })

  app.patch('/:id', {
    config: { ...finance, ifMatch: true },
    schema: {
      tags,
      summary: 'Rename a schedule, change its pay-date offset or payroll codes, or make it the default',
      operationId: 'updatePaySchedule',
      description: 'Finance and admin, with If-Match. Frequency and anchor never change: they define periods already closed and exported.',
      params: IdParams,
      body: UpdatePayScheduleBody,
      response: {
        200: ref(PaySchedule),
        404: noSchedule,
        409: problemResponse('Another schedule already has this ' +
        'name')
      }
    }
  }, async (request, reply) => {
    const schedule = await updatePaySchedule(app.db, changeContext(request), request.params.id, matchedVersion(request), request.body)
    setEtag(reply, schedule)
    return toPayScheduleView(schedule)
  })

  app.get('/:id/periods', {
    config: everyone,
    schema: {
      tags,
      summary: 'The schedule\'s periods overlapping a date range',
      operationId: 'listPayPeriods',
      description: 'Every key. Periods are computed from the schedule on each read (a read records nothing): a ' +
        'period never acted on is `open` at version 1; one closed, reopened or exported is shown as recorded. A ' +
        'period\'s id is the same before and after it is first acted on, so the ids listed close and export it. ' +
        'Paged like every list (limit, cursor, nextCursor); the range is at most ten years.',
      params: IdParams,
      querystring: PeriodsQuery,
      response: {
        200: pageOf(Type.Ref('PayPeriod'), 'Periods in order'),
        404: noSchedule,
        422: problemResponse('`from` is after `to`, the range is over ten years, or it falls outside the years 0001 to 9999')
      }
    }
  }, async (request) => {
    const page = await periodsOf(app.db, request.params.id, withPageSize(request.query))
    return { items: page.items.map(toPayPeriodView), nextCursor: page.nextCursor }
  })

  app.get('/:id/period-for-date', {
    config: everyone,
    schema: {
      tags,
      summary: 'The schedule\'s period holding a date',
      operationId: 'getPayPeriodForDate',
      description: 'Every key. The period of the schedule that holds the date, with its ETag for closing it; computed ' +
        'from the schedule (a read records nothing) unless it was acted on.',
      params: IdParams,
      querystring: ForDateQuery,
      response: { 200: ref(PayPeriod), 404: noSchedule }
    }
  }, async (request, reply) => {
    const period = await periodForDate(app.db, request.params.id, request.query.date)
    setEtag(reply, period)
    return toPayPeriodView(period)
  })
}

/** Periods: read, close, reopen. Exports of a period are in the exports module. */
export const payPeriodRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/:id', {
    config: everyone,
    schema: {
      tags,
      summary: 'Read a pay period',
      operationId: 'getPayPeriod',
      description: 'Every key: pay periods and their states, with an ETag for closing or reopening.',
      params: IdParams,
      response: { 200: ref(PayPeriod), 404: noPeriod }
    }
  }, async (request, reply) => {
    const period = await getPayPeriod(app.db, request.params.id)
    setEtag(reply, period)
    return toPayPeriodView(period)
  })

  app.post('/:id/close', {
    config: { access: { roles: ['finance'] }, idempotent: true, ifMatch: true },
    schema: {
      tags,
      summary: 'Close a period (its entries may still be approved: they become late entries for the next export)',
      operationId: 'closePayPeriod',
      description: 'Finance, with If-Match. Entries dated in a closed period may still be approved: they are late entries and go into the next export.',
      params: IdParams,
      response: { 200: ref(PayPeriod), 404: noPeriod }
    }
  }, async (request, reply) => {
    const period = await closePayPeriod(app.db, changeContext(request), request.params.id, matchedVersion(request))
    setEtag(reply, period)
    return toPayPeriodView(period)
  })

  app.post('/:id/reopen', {
    config: { access: { roles: ['finance'] }, idempotent: true, ifMatch: true },
    schema: {
      tags,
      summary: 'Reopen a closed period, with a reason (refused once exported)',
      operationId: 'reopenPayPeriod',
      description: 'Finance, with If-Match and a reason (audited). Refused once the period is exported.',
      params: IdParams,
      body: ReopenBody,
      response: { 200: ref(PayPeriod), 404: noPeriod }
    }
  }, async (request, reply) => {
    const period = await reopenPayPeriod(app.db, changeContext(request), request.params.id, matchedVersion(request), request.body.reason)
    setEtag(reply, period)
    return toPayPeriodView(period)
  })
}
