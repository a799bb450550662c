import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { buildApp } from './app.js'
import { loadConfig } from './config.js'
import { openDatabase } from './db/open.js'
import { createLogger } from './logger.js'

export const committedDocumentPath = fileURLToPath(new URL('../openapi/openapi.json', import.meta.url))

/**
 * The OpenAPI document exactly as the app serves it at /openapi.json, as committed text.
 * Building the app needs a database handle; an empty in-memory one is never queried.
 */
export async function renderOpenApiDocument (): Promise<string> {
  const database = await openDatabase({})
  const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database, logger: createLogger('silent') })
  try {
    await app.ready()
    return `${JSON.stringify(app.swagger(), null, 2)}\n`
  } finally {
    await app.close()
  }
}

export async function writeOpenApiDocument (): Promise<string> {
  await writeFile(committedDocumentPath, await renderOpenApiDocument())
  return committedDocumentPath
}
