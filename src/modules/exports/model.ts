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
 * superscript and subscript signs. 3: every file reconciles with its batch: the csv has a row
 * for each holiday-pay line (so its gross column adds up to the batch total and its line numbers
 * run without gaps); files that give hours and a rate follow an hourly line whose gross differs
 * from hours x rate with an amount line of the difference (so payroll pays the batch's gross to
 * the penny); sage50 prints Sage's department and payment numbers (vendor codes) instead of team
 * names and pay element codes; and lines are split per activity type (each has its own codes).
 */
export const FILE_LAYOUT = 3

/** The first layout whose files reconcile with their batch and print vendor codes. */
export const RECONCILED_LAYOUT = 3

/** A payroll line's codes in a vendor's own numbering (Sage 50: department and payment numbers). */
export interface VendorCodes {
  department: number
  element: number
}

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
  /**
   * For a format that prints vendor codes (ExportFormat.vendorCodes), the codes of each payroll
   * line by line number, as fixed when the file was first rendered; empty for other formats.
   */
  vendorCodes: ReadonlyMap<number, VendorCodes>
}

/**
 * The vendor's own codes a format prints (from file layout RECONCILED_LAYOUT): which field of a
 * line's team gives its department, and which field of its activity type (pay and corrections) or
 * of the batch's pay schedule (rolled-up holiday pay) gives its pay element.
 */
export interface VendorCodeFields {
  /** The payroll software, for messages ("Sage 50 Payroll"). */
  vendor: string
  team: 'sageDepartment'
  activityType: 'sagePaymentNumber'
  paySchedule: 'sageHolidayPaymentNumber'
}

/** A payroll file format: its name in the URL, its media type and how to write it. */
export interface ExportFormat {
  name: string
  description: string
  contentType: string
  fileExtension: string
  /** Vendor codes the format prints: every payroll line must have them before it is first rendered. */
  vendorCodes?: VendorCodeFields
  /** Chunks of the file in order; deterministic for a given source. */
  render (source: ExportSource): AsyncIterable<string>
}
