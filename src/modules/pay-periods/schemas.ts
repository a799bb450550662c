import Type, { type Static } from 'typebox'
import { Instant, LocalDate, Nullable, Reason, Uuid } from '../../http/common-schemas.js'
import { pageQueryFields } from '../../http/pagination.js'
import type { PayPeriodRecord, PayScheduleRow } from './service.js'

const Code = (description: string) => Type.String({ minLength: 1, maxLength: 100, pattern: '^(?![=+\\-@])[\\x21-\\x7E]+$', description })
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'Name of the schedule (unique)' })
export const PayFrequency = Type.Enum(['weekly', 'fortnightly', 'four_weekly', 'monthly'], { description: 'How often workers are paid' })
// Sage 50 Payroll numbers its payment types; rolled-up holiday pay is one of them.
const SageHolidayPaymentNumber = Type.Integer({
  minimum: 1,
  maximum: 999,
  description: 'Sage 50 Payroll payment number (1 to 999) of rolled-up holiday pay, printed in sage50 files; null ' +
    'when not set (a sage50 file with holiday-pay lines is refused, 422 missing_payroll_codes, until it is)'
})
const Offset = Type.Integer({ minimum: 0, maximum: 60, description: 'Days from the end of a period to its pay date' })

export const PaySchedule = Type.Object({
  id: Uuid('Schedule id'),
  name: Type.String({ description: 'Name' }),
  frequency: PayFrequency,
  anchorDate: LocalDate('First day of period 0; periods tile the calendar from it'),
  payDateOffsetDays: Type.Integer({ description: 'Days from the end of a period to its pay date' }),
  payrollCalendarCode: Type.String({ description: 'The schedule\'s name or id in the payroll software (Xero payrollCalendarID)' }),
  holidayPayElementCode: Type.String({ description: 'Pay element of rolled-up holiday pay lines' }),
  sageHolidayPaymentNumber: Nullable(Type.Integer(), 'Sage 50 Payroll payment number of rolled-up holiday pay (1 to ' +
    '999); null when not set'),
  isDefault: Type.Boolean({ description: 'Workers without a schedule of their own are paid on this one' }),
  createdAt: Instant('When made'),
  updatedAt: Instant('Last change'),
  version: Type.Integer({ description: 'Changes on every update; part of the ETag' })
}, { $id: 'PaySchedule', description: 'How often workers are paid and when' })

export const CreatePayScheduleBody = Type.Object({
  name: Name,
  frequency: PayFrequency,
  anchorDate: LocalDate('First day of period 0'),
  payDateOffsetDays: Type.Optional(Offset),
  payrollCalendarCode: Code('The schedule\'s name or id in the payroll software'),
  holidayPayElementCode: Type.Optional(Code('Pay element of rolled-up holiday pay (default HOLIDAY)')),
  sageHolidayPaymentNumber: Type.Optional(Nullable(SageHolidayPaymentNumber)),
  isDefault: Type.Optional(Type.Boolean({ description: 'Pay workers without a schedule of their own on this one (the first schedule is the default)' }))
}, { additionalProperties: false })

export const UpdatePayScheduleBody = Type.Object({
  name: Type.Optional(Name),
  payDateOffsetDays: Type.Optional(Offset),
  payrollCalendarCode: Type.Optional(Code('The schedule\'s name or id in the payroll software')),
  holidayPayElementCode: Type.Optional(Code('Pay element of rolled-up holiday pay')),
  sageHolidayPaymentNumber: Type.Optional(Nullable(SageHolidayPaymentNumber)),
  isDefault: Type.Optional(Type.Literal(true, { description: 'Make this the default schedule' }))
}, { additionalProperties: false, minProperties: 1, description: 'Frequency and anchor never change: they define periods already closed and exported' })

export const PayPeriod = Type.Object({
  id: Uuid('Period id'),
  payScheduleId: Uuid('Schedule'),
  index: Type.Integer({ description: 'Period number: 0 starts on the anchor date' }),
  startDate: LocalDate('First day'),
  endDate: LocalDate('Last day'),
  payDate: LocalDate('Pay date'),
  state: Type.Enum(['open', 'closed', 'exported'], { description: '`open` -> `closed` -> `exported`; a closed period can be reopened until exported' }),
  closedAt: Nullable(Instant('When closed'), 'When it was closed'),
  version: Type.Integer({ description: 'Changes on every update; part of the ETag' })
}, { $id: 'PayPeriod', description: 'A pay period of a schedule' })

export const PeriodsQuery = Type.Object({
  from: LocalDate('First date of interest'),
  to: LocalDate('Last date of interest (at most ten years after from)'),
  ...pageQueryFields
}, { additionalProperties: false })

export const ForDateQuery = Type.Object({ date: LocalDate('A date') }, { additionalProperties: false })

export const ReopenBody = Type.Object({ reason: Reason('Why the period is reopened (audited)') }, { additionalProperties: false })

export const toPayScheduleView = (row: PayScheduleRow): Static<typeof PaySchedule> => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString()
})

export const toPayPeriodView = (row: PayPeriodRecord): Static<typeof PayPeriod> => ({
  id: row.id,
  payScheduleId: row.payScheduleId,
  index: row.periodIndex,
  startDate: row.startDate,
  endDate: row.endDate,
  payDate: row.payDate,
  state: row.state,
  closedAt: row.closedAt?.toISOString() ?? null,
  version: row.version
})

export const payPeriodSchemas = [PaySchedule, PayPeriod]
