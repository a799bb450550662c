import { and, asc, between, eq, inArray } from 'drizzle-orm'
import type { Actor } from '../../domain/actor.js'
import type { WageBand } from '../../domain/minimum-wage.js'
import { hoursForMinutes } from '../../domain/money.js'
import type { Db } from '../../db/open.js'
import { activityTypes, timesheetEntries } from '../../db/schema.js'
import { entryVisibleTo } from '../access/entry-visibility.js'
import { getPayPeriod } from '../pay-periods/service.js'
import { minimumWageOn, minimumWageTable } from '../statutory/service.js'
import { findWorker } from '../workers/service.js'

export interface PayRecordEntry {
  entryId: string
  kind: 'work' | 'adjustment'
  state: 'approved' | 'exported'
  activity: string
  startTime: string | null
  endTime: string | null
  breakMinutes: number
  minutes: number
  rateUnit: 'hour' | 'session'
  ratePence: number
  grossPence: number
  /** The worker's minimum-wage band and floor on the day (README "UK rules" record keeping). */
  band: WageBand | 'school_age'
  floorPencePerHour: number | null
}

export interface PayRecordDay { date: string, minutes: number, hoursText: string, grossPence: number, entries: PayRecordEntry[] }

/**
 * The National Minimum Wage record of a worker for a pay period (NMW Regulations 2015 reg 59:
 * kept 6 years): each day's start and finish times, breaks, hours, rate paid and the floor in
 * force, from the approved (frozen) entries dated in the period, corrections included.
 */
export async function payRecord (db: Db, actor: Actor, workerId: string, periodId: string) {
  const worker = await findWorker(db, actor, workerId)
  const period = await getPayPeriod(db, periodId)
  const table = await minimumWageTable(db)
  const rows = await db.select({ entry: timesheetEntries, activity: activityTypes.name }).from(timesheetEntries)
    .innerJoin(activityTypes, eq(activityTypes.id, timesheetEntries.activityTypeId))
    .where(and(
      eq(timesheetEntries.workerId, workerId),
      // A manager sees the worker's entries for the teams they manage, nothing else.
      entryVisibleTo(actor),
      between(timesheetEntries.workDate, period.startDate, period.endDate),
      inArray(timesheetEntries.state, ['approved', 'exported'])
    ))
    .orderBy(asc(timesheetEntries.workDate), asc(timesheetEntries.sortAt), asc(timesheetEntries.id))
  const days: PayRecordDay[] = []
  for (const { entry, activity } of rows) {
    let day = days[days.length - 1]
    if (day?.date !== entry.workDate) {
      day = { date: entry.workDate, minutes: 0, hoursText: '', grossPence: 0, entries: [] }
      days.push(day)
    }
    const floor = minimumWageOn(worker, entry.workDate, table)
    day.entries.push({
      entryId: entry.id,
      kind: entry.kind,
      state: entry.state as 'approved' | 'exported',
      activity,
      startTime: entry.startTime,
      endTime: entry.endTime,
      breakMinutes: entry.breakMinutes,
      minutes: entry.workedMinutes,
      rateUnit: entry.rateUnit!,
      ratePence: entry.ratePencePerUnit!,
      grossPence: entry.grossPence!,
      band: floor.band,
      floorPencePerHour: floor.floorPencePerHour
    })
    day.minutes += entry.workedMinutes
    day.grossPence += entry.grossPence!
  }
  for (const day of days) day.hoursText = hoursForMinutes(day.minutes).text
  const totalMinutes = days.reduce((total, day) => total + day.minutes, 0)
  return {
    worker,
    period,
    days,
    totalMinutes,
    totalHoursText: hoursForMinutes(totalMinutes).text,
    grossPence: days.reduce((total, day) => total + day.grossPence, 0)
  }
}
