// Baseline routes for the benchmarks: the same database work as the app's routes with nothing
// else (no auth, validation, rules, audit or idempotency), on the same database handle. They
// are registered only on the bench server's second Fastify instance, never on the real app.
import type { Readable } from 'node:stream'
import { and, desc, eq, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import type { DatabaseHandle } from '../../src/db/open.js'
import { decodeCursor, encodeCursor } from '../../src/db/pagination.js'
import { teamManagers, timesheetEntries } from '../../src/db/schema.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * The select the CSV download streams (export_entries of a batch in file order), with the same
 * columns formatted as the csv format prints them, for `COPY (...) TO STDOUT`.
 */
export const copySelect = (batchId: string): string => {
  if (!UUID.test(batchId)) throw new Error('not a batch id')
  return `select b.number as batch_number, b.id as batch_id, b.period_start_date as period_start, b.period_end_date as period_end,
    b.pay_date, x.line_no, x.entry_id, x.kind, x.corrects_entry_id, coalesce(x.payroll_reference, '') as payroll_reference,
    x.worker_name, x.department, x.cost_centre, x.activity_code, x.pay_element_code, x.work_date, x.start_time, x.end_time,
    x.break_minutes, x.minutes, x.line_unit as unit,
    case when x.line_unit = 'amount' then null else to_char(x.rate_pence / 100.0, 'FM999999990.00') end as rate,
    to_char(x.gross_pence / 100.0, 'FM999999990.00') as gross, x.payment_mode, case when x.late then 'true' else 'false' end as late,
    to_char(x.approved_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as approved_at
  from export_entries x join export_batches b on b.id = x.batch_id
  where x.batch_id = '${batchId}' order by x.seq`
}

interface BareEntryBody {
  workerId: string
  activityTypeId: string
  teamId: string
  workDate: string
  startTime: string
  endTime: string
  notes?: string
}

/**
 * `url`: the Postgres server (absent on PGlite). The COPY baseline gets a connection of its own
 * (postgres.js, the same client library and options as the pool) for each run: a COPY stream
 * read with back-pressure can leave a pooled postgres.js connection paused for good when
 * CopyData and CopyDone arrive in one chunk (porsager/postgres#499, fix pending in #1016), and
 * the next query on it would hang.
 */
export function registerBareRoutes (bare: FastifyInstance, database: DatabaseHandle, url: string | undefined, statementTimeoutMs: number): void {
  const { db } = database

  // Write path: the single INSERT, as createEntry's insert writes it, and the row back.
  bare.post<{ Body: BareEntryBody }>('/bare/entries', async (request, reply) => {
    const body = request.body
    const startsAt = new Date(`${body.workDate}T${body.startTime}:00Z`)
    const endsAt = new Date(`${body.workDate}T${body.endTime}:00Z`)
    const [row] = await db.insert(timesheetEntries).values({
      workerId: body.workerId,
      activityTypeId: body.activityTypeId,
      teamId: body.teamId,
      workDate: body.workDate,
      startTime: body.startTime,
      endDate: body.workDate,
      endTime: body.endTime,
      startsAt,
      endsAt,
      breakMinutes: 0,
      workedMinutes: Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000),
      notes: body.notes ?? null,
      state: 'draft'
    }).returning()
    return reply.code(201).send(row)
  })

  // Read path: the select GET /entries?teamId= makes for a manager (their teams' entries,
  // newest work first, keyset after the cursor, one more row than the page).
  bare.get<{ Querystring: { teamId: string, cursor?: string }, Headers: { 'x-bench-person': string } }>('/bare/entries', async (request) => {
    const { teamId, cursor } = request.query
    const personId = request.headers['x-bench-person']
    const after = decodeCursor(cursor, ['date', 'instant', 'uuid'])
    const rows = await db.select().from(timesheetEntries).where(and(
      sql`exists (select 1 from ${teamManagers} where ${teamManagers.teamId} = ${timesheetEntries.teamId} and ${teamManagers.personId} = ${personId})`,
      eq(timesheetEntries.teamId, teamId),
      after === undefined
        ? undefined
        : sql`(${timesheetEntries.workDate}, ${timesheetEntries.sortAt}, ${timesheetEntries.id}) < (${after[0]}::date, ${after[1]}::timestamptz, ${after[2]}::uuid)`
    )).orderBy(desc(timesheetEntries.workDate), desc(timesheetEntries.sortAt), desc(timesheetEntries.id)).limit(51)
    const items = rows.slice(0, 50)
    const last = items[items.length - 1]
    return { items, nextCursor: rows.length > 50 && last !== undefined ? encodeCursor([last.workDate, last.sortAt.toISOString(), last.id]) : null }
  })

  // Bulk approval: per item, one UPDATE (its own transaction, as decideMany gives each item)
  // freezing the default rate and gross pay.
  bare.post<{ Body: { items: Array<{ id: string, version: number }> } }>('/bare/entries/approve', async (request) => {
    const results: Array<{ id: string, outcome: string }> = []
    for (const item of request.body.items) {
      const updated = await db.execute(sql`
        update timesheet_entries e set state = 'approved', decided_at = now(), rate_id = r.id, rate_pence_per_unit = r.pence_per_unit,
          rate_unit = a.unit, rate_source = 'default', payment_mode = w.payment_mode, updated_at = now(), version = e.version + 1,
          gross_pence = case when w.payment_mode = 'declined' then 0 when a.unit = 'hour' then ceil(e.worked_minutes * r.pence_per_unit / 60.0)::int else r.pence_per_unit end
        from rates r, activity_types a, workers w
        where e.id = ${item.id} and e.version = ${item.version} and e.state = 'submitted'
          and r.activity_type_id = e.activity_type_id and r.scope = 'default' and a.id = e.activity_type_id and w.id = e.worker_id
        returning e.id`)
      const done = Array.isArray(updated) ? updated.length : (updated as { rows: unknown[] }).rows.length
      results.push({ id: item.id, outcome: done === 1 ? 'approved' : 'failed' })
    }
    return { results, decided: results.filter((r) => r.outcome === 'approved').length }
  })

  // Export baseline: COPY (the download's select) TO STDOUT through the same client, streamed.
  bare.get<{ Params: { id: string } }>('/bare/exports/:id/copy.csv', async (request, reply) => {
    const copy = `copy (${copySelect(request.params.id)}) to ${database.engine === 'postgres' ? 'stdout' : '\'/dev/blob\''} with (format csv, header)`
    reply.type('text/csv; charset=utf-8')
    if (url !== undefined) {
      const client = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'sessional-pay-bench-copy', statement_timeout: statementTimeoutMs } })
      const stream: Readable = await client.unsafe(copy).readable()
      stream.once('close', () => { client.end({ timeout: 0 }).catch(() => {}) })
      return reply.send(stream)
    }
    // PGlite has no COPY stream: it hands the whole output back as a blob.
    const client = (db as unknown as { $client: PGlite }).$client
    const result = await client.query(copy)
    return reply.send(Buffer.from(await result.blob!.arrayBuffer()))
  })
}
