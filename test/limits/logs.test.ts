// Logs (issue 6, item 7): a whole working month through the API, with every log line kept (at
// trace level, the most the service ever writes), then searched for anything secret or personal.
import t from 'tap'
import { build } from '../helpers/app.js'

/** Dates of birth used nowhere else in the flow: any appearance in the logs is a leak. */
const datesOfBirth = ['1987-03-14', '1962-11-29', '2005-08-07', '1979-06-23']

t.test('a full month through the API leaves no key, Authorization value or date of birth in the logs', async (t) => {
  const h = await build(t, { env: { LOG_LEVEL: 'trace', AUTH_FAILURE_LIMIT: '1000' }, now: new Date('2026-07-20T09:00:00Z') })
  const bootstrap = await h.key('admin', 'bootstrap admin')
  const secrets = [bootstrap.secret]
  const authorizations = [bootstrap.headers.authorization]
  let requests = 0
  const call = async (authorization: string | undefined, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    requests++
    const res = await h.app.inject({ method, url, headers: { ...(authorization === undefined ? {} : { authorization }), ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) })
    const json = /json/.test(String(res.headers['content-type'])) && res.body !== '' ? res.json() : undefined
    return { status: res.statusCode, body: json, etag: res.headers.etag as string | undefined, text: res.body }
  }
  const expect = async (result: Promise<{ status: number, body: any, etag?: string | undefined }>, status: number, what: string) => {
    const res = await result
    t.equal(res.status, status, what)
    return res
  }
  const admin = bootstrap.headers.authorization

  // People, workers (with dates of birth), a team, an activity, a rate and a schedule.
  const manager = (await expect(call(admin, 'POST', '/people', { displayName: 'Log Manager' }), 201, 'manager person')).body
  const team = (await expect(call(admin, 'POST', '/teams', { name: 'Log Team', costCentre: 'LG1', sageDepartment: 4, managerIds: [manager.id] }), 201, 'team')).body
  const workers: Array<{ id: string }> = []
  for (const [i, dateOfBirth] of datesOfBirth.slice(0, 3).entries()) {
    workers.push((await expect(call(admin, 'POST', '/workers', {
      displayName: `Log Worker ${i}`, dateOfBirth, paymentMode: 'payroll', holidayPayMode: 'rolled_up', engagementStartDate: '2025-01-01', payrollReference: `LOG${i}`, teamIds: [team.id]
    }), 201, `worker ${i} with a date of birth`)).body)
  }
  // A date of birth changed later (the old and the new one are both personal).
  const read = await call(admin, 'GET', `/workers/${workers[2]!.id}`)
  await expect(call(admin, 'PATCH', `/workers/${workers[2]!.id}`, { dateOfBirth: datesOfBirth[3] }, { 'if-match': read.etag! }), 200, 'date of birth corrected')
  const activity = (await expect(call(admin, 'POST', '/activity-types', { code: 'LOG', name: 'Logged work', payElementCode: 'LG', sagePaymentNumber: 101, unit: 'hour' }), 201, 'activity')).body
  await expect(call(admin, 'POST', '/rates', { activityTypeId: activity.id, scope: 'default', pencePerUnit: 1400, validFrom: '2026-04-01' }), 201, 'rate')

  // Keys made through the API: each secret is shown once, in the response only.
  const newKey = async (body: object) => {
    const made = (await expect(call(admin, 'POST', '/api-keys', body), 201, `key ${JSON.stringify(body)}`)).body
    secrets.push(made.secret)
    authorizations.push(`Bearer ${made.secret}`)
    return { id: made.id as string, authorization: `Bearer ${made.secret}` }
  }
  const finance = await newKey({ name: 'log finance', role: 'finance' })
  const managerKey = await newKey({ name: 'log manager', role: 'manager', personId: manager.id })
  const workerKey = await newKey({ name: 'log worker', role: 'worker', personId: workers[0]!.id })
  const doomed = await newKey({ name: 'log doomed', role: 'admin' })

  const schedule = (await expect(call(finance.authorization, 'POST', '/pay-schedules', { name: 'Log Monthly', frequency: 'monthly', anchorDate: '2025-01-01', payrollCalendarCode: 'LOGCAL', sageHolidayPaymentNumber: 110 }), 201, 'schedule')).body

  // Entries: the worker records and submits, the manager approves one and rejects another, with
  // an idempotent retry of the creation.
  const session = { activityTypeId: activity.id, workDate: '2026-06-03', startTime: '09:00', endTime: '12:30', breakMinutes: 15, submit: true }
  const first = await expect(call(workerKey.authorization, 'POST', '/entries', session, { 'idempotency-key': 'log-entry-1' }), 201, 'entry recorded')
  const replay = await call(workerKey.authorization, 'POST', '/entries', session, { 'idempotency-key': 'log-entry-1' })
  t.equal(replay.status, 201, 'idempotent replay answers')
  t.equal(replay.body.id, first.body.id, 'the replay is the first entry')
  const second = await expect(call(managerKey.authorization, 'POST', '/entries', { ...session, workerId: workers[1]!.id, workDate: '2026-06-04' }), 201, 'entry for a colleague')
  const third = await expect(call(managerKey.authorization, 'POST', '/entries', { ...session, workerId: workers[2]!.id, workDate: '2026-06-05' }), 201, 'entry for a third')
  await expect(call(managerKey.authorization, 'POST', `/entries/${first.body.id}/approve`, undefined, { 'if-match': first.etag! }), 200, 'approved')
  // The manager recorded it on the worker's behalf, so another (an admin) approves it.
  await expect(call(admin, 'POST', `/entries/${second.body.id}/approve`, undefined, { 'if-match': second.etag! }), 200, 'approved')
  await expect(call(managerKey.authorization, 'POST', `/entries/${third.body.id}/reject`, { reason: 'Wrong day' }, { 'if-match': third.etag! }), 200, 'rejected')
  await expect(call(workerKey.authorization, 'GET', '/me/entries'), 200, 'the worker reads their entries')
  await expect(call(workerKey.authorization, 'GET', '/me/earnings?from=2026-06-01&to=2026-06-30'), 200, 'and earnings')

  // Finance closes June, exports and downloads every format.
  const period = await expect(call(finance.authorization, 'GET', `/pay-schedules/${schedule.id}/period-for-date?date=2026-06-15`), 200, 'period')
  await expect(call(finance.authorization, 'POST', `/pay-periods/${period.body.id}/close`, undefined, { 'if-match': period.etag! }), 200, 'closed')
  const batch = (await expect(call(finance.authorization, 'POST', `/pay-periods/${period.body.id}/exports`, undefined, { 'idempotency-key': 'log-export' }), 201, 'exported')).body
  for (const format of ['csv', 'json', 'sage50', 'brightpay', 'brightpay-additions', 'iris', 'staffology', 'xero']) {
    const file = await call(finance.authorization, 'GET', `/exports/${batch.id}/files/${format}`)
    t.equal(file.status, 200, `${format} downloaded`)
  }
  await expect(call(finance.authorization, 'GET', `/workers/${workers[0]!.id}/pay-record?periodId=${period.body.id}&format=csv`), 200, 'pay record')
  await expect(call(finance.authorization, 'GET', `/reports/period-summary?periodId=${period.body.id}`), 200, 'summary')
  await expect(call(admin, 'GET', `/audit-events?entityType=worker&entityId=${workers[2]!.id}`), 200, 'audit trail of the changed date of birth')

  // Failed authentications of every kind, including real secrets in the wrong shape or place.
  const doomedRead = await call(admin, 'GET', `/api-keys/${doomed.id}`)
  await expect(call(admin, 'POST', `/api-keys/${doomed.id}/revoke`, undefined, { 'if-match': doomedRead.etag! }), 200, 'key revoked')
  const wrong = [
    doomed.authorization,
    `Bearer ${secrets[1]!.slice(0, -2)}`,
    `Bearer ${secrets[1]!}x`,
    `Basic ${Buffer.from(`admin:${secrets[1]!}`).toString('base64')}`,
    `Token ${secrets[2]!}`,
    secrets[3]!,
    'Bearer sp_notarealkeynotarealkeynotarealkeynotarealk'
  ]
  authorizations.push(...wrong)
  for (const authorization of wrong) await expect(call(authorization, 'GET', '/workers'), 401, 'refused credentials')
  await expect(call(undefined, 'GET', `/workers?api_key=${secrets[4]!}`), 401, 'a key in the query string is not a credential')
  await expect(call(undefined, 'GET', '/workers', undefined, { 'x-api-key': secrets[4]! }), 401, 'nor in another header')
  await expect(call(admin, 'GET', '/people', undefined, { cookie: `session=${secrets[1]!}` }), 200, 'a cookie is ignored')

  // Validation failures carrying dates of birth.
  for (const dateOfBirth of ['2031-02-28', '1987-02-30', '14/03/1987', datesOfBirth[0]!.replace(/-/g, '')]) {
    const res = await call(admin, 'POST', '/workers', { displayName: 'Bad Birthday', dateOfBirth, paymentMode: 'payroll', holidayPayMode: 'accrued', engagementStartDate: '2026-01-01' })
    t.ok(res.status === 400 || res.status === 422, `date of birth ${dateOfBirth} refused (${res.status})`)
  }
  const bad = await call(admin, 'PATCH', `/workers/${workers[0]!.id}`, { dateOfBirth: datesOfBirth[1], colour: 'red' }, { 'if-match': '"stale"' })
  t.ok(bad.status >= 400, 'a refused change of a date of birth')
  // A body refused for another field while it holds a date of birth.
  const boom = await call(admin, 'POST', '/workers', { displayName: 'x'.repeat(300), dateOfBirth: datesOfBirth[2] })
  t.equal(boom.status, 400)

  const raw = h.rawLogs()
  const lines = raw.split('\n').filter((line) => line !== '')
  t.ok(lines.length > requests, `every request was logged (${lines.length} lines for ${requests} requests)`)
  for (const [i, secret] of secrets.entries()) t.notOk(raw.includes(secret), `API key secret ${i + 1} of ${secrets.length} is not in the logs`)
  for (const authorization of [...new Set(authorizations)]) t.notOk(raw.includes(authorization), `the Authorization value "${authorization.slice(0, 12)}..." is not in the logs`)
  t.notOk(/sp_[A-Za-z0-9_-]{20,}/.test(raw), 'nothing shaped like a key secret is in the logs')
  for (const dateOfBirth of datesOfBirth) t.notOk(raw.includes(dateOfBirth), `date of birth ${dateOfBirth} is not in the logs`)
  t.notOk(/"authorization"\s*:\s*"(?!\[redacted\])/i.test(raw), 'no authorization field with a value')
  t.comment(`logs: ${requests} requests, ${lines.length} log lines (${raw.length} bytes) checked for ${secrets.length} secrets, ${new Set(authorizations).size} Authorization values and ${datesOfBirth.length} dates of birth`)
})
