import { readFileSync } from 'node:fs'
import t from 'tap'
import { Validator } from '@seriousme/openapi-schema-validator'
import { committedDocumentPath, renderOpenApiDocument } from '../src/openapi-document.js'
import { exportFormats } from '../src/modules/exports/formats/index.js'
import { build } from './helpers/app.js'
import { operationsOf, type OpenApiDocument } from './fuzz/operations.js'
import { responseValidators } from './fuzz/response-checks.js'

t.test('the committed OpenAPI document is what the app generates', async (t) => {
  const generated = await renderOpenApiDocument()
  const committed = readFileSync(committedDocumentPath, 'utf8')
  t.equal(committed, generated, 'openapi/openapi.json is stale: run `npm run openapi` and commit it')
})

t.test('the document is valid OpenAPI 3.1', async (t) => {
  const validator = new Validator()
  const result = await validator.validate(JSON.parse(readFileSync(committedDocumentPath, 'utf8')))
  t.same(result.errors ?? [], [], 'no validation errors')
  t.equal(result.valid, true)
  t.equal(validator.version, '3.1')
})

t.test('the document and the served routes are the same set, and each operation is documented', async (t) => {
  const h = await build(t)
  const served = await h.app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(served.statusCode, 200)
  const document = served.json() as { paths: Record<string, Record<string, { operationId?: string, summary?: string, description?: string, tags?: string[], security?: unknown[], responses: Record<string, unknown> }>> }
  const documented = new Set<string>()
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      documented.add(`${method.toUpperCase()} ${path}`)
      t.ok(operation.operationId, `${method} ${path} has an operationId`)
      t.ok(operation.summary, `${method} ${path} has a summary`)
      t.ok((operation.description ?? '').length > 20, `${method} ${path} has a description`)
      t.ok(operation.tags?.length, `${method} ${path} has tags`)
      t.ok(operation.responses['400'] && operation.responses['500'], `${method} ${path} documents its problems`)
    }
  }
  const routes = new Set(h.app.routeTable
    .filter((route) => !route.hidden && route.method !== 'HEAD')
    .map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`))
  t.same([...routes].sort(), [...documented].sort(), 'every served route is documented and every documented route is served')
  for (const route of h.app.routeTable) {
    t.not(route.access, undefined, `${route.method} ${route.url} declares who may call it`)
  }
  const ids = Object.values(document.paths).flatMap((operations) => Object.values(operations).map((o) => o.operationId))
  t.equal(new Set(ids).size, ids.length, 'operationIds are unique')
})

t.test('the docs UI is served', async (t) => {
  const h = await build(t)
  const res = await h.app.inject({ method: 'GET', url: '/docs' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/html/)
})

t.test('every request body has a realistic example, the main resources have one, and every example is valid', async (t) => {
  const document = JSON.parse(readFileSync(committedDocumentPath, 'utf8')) as OpenApiDocument & {
    components: { schemas: Record<string, { examples?: unknown[] }> }
  }
  const validatorOf = responseValidators(document)
  const invalid = (schema: object, example: unknown) => {
    const validate = validatorOf(schema as never)
    return validate(example) ? undefined : JSON.stringify(validate.errors?.slice(0, 3))
  }
  let bodies = 0
  let responses = 0
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const body = operation.requestBody?.content?.['application/json']
      if (body !== undefined) {
        bodies++
        t.not(body.example, undefined, `${operation.operationId}: the request body has an example`)
        if (body.example !== undefined) t.equal(invalid(body.schema!, body.example), undefined, `${operation.operationId}: its example is valid`)
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        const media = response.content?.['application/json']
        if (media?.example === undefined) continue
        responses++
        t.equal(invalid(media.schema!, media.example), undefined, `${method} ${path} ${status}: its example is valid`)
      }
    }
  }
  const main = ['Person', 'ApiKey', 'Worker', 'Team', 'ActivityType', 'Rate', 'Entry', 'PaySchedule', 'PayPeriod', 'ExportSummary']
  for (const [name, schema] of Object.entries(document.components.schemas)) {
    if (main.includes(name)) t.equal(schema.examples?.length, 1, `${name} has an example`)
    for (const example of schema.examples ?? []) t.equal(invalid({ $ref: `#/components/schemas/${name}` }, example), undefined, `${name}: its example is valid`)
  }
  t.comment(`examples: ${bodies} request bodies, ${responses} responses`)
  t.ok(responses >= 30, 'the main responses (one of those resources, or a page of them) show an example')
})

t.test('fixed values are enums: the export formats, and an unknown one is refused naming them', async (t) => {
  const document = JSON.parse(readFileSync(committedDocumentPath, 'utf8')) as OpenApiDocument
  const download = operationsOf(document).find((op) => op.id === 'downloadExportFile')!
  const format = download.parameters.find((p) => p.name === 'format')!
  t.same((format.schema as { enum?: string[] }).enum, exportFormats.map((f) => f.name), 'the format parameter lists every format')
})
