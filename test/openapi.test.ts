import { readFileSync } from 'node:fs'
import t from 'tap'
import { Validator } from '@seriousme/openapi-schema-validator'
import { committedDocumentPath, renderOpenApiDocument } from '../src/openapi-document.js'
import { build } from './helpers/app.js'

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
