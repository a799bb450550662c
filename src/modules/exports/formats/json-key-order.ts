// Copies of the batch's records with their keys in the order model.ts declares them, so the json
// file's bytes never depend on how a source happened to build its objects (and carry nothing
// the model does not name). The return types make the compiler check that no field is missed.
import type {
  AccruedHoliday, DeclinedWorker, ExportBatchHeader, ExportEntry, ExportLine, ExportTotals
} from '../model.js'

export const headerInModelOrder = (h: ExportBatchHeader): ExportBatchHeader => ({
  id: h.id,
  number: h.number,
  payScheduleId: h.payScheduleId,
  payScheduleName: h.payScheduleName,
  payrollCalendarCode: h.payrollCalendarCode,
  periodId: h.periodId,
  periodStartDate: h.periodStartDate,
  periodEndDate: h.periodEndDate,
  payDate: h.payDate,
  createdAt: h.createdAt,
  holidayPayElementCode: h.holidayPayElementCode
})

export const totalsInModelOrder = (t: ExportTotals): ExportTotals => ({
  entryCount: t.entryCount,
  workerCount: t.workerCount,
  minutes: t.minutes,
  grossPence: t.grossPence,
  payrollGrossPence: t.payrollGrossPence,
  voucherGrossPence: t.voucherGrossPence,
  holidayPayPence: t.holidayPayPence,
  lateEntryCount: t.lateEntryCount
})

export const lineInModelOrder = (l: ExportLine): ExportLine => ({
  lineNo: l.lineNo,
  kind: l.kind,
  paymentMode: l.paymentMode,
  workerId: l.workerId,
  payrollReference: l.payrollReference,
  workerName: l.workerName,
  department: l.department,
  costCentre: l.costCentre,
  payElementCode: l.payElementCode,
  description: l.description,
  unit: l.unit,
  minutes: l.minutes,
  sessions: l.sessions,
  ratePence: l.ratePence,
  grossPence: l.grossPence,
  hoursHundredths: l.hoursHundredths,
  hoursText: l.hoursText,
  payrollComputedPence: l.payrollComputedPence,
  differencePence: l.differencePence,
  late: l.late,
  entryCount: l.entryCount
})

export const entryInModelOrder = (e: ExportEntry): ExportEntry => ({
  entryId: e.entryId,
  lineNo: e.lineNo,
  kind: e.kind,
  correctsEntryId: e.correctsEntryId,
  workerId: e.workerId,
  payrollReference: e.payrollReference,
  workerName: e.workerName,
  department: e.department,
  costCentre: e.costCentre,
  activityCode: e.activityCode,
  payElementCode: e.payElementCode,
  workDate: e.workDate,
  startTime: e.startTime,
  endTime: e.endTime,
  breakMinutes: e.breakMinutes,
  minutes: e.minutes,
  unit: e.unit,
  ratePence: e.ratePence,
  grossPence: e.grossPence,
  paymentMode: e.paymentMode,
  late: e.late,
  approvedAt: e.approvedAt
})

export const declinedInModelOrder = (d: DeclinedWorker): DeclinedWorker => ({
  workerId: d.workerId,
  payrollReference: d.payrollReference,
  workerName: d.workerName,
  minutes: d.minutes,
  entryCount: d.entryCount
})

export const accruedHolidayInModelOrder = (a: AccruedHoliday): AccruedHoliday => ({
  workerId: a.workerId,
  payrollReference: a.payrollReference,
  workerName: a.workerName,
  minutesWorked: a.minutesWorked,
  accruedMinutes: a.accruedMinutes,
  accruedHoursText: a.accruedHoursText
})
