// A change that collides with a unique value (a payroll reference, a team or schedule name) is a
// 409 problem the operation documents, whichever operation makes it (the fuzzer found updateWorker's
// 409 undocumented; this checks every operation that can write such a value).
import { readFileSync } from 'node:fs'
import t from 'tap'
import { committedDocumentPath } from '../../src/openapi-document.js'
import { build } from '../helpers/app.js'
import { client } from '../helpers/entries.js'

const document = JSON.parse(readFileSync(committedDocumentPath, 'utf8')) as {
  paths: Record<string, Record<string, { operationId: string, responses: Record<string, unknown> }>>
}
const documented = (operationId: string): string[] => {
  for (const methods of Object.values(document.paths)) {
    for (const operation of Object.values(methods)) if (operation.operationId === operationId) return Object.keys(operation.responses)
  }
  throw new Error(`no operation ${operationId}`)
}

const h = await build(t)
const admin = client(h, await h.key('admin'))
const finance = client(h, await h.key('finance'))

t.test('every write that can collide with a unique value answers a documented 409', async (t) => {
  const first = await h.worker({ payrollReference: 'UNIQ1' })
  const second = await h.worker({ payrollReference: 'UNIQ2' })
  const teamA = await h.team({ name: 'Alpha' })
  await h.team({ name: 'Beta' })
  const scheduleA = await finance.call('POST', '/pay-schedules', { name: 'Weekly A', frequency: 'weekly', anchorDate: '2026-01-05', payrollCalendarCode: 'A' })
  await finance.call('POST', '/pay-schedules', { name: 'Weekly B', frequency: 'weekly', anchorDate: '2026-01-05', payrollCalendarCode: 'B' })
  const patch = async (who: ReturnType<typeof client>, path: string, body: object) => {
    const current = await who.call('GET', path)
    return who.call('PATCH', path, body, { 'if-match': current.etag! })
  }
  const cases = [
    { operationId: 'updateWorker', answer: await patch(admin, `/workers/${second.id}`, { payrollReference: first.payrollReference }) },
    { operationId: 'createWorker', answer: await admin.call('POST', '/workers', { displayName: 'Dup', payrollReference: 'UNIQ1', dateOfBirth: '1990-01-01', paymentMode: 'payroll', holidayPayMode: 'accrued', engagementStartDate: '2025-01-01', teamIds: [teamA.id] }) },
    { operationId: 'updateTeam', answer: await patch(admin, `/teams/${teamA.id}`, { name: 'Beta' }) },
    { operationId: 'createTeam', answer: await admin.call('POST', '/teams', { name: 'Beta', costCentre: 'X1' }) },
    { operationId: 'updatePaySchedule', answer: await patch(finance, `/pay-schedules/${scheduleA.body.id}`, { name: 'Weekly B' }) },
    { operationId: 'createPaySchedule', answer: await finance.call('POST', '/pay-schedules', { name: 'Weekly B', frequency: 'weekly', anchorDate: '2026-01-05', payrollCalendarCode: 'C' }) }
  ]
  for (const { operationId, answer } of cases) {
    t.equal(answer.status, 409, `${operationId}: 409 (${JSON.stringify(answer.body?.detail)})`)
    t.ok(documented(operationId).includes('409'), `${operationId} documents its 409`)
  }
})
