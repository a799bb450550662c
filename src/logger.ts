import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino'
import { loggableError } from './http/error-handler.js'

// Personal and secret fields, wherever they sit in a logged object (pino redact paths).
const sensitive = ['authorization', 'cookie', 'secret', 'token', 'dateOfBirth', 'date_of_birth']

export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...sensitive.flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`])
]

export function loggerOptions (level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    // Errors are logged by kind and code only: never a stack, SQL or parameter values.
    serializers: { err: loggableError, error: loggableError }
  }
}

export function createLogger (level: string, destination?: DestinationStream): Logger {
  return destination === undefined ? pino(loggerOptions(level)) : pino(loggerOptions(level), destination)
}
