import { asc, eq, sql } from 'drizzle-orm'
import { accruedHolidayMinutes } from '../../domain/holiday-pay.js'
import { hoursForMinutes } from '../../domain/money.js'
import { floorDiv } from '../../domain/integer-math.js'
import { rowsOf, type Db } from '../../db/open.js'
import { parseRecordText } from '../../db/record-text.js'
import { exportEntries, exportLines } from '../../db/schema.js'
import type { BatchRow } from './claim.js'
import type {
  AccruedHoliday, DailyUnits, DeclinedWorker, ExportEntry, ExportLine, ExportSource, VendorCodes
} from './model.js'

const PAGE = 5000
/** Pages fetched ahead of the one being rendered. */
const PAGES_AHEAD = 2

export const toHeader = (batch: BatchRow) => ({
  id: batch.id,
  number: batch.number,
  payScheduleId: batch.payScheduleId,
  payScheduleName: batch.payScheduleName,
  payrollCalendarCode: batch.payrollCalendarCode,
  periodId: batch.payPeriodId,
  periodStartDate: batch.periodStartDate,
  periodEndDate: batch.periodEndDate,
  payDate: batch.payDate,
  createdAt: batch.createdAt.toISOString(),
  holidayPayElementCode: batch.holidayPayElementCode
})

export const toTotals = (batch: BatchRow) => ({
  entryCount: batch.entryCount,
  workerCount: batch.workerCount,
  minutes: batch.minutes,
  grossPence: batch.grossPence,
  payrollGrossPence: batch.payrollGrossPence,
  voucherGrossPence: batch.voucherGrossPence,
  holidayPayPence: batch.holidayPayPence,
  lateEntryCount: batch.lateEntryCount
})

export function toExportLine (row: typeof exportLines.$inferSelect): ExportLine {
  const { batchId: _batchId, teamId: _teamId, activityTypeId: _activityTypeId, ...line } = row
  return { ...line, paymentMode: row.paymentMode as 'payroll' | 'voucher' }
}

/** A batch's lines, in order (a few per worker: read at once). */
export async function linesOf (db: Db, batchId: string): Promise<ExportLine[]> {
  const rows = await db.select().from(exportLines).where(eq(exportLines.batchId, batchId)).orderBy(asc(exportLines.lineNo))
  return rows.map(toExportLine)
}

/**
 * What the renderers read, streamed from the frozen rows a page at a time (by the entries'
 * position), so a million entries pass through in constant memory on either engine. A format
 * that prints vendor codes gets them (payroll-codes.ts); the others none.
 */
