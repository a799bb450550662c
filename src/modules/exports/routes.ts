import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { attachment } from '../../http/attachment.js'
import { IdParams, ref } from '../../http/common-schemas.js'
import { withPageSize } from '../../http/pagination.js'
import { problemResponse } from '../../http/problem-schema.js'
import { changeContext } from '../../http/request-context.js'
import { createExport, type BatchRow } from './claim.js'
import { exportFormats } from './formats/index.js'
import type { ExportLine } from './model.js'
import { ExportPage, ExportSummary, FileParams, ListExportsQuery } from './schemas.js'
import { exportFile, fileDigests, getExport, listExports } from './service.js'
import { exportSource, linesOf, toTotals } from './source.js'

const tags = ['exports']
const finance = { access: { roles: ['finance', 'admin'] } } as const
const noExport = problemResponse('No such export')

async function collect<T> (items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = []
  for await (const item of items) all.push(item)
  return all
}

const listItem = (batch: BatchRow) => ({
  id: batch.id,
  number: batch.number,
  payPeriodId: batch.payPeriodId,
  payScheduleName: batch.payScheduleName,
  periodStartDate: batch.periodStartDate,
  periodEndDate: batch.periodEndDate,
  payDate: batch.payDate,
  createdAt: batch.createdAt.toISOString(),
  totals: toTotals(batch)
})

/**
 * Workers the batch pays less than nothing (their corrections claw back more than this batch
 * pays them, holiday pay included): payroll must recover it, so they are listed, never netted.
 */
function recoveriesIn (lines: ExportLine[]) {
  type Recovery = Pick<ExportLine, 'workerId' | 'payrollReference' | 'workerName' | 'paymentMode'> & { netPence: number }
  const byWorker = new Map<string, Recovery>()
  for (const { workerId, payrollReference, workerName, paymentMode, grossPence } of lines) {
    const key = `${workerId} ${paymentMode}`
    const worker = byWorker.get(key) ?? { workerId, payrollReference, workerName, paymentMode, netPence: 0 }
    worker.netPence += grossPence
    byWorker.set(key, worker)
  }
  return [...byWorker.values()].filter((worker) => worker.netPence < 0)
}

