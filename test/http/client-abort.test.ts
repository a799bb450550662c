// A client that hangs up mid-upload (issue 12, item 5). Node fails the request body's stream with
// ECONNRESET ("aborted"), and that code alone was taken for the database going away: the request
// was logged at error level as a database outage (503). The client's connection and the
// database's are told apart by where the error came from: a socket error counts as the
// database's only when the driver raised it for a statement.
import net, { type AddressInfo, type Socket } from 'node:net'
import type { Test } from 'tap'
import t from 'tap'
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import { classifyDatabaseError } from '../../src/db/errors.js'
import { build, type Harness } from '../helpers/app.js'
import { waitFor } from '../helpers/faults.js'

const outcomes = ['request aborted by the client', 'request failed', 'request refused']

/** The log line saying how the request ended (the error handler's). */
async function outcomeOf (h: Harness, requestId: string): Promise<Record<string, unknown>> {
  return waitFor(`the outcome of request ${requestId} to be logged`,
    () => h.logs.find((line) => line.requestId === requestId && outcomes.includes(line.msg as string)))
}

type Moment = 'while the body is read' | 'before the body is read'

/**
 * Sends a POST's headers and part of its body over a raw connection and hangs up: closing the
 * connection (FIN) or resetting it (RST), once the service reads the body or while it is still
 * authenticating the request (the test's onRequest hook holds such a request until the
 * connection has gone).
 */
async function hangUpMidUpload (h: Harness, port: number, requestId: string, how: 'close' | 'reset', moment: Moment): Promise<void> {
  const admin = await h.key('admin')
  const socket: Socket = net.connect(port, '127.0.0.1')
  socket.on('error', () => { /* the service may answer a reset in kind */ })
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
  socket.write([
    'POST /people HTTP/1.1', 'Host: abort', `Authorization: ${admin.headers.authorization}`, `X-Request-Id: ${requestId}`,
    'Content-Type: application/json', 'Content-Length: 4096', '', '{"displayName": "Half a na'
  ].join('\r\n'))
  const seen = moment === 'while the body is read' ? reading : arrived
  await waitFor(`the service to have request ${requestId}`, () => seen.has(requestId) ? true : undefined)
  if (how === 'reset') socket.resetAndDestroy()
  else socket.destroy()
}

/** Requests the service has begun (onRequest), and those whose body it has begun to read (preParsing). */
const arrived = new Set<string>()
const reading = new Set<string>()

t.test('a client that hangs up mid-upload is logged as a client abort at info, never as the database unavailable', async (t) => {
  const h = await build(t, {
    extend: (app) => {
      app.addHook('onRequest', async (request) => {
        arrived.add(request.id)
        if (!request.id.includes('before')) return
        if (!request.raw.destroyed) await new Promise((resolve) => request.raw.once('close', resolve))
      })
      app.addHook('preParsing', async (request, _reply, payload) => { reading.add(request.id); return payload })
    }
  })
  await h.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = h.app.server.address() as AddressInfo
  for (const moment of ['while the body is read', 'before the body is read'] as const) {
    for (const how of ['close', 'reset'] as const) {
      const requestId = `abort-${how}-${moment.split(' ')[0]!}`
      const what = `${how} ${moment}`
      await hangUpMidUpload(h, port, requestId, how, moment)
      const outcome = await outcomeOf(h, requestId)
      t.equal(outcome.msg, 'request aborted by the client', `${what}: logged as a client abort`)
      t.equal(outcome.level, 30, `${what}: at info`)
      t.match(outcome.err, { code: 'ECONNRESET' }, `${what}: with the stream's error code`)
      t.not((outcome.err as { type?: unknown } | undefined)?.type, 'DatabaseError', `${what}: the error is not taken for a database's`)
    }
  }
  t.equal(h.logs.filter((line) => line.msg === 'connection closed by the client mid-request').length, 2,
    'the connections closed with a request half sent are logged as such, not as invalid HTTP')
  const logs = h.logs
  t.same(logs.filter((line) => (line.level as number) >= 50), [], 'nothing logged at error level')
  t.same(logs.filter((line) => line.problem === 'service_unavailable' || (line.err as { type?: unknown } | undefined)?.type === 'DatabaseError'), [],
    'no line says the database was unavailable')
})

/**
 * A "database" that accepts each connection and resets it as soon as the client speaks: the
 * driver's own socket fails with ECONNRESET, as it does when a real server's connection is reset.
 */
async function resettingServer (t: Test): Promise<number> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {})
    socket.once('data', () => socket.resetAndDestroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return (server.address() as AddressInfo).port
}

/** A port nothing listens on: connecting is refused. */
async function closedPort (): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

t.test('the database driver\'s own socket errors still mean the database is unavailable: 503 and an error log', async (t) => {
  const targets = { reset: await resettingServer(t), refused: await closedPort() }
  const clients = Object.fromEntries(Object.entries(targets).map(([name, port]) => {
    const client = postgres(`postgres://nobody@127.0.0.1:${port}/nothing`, { max: 1, connect_timeout: 5, onnotice: () => {} })
    return [name, client]
  }))
  t.teardown(async () => { await Promise.all(Object.values(clients).map((client) => client.end({ timeout: 1 }))) })
  const h = await build(t, {
    extend: (app) => {
      app.get('/test/database/:target', { config: { access: 'public' } }, async (request) => {
        const client = clients[(request.params as { target: string }).target]!
        await drizzle({ client }).execute(sql`select 1`)
        return { answered: true }
      })
    }
  })
  const codes = { reset: 'ECONNRESET', refused: 'ECONNREFUSED' }
  for (const [target, code] of Object.entries(codes)) {
    const res = await h.app.inject({ method: 'GET', url: `/test/database/${target}`, headers: { 'x-request-id': `db-${target}` } })
    t.equal(res.statusCode, 503, `${target}: 503`)
    t.equal(res.json().code, 'service_unavailable', `${target}: the database is unavailable`)
    const outcome = await outcomeOf(h, `db-${target}`)
    t.equal(outcome.level, 50, `${target}: logged at error level`)
    t.same(outcome.err, { type: 'DatabaseError', kind: 'unavailable', code }, `${target}: as the database's ${code}`)
  }
  // The driver's error itself (unwrapped by drizzle) is the database's too: postgres.js marks it
  // with the statement it failed.
  const raw = await clients.refused!`select 1`.then(() => undefined, (error: unknown) => error)
  t.match(classifyDatabaseError(raw), { kind: 'unavailable', code: 'ECONNREFUSED' }, 'postgres.js\'s own ECONNREFUSED is the database\'s')
  // The same code from a socket of no database's is not.
  const bare = await new Promise<unknown>((resolve) => {
    net.connect(targets.refused, '127.0.0.1').on('error', resolve)
  })
  t.match(bare, { code: 'ECONNREFUSED' })
  t.equal(classifyDatabaseError(bare), undefined, 'a refused connection of any other socket is not a database error')
  t.equal(classifyDatabaseError(Object.assign(new Error('bad file descriptor'), { code: 'EBADF' })), undefined,
    'a five-letter code of another origin is not taken for a SQLSTATE')
})
