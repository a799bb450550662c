import { and, asc, between, eq, gt, sql } from 'drizzle-orm'
import type { ChangeContext } from '../../domain/actor.js'
import { compareDates, daysBetween } from '../../domain/calendar-date.js'
import { payDateOf, periodByIndex, periodContaining, periodsBetween, type PayFrequency } from '../../domain/pay-period.js'
import type { Db } from '../../db/open.js'
import { decodeCursor, toPage, type Page } from '../../db/pagination.js'
import { payPeriods, paySchedules } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { AppError, conflict, notFound, ruleViolated } from '../../errors.js'
import { recordAudit } from '../audit/service.js'
import { periodIdOf, readPeriodId } from './period-id.js'
import { changeSet, checkVersion, lockForChange, sideChangeSet } from '../../db/versioned.js'

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
  await tx.update(paySchedules).set(sideChangeSet(paySchedules, { isDefault: false }))
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

/** Schedules by name (names are unique, so the cursor is the last name). */
export async function listPaySchedules (db: Db, page: { limit: number, cursor?: string }): Promise<Page<PayScheduleRow>> {
  const after = decodeCursor(page.cursor, ['text'])
  const rows = await db.select().from(paySchedules)
    .where(after === undefined ? undefined : gt(paySchedules.name, after[0]))
    .orderBy(asc(paySchedules.name)).limit(page.limit + 1)
  return toPage(rows, page.limit, (row) => row, (row) => [row.name])
}

export type PayScheduleChanges = Partial<Pick<PayScheduleInput,
  'name' | 'payDateOffsetDays' | 'payrollCalendarCode' | 'holidayPayElementCode' | 'sageHolidayPaymentNumber'>> & { isDefault?: true }

