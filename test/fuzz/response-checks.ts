import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import type { Exchange } from './send.js'
import type { OpenApiDocument, Operation } from './operations.js'
import type { Schema } from './schema-values.js'

// ajv-formats is CommonJS: under NodeNext its default import is the module, typed as such.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default

export const STACK_TRACE = /(\n|\\n)\s+at .+\(.+:\d+:\d+\)|node_modules\/|file:\/\/\/|\bsrc\/[\w/-]+\.(ts|js)\b/
export const SQL_FRAGMENT = /\b(select|insert|update|delete)\b.+\bfrom\b|syntax error at|violates .* constraint/i

/** Compiles and caches a validator for each documented response body. */
export function responseValidators (document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
  addFormats(ajv)
  // The components live in one schema of their own; '#/components/...' refs point into it.
  ajv.addSchema({ $id: 'openapi', components: document.components })
  const rebase = (schema: unknown): unknown => {
    if (Array.isArray(schema)) return schema.map(rebase)
    if (typeof schema !== 'object' || schema === null) return schema
    return Object.fromEntries(Object.entries(schema).map(([key, value]) =>
      [key, key === '$ref' && typeof value === 'string' && value.startsWith('#/components/') ? `openapi${value}` : rebase(value)]))
  }
  const cache = new Map<Schema, ValidateFunction>()
  return (schema: Schema): ValidateFunction => {
    let validate = cache.get(schema)
    if (validate === undefined) {
      validate = ajv.compile(rebase(schema) as object)
      cache.set(schema, validate)
    }
    return validate
  }
}

const baseType = (contentType: unknown): string => String(contentType ?? '').split(';')[0]!.trim().toLowerCase()

/** The documented schema of a response's body, if its status and content type are documented. */
export function documentedSchema (op: Operation, status: number, contentType: unknown): Schema | undefined {
  return op.responses[String(status)]?.content?.[baseType(contentType)]?.schema
}

/** Removes what the request itself sent, so an echo of the caller's input is not taken for a leak. */
function withoutEchoes (text: string, sent: string[]): string {
  let result = text
  for (const s of sent) {
    if (s.length < 4) continue
    result = result.split(s).join('')
    const escaped = JSON.stringify(s).slice(1, -1)
    if (escaped !== s) result = result.split(escaped).join('')
  }
  return result
}

/** Every string the request carried: decoded path segments, query values, body strings. */
export function sentStrings (exchange: Exchange): string[] {
  const strings: string[] = []
  const url = new URL(exchange.request.url, 'http://fuzz.invalid')
  for (const segment of url.pathname.split('/')) {
    try { strings.push(decodeURIComponent(segment)) } catch { strings.push(segment) }
  }
  for (const value of url.searchParams.values()) strings.push(value)
  const collect = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value)
    else if (Array.isArray(value)) value.forEach(collect)
    else if (typeof value === 'object' && value !== null) Object.entries(value).forEach(([k, v]) => { strings.push(k); collect(v) })
  }
  if (exchange.request.payload !== undefined) {
    try { collect(JSON.parse(exchange.request.payload)) } catch { strings.push(exchange.request.payload) }
  }
  for (const value of Object.values(exchange.request.headers)) strings.push(value)
  return strings.sort((a, b) => b.length - a.length)
}

const problemFields = ['type', 'title', 'detail', 'code'] as const

/**
 * What is wrong with one answer: a server error, a problem that is not problem+json, a 2xx
 * body the document does not describe, or anything leaking (stack, SQL, a key).
 */
export function checkResponse (op: Operation, exchange: Exchange, validatorFor: (schema: Schema) => ValidateFunction, secrets: string[], problemSchema: Schema): string[] {
  const { response } = exchange
  const status = response.statusCode
  const contentType = response.headers['content-type']
  const violations: string[] = []
  if (status >= 500) violations.push(`server error ${status}`)
  if (typeof response.headers['x-request-id'] !== 'string') violations.push('no x-request-id header')

  if (status >= 200 && status < 300) {
    const documented = op.responses[String(status)]
    if (documented === undefined) {
      violations.push(`undocumented success status ${status}`)
    } else if (documented.content === undefined) {
      if (response.body !== '') violations.push(`status ${status} is documented without a body, but one was sent`)
    } else {
      const schema = documentedSchema(op, status, contentType)
      if (schema === undefined) {
        violations.push(`content type ${String(contentType)} is not documented for ${status}`)
      } else if (/json/.test(baseType(contentType)) && schema.type !== 'string') {
        let body: unknown
        try {
          body = response.json()
        } catch {
          violations.push('2xx JSON body does not parse')
        }
        const validate = validatorFor(schema)
        if (body !== undefined && !validate(body)) {
          violations.push(`2xx body does not match the documented schema: ${(validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath} ${e.message ?? ''}`).join('; ')}`)
        }
      }
    }
  } else if (status !== 304) {
    if (baseType(contentType) !== 'application/problem+json') {
      violations.push(`${status} answered as ${String(contentType)}, not application/problem+json`)
    } else {
      let body: Record<string, unknown> | undefined
      try {
        body = response.json() as Record<string, unknown>
      } catch {
        violations.push('problem body does not parse')
      }
      if (body !== undefined) {
        for (const field of problemFields) if (typeof body[field] !== 'string') violations.push(`problem without ${field}`)
        if (body.status !== status) violations.push(`problem status ${String(body.status)} is not the HTTP status ${status}`)
        const validate = validatorFor(problemSchema)
        if (!validate(body)) violations.push(`problem does not match the Problem schema: ${(validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`).join('; ')}`)
      }
    }
    if ((status === 429 || status === 503) && !(Number(response.headers['retry-after']) > 0)) violations.push(`${status} without Retry-After`)
  }

  const text = response.body
  if (STACK_TRACE.test(text)) violations.push('the answer holds a stack trace or source path')
  if (SQL_FRAGMENT.test(withoutEchoes(text, sentStrings(exchange)))) violations.push('the answer holds SQL')
  const leaked = secrets.filter((secret) => text.includes(secret))
  if (leaked.length > 0) violations.push(`the answer holds ${leaked.length} API key secret(s)`)
  return violations
}

/**
 * An If-Match that is not a list of entity-tags (the current ETag without its double quotes) is
 * refused as malformed: never a match (2xx) and never "changed since it was read" (412). Other
 * refusals (the key's role, the path, the state) may come first.
 */
export function checkMalformedIfMatch (exchange: Exchange): string[] {
  const status = exchange.response.statusCode
  if (status < 300) return [`an unquoted ETag in If-Match was taken as a match (${status})`]
  if (status === 412) return ['an unquoted ETag in If-Match was answered 412, not 400 malformed_if_match']
  if (status === 400) {
    let code: unknown
    try { code = (JSON.parse(exchange.response.body) as { code?: unknown }).code } catch { /* checkResponse says so */ }
    if (code !== 'malformed_if_match' && code !== 'validation_failed') return [`an unquoted ETag in If-Match was answered 400 ${String(code)}`]
  }
  return []
}
