import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { roles } from '../../domain/actor.js'
import { wageBands } from '../../domain/minimum-wage.js'
import { hoursForMinutes } from '../../domain/money.js'
import { attachment, fileNamePart } from '../../http/attachment.js'
import { IdParams, LocalDate, Nullable, Uuid } from '../../http/common-schemas.js'
import { problemResponse } from '../../http/problem-schema.js'
import { decimalCell, poundsCell, renderCsv } from '../exports/formats/csv-writer.js'
import { toPayPeriodView } from '../pay-periods/schemas.js'
import { payRecord } from './service.js'

const PayRecordQuery = Type.Object({
  periodId: Uuid('Pay period'),
  format: Type.Optional(Type.Enum(['json', 'csv'], { default: 'json', description: 'JSON, or CSV (one row per entry) to keep or hand over' }))
}, { additionalProperties: false })

const PayRecord = Type.Object({
  workerId: Uuid('Worker'),
  workerName: Type.String({ description: 'Name' }),
  payrollReference: Nullable(Type.String(), 'Works number'),
  period: Type.Ref('PayPeriod'),
  days: Type.Array(Type.Object({
    date: LocalDate('Work date'),
    minutes: Type.Integer({ description: 'Minutes paid that day (corrections signed)' }),
    hoursText: Type.String({ description: 'The same in hours, 2 dp rounded up' }),
    grossPence: Type.Integer({ description: 'Gross that day' }),
    entries: Type.Array(Type.Object({
      entryId: Uuid('Entry'),
      kind: Type.Enum(['work', 'adjustment'], { description: 'A session or a correction' }),
      state: Type.Enum(['approved', 'exported'], { description: 'Approved, or already sent to payroll' }),
      activity: Type.String({ description: 'Activity' }),
      startTime: Nullable(Type.String(), 'Start (local)'),
      endTime: Nullable(Type.String(), 'Finish (local)'),
      breakMinutes: Type.Integer({ description: 'Break' }),
      minutes: Type.Integer({ description: 'Minutes paid' }),
      rateUnit: Type.Enum(['hour', 'session'], { description: 'Per hour or per session' }),
      ratePence: Type.Integer({ description: 'Rate paid' }),
      grossPence: Type.Integer({ description: 'Gross' }),
      band: Type.Enum([...wageBands, 'school_age'], { description: 'Minimum-wage band that day' }),
      floorPencePerHour: Nullable(Type.Integer(), 'Minimum wage that day, pence per hour')
    }), { description: 'Sessions and corrections that day' })
  }), { description: 'Each day with paid work' }),
  totalMinutes: Type.Integer({ description: 'Minutes in the period' }),
  totalHoursText: Type.String({ description: 'Hours in the period, 2 dp rounded up' }),
  grossPence: Type.Integer({ description: 'Gross in the period' })
}, { description: 'A worker\'s National Minimum Wage record for a pay period' })

const CSV_COLUMNS = ['date', 'entry_id', 'kind', 'state', 'activity', 'start', 'finish', 'break_minutes', 'minutes', 'hours', 'rate_unit', 'rate', 'gross', 'band', 'minimum_wage_per_hour'] as const

/** NMW records (README "UK rules"): producible per worker per pay period. */
const payRecordRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/:id/pay-record', {
    config: { access: { roles } },
    schema: {
      tags: ['workers'],
      summary: 'A worker\'s minimum-wage record for a pay period: daily times, breaks, hours, rate paid, and the floor in force',
      operationId: 'getWorkerPayRecord',
      description: 'The National Minimum Wage record (NMW Regulations 2015 reg 59, kept 6 years): each day of approved work in the period with start and finish, breaks, minutes, the rate paid and the floor in force. Scoped: a manager sees only the entries of the teams they manage.',
      params: IdParams,
      querystring: PayRecordQuery,
      response: {
        // Both bodies are documented by media type: the OpenAPI document listed only JSON, so a
        // client following it could not expect the CSV that format=csv answers (found by the
        // fuzzer, test/fuzz/openapi-fuzz.test.ts).
        200: {
          description: 'The record (JSON), or CSV with format=csv',
          content: {
            'application/json': { schema: PayRecord },
            'text/csv': { schema: Type.String({ description: `One row per entry: ${CSV_COLUMNS.join(', ')}` }) }
          }
        },
        404: problemResponse('No such worker (or not one you may see), or no such period')
      }
    }
  }, async (request, reply) => {
    const record = await payRecord(app.db, request.actor, request.params.id, request.query.periodId)
    if (request.query.format === 'csv') {
      async function * rows () {
        for (const day of record.days) {
          for (const e of day.entries) {
            yield [day.date, e.entryId, e.kind, e.state, e.activity, e.startTime, e.endTime, e.breakMinutes, e.minutes,
              decimalCell(hoursForMinutes(e.minutes).text), e.rateUnit,
              poundsCell(e.ratePence), poundsCell(e.grossPence), e.band, e.floorPencePerHour === null ? null : poundsCell(e.floorPencePerHour)]
          }
        }
      }
      return reply.type('text/csv; charset=utf-8')
        .header('content-disposition', attachment(
          `pay-record-${fileNamePart(record.worker.payrollReference ?? record.worker.id)}-${record.period.startDate}.csv`))
        .send(Readable.from(renderCsv(rows(), CSV_COLUMNS)))
    }
    return {
      workerId: record.worker.id,
      workerName: record.worker.displayName,
      payrollReference: record.worker.payrollReference,
      period: toPayPeriodView(record.period),
      days: record.days,
      totalMinutes: record.totalMinutes,
      totalHoursText: record.totalHoursText,
      grossPence: record.grossPence
    }
  })
}

export default payRecordRoutes
