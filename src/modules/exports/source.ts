import { and, asc, eq, gt, sql } from 'drizzle-orm'
import { accruedHolidayMinutes } from '../../domain/holiday-pay.js'
import { hoursForMinutes } from '../../domain/money.js'
import { floorDiv } from '../../domain/integer-math.js'
import { rowsOf, type Db } from '../../db/open.js'
import { exportEntries, exportLines } from '../../db/schema.js'
import type { BatchRow } from './claim.js'
import type { AccruedHoliday, DailyUnits, DeclinedWorker, ExportEntry, ExportLine, ExportSource } from './model.js'

const PAGE = 5000

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
  const { batchId: _batchId, ...line } = row
  return { ...line, paymentMode: row.paymentMode as 'payroll' | 'voucher' }
}

/** A batch's lines, in order (a few per worker: read at once). */
export async function linesOf (db: Db, batchId: string): Promise<ExportLine[]> {
  const rows = await db.select().from(exportLines).where(eq(exportLines.batchId, batchId)).orderBy(asc(exportLines.lineNo))
  return rows.map(toExportLine)
}

/**
 * What the renderers read, streamed from the frozen rows a page at a time (keyset on the
 * entries' position), so a million entries pass through in constant memory on either engine.
 */
export function exportSource (db: Db, batch: BatchRow): ExportSource {
  return {
    header: toHeader(batch),
    totals: toTotals(batch),
    async * lines () {
      yield * await linesOf(db, batch.id)
    },
    async * entries () {
      for (let after = 0; ;) {
        const rows = await db.select().from(exportEntries)
          .where(and(eq(exportEntries.batchId, batch.id), gt(exportEntries.seq, after)))
          .orderBy(asc(exportEntries.seq)).limit(PAGE)
        for (const row of rows) yield toExportEntry(row)
        if (rows.length < PAGE) return
        after = rows[rows.length - 1]!.seq
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

function toExportEntry (row: typeof exportEntries.$inferSelect): ExportEntry {
  return {
    entryId: row.entryId,
    lineNo: row.lineNo,
    kind: row.kind,
    correctsEntryId: row.correctsEntryId,
    workerId: row.workerId,
    payrollReference: row.payrollReference ?? '',
    workerName: row.workerName,
    department: row.department,
    costCentre: row.costCentre,
    activityCode: row.activityCode,
    payElementCode: row.payElementCode,
    workDate: row.workDate,
    startTime: row.startTime,
    endTime: row.endTime,
    breakMinutes: row.breakMinutes,
    minutes: row.minutes,
    unit: row.lineUnit,
    ratePence: row.lineUnit === 'amount' ? null : row.ratePence,
    grossPence: row.grossPence,
    paymentMode: row.paymentMode,
    late: row.late,
    approvedAt: row.approvedAt.toISOString()
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
