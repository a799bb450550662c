import { sql } from 'drizzle-orm'
import { rowsOf, type Db } from '../../db/open.js'
import { getPayPeriod, getPaySchedule } from '../pay-periods/service.js'

interface Group { key: string, name: string, minutes: number, grossPence: number, entryCount: number }

/**
 * Hours and gross of the work dated in a period, approved or exported (corrections included),
 * by team, activity and payment mode; and what is still waiting for a decision.
 */
export async function periodSummary (db: Db, periodId: string) {
  const period = await getPayPeriod(db, periodId)
  const schedule = await getPaySchedule(db, period.payScheduleId)
  const inPeriod = sql`e.work_date between ${period.startDate} and ${period.endDate}
    and e.worker_id in (select w.id from workers w where ${schedule.isDefault ? sql`(w.pay_schedule_id = ${schedule.id} or w.pay_schedule_id is null)` : sql`w.pay_schedule_id = ${schedule.id}`})`
  const grouped = async (key: ReturnType<typeof sql>, name: ReturnType<typeof sql>, join: ReturnType<typeof sql>): Promise<Group[]> =>
    rowsOf<{ key: string, name: string, minutes: number | string, gross: number | string, entries: number | string }>(await db.execute(sql`
      select ${key} as key, ${name} as name, sum(e.worked_minutes) as minutes, sum(e.gross_pence) as gross, count(*) as entries
      from timesheet_entries e ${join}
      where ${inPeriod} and e.state in ('approved', 'exported')
      group by 1, 2 order by 2, 1`)).map((row) => ({ key: row.key, name: row.name, minutes: Number(row.minutes), grossPence: Number(row.gross), entryCount: Number(row.entries) }))
  const byTeam = await grouped(sql`t.id::text`, sql`t.name`, sql`join teams t on t.id = e.team_id`)
  const byActivity = await grouped(sql`a.id::text`, sql`a.name`, sql`join activity_types a on a.id = e.activity_type_id`)
  const byPaymentMode = await grouped(sql`e.payment_mode::text`, sql`e.payment_mode::text`, sql``)
  const waiting = rowsOf<{ state: string, entries: number | string, minutes: number | string }>(await db.execute(sql`
    select e.state::text as state, count(*) as entries, sum(e.worked_minutes) as minutes from timesheet_entries e
    where ${inPeriod} and e.state in ('draft', 'submitted', 'rejected') group by 1 order by 1`))
  return {
    period,
    byTeam,
    byActivity,
    byPaymentMode,
    totals: byTeam.reduce((t, g) => ({ minutes: t.minutes + g.minutes, grossPence: t.grossPence + g.grossPence, entryCount: t.entryCount + g.entryCount }), { minutes: 0, grossPence: 0, entryCount: 0 }),
    undecided: waiting.map((w) => ({ state: w.state, entryCount: Number(w.entries), minutes: Number(w.minutes) }))
  }
}

/**
 * Days from each entry's work date to the export that carried it (the batch's date in the
 * service's zone), as median and 90th percentile per batch: slow payment is the documented
 * barrier for contributors.
 */
export async function timeToPay (db: Db, zone: string, filter: { payScheduleId?: string, limit: number }) {
  const rows = rowsOf<{ batch_id: string, number: number, period_start: string, period_end: string, pay_date: string, exported_on: string, entries: number | string, median: number | string | null, p90: number | string | null, max: number | string | null }>(await db.execute(sql`
    with batches as (
      select * from export_batches
      ${filter.payScheduleId === undefined ? sql`` : sql`where pay_schedule_id = ${filter.payScheduleId}`}
      order by number desc limit ${filter.limit}
    ), days as (
      select b.id as batch_id, b.number, b.period_start_date, b.period_end_date, b.pay_date,
        (b.created_at at time zone ${zone})::date as exported_on,
        (b.created_at at time zone ${zone})::date - x.work_date as days
      from batches b join export_entries x on x.batch_id = b.id
    )
    select batch_id, number, period_start_date::text as period_start, period_end_date::text as period_end, pay_date::text as pay_date,
      exported_on::text as exported_on, count(*) as entries,
      percentile_cont(0.5) within group (order by days) as median,
      percentile_cont(0.9) within group (order by days) as p90,
      max(days) as max
    from days group by batch_id, number, period_start_date, period_end_date, pay_date, exported_on
    order by number desc`))
  return rows.map((row) => ({
    exportId: row.batch_id,
    batchNumber: Number(row.number),
    periodStartDate: row.period_start,
    periodEndDate: row.period_end,
    payDate: row.pay_date,
    exportedOn: row.exported_on,
    entryCount: Number(row.entries),
    medianDays: Number(row.median),
    p90Days: Number(row.p90),
    maxDays: Number(row.max)
  }))
}
