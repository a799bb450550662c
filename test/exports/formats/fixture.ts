// A small batch worked by hand, for checking every export format field by field.
//
// Batch 7, June 2025, paid 4 July 2025:
// - SP001 O'Brien, Sam "Sunny" (payroll, rolled-up holiday): three 50-minute peer-support
//   entries at £12.21/hour: 1018p each (50 x 1221 / 60 = 1017.5, rounded up), line 3054p,
//   150 minutes = 2.50 hours; payroll computes 2.50 x 12.21 = 30.525 -> 3053p, difference 1p.
//   Rolled-up holiday pay 12.07% of 3054p = 368.6178 -> 369p.
// - SP002 =HYPERLINK(...) (payroll, accrued holiday; department "+Outreach"): a late session
//   dated 28 May at £45.00, and a correction clawing back 50 minutes at £12.21:
//   -50 x 1221 / 60 = -1017.5 -> -1017p (rounded toward +infinity), -0.83 hours, payroll
//   computes -0.83 x 12.21 = -10.1343 -> -1013p, difference -4p. Accrued holiday: 12.07% of 70
//   minutes = 8.449 -> 9 minutes = 0.15 hours.
// - SP003 @Pat Jones (voucher): one hour at £12.21, 1221p: never in a payroll file.
// - worker-4 Lee Smith (declined, no payroll reference): 90 minutes recorded, nothing paid.
import {
  FILE_LAYOUT, type AccruedHoliday, type DailyUnits, type DeclinedWorker, type ExportBatchHeader, type ExportEntry,
  type ExportLine, type ExportSource, type ExportTotals, type VendorCodes
} from '../../../src/modules/exports/model.js'

export const header: ExportBatchHeader = {
  id: 'batch-7',
  number: 7,
  payScheduleId: 'schedule-1',
  payScheduleName: 'Monthly contributors',
  payrollCalendarCode: 'xero-calendar-1',
  periodId: 'period-2025-06',
  periodStartDate: '2025-06-01',
  periodEndDate: '2025-06-30',
  payDate: '2025-07-04',
  createdAt: '2025-07-01T09:30:00.000Z',
  holidayPayElementCode: 'HOLPAY'
}

export const totals: ExportTotals = {
  entryCount: 6,
  workerCount: 3,
  minutes: 280,
  grossPence: 8127,
  payrollGrossPence: 6906,
  voucherGrossPence: 1221,
  holidayPayPence: 369,
  lateEntryCount: 1
}

const sam = { workerId: 'worker-1', payrollReference: 'SP001', workerName: 'O\'Brien, Sam "Sunny"', department: 'Peer Support', costCentre: 'CC100' }
const hyperlink = { workerId: 'worker-2', payrollReference: 'SP002', workerName: '=HYPERLINK("https://evil.test","Claim")', department: '+Outreach', costCentre: 'CC200' }
const pat = { workerId: 'worker-3', payrollReference: 'SP003', workerName: '@Pat Jones', department: 'Peer Support', costCentre: 'CC100' }

const noHours = { hoursHundredths: null, hoursText: null, payrollComputedPence: null, differencePence: null }

export const lines: ExportLine[] = [
  { lineNo: 1, kind: 'pay', paymentMode: 'payroll', ...sam, payElementCode: 'HOURLY', description: 'Peer support group', unit: 'hour', minutes: 150, sessions: 0, ratePence: 1221, grossPence: 3054, hoursHundredths: 250, hoursText: '2.50', payrollComputedPence: 3053, differencePence: 1, late: false, entryCount: 3 },
  { lineNo: 2, kind: 'holiday_pay', paymentMode: 'payroll', ...sam, payElementCode: 'HOLPAY', description: 'Holiday pay (12.07%)', unit: 'amount', minutes: 0, sessions: 0, ratePence: null, grossPence: 369, ...noHours, late: false, entryCount: 0 },
  { lineNo: 3, kind: 'pay', paymentMode: 'payroll', ...hyperlink, payElementCode: 'SESSION', description: '\tEvening forum', unit: 'session', minutes: 120, sessions: 1, ratePence: 4500, grossPence: 4500, ...noHours, late: true, entryCount: 1 },
  { lineNo: 4, kind: 'adjustment', paymentMode: 'payroll', ...hyperlink, payElementCode: 'HOURLY', description: 'Correction of entry-00', unit: 'hour', minutes: -50, sessions: 0, ratePence: 1221, grossPence: -1017, hoursHundredths: -83, hoursText: '-0.83', payrollComputedPence: -1013, differencePence: -4, late: false, entryCount: 1 },
  { lineNo: 5, kind: 'pay', paymentMode: 'voucher', ...pat, payElementCode: 'HOURLY', description: 'Peer support group', unit: 'hour', minutes: 60, sessions: 0, ratePence: 1221, grossPence: 1221, hoursHundredths: 100, hoursText: '1.00', payrollComputedPence: 1221, differencePence: 0, late: false, entryCount: 1 }
]

const peerSupport = { activityCode: 'PEER-GROUP', payElementCode: 'HOURLY', unit: 'hour', ratePence: 1221 } as const

