// Our own full layout: every claimed entry with its batch and line, for finance and audit, and (from
// RECONCILED_LAYOUT) a row for each rolled-up holiday-pay line, so the gross column adds up to the
// batch total and the line numbers run 1..n without gaps. Batches claimed before keep the file they
// had: entries only.
import { RECONCILED_LAYOUT, type ExportEntry, type ExportFormat, type ExportLine, type ExportSource } from '../model.js'
import { formulaEscapingFor, poundsCell, renderCsv, type CsvCell } from './csv-writer.js'

const COLUMNS = [
  'batch_number', 'batch_id', 'period_start', 'period_end', 'pay_date', 'line_no', 'entry_id', 'kind',
  'corrects_entry_id', 'payroll_reference', 'worker_name', 'department', 'cost_centre', 'activity_code',
  'pay_element_code', 'work_date', 'start_time', 'end_time', 'break_minutes', 'minutes', 'unit', 'rate',
  'gross', 'payment_mode', 'late', 'approved_at'
] as const

/** The batch's holiday-pay lines in order (a few per batch: one per rolled-up worker). */
async function holidayPayLines (source: ExportSource): Promise<ExportLine[]> {
  const found: ExportLine[] = []
  if (source.fileLayout < RECONCILED_LAYOUT) return found
  for await (const line of source.lines()) if (line.kind === 'holiday_pay') found.push(line)
  return found
}

/** Entries in order, each holiday-pay line in its place among them (before the next line's entries). */
async function * entryRows (source: ExportSource): AsyncGenerator<CsvCell[]> {
  const { header } = source
  const batchCells = [header.number, header.id, header.periodStartDate, header.periodEndDate, header.payDate]
  const holidays = await holidayPayLines(source)
  let next = 0
  for await (const entry of source.entries()) {
    while (next < holidays.length && (entry.lineNo === null || holidays[next]!.lineNo < entry.lineNo)) {
      yield [...batchCells, ...holidayPayCells(holidays[next++]!)]
    }
    yield [...batchCells, ...entryCells(entry)]
  }
  while (next < holidays.length) yield [...batchCells, ...holidayPayCells(holidays[next++]!)]
}

function entryCells (entry: ExportEntry): CsvCell[] {
  return [
    entry.lineNo, entry.entryId, entry.kind, entry.correctsEntryId ?? '', entry.payrollReference, entry.workerName,
    entry.department, entry.costCentre, entry.activityCode, entry.payElementCode, entry.workDate,
    entry.startTime ?? '', entry.endTime ?? '', entry.breakMinutes, entry.minutes, entry.unit,
    entry.ratePence === null ? null : poundsCell(entry.ratePence), poundsCell(entry.grossPence), entry.paymentMode, entry.late, entry.approvedAt
  ]
}

/** A holiday-pay line: no entry, date, times or rate; an amount of 0 minutes. */
function holidayPayCells (line: ExportLine): CsvCell[] {
  return [
    line.lineNo, '', line.kind, '', line.payrollReference, line.workerName,
    line.department, line.costCentre, '', line.payElementCode, '',
    '', '', null, line.minutes, line.unit,
    null, poundsCell(line.grossPence), line.paymentMode, line.late, ''
  ]
}

export const csvFormat: ExportFormat = {
  name: 'csv',
  description: 'Our full layout: one row per claimed entry or correction (payroll, voucher and declined alike) ' +
    'with its batch, line, worker, times, minutes, rate and gross in pounds, and one row (kind holiday_pay, no ' +
    'entry id) per rolled-up holiday-pay line, in line order: the gross column adds up to the batch total and the ' +
    'line numbers run from 1 without gaps. Nothing is left out.',
  contentType: 'text/csv; charset=utf-8',
  fileExtension: 'csv',
  render: (source) => renderCsv(entryRows(source), COLUMNS, formulaEscapingFor(source))
}
