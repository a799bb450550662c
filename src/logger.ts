import type { FastifyRequest } from 'fastify'
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino'
import { loggableError } from './http/error-handler.js'
import { SECRET_IN_TEXT } from './modules/api-keys/secret.js'

// Personal and secret fields, wherever they sit in a logged object (pino redact paths).
const sensitive = ['authorization', 'cookie', 'secret', 'token', 'dateOfBirth', 'date_of_birth']

const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...sensitive.flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`])
]

/**
 * The request as logged: Fastify's fields, with any key secret in the URL masked. A client that
 * put its key in the query string (`?api_key=sp_...`) had it written to the logs with the URL
 * (found by test/limits/logs.test.ts).
 */
function loggableRequest (value: FastifyRequest | Record<string, unknown>): Record<string, unknown> {
  // Only Fastify's own request is summarised; any other `req` a caller logs is left to redaction.
  if (typeof value.url !== 'string' || !('raw' in value)) return value as Record<string, unknown>
  const request = value as FastifyRequest
  return {
    method: request.method,
    url: request.url.replace(SECRET_IN_TEXT, 'sp_[redacted]'),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort
  }
}

function loggerOptions (level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    // Errors are logged by kind and code only: never a stack, SQL or parameter values.
    serializers: { err: loggableError, error: loggableError, req: loggableRequest }
  }
}

export function createLogger (level: string, destination?: DestinationStream): Logger {
  return destination === undefined ? pino(loggerOptions(level)) : pino(loggerOptions(level), destination)
}
