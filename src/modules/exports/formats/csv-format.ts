// Our own full layout: every claimed entry with its batch and line, for finance and audit.
// Holiday-pay lines are not entries, so they are not in this file; the json format carries them.
import type { ExportEntry, ExportFormat, ExportSource } from '../model.js'
import { formulaEscapingFor, poundsCell, renderCsv, type CsvCell } from './csv-writer.js'

const COLUMNS = [
  'batch_number', 'batch_id', 'period_start', 'period_end', 'pay_date', 'line_no', 'entry_id', 'kind',
  'corrects_entry_id', 'payroll_reference', 'worker_name', 'department', 'cost_centre', 'activity_code',
  'pay_element_code', 'work_date', 'start_time', 'end_time', 'break_minutes', 'minutes', 'unit', 'rate',
  'gross', 'payment_mode', 'late', 'approved_at'
] as const

async function * entryRows (source: ExportSource): AsyncGenerator<CsvCell[]> {
  const { header } = source
  const batchCells = [header.number, header.id, header.periodStartDate, header.periodEndDate, header.payDate]
  for await (const entry of source.entries()) yield [...batchCells, ...entryCells(entry)]
}

function entryCells (entry: ExportEntry): CsvCell[] {
  return [
    entry.lineNo, entry.entryId, entry.kind, entry.correctsEntryId ?? '', entry.payrollReference, entry.workerName,
    entry.department, entry.costCentre, entry.activityCode, entry.payElementCode, entry.workDate,
    entry.startTime ?? '', entry.endTime ?? '', entry.breakMinutes, entry.minutes, entry.unit,
    entry.ratePence === null ? null : poundsCell(entry.ratePence), poundsCell(entry.grossPence), entry.paymentMode, entry.late, entry.approvedAt
  ]
}

export const csvFormat: ExportFormat = {
  name: 'csv',
  description: 'Our full layout: one row per claimed entry or correction (payroll, voucher and declined alike) ' +
    'with its batch, line, worker, times, minutes, rate and gross in pounds. Holiday-pay lines are not ' +
    'entries and are left out; the json format carries them.',
  contentType: 'text/csv; charset=utf-8',
  fileExtension: 'csv',
  render: (source) => renderCsv(entryRows(source), COLUMNS, formulaEscapingFor(source))
}
