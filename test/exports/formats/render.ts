// Renders an export format to text in tests.
import type { ExportFormat, ExportSource } from '../../../src/modules/exports/model.js'
import { exportSource } from './fixture.js'

/** The whole file a format makes of a source (by default the hand-worked batch). */
export async function renderText (format: ExportFormat, source: ExportSource = exportSource()): Promise<string> {
  let text = ''
  for await (const chunk of format.render(source)) text += chunk
  return text
}

/** CSV records joined with CRLF, each followed by CRLF, as payroll imports expect. */
export const crlf = (...records: string[]): string => records.map((record) => `${record}\r\n`).join('')

/** JSON file lines joined with LF, with a final LF. */
export const lf = (...fileLines: string[]): string => fileLines.map((line) => `${line}\n`).join('')