export function exportSource (
  db: Db, batch: BatchRow, vendorCodes: ReadonlyMap<number, VendorCodes> = new Map()
): ExportSource {
  return {
    header: toHeader(batch),
    fileLayout: batch.fileLayout,
    totals: toTotals(batch),
    vendorCodes,
    async * lines () {
      yield * await linesOf(db, batch.id)
    },
    async * entries () {
      // Pages are seq ranges of PAGE entries (seq numbers a batch's entries 1..n at the claim):
      // each page reads only its own rows whatever plan the planner picks. Right after a claim
      // the statistics do not know the batch yet, and a `seq > after ... limit` page became a
      // bitmap scan of every later entry plus a sort: 0.4 s a page, quadratic over a
      // 1,000,000-entry file (test/bench). The next PAGES_AHEAD pages are fetched (on a server,
      // on as many connections, so the database formats them in parallel) while this one renders.
      const [last] = rowsOf<{ seq: number | null }>(await db.execute(sql`select max(seq) as seq from ${exportEntries} where batch_id = ${batch.id}`))
      const lastSeq = Number(last?.seq ?? 0)
      const page = (after: number) => {
        const rows = entryPage(db, batch.id, after)
        rows.catch(() => {}) // a reader that stops early never awaits the prefetched pages
        return rows
      }
      const ahead: Array<Promise<ExportEntry[]>> = []
      let requested = 0
      const fill = () => {
        while (ahead.length < PAGES_AHEAD && requested < lastSeq) {
          ahead.push(page(requested))
          requested += PAGE
        }
      }
      fill()
      while (ahead.length > 0) {
        const rows = await ahead.shift()!
        fill()
        yield * rows
      }
    },
    async * dailyUnits () {
      const workers = rowsOf<{ worker_id: string }>(await db.execute(sql`
        select distinct worker_id, payroll_reference from ${exportEntries}
        where batch_id = ${batch.id} and payment_mode = 'payroll' and line_unit <> 'amount'
        order by payroll_reference, worker_id`))
      for (const { worker_id: workerId } of workers) {
        // Timesheets must lie within the period: late work and corrections go on its first day.
        const days = rowsOf<{ payroll_reference: string, pay_element_code: string, work_date: string, unit: 'hour' | 'session', minutes: number | string, sessions: number | string }>(await db.execute(sql`
          select payroll_reference, pay_element_code, greatest(work_date, ${batch.periodStartDate}::date)::text as work_date, unit,
            sum(minutes) as minutes, count(*) filter (where kind = 'work') as sessions
          from ${exportEntries}
          where batch_id = ${batch.id} and worker_id = ${workerId} and payment_mode = 'payroll' and line_unit <> 'amount'
          group by payroll_reference, pay_element_code, 3, unit
          order by 3, pay_element_code, unit`))
        const lineHours = rowsOf<{ pay_element_code: string, hundredths: number | string }>(await db.execute(sql`
          select pay_element_code, sum(hours_hundredths) as hundredths from ${exportLines}
          where batch_id = ${batch.id} and worker_id = ${workerId} and payment_mode = 'payroll' and unit = 'hour'
          group by pay_element_code`))
        const hourlyDays = days.filter((day) => day.unit === 'hour')
        const hundredths = new Map<typeof days[number], number>()
        for (const { pay_element_code: element, hundredths: target } of lineHours) {
          const share = splitHundredths(hourlyDays.filter((day) => day.pay_element_code === element).map((day) => Number(day.minutes)), Number(target))
          hourlyDays.filter((day) => day.pay_element_code === element).forEach((day, i) => hundredths.set(day, share[i]!))
        }
        for (const day of days) {
          const unitsText = day.unit === 'hour' ? hundredthsText(hundredths.get(day) ?? 0) : String(Number(day.sessions))
          const units: DailyUnits = { payrollReference: day.payroll_reference, workerId, payElementCode: day.pay_element_code, date: day.work_date, unit: day.unit, unitsText }
          yield units
        }
      }
    },
    async * declined () {
      const rows = rowsOf<{ worker_id: string, payroll_reference: string | null, worker_name: string, minutes: number | string, entries: number | string }>(await db.execute(sql`
        select worker_id, payroll_reference, min(worker_name) as worker_name, sum(minutes) as minutes, count(*) as entries
        from ${exportEntries} where batch_id = ${batch.id} and payment_mode = 'declined'
        group by worker_id, payroll_reference order by min(worker_name), worker_id`))
      for (const row of rows) {
        const worker: DeclinedWorker = { workerId: row.worker_id, payrollReference: row.payroll_reference, workerName: row.worker_name, minutes: Number(row.minutes), entryCount: Number(row.entries) }
        yield worker
      }
    },
    async * accruedHoliday () {
      const rows = rowsOf<{ worker_id: string, payroll_reference: string | null, worker_name: string, minutes: number | string }>(await db.execute(sql`
        select worker_id, payroll_reference, min(worker_name) as worker_name, sum(minutes) as minutes
        from ${exportEntries} where batch_id = ${batch.id} and holiday_pay_mode = 'accrued'
        group by worker_id, payroll_reference order by coalesce(payroll_reference, ''), worker_id`))
      for (const row of rows) {
        const minutesWorked = Number(row.minutes)
        const accruedMinutes = accruedHolidayMinutes(minutesWorked)
        const accrual: AccruedHoliday = {
          workerId: row.worker_id,
          payrollReference: row.payroll_reference ?? '',
          workerName: row.worker_name,
          minutesWorked,
          accruedMinutes,
          accruedHoursText: hoursForMinutes(accruedMinutes).text
        }
        yield accrual
      }
    }
  }
}

