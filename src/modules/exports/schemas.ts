import Type from 'typebox'
import { Instant, LocalDate, Nullable, Uuid } from '../../http/common-schemas.js'
import { pageOf, pageQueryFields } from '../../http/pagination.js'
import { exportFormats } from './formats/index.js'

/** The payroll formats a batch can be downloaded in (the URL's last segment). */
const FormatName = Type.Enum(exportFormats.map((format) => format.name), {
  description: 'A payroll format: ' + exportFormats.map((format) => format.name).join(', ')
})

const Pence = (description: string) => Type.Integer({ description })

export const ExportLine = Type.Object({
  lineNo: Type.Integer({ description: 'Line number in the batch' }),
  kind: Type.Enum(['pay', 'adjustment', 'holiday_pay'], { description: 'Work, a correction, or rolled-up holiday pay' }),
  paymentMode: Type.Enum(['payroll', 'voucher'], { description: 'Voucher lines are listed apart from the payroll file' }),
  workerId: Uuid('Worker'),
  payrollReference: Type.String({ description: 'Works number in payroll (empty for a voucher worker without one)' }),
  workerName: Type.String({ description: 'Name at export' }),
  department: Type.String({ description: 'Team name' }),
  costCentre: Type.String({ description: 'Cost centre' }),
  payElementCode: Type.String({ description: 'Pay element in payroll' }),
  description: Type.String({ description: 'What the line pays' }),
  unit: Type.Enum(['hour', 'session', 'amount'], { description: 'Hours x rate, sessions x fee, or a fixed amount' }),
  minutes: Type.Integer({ description: 'Minutes of the entries on the line' }),
  sessions: Type.Integer({ description: 'Sessions (session lines)' }),
  ratePence: Nullable(Type.Integer(), 'Pence per hour or session; null for amount lines'),
  grossPence: Pence('What payroll must pay: the sum of the entries\' frozen gross, or the holiday pay'),
  hoursHundredths: Nullable(Type.Integer(), 'Hourly lines: hours x 100 (minutes / 60 to 2 dp, rounded up)'),
  hoursText: Nullable(Type.String(), 'Hourly lines: hours as printed in payroll files, e.g. "2.50"'),
  payrollComputedPence: Nullable(Type.Integer(), 'Hourly lines: what payroll computes from hours x rate'),
  differencePence: Nullable(Type.Integer(), 'Hourly lines: grossPence minus payrollComputedPence (check it in payroll)'),
  late: Type.Boolean({ description: 'Holds entries dated before this period' }),
  entryCount: Type.Integer({ description: 'Entries on the line' })
}, { $id: 'ExportLine', description: 'One line of an export batch' })

export const ExportTotals = Type.Object({
  entryCount: Type.Integer({ description: 'Entries and corrections claimed' }),
  workerCount: Type.Integer({ description: 'Workers in the batch' }),
  minutes: Type.Integer({ description: 'Minutes claimed' }),
  grossPence: Pence('Everything the batch pays (payroll and vouchers, holiday pay included)'),
  payrollGrossPence: Pence('Paid through payroll'),
  voucherGrossPence: Pence('Paid in vouchers'),
  holidayPayPence: Pence('Rolled-up holiday pay'),
  lateEntryCount: Type.Integer({ description: 'Entries dated before the period (approved after an earlier export)' })
}, { description: 'Batch totals; they reconcile to the penny with the claimed entries' })

export const ExportSummary = Type.Object({
  id: Uuid('Batch id'),
  number: Type.Integer({ description: 'Batch number' }),
  payPeriodId: Uuid('Period exported'),
  payScheduleId: Uuid('Schedule'),
  payScheduleName: Type.String({ description: 'Schedule name at export' }),
  periodStartDate: LocalDate('Period start'),
  periodEndDate: LocalDate('Period end'),
  payDate: LocalDate('Pay date'),
  createdAt: Instant('When the batch was claimed'),
  totals: ExportTotals,
  lines: Type.Array(Type.Ref('ExportLine'), { description: 'Every line, in order' }),
  payrollDifferences: Type.Array(Type.Object({
    lineNo: Type.Integer({ description: 'Line' }),
    payrollReference: Type.String({ description: 'Worker' }),
    hoursText: Type.String({ description: 'Hours in the file' }),
    ratePence: Type.Integer({ description: 'Rate' }),
    grossPence: Type.Integer({ description: 'What the line pays' }),
    payrollComputedPence: Type.Integer({ description: 'Hours x rate as payroll computes it' }),
    differencePence: Type.Integer({ description: 'Pay this much more than payroll computes (add it as an adjustment in payroll)' })
  }), { description: 'Hourly lines where hours x rate differs from the line\'s gross, to the penny' }),
  recoveries: Type.Array(Type.Object({
    workerId: Uuid('Worker'),
    payrollReference: Type.String({ description: 'Works number' }),
    workerName: Type.String({ description: 'Name' }),
    paymentMode: Type.Enum(['payroll', 'voucher'], { description: 'Which list the lines are on' }),
    netPence: Type.Integer({
      description: 'What the batch pays the worker, below zero: the amount payroll must ' +
      'recover'
    })
  }), {
    description: 'Workers whose lines in this batch add up to less than nothing (corrections recovering an ' +
    'earlier overpayment), listed for finance, never netted away'
  }),
  declined: Type.Array(Type.Object({
    workerId: Uuid('Worker'),
    workerName: Type.String({ description: 'Name' }),
    minutes: Type.Integer({ description: 'Minutes recorded' }),
    entryCount: Type.Integer({ description: 'Entries' })
  }), { description: 'Workers who decline payment: hours recorded, paid nothing' }),
  accruedHoliday: Type.Array(Type.Object({
    workerId: Uuid('Worker'),
    payrollReference: Type.String({ description: 'Works number' }),
    workerName: Type.String({ description: 'Name' }),
    minutesWorked: Type.Integer({ description: 'Minutes worked in the batch' }),
    accruedMinutes: Type.Integer({ description: 'Holiday accrued: 12.07 % of the minutes, rounded up' }),
    accruedHoursText: Type.String({ description: 'The same in hours, 2 dp' })
  }), { description: 'Holiday accrued by workers in `accrued` mode' }),
  files: Type.Array(Type.Object({
    format: FormatName,
    description: Type.String({ description: 'What the file holds' }),
    url: Type.String({ description: 'Where to download it' }),
    sha256: Nullable(Type.String(), 'SHA-256 of the file (hex), once it has been rendered')
  }), { description: 'The batch in every payroll format' })
}, { $id: 'ExportSummary', description: 'An export batch: an immutable snapshot of pay claimed for payroll' })

export const ExportListItem = Type.Object({
  id: Uuid('Batch id'),
  number: Type.Integer({ description: 'Batch number' }),
  payPeriodId: Uuid('Period'),
  payScheduleName: Type.String({ description: 'Schedule' }),
  periodStartDate: LocalDate('Period start'),
  periodEndDate: LocalDate('Period end'),
  payDate: LocalDate('Pay date'),
  createdAt: Instant('When claimed'),
  totals: ExportTotals
}, { description: 'A batch, without its lines' })

export const ListExportsQuery = Type.Object({
  payScheduleId: Type.Optional(Uuid('Only this schedule\'s batches')),
  ...pageQueryFields
}, { additionalProperties: false })

export const ExportPage = pageOf(ExportListItem, 'Batches, newest first')

export const FileParams = Type.Object({
  id: Uuid('Batch id'),
  format: FormatName
}, { additionalProperties: false })

export const exportSchemas = [ExportLine, ExportSummary]
