import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { LocalDate, Uuid } from '../../http/common-schemas.js'
import { problemResponse } from '../../http/problem-schema.js'
import { toPayPeriodView } from '../pay-periods/schemas.js'
import { periodSummary, timeToPay } from './service.js'

const tags = ['reports']
const finance = { access: { roles: ['finance', 'admin'] } } as const

const Group = Type.Object({
  key: Type.String({ description: 'Id of the team or activity, or the payment mode' }),
  name: Type.String({ description: 'Its name' }),
  minutes: Type.Integer({ description: 'Minutes (corrections signed)' }),
  grossPence: Type.Integer({ description: 'Gross frozen at approval' }),
  entryCount: Type.Integer({ description: 'Entries and corrections' })
}, { description: 'One group of approved or exported work' })

const PeriodSummary = Type.Object({
  period: Type.Ref('PayPeriod'),
  byTeam: Type.Array(Group, { description: 'By team' }),
  byActivity: Type.Array(Group, { description: 'By activity' }),
  byPaymentMode: Type.Array(Group, { description: 'By payment mode (payroll, voucher, declined)' }),
  totals: Type.Object({
    minutes: Type.Integer({ description: 'Minutes' }),
    grossPence: Type.Integer({ description: 'Gross' }),
    entryCount: Type.Integer({ description: 'Entries' })
  }, { description: 'All approved or exported work dated in the period' }),
  undecided: Type.Array(Type.Object({
    state: Type.Enum(['draft', 'submitted', 'rejected'], { description: 'Where the entry stands' }),
    entryCount: Type.Integer({ description: 'Entries' }),
    minutes: Type.Integer({ description: 'Minutes' })
  }), { description: 'Work dated in the period not yet approved' })
}, { description: 'Hours and gross of a period' })

const TimeToPay = Type.Object({
  batches: Type.Array(Type.Object({
    exportId: Uuid('Batch'),
    batchNumber: Type.Integer({ description: 'Batch number' }),
    periodStartDate: LocalDate('Period start'),
    periodEndDate: LocalDate('Period end'),
    payDate: LocalDate('Pay date'),
    exportedOn: LocalDate('Local date of the export'),
    entryCount: Type.Integer({ description: 'Entries carried' }),
    medianDays: Type.Number({ description: 'Median days from work date to export' }),
    p90Days: Type.Number({ description: '90th percentile of days from work date to export' }),
    maxDays: Type.Integer({ description: 'Longest wait in days' })
  }), { description: 'Newest batch first' })
}, { description: 'How long contributors wait from doing the work to it being sent to payroll' })

const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/period-summary', {
    config: finance,
    schema: {
      tags,
      summary: 'Hours and gross of a pay period by team, activity and payment mode',
      operationId: 'getPeriodSummary',
      description: 'Finance and admin. Approved and exported work dated in the period (corrections included), by team, activity and payment mode, and what is still undecided.',
      querystring: Type.Object({ periodId: Uuid('Pay period') }, { additionalProperties: false }),
      response: { 200: PeriodSummary, 404: problemResponse('No such pay period') }
    }
  }, async (request) => {
    const summary = await periodSummary(app.db, request.query.periodId)
    return { ...summary, period: toPayPeriodView(summary.period) }
  })

  app.get('/time-to-pay', {
    config: finance,
    schema: {
      tags,
      summary: 'Days from work date to the export that carried it: median and 90th percentile per batch',
      operationId: 'getTimeToPay',
      description: 'Finance and admin. For each batch, the days from each entry\'s work date to the export that carried it: slow payment is the documented barrier for contributors.',
      querystring: Type.Object({
        payScheduleId: Type.Optional(Uuid('Only this schedule')),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 24, description: 'Batches to report (newest first)' }))
      }, { additionalProperties: false }),
      response: { 200: TimeToPay }
    }
  }, async (request) => ({ batches: await timeToPay(app.db, app.config.TZ_NAME, { ...request.query, limit: request.query.limit ?? 24 }) }))
}

export default reportRoutes