/** Frequency and anchor never change: they define the periods already closed and exported. */
export async function updatePaySchedule (db: Db, ctx: ChangeContext, id: string, expectedVersion: number, changes: PayScheduleChanges): Promise<PayScheduleRow> {
  return inTransaction(db, async (tx) => {
    const current = await lockForChange(tx, paySchedules, id, expectedVersion, 'Pay schedule')
    if (changes.isDefault === true) await takeDefault(tx, id)
    const [updated] = await tx.update(paySchedules).set(changeSet(current, changes)).where(eq(paySchedules.id, id)).returning()
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

/**
 * A period as it is read: its row once it has one (it was closed, reopened or exported), else
 * computed from the schedule: open, version 1, with the id its row will take (period-id.ts).
 * Reads never make rows; only a change does (periodForChange).
 */
export type PayPeriodRecord = Pick<PayPeriodRow, 'id' | 'payScheduleId' | 'periodIndex' | 'startDate' | 'endDate' | 'payDate' | 'state' | 'closedAt' | 'version'>

/** Period number `index` of a schedule as computed, without a row. */
function computedPeriod (schedule: PayScheduleRow, index: number): PayPeriodRecord {
  const { period, payDate } = withinCalendar(() => {
    const period = periodByIndex(schedule, index)
    return { period, payDate: payDateOf(period, schedule.payDateOffsetDays) }
  })
  return {
    id: periodIdOf(schedule.id, index),
    payScheduleId: schedule.id,
    periodIndex: index,
    startDate: period.startDate,
    endDate: period.endDate,
    payDate,
    state: 'open',
    closedAt: null,
    version: 1
  }
}

/** The rows a schedule's periods first..last have (periods never acted on have none), by index. */
async function rowsByIndex (db: Db, scheduleId: string, first: number, last: number): Promise<Map<number, PayPeriodRow>> {
  const rows = await db.select().from(payPeriods)
    .where(and(eq(payPeriods.payScheduleId, scheduleId), between(payPeriods.periodIndex, first, last)))
  return new Map(rows.map((row) => [row.periodIndex, row]))
}

/**
 * A page of the periods of a schedule overlapping from..to, in order, like every list: `limit`
 * periods and a cursor (the last period's index) while more follow. The range is at most ten
 * years (about 520 weekly periods, computed in memory); only the page's rows are read.
 */
export async function periodsOf (
  db: Db,
  scheduleId: string,
  range: { from: string, to: string, limit: number, cursor?: string }
): Promise<Page<PayPeriodRecord>> {
  const schedule = await getPaySchedule(db, scheduleId)
  const { from, to } = range
  if (compareDates(from, to) > 0) throw ruleViolated('from_after_to', '`from` must not be after `to`', { field: '/from' })
  if (daysBetween(from, to) > 3660) throw ruleViolated('range_too_long', 'Ask for at most ten years of periods at a time', { field: '/to' })
  const after = decodeCursor(range.cursor, ['int32'])
  const periods = withinCalendar(() => periodsBetween(schedule, from, to))
    .filter((period) => after === undefined || period.index > after[0])
    .slice(0, range.limit + 1)
  if (periods.length === 0) return { items: [], nextCursor: null }
  const rows = await rowsByIndex(db, schedule.id, periods[0]!.index, periods[periods.length - 1]!.index)
  const records = periods.map((period) => rows.get(period.index) ?? computedPeriod(schedule, period.index))
  return toPage(records, range.limit, (record) => record, (record) => [record.periodIndex])
}

export async function periodForDate (db: Db, scheduleId: string, date: string): Promise<PayPeriodRecord> {
  const schedule = await getPaySchedule(db, scheduleId)
  const period = computedPeriod(schedule, withinCalendar(() => periodContaining(schedule, date)).index)
  return (await rowsByIndex(db, schedule.id, period.periodIndex, period.periodIndex)).get(period.periodIndex) ?? period
}

/**
 * The schedule and computed period a period id without a row names (period-id.ts), or undefined
 * when it names none: not a derived id, no schedule of its key, or a period outside the calendar.
 */
async function periodNamedBy (db: Db, id: string): Promise<{ schedule: PayScheduleRow, period: PayPeriodRecord } | undefined> {
  const named = readPeriodId(id)
  if (named === undefined) return undefined
  const hex = sql`replace(${paySchedules.id}::text, '-', '')`
  const schedules = await db.select().from(paySchedules)
    .where(sql`substr(${hex}, 1, 12) || substr(${hex}, 14, 13) = ${named.scheduleKey}`)
  // Two schedules sharing the 100 bits of key (odds about n^2 / 2^99) would make the id ambiguous: none is chosen.
  if (schedules.length !== 1) return undefined
  const schedule = schedules[0]!
  try {
    return { schedule, period: computedPeriod(schedule, named.index) }
  } catch (error) {
    if (error instanceof AppError && error.extensions.rule === 'date_out_of_range') return undefined
    throw error
  }
}

/** A period by id, read only: its row, or the period its derived id names (computed). */
export async function getPayPeriod (db: Db, id: string): Promise<PayPeriodRecord> {
  const [row] = await db.select().from(payPeriods).where(eq(payPeriods.id, id))
  if (row !== undefined) return row
  const named = await periodNamedBy(db, id)
  if (named === undefined) throw notFound('Pay period')
  // A period whose row was made before ids were derived has the row's (random) id: its row answers.
  return (await rowsByIndex(db, named.schedule.id, named.period.periodIndex, named.period.periodIndex)).get(named.period.periodIndex) ?? named.period
}

/**
 * A period about to change, its row locked: made first (open, version 1, with the derived id)
 * when the period has none. Runs in the changing transaction, so a refused change leaves no row;
 * concurrent first changes meet on the primary key and the (schedule, index) unique index, and
 * the later one reads and locks the row the first made.
 */
export async function periodForChange (tx: Db, id: string): Promise<PayPeriodRow> {
  const [row] = await tx.select().from(payPeriods).where(eq(payPeriods.id, id)).for('update')
  if (row !== undefined) return row
  const named = await periodNamedBy(tx, id)
  if (named === undefined) throw notFound('Pay period')
  const { period } = named
  await tx.insert(payPeriods).values({
    id: period.id,
    payScheduleId: period.payScheduleId,
    periodIndex: period.periodIndex,
    startDate: period.startDate,
    endDate: period.endDate,
    payDate: period.payDate
  }).onConflictDoNothing()
  const [made] = await tx.select().from(payPeriods)
    .where(and(eq(payPeriods.payScheduleId, period.payScheduleId), eq(payPeriods.periodIndex, period.periodIndex))).for('update')
  return made!
}

/** Finance closes a period: its work is complete. Entries dated in it may still be approved (as late entries). */
export async function closePayPeriod (db: Db, ctx: ChangeContext, id: string, expectedVersion: number): Promise<PayPeriodRow> {
  return inTransaction(db, async (tx) => {
    const current = await periodForChange(tx, id)
    checkVersion(current, expectedVersion)
    if (current.state !== 'open') throw conflict(`Only an open period can be closed; this one is ${current.state}`, { rule: 'illegal_transition', state: current.state })
    const [closed] = await tx.update(payPeriods).set(changeSet(current, { state: 'closed', closedAt: ctx.now })).where(eq(payPeriods.id, current.id)).returning()
    await recordAudit(tx, ctx, { action: 'pay_period.closed', entityType: 'pay_period', entityId: current.id, before: periodAudit(current), after: periodAudit(closed!) })
    return closed!
  })
}

/** Reopening takes a reason and is refused once the period is exported. */
export async function reopenPayPeriod (db: Db, ctx: ChangeContext, id: string, expectedVersion: number, reason: string): Promise<PayPeriodRow> {
  return inTransaction(db, async (tx) => {
    const current = await periodForChange(tx, id)
    checkVersion(current, expectedVersion)
    if (current.state === 'exported') throw conflict('An exported period cannot be reopened: record corrections instead', { rule: 'period_exported' })
    if (current.state !== 'closed') throw conflict('Only a closed period can be reopened', { rule: 'illegal_transition', state: current.state })
    const [reopened] = await tx.update(payPeriods).set(changeSet(current, { state: 'open', closedAt: null })).where(eq(payPeriods.id, current.id)).returning()
    await recordAudit(tx, ctx, { action: 'pay_period.reopened', entityType: 'pay_period', entityId: current.id, before: periodAudit(current), after: periodAudit(reopened!), reason })
    return reopened!
  })
}
