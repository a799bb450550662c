import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { classifyDatabaseError } from '../db/errors.js'
import { constraintMessage } from '../db/constraint-messages.js'
import { AppError, problemTypes, problemTypeUri, type ProblemCode } from '../errors.js'
import { MAX_BODY_VALUES } from './json-body.js'
import { BAD_REQUEST_DESCRIPTION, MAX_LISTED_ERRORS, problemResponse, type FieldErrorShape } from './problem-schema.js'

const fastifyCodes: Record<string, ProblemCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_BAD_URL: 'bad_request'
}

const contexts: Record<string, FieldErrorShape['in']> = {
  body: 'body', querystring: 'query', params: 'params', headers: 'headers'
}

const escapePointerToken = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1')

interface AjvIssue {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
  /** The schema holding the failed keyword (ajv's `verbose`): its description says what is allowed. */
  parentSchema?: { description?: unknown }
}

/**
 * A failed pattern names the rule in words too: `must match pattern "^[A-Z]+$"` alone is for
 * programmers; a failed enum lists the values it takes (ajv says only "one of the allowed values").
 */
function detailOf (issue: AjvIssue): string {
  if (issue.keyword === 'enum' && Array.isArray(issue.params.allowedValues)) {
    return `must be one of: ${issue.params.allowedValues.map((value) => JSON.stringify(value)).join(', ')}`
  }
  const detail = issue.message ?? `fails ${issue.keyword}`
  const description = issue.parentSchema?.description
  return issue.keyword === 'pattern' && typeof description === 'string' ? `${detail} (${description})` : detail
}

// What a format means, said in full (ajv says only 'must match format "date-time"').
const formatDetails: Record<string, string> = {
  'date-time': 'must be an RFC 3339 date-time such as 2026-07-15T11:00:00Z, in the years 1000 to 9999 also once its ' +
    'offset is applied, and not a leap second (:60)'
}

export function fieldErrorsOf (issues: AjvIssue[], context: string | undefined): FieldErrorShape[] {
  const where = contexts[context ?? 'body'] ?? 'body'
  return issues.map((issue) => {
    const format = issue.keyword === 'format' && typeof issue.params.format === 'string'
      ? formatDetails[issue.params.format]
      : undefined
    if (format !== undefined) return { in: where, pointer: issue.instancePath, detail: format }
    if (issue.keyword === 'required' && typeof issue.params.missingProperty === 'string') {
      return { in: where, pointer: `${issue.instancePath}/${escapePointerToken(issue.params.missingProperty)}`, detail: 'is required' }
    }
    if (issue.keyword === 'additionalProperties' && typeof issue.params.additionalProperty === 'string') {
      return { in: where, pointer: `${issue.instancePath}/${escapePointerToken(issue.params.additionalProperty)}`, detail: 'is not a known field' }
    }
    return { in: where, pointer: issue.instancePath === '' ? '' : issue.instancePath, detail: detailOf(issue) }
  })
}

/** Writes one problem+json response; the only place problem bodies are made. */
export function sendProblem (request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const { status, title } = problemTypes[error.code]
  return reply
    .code(status)
    .header('x-request-id', request.id)
    .headers(error.headers)
    .type('application/problem+json; charset=utf-8')
    .send({
      ...error.extensions,
      type: problemTypeUri(error.code),
      title,
      status,
      detail: error.detail,
      code: error.code,
      instance: request.url.split('?')[0],
      requestId: request.id
    })
}

/** What may be logged of an error: never SQL, parameters, stack or request data. */
export function loggableError (error: unknown): Record<string, unknown> {
  const database = classifyDatabaseError(error)
  if (database !== undefined) return { type: 'DatabaseError', ...database }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return { type: error.name, message: error.message.slice(0, 300), ...(typeof code === 'string' ? { code } : {}) }
  }
  return { type: typeof error }
}

/**
 * The 400 for failed validation: at most MAX_LISTED_ERRORS errors, and how many more there
 * were (a body of 80,000 unknown keys was answered with all 80,000: 6.4 MB).
 */
function validationProblem (issues: AjvIssue[], context: string | undefined): AppError {
  const errors = fieldErrorsOf(issues.slice(0, MAX_LISTED_ERRORS), context)
  const omitted = issues.length - errors.length
  const fields = [...new Set(errors.map((e) => e.pointer === '' ? `(${e.in})` : `${e.in} ${e.pointer}`))]
  const more = omitted > 0 ? ` and ${omitted} more error${omitted === 1 ? '' : 's'}` : ''
  return new AppError('validation_failed', `Invalid fields: ${fields.join(', ')}${more}`, {
    errors,
    ...(omitted > 0 ? { errorsOmitted: omitted } : {})
  })
}

