import { createRate } from '../../src/modules/rates/service.js'
import type { Harness } from './app.js'
import { client } from './entries.js'

/**
 * A payroll-ready organisation: a team with two managers (whoever records or corrects a
 * session on a worker's behalf cannot also approve it, so the second one approves), an hourly activity at £12.21 (the
 * 2025/26 adult minimum wage, so work dates are in 2025), a monthly schedule, and helpers to
 * approve sessions and export a month. The team, activity and schedule have their Sage 50 numbers
 * (department 12, payment 3, holiday pay 9), so every file format downloads.
 */
export async function payrollOrganisation (h: Harness) {
  const finance = client(h, await h.key('finance'))
  const managerPerson = await h.person('Manager')
  const checkerPerson = await h.person('Second manager')
  const team = await h.team({ name: 'Youth Voice', costCentre: 'YV01', sageDepartment: 12, managerIds: [managerPerson.id, checkerPerson.id] })
  const manager = client(h, await h.key('manager', { personId: managerPerson.id }))
  const checker = client(h, await h.key('manager', { personId: checkerPerson.id }))
  const activity = await h.activity({ code: 'PEER', name: 'Peer support', payElementCode: 'SESS01', sagePaymentNumber: 3 })
  await createRate(h.database.handle.db, h.ctx, { activityTypeId: activity.id, scope: 'default', pencePerUnit: 1221, validFrom: '2025-04-01' })
  const schedule = (await finance.call('POST', '/pay-schedules', {
    name: 'Monthly', frequency: 'monthly', anchorDate: '2025-01-01', payDateOffsetDays: 5, payrollCalendarCode: 'CAL-1', sageHolidayPaymentNumber: 9
  })).body as { id: string }

  async function approved (workerId: string, workDate: string, startTime = '10:00', endTime = '10:50') {
    const made = await manager.create({ workerId, activityTypeId: activity.id, workDate, startTime, endTime, submit: true })
    if (made.status !== 201) throw new Error(JSON.stringify(made.body))
    const decided = await checker.act(made.body.id, 'approve')
    if (decided.status !== 200) throw new Error(JSON.stringify(decided.body))
    return decided.body as { id: string, version: number, pay: { grossPence: number } }
  }
  async function periodOf (date: string) {
    return finance.call('GET', `/pay-schedules/${schedule.id}/period-for-date?date=${date}`)
  }
  async function close (date: string) {
    const p = await periodOf(date)
    const closed = await finance.call('POST', `/pay-periods/${p.body.id}/close`, undefined, { 'if-match': p.etag! })
    if (closed.status !== 200) throw new Error(JSON.stringify(closed.body))
    return closed.body as { id: string }
  }
  return { finance, manager, checker, team, activity, schedule, approved, periodOf, close }
}
