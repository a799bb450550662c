import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import fp from 'fastify-plugin'
import { AppError } from '../errors.js'

const REQUEST_ID_HEADER = 'x-request-id'

/** A caller's request id is kept when it is short and plain (safe to log); otherwise a new one. */
export function requestIdOf (request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER]
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(given) ? given : randomUUID()
}

/**
 * Echoes the request id on every response. While the app is closing, new requests get a 503
 * problem (instead of Fastify's plain 503) and in-flight ones finish, then close their connection.
 */
export default fp(async function requestLifecycle (app) {
  let closing = false
  app.addHook('preClose', async () => { closing = true })
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id)
    if (closing) throw new AppError('service_unavailable', 'The service is shutting down; retry', {}, { 'retry-after': '1' })
  })
  // A client that hung up before its body was read (while the onRequest hooks ran): Node dropped
  // the body stream's error, no one listening yet, and parsing would wait for a body that never
  // comes, the request neither answered nor logged. It ends here as the client's abort.
  app.addHook('preParsing', async (request, _reply, payload) => {
    const raw = request.raw
    const hasBody = raw.headers['transfer-encoding'] !== undefined || Number(raw.headers['content-length'] ?? 0) > 0
    if (raw.destroyed && hasBody) throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' })
    return payload
  })
  // Responses finishing during shutdown end their keep-alive connection, so the server can
  // close as soon as the last in-flight request is answered.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close')
    return payload
  })
}, { name: 'request-lifecycle' })