export const entries: ExportEntry[] = [
  { entryId: 'entry-01', lineNo: 1, kind: 'work', correctsEntryId: null, ...sam, ...peerSupport, workDate: '2025-06-02', startTime: '10:00', endTime: '11:00', breakMinutes: 10, minutes: 50, grossPence: 1018, paymentMode: 'payroll', late: false, approvedAt: '2025-06-03T08:00:00.000Z' },
  { entryId: 'entry-02', lineNo: 1, kind: 'work', correctsEntryId: null, ...sam, ...peerSupport, workDate: '2025-06-04', startTime: '09:00', endTime: '09:50', breakMinutes: 0, minutes: 50, grossPence: 1018, paymentMode: 'payroll', late: false, approvedAt: '2025-06-05T08:00:00.000Z' },
  { entryId: 'entry-03', lineNo: 1, kind: 'work', correctsEntryId: null, ...sam, ...peerSupport, workDate: '2025-06-04', startTime: '14:00', endTime: '14:50', breakMinutes: 0, minutes: 50, grossPence: 1018, paymentMode: 'payroll', late: false, approvedAt: '2025-06-05T08:00:00.000Z' },
  { entryId: 'entry-04', lineNo: 3, kind: 'work', correctsEntryId: null, ...hyperlink, activityCode: 'FORUM', payElementCode: 'SESSION', workDate: '2025-05-28', startTime: '18:00', endTime: '20:00', breakMinutes: 0, minutes: 120, unit: 'session', ratePence: 4500, grossPence: 4500, paymentMode: 'payroll', late: true, approvedAt: '2025-06-20T12:00:00.000Z' },
  { entryId: 'entry-05', lineNo: 4, kind: 'adjustment', correctsEntryId: 'entry-00', ...hyperlink, ...peerSupport, workDate: '2025-06-10', startTime: null, endTime: null, breakMinutes: 0, minutes: -50, grossPence: -1017, paymentMode: 'payroll', late: false, approvedAt: '2025-06-25T16:45:00.000Z' },
  { entryId: 'entry-06', lineNo: 5, kind: 'work', correctsEntryId: null, ...pat, ...peerSupport, workDate: '2025-06-12', startTime: '13:00', endTime: '14:00', breakMinutes: 0, minutes: 60, grossPence: 1221, paymentMode: 'voucher', late: false, approvedAt: '2025-06-13T08:00:00.000Z' }
]

/** Per worker, day and element; SP001's 2 June is 50 minutes (0.84 h), 4 June 100 minutes (1.67 h). */
export const dailyUnits: DailyUnits[] = [
  { payrollReference: 'SP001', workerId: 'worker-1', payElementCode: 'HOURLY', date: '2025-06-02', unit: 'hour', unitsText: '0.84' },
  { payrollReference: 'SP001', workerId: 'worker-1', payElementCode: 'HOURLY', date: '2025-06-04', unit: 'hour', unitsText: '1.67' },
  { payrollReference: 'SP002', workerId: 'worker-2', payElementCode: 'SESSION', date: '2025-05-28', unit: 'session', unitsText: '1' },
  { payrollReference: 'SP002', workerId: 'worker-2', payElementCode: 'HOURLY', date: '2025-06-10', unit: 'hour', unitsText: '-0.83' },
  { payrollReference: 'SP003', workerId: 'worker-3', payElementCode: 'HOURLY', date: '2025-06-12', unit: 'hour', unitsText: '1.00' }
]

/**
 * Sage 50 numbers of the payroll lines: Peer Support is department 10, +Outreach 20; HOURLY is
 * payment 3, SESSION 4, holiday pay (HOLPAY) 9.
 */
export const vendorCodes: ReadonlyMap<number, VendorCodes> = new Map([
  [1, { department: 10, element: 3 }],
  [2, { department: 10, element: 9 }],
  [3, { department: 20, element: 4 }],
  [4, { department: 20, element: 3 }]
])

export const declined: DeclinedWorker[] = [
  { workerId: 'worker-4', payrollReference: null, workerName: 'Lee Smith', minutes: 90, entryCount: 1 }
]

export const accruedHoliday: AccruedHoliday[] = [
  { workerId: 'worker-2', payrollReference: 'SP002', workerName: hyperlink.workerName, minutesWorked: 70, accruedMinutes: 9, accruedHoursText: '0.15' }
]

/** Yields the items one at a time, as a database cursor would. */
export async function * asyncFrom<T> (items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item
}

export interface FixtureParts {
  header: ExportBatchHeader
  fileLayout: number
  totals: ExportTotals
  lines: readonly ExportLine[]
  entries: readonly ExportEntry[]
  dailyUnits: readonly DailyUnits[]
  declined: readonly DeclinedWorker[]
  accruedHoliday: readonly AccruedHoliday[]
  vendorCodes: ReadonlyMap<number, VendorCodes>
}

/** An ExportSource over arrays: the hand-worked batch, or parts of it replaced. */
export function exportSource (parts: Partial<FixtureParts> = {}): ExportSource {
  const all: FixtureParts = { header, fileLayout: FILE_LAYOUT, totals, lines, entries, dailyUnits, declined, accruedHoliday, vendorCodes, ...parts }
  return {
    header: all.header,
    fileLayout: all.fileLayout,
    totals: all.totals,
    lines: () => asyncFrom(all.lines),
    entries: () => asyncFrom(all.entries),
    dailyUnits: () => asyncFrom(all.dailyUnits),
    declined: () => asyncFrom(all.declined),
    accruedHoliday: () => asyncFrom(all.accruedHoliday),
    vendorCodes: all.vendorCodes
  }
}
