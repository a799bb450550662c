import { readFileSync } from 'node:fs'
import type { Schema } from './schema-values.js'
import type { Kind } from './world.js'

export interface Parameter { name: string, in: 'path' | 'query' | 'header', required: boolean, schema: Schema, description?: string }

export interface MediaType { schema?: Schema, example?: unknown }

/** One operation of the OpenAPI document, as the fuzzer uses it. */
export interface Operation {
  id: string
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT'
  /** The templated path, e.g. `/entries/{id}/approve`. */
  path: string
  parameters: Parameter[]
  body: { schema: Schema, required: boolean } | undefined
  responses: Record<string, { content?: Record<string, MediaType> }>
  secured: boolean
  /** The kind of resource `{id}` names, from the path's first segment. */
  idKind: Kind | undefined
}

export interface OpenApiDocument {
  openapi: string
  paths: Record<string, Record<string, {
    operationId: string
    parameters?: Parameter[]
    requestBody?: { required?: boolean, content: Record<string, MediaType> }
    responses: Record<string, { content?: Record<string, MediaType> }>
    security?: unknown[]
  }>>
  components: { schemas: Record<string, Schema> }
}

// The collection each path segment holds; every other path segment is an action or a sub-list.
const kindOfSegment: Record<string, Kind> = {
  'api-keys': 'apiKey',
  people: 'person',
  workers: 'worker',
  teams: 'team',
  'activity-types': 'activity',
  rates: 'rate',
  entries: 'entry',
  'pay-schedules': 'schedule',
  'pay-periods': 'period',
  exports: 'export'
}

export const documentPath = new URL('../../openapi/openapi.json', import.meta.url)

export function loadDocument (): OpenApiDocument {
  return JSON.parse(readFileSync(documentPath, 'utf8')) as OpenApiDocument
}

/** Every operation in the document, in document order. */
export function operationsOf (document: OpenApiDocument): Operation[] {
  const operations: Operation[] = []
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const jsonBody = operation.requestBody?.content['application/json']?.schema
      const segment = path.split('/')[1] ?? ''
      operations.push({
        id: operation.operationId,
        method: method.toUpperCase() as Operation['method'],
        path,
        parameters: operation.parameters ?? [],
        body: jsonBody === undefined ? undefined : { schema: jsonBody, required: operation.requestBody?.required === true },
        responses: operation.responses,
        secured: (operation.security?.length ?? 0) > 0,
        idKind: path.includes('{id}') ? kindOfSegment[segment] : undefined
      })
    }
  }
  return operations
}

/** Resolves `#/components/schemas/X` references against the document. */
export function refResolver (document: OpenApiDocument) {
  return (ref: string): Schema => {
    const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1]
    const schema = name === undefined ? undefined : document.components.schemas[name]
    if (schema === undefined) throw new Error(`unresolvable $ref ${ref}`)
    return schema
  }
}