/** Turns anything thrown into the AppError the client is told about. */
export function toAppError (error: FastifyError | Error): AppError {
  if (error instanceof AppError) return error
  const fastifyError = error as FastifyError
  if (Array.isArray(fastifyError.validation)) {
    return validationProblem(fastifyError.validation as AjvIssue[], fastifyError.validationContext)
  }
  const mapped = fastifyError.code === undefined ? undefined : fastifyCodes[fastifyError.code]
  if (mapped !== undefined) return new AppError(mapped, fastifyError.message)

  const database = classifyDatabaseError(error)
  if (database !== undefined) {
    switch (database.kind) {
      case 'unique':
      case 'exclusion':
      case 'foreign_key':
        return new AppError('conflict', constraintMessage(database.constraint), { constraint: database.constraint ?? null })
      case 'check':
      case 'not_null':
        return new AppError('rule_violated', constraintMessage(database.constraint), { rule: database.constraint ?? 'database_constraint' })
      case 'serialization':
        return new AppError('service_unavailable', 'The database was too busy to complete the request; retry it', {}, { 'retry-after': '1' })
      case 'timeout':
        return new AppError('service_unavailable', 'The database took too long to answer; retry later', {}, { 'retry-after': '2' })
      case 'unavailable':
        return new AppError('service_unavailable', 'The database is unavailable; retry later', {}, { 'retry-after': '5' })
      case 'invalid_text':
        return new AppError('bad_request', 'A text value holds a character that cannot be stored (the NUL character, \\u0000); remove it')
      case 'other':
        break
    }
  }
  // Fastify's own client errors (4xx) carry safe, fixed messages.
  const statusCode = fastifyError.statusCode
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
    const code: ProblemCode = statusCode === 404 ? 'not_found' : statusCode === 413 ? 'payload_too_large' : statusCode === 415 ? 'unsupported_media_type' : 'bad_request'
    return new AppError(code, fastifyError.message)
  }
  return new AppError('internal_error', 'An unexpected error occurred. Quote the request id when reporting it.')
}

// What a request's own stream fails with when its connection goes before the body has arrived.
const abortCodes = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE'])

/**
 * Whether the error is the client's hanging up mid-request: the request's stream failed with it
 * (Node fails the body's stream with ECONNRESET, "aborted", when the connection closes early),
 * or the stream was cut off and the error is a socket's, not the database's. A database error
 * while the client is gone is still the database's.
 */
export function clientAborted (request: FastifyRequest, error: unknown): boolean {
  const raw = request.raw
  if (raw.errored !== null && raw.errored === error) return true
  const code = (error as { code?: unknown } | null)?.code
  return raw.readableAborted && typeof code === 'string' && abortCodes.has(code) && classifyDatabaseError(error) === undefined
}

/** Fastify's own errors before routing (a malformed URL) still answer as problem+json. */
export function frameworkErrors (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  sendProblem(request, reply, toAppError(error))
}

const clientErrorProblems: Record<string, [ProblemCode, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: ['request_timeout', 'The request did not arrive in time; the connection is closed'],
  HPE_HEADER_OVERFLOW: ['headers_too_large', 'The request headers are larger than the service accepts'],
  // The client closed its side of the connection with a request half sent: it hung up.
  HPE_INVALID_EOF_STATE: ['bad_request', 'The connection closed before the request was complete'],
  default: ['bad_request', 'The request is not valid HTTP']
}

/**
 * Errors Node's HTTP server raises before there is a request to route (one cut off by
 * REQUEST_TIMEOUT_MS, headers too large, bytes that are not HTTP) are problem+json as well:
 * Fastify's default answered these with its own JSON shape (found by test/limits).
 */
export function clientErrors (this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const [code, detail] = clientErrorProblems[error.code ?? ''] ?? clientErrorProblems.default!
  const { status, title } = problemTypes[code]
  const body = JSON.stringify({ type: problemTypeUri(code), title, status, detail, code })
  this.log.info({ problem: code }, error.code === 'HPE_INVALID_EOF_STATE' ? 'connection closed by the client mid-request' : 'client error')
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
  }
  socket.destroy(error)
}

export default fp(async function errorHandler (app) {
  // Every route can fail these ways; document them once here.
  app.addHook('onRoute', (route) => {
    if (route.schema === undefined) return
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    // Any of these may carry a body, and a body is parsed (size, media type) before the route runs.
    const takesBody = methods.some((method) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method))
    route.schema.response = {
      400: problemResponse(BAD_REQUEST_DESCRIPTION),
      ...(takesBody
        ? {
            413: problemResponse(
              `The request body is larger than BODY_LIMIT_BYTES or holds more than ${MAX_BODY_VALUES} JSON values`),
            415: problemResponse('The request body is not JSON (Content-Type must be application/json)')
          }
        : {}),
      500: problemResponse('Unexpected error (no internal detail is given)'),
      503: problemResponse('The database is unavailable or busy; retry after Retry-After seconds'),
      ...(route.schema.response as object | undefined)
    }
  })

  app.setErrorHandler((error, request, reply) => {
    if (clientAborted(request, error)) {
      // The client hung up before its request arrived: nothing failed here, and no one reads the answer.
      request.log.info({ err: error }, 'request aborted by the client')
      return sendProblem(request, reply, new AppError('bad_request', 'The connection closed before the request body arrived'))
    }
    const problem = toAppError(error as FastifyError)
    if (problem.status >= 500) {
      // The logger's err serializer (loggableError) keeps only the kind and code.
      request.log.error({ err: error, problem: problem.code }, 'request failed')
    } else {
      // Details can name people and facts about them (a school-leaving date, an age band):
      // only the problem code and rule are logged.
      request.log.info({ problem: problem.code, rule: problem.extensions.rule }, 'request refused')
    }
    return sendProblem(request, reply, problem)
  })

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, new AppError('route_not_found', `There is no route ${request.method} ${request.url.split('?')[0]}`)))
}, { name: 'error-handler' })
