import t from 'tap'
import { build } from '../helpers/app.js'

t.test('health, readiness and request ids', async (t) => {
  const h = await build(t)
  const health = await h.app.inject({ method: 'GET', url: '/healthz' })
  t.equal(health.statusCode, 200)
  t.same(health.json(), { status: 'ok' })
  const ready = await h.app.inject({ method: 'GET', url: '/readyz' })
  t.same(ready.json(), { status: 'ready' })
  t.match(health.headers['x-request-id'], /^[0-9a-f-]{36}$/, 'a request id on every response')
  t.not(health.headers['x-request-id'], ready.headers['x-request-id'])

  const given = await h.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'lb-1234.abc' } })
  t.equal(given.headers['x-request-id'], 'lb-1234.abc', 'a plain caller-supplied id is kept for tracing')
  const hostile = await h.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'x\n{"level":60}' } })
  t.match(hostile.headers['x-request-id'], /^[0-9a-f-]{36}$/, 'anything else is replaced (no log injection)')
})

t.test('security headers are set on every response', async (t) => {
  const h = await build(t)
  for (const url of ['/healthz', '/nope']) {
    const res = await h.app.inject({ method: 'GET', url })
    t.equal(res.headers['x-content-type-options'], 'nosniff', url)
    t.ok(res.headers['content-security-policy'], url)
    t.ok(res.headers['strict-transport-security'], url)
    t.equal(res.headers['x-frame-options'], 'SAMEORIGIN', url)
  }
})

t.test('no response asks browsers to upgrade to https: every route, /docs and its files included', async (t) => {
  // The service speaks plain HTTP; `upgrade-insecure-requests` made browsers fetch /docs's
  // scripts over https from any host but localhost (test/operations/docs-browser.test.ts).
  const h = await build(t)
  const admin = await h.key('admin')
  const id = '00000000-0000-4000-8000-000000000000'
  let checked = 0
  for (const route of h.app.routeTable) {
    const url = route.url.replace(/:[A-Za-z]+/g, id).replace('*', 'swagger-ui-bundle.js')
    for (const headers of [admin.headers, {}]) {
      const res = await h.app.inject({ method: route.method, url, headers })
      const policy = String(res.headers['content-security-policy'])
      if (/upgrade-insecure-requests/.test(policy) || !policy.includes("default-src 'self'")) {
        t.fail(`${route.method} ${url} (${res.statusCode}): ${policy}`)
      }
      checked++
    }
  }
  t.ok(checked > 100, `${checked} answers checked, each with a policy and none upgrading`)
})

t.test('readiness fails with a 503 problem when the database is gone', async (t) => {
  const h = await build(t)
  await h.database.handle.close()
  const res = await h.app.inject({ method: 'GET', url: '/readyz' })
  t.equal(res.statusCode, 503)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(res.json(), { code: 'service_unavailable' })
  t.ok(Number(res.headers['retry-after']) > 0)
  t.equal((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'liveness does not depend on the database')
})

t.test('logs are JSON with the request id, and never hold keys or Authorization', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  const created = await h.app.inject({ method: 'POST', url: '/api-keys', headers: { ...admin.headers, 'x-request-id': 'trace-me' }, payload: { name: 'n', role: 'finance' } })
  const secret = created.json().secret as string
  await h.app.inject({ method: 'GET', url: '/api-keys', headers: { authorization: `Bearer ${secret}` } })
  await h.app.inject({ method: 'GET', url: '/api-keys', headers: { authorization: 'Bearer sp_notvalidnotvalidnotvalidnotvalidnotvalidnot' } })
  h.app.log.info({ req: { headers: { authorization: `Bearer ${secret}` } }, secret, nested: { token: 'tok', dateOfBirth: '2001-02-03' } }, 'deliberately logging sensitive fields')
  const raw = h.rawLogs()
  t.notOk(raw.includes(admin.secret), 'the caller\'s key is not logged')
  t.notOk(raw.includes(secret), 'the created key is not logged')
  t.notOk(raw.includes('notvalidnotvalid'), 'a rejected key is not logged')
  t.notOk(raw.includes('2001-02-03'), 'dates of birth are redacted')
  t.notOk(raw.includes('"tok"'), 'tokens are redacted')
  t.ok(raw.includes('[redacted]'), 'redaction leaves a marker')
  const lines = h.logs
  t.ok(lines.some((line) => line.requestId === 'trace-me' && line.msg === 'request completed'), 'lines carry the request id')
})
