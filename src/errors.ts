/**
 * Every problem this service answers with, by stable code. The code is the last segment of
 * the problem `type` URI and never changes meaning; titles are the same for every occurrence.
 */
export const problemTypes = {
  bad_request: { status: 400, title: 'The request could not be read' },
  validation_failed: { status: 400, title: 'The request has invalid fields' },
  invalid_cursor: { status: 400, title: 'The pagination cursor is not valid' },
  malformed_if_match: { status: 400, title: 'If-Match is not a list of quoted ETags' },
  unauthenticated: { status: 401, title: 'A valid API key is required' },
  forbidden: { status: 403, title: 'This API key may not do that' },
  not_found: { status: 404, title: 'No such resource' },
  route_not_found: { status: 404, title: 'No such route' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  idempotency_key_in_flight: { status: 409, title: 'A request with this Idempotency-Key is still running' },
  request_timeout: { status: 408, title: 'The request took too long to arrive' },
  precondition_failed: { status: 412, title: 'The resource has changed since it was read' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'The request body must be JSON' },
  idempotency_key_reused: { status: 422, title: 'The Idempotency-Key was used with a different request' },
  rule_violated: { status: 422, title: 'The request breaks a business rule' },
  precondition_required: { status: 428, title: 'An If-Match header with the current ETag is required' },
  rate_limited: { status: 429, title: 'Too many failed authentication attempts' },
  headers_too_large: { status: 431, title: 'The request headers are too large' },
  internal_error: { status: 500, title: 'Internal error' },
  service_unavailable: { status: 503, title: 'The service cannot answer right now' }
} as const satisfies Record<string, { status: number, title: string }>

export type ProblemCode = keyof typeof problemTypes

export const problemTypeUri = (code: ProblemCode): string => `urn:sessional-pay:problem:${code}`

/** The one error class services and plugins throw; the error handler renders it. */
export class AppError extends Error {
  readonly status: number
  constructor (
    readonly code: ProblemCode,
    readonly detail: string,
    /** Extension members added to the problem body (facts a client can act on). */
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {}
  ) {
    super(detail)
    this.name = 'AppError'
    this.status = problemTypes[code].status
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} was not found`)
export const conflict = (detail: string, extensions?: Record<string, unknown>): AppError =>
  new AppError('conflict', detail, extensions)
export const ruleViolated = (rule: string, detail: string, extensions: Record<string, unknown> = {}): AppError =>
  new AppError('rule_violated', detail, { rule, ...extensions })
export const forbidden = (detail: string): AppError => new AppError('forbidden', detail)

export function preconditionFailed (currentVersion: number): AppError {
  return new AppError('precondition_failed', 'The resource has changed since you read it; fetch it again and retry', { currentVersion })
}
