import { eq, sql } from 'drizzle-orm'
import type { ChangeContext } from '../../domain/actor.js'
import { rolledUpHolidayPayPence } from '../../domain/holiday-pay.js'
import { hoursForMinutes, payrollComputedPence } from '../../domain/money.js'
import { rowsOf, type Db } from '../../db/open.js'
import { exportBatches, exportEntries, exportLines, payPeriods } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { conflict, ruleViolated } from '../../errors.js'
import { recordAudit } from '../audit/service.js'
import { FILE_LAYOUT } from './model.js'
import { getPaySchedule, periodForChange, type PayScheduleRow } from '../pay-periods/service.js'
import { assertClaimInvariants } from './invariants.js'
import { changeSet } from '../../db/versioned.js'

export type BatchRow = typeof exportBatches.$inferSelect
type LineRow = typeof exportLines.$inferInsert

/** Workers paid on this schedule: their own, or the default one when they have none. */
const paidOn = (schedule: PayScheduleRow) => schedule.isDefault
  ? sql`(w.pay_schedule_id = ${schedule.id} or w.pay_schedule_id is null)`
  : sql`w.pay_schedule_id = ${schedule.id}`

/** Entries an export of this period may claim: approved, not yet exported, dated up to its end. */
const claimable = (schedule: PayScheduleRow, endDate: string) => sql`e.state = 'approved' and e.work_date <= ${endDate}
  and e.worker_id in (select w.id from workers w where ${paidOn(schedule)})`

interface GroupRow {
  line_no: number
  kind: 'work' | 'adjustment'
  payment_mode: 'payroll' | 'voucher'
  worker_id: string
  payroll_reference: string | null
  worker_name: string
  department: string
  cost_centre: string
  pay_element_code: string
  team_id: string
  activity_type_id: string
  activity_name: string
  line_unit: 'hour' | 'session' | 'amount'
  rate_pence: number
  holiday_pay_mode: 'rolled_up' | 'accrued'
  minutes: number | string
  sessions: number | string
  gross_pence: number | string
  late: boolean
  entry_count: number | string
}

/**
 * Claims, in one transaction, every approved entry not yet exported with a work date on or
 * before the period's end (earlier ones are late entries), and freezes the batch: entries
 * snapshotted with what the files print, lines summed per worker x pay element x activity type x
 * rate (and team, and late or not), rolled-up holiday pay per worker, and totals.
 *
 * Exactly once: the period row is locked, so concurrent exports of it queue and then find it
 * exported; entries move approved -> exported in the same UPDATE that claims them (a row
 * claimed by another export no longer matches); and export_entries.entry_id is a primary key,
 * so no entry can ever sit in two batches. Everything happens in SQL: a million entries never
 * pass through this process's memory.
 */
