import { createHash } from 'node:crypto'
import { and, desc, eq, lt } from 'drizzle-orm'
import type { Db } from '../../db/open.js'
import { decodeCursor, toPage, type Page } from '../../db/pagination.js'
import { exportBatches, exportFiles } from '../../db/schema.js'
import { notFound } from '../../errors.js'
import type { BatchRow } from './claim.js'
import { formatByName } from './formats/index.js'
import type { ExportFormat } from './model.js'
import { vendorCodesFor } from './payroll-codes.js'
import { exportSource } from './source.js'

export async function getExport (db: Db, id: string): Promise<BatchRow> {
  const [batch] = await db.select().from(exportBatches).where(eq(exportBatches.id, id))
  if (batch === undefined) throw notFound('Export')
  return batch
}

export async function listExports (db: Db, filter: { payScheduleId?: string, limit: number, cursor?: string }): Promise<Page<BatchRow>> {
  const after = decodeCursor(filter.cursor, ['int32'])
  const rows = await db.select().from(exportBatches).where(and(
    filter.payScheduleId === undefined ? undefined : eq(exportBatches.payScheduleId, filter.payScheduleId),
    after === undefined ? undefined : lt(exportBatches.number, after[0])
  )).orderBy(desc(exportBatches.number)).limit(filter.limit + 1)
  return toPage(rows, filter.limit, (row) => row, (row) => [row.number])
}

export async function fileDigests (db: Db, batchId: string): Promise<Array<{ format: string, sha256: string, bytes: number }>> {
  return db.select({ format: exportFiles.format, sha256: exportFiles.sha256, bytes: exportFiles.bytes }).from(exportFiles)
    .where(eq(exportFiles.batchId, batchId)).orderBy(exportFiles.format)
}

export interface RenderedFile {
  format: ExportFormat
  sha256: string
  bytes: number
  /** The file's chunks, rendered again from the frozen batch (the same bytes every time). */
  chunks: () => AsyncIterable<Buffer>
}

async function * encoded (chunks: AsyncIterable<string>): AsyncIterable<Buffer> {
  for await (const chunk of chunks) yield Buffer.from(chunk, 'utf8')
}

/**
 * A batch file, with its SHA-256. The digest is worked out on the first request (a rendering
 * into the hash alone) and kept; the file itself is never stored: it is rendered again,
 * streamed, for each download, and since the batch never changes, so do its bytes. A format
 * that prints vendor codes has them checked and kept first (payroll-codes.ts): one missing is a
 * 422 before anything is written.
 */
export async function exportFile (db: Db, batchId: string, formatName: string): Promise<RenderedFile> {
  const format = formatByName(formatName)
  if (format === undefined) throw notFound(`A format called "${formatName}"`)
  const batch = await getExport(db, batchId)
  const vendorCodes = await vendorCodesFor(db, batch, format)
  const chunks = () => encoded(format.render(exportSource(db, batch, vendorCodes)))
  const [known] = await db.select().from(exportFiles).where(and(eq(exportFiles.batchId, batchId), eq(exportFiles.format, format.name)))
  if (known !== undefined) return { format, sha256: known.sha256, bytes: known.bytes, chunks }
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of chunks()) {
    hash.update(chunk)
    bytes += chunk.length
  }
  const sha256 = hash.digest('hex')
  await db.insert(exportFiles).values({ batchId, format: format.name, sha256, bytes }).onConflictDoNothing()
  return { format, sha256, bytes, chunks }
}
