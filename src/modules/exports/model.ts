/**
 * The frozen content of an export batch, as the file renderers see it. Everything here is read
 * from rows written once when the batch was claimed; nothing changes afterwards, so every
 * rendering of a batch is byte-for-byte the same.
 */

export interface ExportBatchHeader {
  id: string
  /** Increasing number of the batch (1, 2, ...), for people. */
  number: number
  payScheduleId: string
  payScheduleName: string
  /** Calendar the payroll software knows the schedule by (e.g. Xero's payrollCalendarID). */
  payrollCalendarCode: string
  periodId: string
  periodStartDate: string
  periodEndDate: string
  payDate: string
  /** When the batch was claimed (ISO 8601 UTC). Files may print it; they never print "now". */
  createdAt: string
  /** Pay element code of rolled-up holiday pay lines. */
  holidayPayElementCode: string
}

export type LineKind = 'pay' | 'adjustment' | 'holiday_pay'

/**
 * One line of the batch: the entries of one worker for one pay element at one rate (and one
 * team/cost centre, late or not), summed; or a worker's rolled-up holiday pay.
 */
export interface ExportLine {
  /** 1, 2, ... in the batch's fixed order (worker payroll reference, then kind, element, rate). */
  lineNo: number
  kind: LineKind
  /** Voucher lines are listed apart from the payroll file. */
  paymentMode: 'payroll' | 'voucher'
  workerId: string
  /** Works number in payroll: the key every payroll format matches on. */
  payrollReference: string
  workerName: string
  /** Team name (payroll "department"). */
  department: string
  costCentre: string
  payElementCode: string
  /** Activity name, "Holiday pay (12.07%)" or "Correction of ...". */
  description: string
  /** `hour`: hours x rate; `session`: a fee per session; `amount`: a fixed sum (holiday pay, pence adjustments). */
  unit: 'hour' | 'session' | 'amount'
  /** Sum of the entries' worked minutes (0 for amount lines). */
  minutes: number
  /** Sessions (session lines), else 0. */
  sessions: number
  /** Pence per hour or per session; null for amount lines. */
  ratePence: number | null
  /** Sum of the entries' frozen gross, or the holiday pay: what payroll must pay. */
  grossPence: number
  /** Hourly lines: minutes / 60 to 2 dp rounded up, as hundredths and as text ('2.50'). */
  hoursHundredths: number | null
  hoursText: string | null
  /** Hourly lines: what payroll computes from hours x rate, and grossPence minus that. */
  payrollComputedPence: number | null
  differencePence: number | null
  /** The line holds entries dated before this batch's period (approved after an earlier export). */
  late: boolean
  entryCount: number
}

/** One claimed entry (or correction), with the line that carries it. */
export interface ExportEntry {
  entryId: string
  /** Null for an entry of a worker who declines payment: paid nothing, on no line. */
  lineNo: number | null
  kind: 'work' | 'adjustment'
  /** For corrections: the exported entry they correct. */
  correctsEntryId: string | null
  workerId: string
  payrollReference: string
  workerName: string
  department: string
  costCentre: string
  activityCode: string
  payElementCode: string
  workDate: string
  startTime: string | null
  endTime: string | null
  breakMinutes: number
  minutes: number
  /** As on its line: a correction in pence is an `amount`, with no rate. */
  unit: 'hour' | 'session' | 'amount'
  ratePence: number | null
  grossPence: number
  paymentMode: 'payroll' | 'voucher' | 'declined'
  late: boolean
  approvedAt: string
}

/** Units per worker, day and pay element (Xero timesheets take units per date). */
export interface DailyUnits {
  payrollReference: string
  workerId: string
  payElementCode: string
  date: string
  unit: 'hour' | 'session'
  /** Hours to 2 dp (rounded up) for hourly work, sessions for session work. */
  unitsText: string
}

/** A worker who declines payment: hours recorded, nothing paid. */
export interface DeclinedWorker {
  workerId: string
  payrollReference: string | null
  workerName: string
  minutes: number
  entryCount: number
}

/** Holiday accrued (12.07 % of hours worked) for a worker in `accrued` mode. */
export interface AccruedHoliday {
  workerId: string
  payrollReference: string
  workerName: string
  minutesWorked: number
  accruedMinutes: number
  /** accruedMinutes / 60 to 2 dp rounded up. */
  accruedHoursText: string
}

export interface ExportTotals {
  entryCount: number
  workerCount: number
  minutes: number
  /** All lines, payroll and voucher. Equals the sum of the claimed entries' frozen gross plus holiday pay. */
  grossPence: number
  payrollGrossPence: number
  voucherGrossPence: number
  holidayPayPence: number
  lateEntryCount: number
}

/**
 * How a batch's files are laid out, fixed when the batch is claimed: a batch's files are
 * byte-identical for ever (their digests are recorded), so a change to what the files hold
 * applies to batches claimed after it, and older batches keep the layout they were claimed in.
 * 1: the first layout. 2: formula escaping also after leading white space and of the small,
 * superscript and subscript signs.
 */
export const FILE_LAYOUT = 2

/**
 * What a renderer reads. Lines and entries come in lineNo order (entries by lineNo, then work
 * date, start, id); they are async so a million entries stream from the database.
 */
export interface ExportSource {
  header: ExportBatchHeader
  /** The file layout the batch was claimed in (FILE_LAYOUT then). */
  fileLayout: number
  totals: ExportTotals
  lines (): AsyncIterable<ExportLine>
  entries (): AsyncIterable<ExportEntry>
  dailyUnits (): AsyncIterable<DailyUnits>
  declined (): AsyncIterable<DeclinedWorker>
  accruedHoliday (): AsyncIterable<AccruedHoliday>
}

/** A payroll file format: its name in the URL, its media type and how to write it. */
export interface ExportFormat {
  name: string
  description: string
  contentType: string
  fileExtension: string
  /** Chunks of the file in order; deterministic for a given source. */
  render (source: ExportSource): AsyncIterable<string>
}