export async function createExport (db: Db, ctx: ChangeContext, periodId: string): Promise<BatchRow> {
  return inTransaction(db, async (tx) => {
    const period = await periodForChange(tx, periodId)
    if (period.state === 'exported') {
      const [batch] = await tx.select({ id: exportBatches.id, number: exportBatches.number }).from(exportBatches).where(eq(exportBatches.payPeriodId, period.id))
      throw conflict(`This period was already exported as batch ${batch?.number ?? '?'}`, { rule: 'period_exported', exportId: batch?.id ?? null })
    }
    if (period.state !== 'closed') throw conflict('Close the period before exporting it', { rule: 'period_open' })
    const schedule = await getPaySchedule(tx, period.payScheduleId)

    const missing = rowsOf<{ id: string, display_name: string }>(await tx.execute(sql`
      select distinct w.id, p.display_name from timesheet_entries e
      join workers w on w.id = e.worker_id join people p on p.id = w.id
      where ${claimable(schedule, period.endDate)} and e.payment_mode = 'payroll' and w.payroll_reference is null
      order by p.display_name, w.id`))
    if (missing.length > 0) {
      throw ruleViolated('missing_payroll_reference',
        `Payroll matches workers on their payroll reference, and ${missing.length} worker(s) to be paid have none: ${missing.map((m) => m.display_name).join(', ')}`,
        { workers: missing.map((m) => ({ id: m.id, displayName: m.display_name })) })
    }

    await assertClaimInvariants(tx, claimable(schedule, period.endDate))

    const [batch] = await tx.insert(exportBatches).values({
      payPeriodId: period.id,
      payScheduleId: schedule.id,
      payScheduleName: schedule.name,
      payrollCalendarCode: schedule.payrollCalendarCode,
      holidayPayElementCode: schedule.holidayPayElementCode,
      periodStartDate: period.startDate,
      periodEndDate: period.endDate,
      payDate: period.payDate,
      entryCount: 0,
      workerCount: 0,
      minutes: 0,
      grossPence: 0,
      payrollGrossPence: 0,
      voucherGrossPence: 0,
      holidayPayPence: 0,
      lateEntryCount: 0,
      fileLayout: FILE_LAYOUT,
      createdByKeyId: ctx.actor.keyId,
      createdAt: ctx.now
    }).returning()
    const batchId = batch!.id

    // Claim and snapshot in one statement. Line numbers rank the line keys: payroll before
    // vouchers, then by payroll reference; declined entries (paid nothing) are on no line.
    await tx.execute(sql`
      with claimed as (
        update timesheet_entries e set state = 'exported', updated_at = now(), version = e.version + 1
        where ${claimable(schedule, period.endDate)}
        returning e.*
      ), described as (
        select c.*, w.payroll_reference, p.display_name, w.holiday_pay_mode, t.name as team_name, t.cost_centre,
          a.code as activity_code, a.name as activity_name, a.pay_element_code,
          case when c.adjustment_pence is not null then 'amount' else c.rate_unit::text end as line_unit,
          c.work_date < ${period.startDate}::date as late
        from claimed c
        join workers w on w.id = c.worker_id join people p on p.id = w.id
        join teams t on t.id = c.team_id join activity_types a on a.id = c.activity_type_id
      )
      -- Each worker's lines are consecutive, with a slot after them for rolled-up holiday pay:
      -- a line's number is its rank plus the holiday slots of the workers before it.
      , blocks as (
        select voucher, worker_id,
          coalesce(sum(case when rolled_up then 1 else 0 end) over (order by voucher, reference, worker_id rows between unbounded preceding and 1 preceding), 0) as holiday_slots_before
        from (select distinct d.payment_mode = 'voucher' as voucher, coalesce(d.payroll_reference, '') as reference, d.worker_id,
                d.holiday_pay_mode = 'rolled_up' as rolled_up
              from described d where d.payment_mode <> 'declined') s
      ), ranked as (
        select d.*, case when d.payment_mode = 'declined' then null else dense_rank() over (
          partition by d.payment_mode = 'declined'
          order by d.payment_mode = 'voucher', coalesce(d.payroll_reference, ''), d.worker_id, d.kind, d.pay_element_code,
            d.activity_code, d.line_unit, d.rate_pence_per_unit, d.cost_centre, d.team_name, d.late
        ) + b.holiday_slots_before end as line_no
        from described d left join blocks b on b.worker_id = d.worker_id and b.voucher = (d.payment_mode = 'voucher')
      )
      insert into export_entries (entry_id, batch_id, seq, line_no, kind, corrects_entry_id, worker_id, payroll_reference, worker_name,
        department, cost_centre, activity_code, activity_name, pay_element_code, work_date, start_time, end_time, starts_at,
        break_minutes, minutes, unit, line_unit, rate_pence, gross_pence, payment_mode, holiday_pay_mode, late, approved_at,
        team_id, activity_type_id)
      select d.id, ${batchId}::uuid,
        row_number() over (order by d.line_no nulls last, d.worker_id, d.work_date, d.starts_at nulls first, d.id),
        d.line_no, d.kind, d.corrects_entry_id, d.worker_id, d.payroll_reference, d.display_name, d.team_name, d.cost_centre,
        d.activity_code, d.activity_name, d.pay_element_code, d.work_date, d.start_time, d.end_time, d.starts_at,
        d.break_minutes, d.worked_minutes, d.rate_unit, d.line_unit, d.rate_pence_per_unit, d.gross_pence, d.payment_mode,
        d.holiday_pay_mode, d.late, d.decided_at, d.team_id, d.activity_type_id
      from ranked d`)

    const groups = rowsOf<GroupRow>(await tx.execute(sql`
      select line_no, kind, payment_mode, worker_id, payroll_reference, worker_name, department, cost_centre, pay_element_code,
        team_id, activity_type_id, min(activity_name) as activity_name, line_unit, rate_pence,
        min(holiday_pay_mode::text) as holiday_pay_mode,
        sum(minutes) as minutes, count(*) filter (where line_unit = 'session' and kind = 'work') as sessions,
        sum(gross_pence) as gross_pence, bool_or(late) as late, count(*) as entry_count
      from export_entries where batch_id = ${batchId} and line_no is not null
      group by line_no, kind, payment_mode, worker_id, payroll_reference, worker_name, department, cost_centre, pay_element_code,
        team_id, activity_type_id, line_unit, rate_pence
      order by line_no`))
    if (groups.length === 0 && (await tx.select({ n: sql<number>`count(*)::int` }).from(exportEntries).where(eq(exportEntries.batchId, batchId)))[0]!.n === 0) {
      throw conflict(`Nothing to export: no approved entries up to ${period.endDate} are waiting`, { rule: 'nothing_to_export' })
    }

    const lines = withHolidayPay(batchId, schedule, groups.map((group) => toLine(batchId, group)), groups)
    for (let i = 0; i < lines.length; i += 500) await tx.insert(exportLines).values(lines.slice(i, i + 500))

    const [counts] = rowsOf<{ entries: number | string, workers: number | string, minutes: number | string | null, late: number | string }>(await tx.execute(sql`
      select count(*) as entries, count(distinct worker_id) as workers, sum(minutes) as minutes, count(*) filter (where late) as late
      from export_entries where batch_id = ${batchId}`))
    const sum = (filter: (line: LineRow) => boolean) => lines.filter(filter).reduce((total, line) => total + line.grossPence, 0)
    const [finished] = await tx.update(exportBatches).set({
      entryCount: Number(counts!.entries),
      workerCount: Number(counts!.workers),
      minutes: Number(counts!.minutes ?? 0),
      grossPence: sum(() => true),
      payrollGrossPence: sum((line) => line.paymentMode === 'payroll'),
      voucherGrossPence: sum((line) => line.paymentMode === 'voucher'),
      holidayPayPence: sum((line) => line.kind === 'holiday_pay'),
      lateEntryCount: Number(counts!.late)
    }).where(eq(exportBatches.id, batchId)).returning()
    await tx.update(payPeriods).set(changeSet(period, { state: 'exported' })).where(eq(payPeriods.id, period.id))
    const { createdAt: _createdAt, ...totals } = finished!
    await recordAudit(tx, ctx, { action: 'export.created', entityType: 'export_batch', entityId: batchId, after: totals })
    await recordAudit(tx, ctx, { action: 'pay_period.exported', entityType: 'pay_period', entityId: period.id, before: { state: 'closed' }, after: { state: 'exported', exportId: batchId } })
    return finished!
  })
}

