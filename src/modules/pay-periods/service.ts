import { and, asc, eq, sql } from 'drizzle-orm'
import type { ChangeContext } from '../../domain/actor.js'
import { compareDates, daysBetween } from '../../domain/calendar-date.js'
import { payDateOf, periodByIndex, periodContaining, periodsBetween, type PayFrequency } from '../../domain/pay-period.js'
import type { Db } from '../../db/open.js'
import { payPeriods, paySchedules } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { conflict, notFound, preconditionFailed, ruleViolated } from '../../errors.js'
import { recordAudit } from '../audit/service.js'

export type PayScheduleRow = typeof paySchedules.$inferSelect
export type PayPeriodRow = typeof payPeriods.$inferSelect

export interface PayScheduleInput {
  name: string
  frequency: PayFrequency
  anchorDate: string
  payDateOffsetDays?: number
  payrollCalendarCode: string
  holidayPayElementCode?: string
  sageHolidayPaymentNumber?: number | null
  isDefault?: boolean
}

const scheduleAudit = (row: PayScheduleRow) => {
  const { createdAt: _c, updatedAt: _u, id: _id, ...fields } = row
  return fields
}
const periodAudit = (row: PayPeriodRow) => ({ startDate: row.startDate, endDate: row.endDate, payDate: row.payDate, state: row.state, version: row.version })

/** At most one default schedule: making one default takes it from the others. */
async function takeDefault (tx: Db, except: string | null): Promise<void> {
  await tx.update(paySchedules).set({ isDefault: false, updatedAt: sql`now()`, version: sql`${paySchedules.version} + 1` })
    .where(and(eq(paySchedules.isDefault, true), except === null ? undefined : sql`${paySchedules.id} <> ${except}`))
}

export async function createPaySchedule (db: Db, ctx: ChangeContext, input: PayScheduleInput): Promise<PayScheduleRow> {
  return inTransaction(db, async (tx) => {
    const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(paySchedules) as [{ n: number }]
    // The first schedule is the default one: every worker is then paid on some schedule.
    const isDefault = input.isDefault ?? n === 0
    if (isDefault) await takeDefault(tx, null)
    const [row] = await tx.insert(paySchedules).values({
      name: input.name,
      frequency: input.frequency,
      anchorDate: input.anchorDate,
      payDateOffsetDays: input.payDateOffsetDays ?? 0,
      payrollCalendarCode: input.payrollCalendarCode,
      holidayPayElementCode: input.holidayPayElementCode ?? 'HOLIDAY',
      sageHolidayPaymentNumber: input.sageHolidayPaymentNumber ?? null,
      isDefault
    }).returning()
    await recordAudit(tx, ctx, { action: 'pay_schedule.created', entityType: 'pay_schedule', entityId: row!.id, after: scheduleAudit(row!) })
    return row!
  })
}

export async function getPaySchedule (db: Db, id: string): Promise<PayScheduleRow> {
  const [row] = await db.select().from(paySchedules).where(eq(paySchedules.id, id))
  if (row === undefined) throw notFound('Pay schedule')
  return row
}

export async function listPaySchedules (db: Db): Promise<PayScheduleRow[]> {
  return db.select().from(paySchedules).orderBy(asc(paySchedules.name))
}

export type PayScheduleChanges = Partial<Pick<PayScheduleInput,
  'name' | 'payDateOffsetDays' | 'payrollCalendarCode' | 'holidayPayElementCode' | 'sageHolidayPaymentNumber'>> & { isDefault?: true }

/** Frequency and anchor never change: they define the periods already closed and exported. */
export async function updatePaySchedule (db: Db, ctx: ChangeContext, id: string, expectedVersion: number, changes: PayScheduleChanges): Promise<PayScheduleRow> {
  return inTransaction(db, async (tx) => {
    const [current] = await tx.select().from(paySchedules).where(eq(paySchedules.id, id)).for('update')
    if (current === undefined) throw notFound('Pay schedule')
    if (current.version !== expectedVersion) throw preconditionFailed(current.version)
    if (changes.isDefault === true) await takeDefault(tx, id)
    const [updated] = await tx.update(paySchedules).set({ ...changes, updatedAt: sql`now()`, version: current.version + 1 }).where(eq(paySchedules.id, id)).returning()
    await recordAudit(tx, ctx, { action: 'pay_schedule.updated', entityType: 'pay_schedule', entityId: id, before: scheduleAudit(current), after: scheduleAudit(updated!) })
    return updated!
  })
}

/**
 * Calendar maths on dates a client chose: a period (or its pay date) reaching past the years
 * 0001 to 9999 the calendar knows is refused as a rule, not a 500 (the fuzzer asked for the
 * period of 9999-12-31).
 */