/**
 * One page of a batch's entries as the files print them. Each row comes back as one text value
 * (the row's text form) and is split here: having the driver decode 22 columns of every row,
 * let alone the ORM map them, cost more than the database's own work on a download (test/bench).
 * Dates and times are formatted by the database, the same on both engines.
 */
async function entryPage (db: Db, batchId: string, after: number): Promise<ExportEntry[]> {
  const rows = rowsOf<{ entry: string }>(await db.execute(sql`
    select row(entry_id, line_no, kind, corrects_entry_id, worker_id, payroll_reference, worker_name, department, cost_centre,
      activity_code, pay_element_code, work_date, start_time, end_time, break_minutes, minutes, line_unit, rate_pence, gross_pence,
      payment_mode, late, to_char(approved_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text as entry
    from ${exportEntries}
    where batch_id = ${batchId} and seq > ${after} and seq <= ${after + PAGE}
    order by seq`))
  return rows.map((row) => toExportEntry(parseRecordText(row.entry)))
}

/** An entry from the fields of entryPage's row, in its select order. */
function toExportEntry (f: Array<string | null>): ExportEntry {
  const lineUnit = f[16] as ExportEntry['unit']
  return {
    entryId: f[0]!,
    lineNo: f[1] === null ? null : Number(f[1]),
    kind: f[2] as ExportEntry['kind'],
    correctsEntryId: f[3] ?? null,
    workerId: f[4]!,
    payrollReference: f[5] ?? '',
    workerName: f[6]!,
    department: f[7]!,
    costCentre: f[8]!,
    activityCode: f[9]!,
    payElementCode: f[10]!,
    workDate: f[11]!,
    startTime: f[12] ?? null,
    endTime: f[13] ?? null,
    breakMinutes: Number(f[14]),
    minutes: Number(f[15]),
    unit: lineUnit,
    ratePence: lineUnit === 'amount' ? null : Number(f[17]),
    grossPence: Number(f[18]),
    paymentMode: f[19] as ExportEntry['paymentMode'],
    late: f[20] === 't',
    // Milliseconds in UTC, as Date.toISOString() prints them (the column keeps milliseconds).
    approvedAt: f[21]!
  }
}

/**
 * Hours per day, in hundredths, that add up to exactly `target` (the worker's lines for the pay
 * element, each rounded up): each day gets its exact share rounded down, and the hundredths
 * left over go to the days with the largest remainders (earliest first on a tie). So payroll
 * pays per day what the batch's lines pay in total, never a penny-rounding more.
 */
export function splitHundredths (minutesPerDay: number[], target: number): number[] {
  const shares = minutesPerDay.map((minutes) => ({ base: floorDiv(minutes * 100, 60), remainder: ((minutes * 100) % 60 + 60) % 60 }))
  let left = target - shares.reduce((total, share) => total + share.base, 0)
  const order = shares.map((_, i) => i).sort((a, b) => shares[b]!.remainder - shares[a]!.remainder || a - b)
  const result = shares.map((share) => share.base)
  for (let i = 0; left > 0 && order.length > 0; i = (i + 1) % order.length, left--) result[order[i]!]! += 1
  for (let i = 0; left < 0 && order.length > 0; i = (i + 1) % order.length, left++) result[order[order.length - 1 - i]!]! -= 1
  return result
}

const hundredthsText = (hundredths: number): string => {
  const sign = hundredths < 0 ? '-' : ''
  const abs = Math.abs(hundredths)
  return `${sign}${floorDiv(abs, 100)}.${String(abs % 100).padStart(2, '0')}`
}