/** A line from its group: hours to 2 dp rounded up, and what payroll will compute from them. */
function toLine (batchId: string, group: GroupRow): LineRow {
  const minutes = Number(group.minutes)
  const grossPence = Number(group.gross_pence)
  const hourly = group.line_unit === 'hour'
  const hours = hourly ? hoursForMinutes(minutes) : null
  const computed = hours === null ? null : payrollComputedPence(hours.hundredths, group.rate_pence)
  return {
    batchId,
    lineNo: group.line_no,
    kind: group.kind === 'work' ? 'pay' : 'adjustment',
    paymentMode: group.payment_mode,
    workerId: group.worker_id,
    payrollReference: group.payroll_reference ?? '',
    workerName: group.worker_name,
    department: group.department,
    costCentre: group.cost_centre,
    payElementCode: group.pay_element_code,
    description: group.kind === 'work' ? group.activity_name : `Correction: ${group.activity_name}`,
    unit: group.line_unit,
    minutes: group.line_unit === 'amount' ? 0 : minutes,
    sessions: Number(group.sessions),
    ratePence: group.line_unit === 'amount' ? null : group.rate_pence,
    grossPence,
    hoursHundredths: hours?.hundredths ?? null,
    hoursText: hours?.text ?? null,
    payrollComputedPence: computed,
    differencePence: computed === null ? null : grossPence - computed,
    late: group.late,
    entryCount: Number(group.entry_count),
    teamId: group.team_id,
    activityTypeId: group.activity_type_id
  }
}

/**
 * Rolled-up holiday pay (README "UK rules": 12.07 % of pay for work done in the period, paid with it
 * as its own pay element) for each worker in `rolled_up` mode, in the slot after their lines.
 */
function withHolidayPay (batchId: string, schedule: PayScheduleRow, lines: LineRow[], groups: GroupRow[]): LineRow[] {
  const all: LineRow[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const group = groups[i]!
    all.push(line)
    const next = lines[i + 1]
    const lastOfWorker = next === undefined || next.workerId !== line.workerId || next.paymentMode !== line.paymentMode
    if (!lastOfWorker || group.holiday_pay_mode !== 'rolled_up') continue
    let workerGross = 0
    for (let j = all.length - 1; j >= 0 && all[j]!.workerId === line.workerId && all[j]!.paymentMode === line.paymentMode && all[j]!.kind !== 'holiday_pay'; j--) workerGross += all[j]!.grossPence
    all.push({
      batchId,
      lineNo: line.lineNo + 1,
      kind: 'holiday_pay',
      paymentMode: line.paymentMode,
      workerId: line.workerId,
      payrollReference: line.payrollReference,
      workerName: line.workerName,
      department: line.department,
      costCentre: line.costCentre,
      payElementCode: schedule.holidayPayElementCode,
      description: 'Holiday pay (12.07%)',
      unit: 'amount',
      minutes: 0,
      sessions: 0,
      ratePence: null,
      grossPence: rolledUpHolidayPayPence(workerGross),
      hoursHundredths: null,
      hoursText: null,
      payrollComputedPence: null,
      differencePence: null,
      late: false,
      entryCount: 0,
      teamId: line.teamId,
      activityTypeId: null
    })
  }
  return all
}