const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function summary (batch: BatchRow) {
    const source = exportSource(app.db, batch)
    const lines = await linesOf(app.db, batch.id)
    const digests = new Map((await fileDigests(app.db, batch.id)).map((file) => [file.format, file.sha256]))
    return {
      ...listItem(batch),
      payScheduleId: batch.payScheduleId,
      lines,
      payrollDifferences: lines.filter((line) => line.differencePence !== null && line.differencePence !== 0).map((line) => ({
        lineNo: line.lineNo,
        payrollReference: line.payrollReference,
        hoursText: line.hoursText!,
        ratePence: line.ratePence!,
        grossPence: line.grossPence,
        payrollComputedPence: line.payrollComputedPence!,
        differencePence: line.differencePence!
      })),
      recoveries: recoveriesIn(lines),
      declined: (await collect(source.declined())).map(({ workerId, workerName, minutes, entryCount }) => ({ workerId, workerName, minutes, entryCount })),
      accruedHoliday: await collect(source.accruedHoliday()),
      files: exportFormats.map((format) => ({
        format: format.name,
        description: format.description,
        url: `/exports/${batch.id}/files/${format.name}`,
        sha256: digests.get(format.name) ?? null
      }))
    }
  }

  app.post('/pay-periods/:id/exports', {
    config: { access: { roles: ['finance'] }, idempotent: true },
    schema: {
      tags,
      summary: 'Export a closed period: claim every approved entry not yet exported up to its end (late ones included) into an immutable batch',
      operationId: 'createExport',
      description: 'Finance, for a closed period. In one transaction, claims every approved entry not yet exported ' +
        'dated up to the period\'s end (earlier ones are marked late) and freezes the batch: lines per worker x pay ' +
        'element x activity type x rate, rolled-up holiday pay lines, accrued holiday, voucher and declined lists, ' +
        'totals. No payroll codes are needed to export: a file that prints them checks them when downloaded. Each ' +
        'entry is claimed by exactly one batch (a database constraint), so concurrent calls make one batch and the ' +
        'rest get 409. Nothing to claim is a 409; a payroll worker without a payroll reference is a 422 naming ' +
        'them. The money invariants are judged again over what would be claimed: an entry whose approved ' +
        'corrections take back more than it paid (422 correction_exceeds_entry, naming each entry and its net) or a ' +
        'worker\'s week over a blocking earnings cap with no override (409 earnings_cap_exceeded, naming each week, ' +
        'its gross and the cap) stops the export and nothing is claimed. Workers whose lines add up to less than ' +
        'nothing are listed in `recoveries`.',
      params: IdParams,
      response: {
        201: ref(ExportSummary),
        404: problemResponse('No such pay period'),
        409: problemResponse('The period is open or already exported, nothing is waiting to be exported, or a week ' +
          'is over a blocking cap (listed)'),
        422: problemResponse('Workers to be paid through payroll have no payroll reference, or corrections take ' +
          'back more than an entry paid (listed)')
      }
    }
  }, async (request, reply) => {
    const batch = await createExport(app.db, changeContext(request), request.params.id)
    return reply.code(201).header('location', `/exports/${batch.id}`).send(await summary(batch))
  })

  app.get('/exports', {
    config: finance,
    schema: {
      tags,
      summary: 'List export batches, newest first',
      operationId: 'listExports',
      description: 'Finance and admin. Newest first, with totals.',
      querystring: ListExportsQuery,
      response: { 200: ExportPage }
    }
  }, async (request) => {
    const page = await listExports(app.db, withPageSize(request.query))
    return { items: page.items.map(listItem), nextCursor: page.nextCursor }
  })

  app.get('/exports/:id', {
    config: finance,
    schema: {
      tags,
      summary: 'An export batch: totals, lines, payroll differences, declined and accrued-holiday lists, files',
      operationId: 'getExport',
      description: 'Finance and admin. Totals reconcile to the penny with the claimed entries; payrollDifferences lists hourly lines where hours x rate (as payroll computes it) differs from the line\'s gross; files lists every format with its SHA-256 once rendered.',
      params: IdParams,
      response: { 200: ref(ExportSummary), 404: noExport }
    }
  }, async (request) => summary(await getExport(app.db, request.params.id)))

  app.get('/exports/:id/files/:format', {
    config: finance,
    schema: {
      tags,
      summary: 'Download a batch in a payroll format: streamed, the same bytes every time, with a strong ETag and its SHA-256',
      operationId: 'downloadExportFile',
      description: 'Finance and admin. Rendered afresh from the frozen batch for each download and byte-identical every ' +
        'time; the strong ETag is the file\'s SHA-256 (also in Repr-Digest and x-content-sha256), and If-None-Match ' +
        'answers 304. CSV cells that could run as spreadsheet formulas are escaped. A format that prints the payroll ' +
        'software\'s own codes (sage50: Sage department and payment numbers) needs them on every team, activity type ' +
        'and (for holiday pay) pay schedule of the batch\'s payroll lines: one not set is a 422 ' +
        '`missing_payroll_codes` listing each (`missing`: entityType, id, name, field) and nothing is recorded; the ' +
        'codes are kept from the first download, so later changes never alter a file.',
      params: FileParams,
      response: {
        200: {
          description: 'The file (CSV or JSON by format); `Repr-Digest` carries its SHA-256',
          content: { 'text/csv': { schema: Type.String() }, 'application/json': { schema: Type.String() } }
        },
        304: { description: 'Not modified (If-None-Match matched)', type: 'null' },
        404: noExport,
        422: problemResponse('The format prints the payroll software\'s own codes and a team, activity type or pay ' +
          'schedule of the batch\'s payroll lines has none set (each listed in `missing`)')
      }
    }
  }, async (request, reply) => {
    const file = await exportFile(app.db, request.params.id, request.params.format)
    const etag = `"${file.sha256}"`
    reply.header('etag', etag).header('cache-control', 'private, no-cache')
    if (request.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag) === true) return reply.code(304).send(null)
    const batch = await getExport(app.db, request.params.id)
    // Each download is rendered again and checked against the recorded digest. Were a renderer
    // ever to change, the response is cut off before its end (never completed with bytes that
    // do not match the ETag and digest already sent), and the mismatch is logged.
    const hash = createHash('sha256')
    const stream = Readable.from((async function * () {
      for await (const chunk of file.chunks()) {
        hash.update(chunk)
        yield chunk
      }
      if (hash.digest('hex') !== file.sha256) {
        request.log.error({ batchId: batch.id, format: file.format.name }, 'export file rendered differently from its recorded digest')
        throw new Error('export file does not match its recorded digest')
      }
    })())
    return reply
      .type(file.format.contentType)
      .header('content-disposition',
        attachment(`sessional-pay-batch-${batch.number}-${file.format.name}.${file.format.fileExtension}`))
      .header('repr-digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`)
      .header('x-content-sha256', file.sha256)
      .send(stream)
  })
}

export default exportRoutes