function withinCalendar<T> (compute: () => T): T {
  try {
    return compute()
  } catch (error) {
    if (error instanceof RangeError) throw ruleViolated('date_out_of_range', 'The pay periods asked for fall outside the years 0001 to 9999')
    throw error
  }
}

/** The row of a schedule's period number `index`, made (open) the first time it is needed. */
async function periodRow (db: Db, schedule: PayScheduleRow, index: number): Promise<PayPeriodRow> {
  const { period, payDate } = withinCalendar(() => {
    const period = periodByIndex(schedule, index)
    return { period, payDate: payDateOf(period, schedule.payDateOffsetDays) }
  })
  await db.insert(payPeriods).values({
    payScheduleId: schedule.id,
    periodIndex: index,
    startDate: period.startDate,
    endDate: period.endDate,
    payDate
  }).onConflictDoNothing()
  const [row] = await db.select().from(payPeriods).where(and(eq(payPeriods.payScheduleId, schedule.id), eq(payPeriods.periodIndex, index)))
  return row!
}

const MAX_PERIODS = 120

/** The periods of a schedule overlapping from..to, in order; a range of more than 120 is refused, never cut short. */
export async function periodsOf (db: Db, scheduleId: string, from: string, to: string): Promise<PayPeriodRow[]> {
  const schedule = await getPaySchedule(db, scheduleId)
  if (compareDates(from, to) > 0) throw ruleViolated('from_after_to', '`from` must not be after `to`', { field: '/from' })
  if (daysBetween(from, to) > 3660) throw ruleViolated('range_too_long', 'Ask for at most ten years of periods at a time', { field: '/to' })
  const periods = withinCalendar(() => periodsBetween(schedule, from, to))
  if (periods.length > MAX_PERIODS) {
    throw ruleViolated('too_many_periods',
      `The range holds ${periods.length} periods of this schedule; ` +
      `ask for at most ${MAX_PERIODS} at a time (a shorter range)`,
      { field: '/to', periods: periods.length, maxPeriods: MAX_PERIODS })
  }
  const rows: PayPeriodRow[] = []
  for (const period of periods) rows.push(await periodRow(db, schedule, period.index))
  return rows
}

export async function periodForDate (db: Db, scheduleId: string, date: string): Promise<PayPeriodRow> {
  const schedule = await getPaySchedule(db, scheduleId)
  return periodRow(db, schedule, withinCalendar(() => periodContaining(schedule, date)).index)
}

export async function getPayPeriod (db: Db, id: string, forUpdate = false): Promise<PayPeriodRow> {
  const query = db.select().from(payPeriods).where(eq(payPeriods.id, id))
  const [row] = forUpdate ? await query.for('update') : await query
  if (row === undefined) throw notFound('Pay period')
  return row
}

/** Finance closes a period: its work is complete. Entries dated in it may still be approved (as late entries). */
export async function closePayPeriod (db: Db, ctx: ChangeContext, id: string, expectedVersion: number): Promise<PayPeriodRow> {
  return inTransaction(db, async (tx) => {
    const current = await getPayPeriod(tx, id, true)
    if (current.version !== expectedVersion) throw preconditionFailed(current.version)
    if (current.state !== 'open') throw conflict(`Only an open period can be closed; this one is ${current.state}`, { rule: 'illegal_transition', state: current.state })
    const [closed] = await tx.update(payPeriods).set({ state: 'closed', closedAt: ctx.now, updatedAt: sql`now()`, version: current.version + 1 }).where(eq(payPeriods.id, id)).returning()
    await recordAudit(tx, ctx, { action: 'pay_period.closed', entityType: 'pay_period', entityId: id, before: periodAudit(current), after: periodAudit(closed!) })
    return closed!
  })
}

/** Reopening takes a reason and is refused once the period is exported. */
export async function reopenPayPeriod (db: Db, ctx: ChangeContext, id: string, expectedVersion: number, reason: string): Promise<PayPeriodRow> {
  return inTransaction(db, async (tx) => {
    const current = await getPayPeriod(tx, id, true)
    if (current.version !== expectedVersion) throw preconditionFailed(current.version)
    if (current.state === 'exported') throw conflict('An exported period cannot be reopened: record corrections instead', { rule: 'period_exported' })
    if (current.state !== 'closed') throw conflict('Only a closed period can be reopened', { rule: 'illegal_transition', state: current.state })
    const [reopened] = await tx.update(payPeriods).set({ state: 'open', closedAt: null, updatedAt: sql`now()`, version: current.version + 1 }).where(eq(payPeriods.id, id)).returning()
    await recordAudit(tx, ctx, { action: 'pay_period.reopened', entityType: 'pay_period', entityId: id, before: periodAudit(current), after: periodAudit(reopened!), reason })
    return reopened!
  })
}
