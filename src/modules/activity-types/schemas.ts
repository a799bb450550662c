import Type, { type Static } from 'typebox'
import { Instant, Nullable, Uuid } from '../../http/common-schemas.js'
import { pageOf, pageQueryFields } from '../../http/pagination.js'
import type { ActivityTypeRow } from './service.js'

const Code = Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9_.][A-Za-z0-9_.-]*$', description: 'Short unique code, e.g. `PEER_SUPPORT`' })
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'What the activity is' })
const PayElementCode = Type.String({ minLength: 1, maxLength: 50, pattern: '^(?![=+\\-@])[\\x21-\\x7E]+$', description: 'Pay element (payment) code in the payroll software (cannot start with = + - @)' })
// Sage 50 Payroll numbers its payment types; the multi-timesheet import takes the number in column C.
const SagePaymentNumber = Type.Integer({
  minimum: 1,
  maximum: 999,
  description: 'Sage 50 Payroll payment number (1 to 999) printed for the activity\'s pay and corrections in sage50 ' +
    'files; null when not set (a sage50 file with the activity\'s payroll lines is refused, 422 ' +
    'missing_payroll_codes, until it is)'
})
export const ActivityUnit = Type.Enum(['hour', 'session'], { description: '`hour`: paid per hour worked; `session`: a fixed fee per session' })

export const ActivityType = Type.Object({
  id: Uuid('Activity type id'),
  code: Type.String({ description: 'Short unique code' }),
  name: Type.String({ description: 'What the activity is' }),
  payElementCode: Type.String({ description: 'Pay element code in payroll' }),
  sagePaymentNumber: Nullable(Type.Integer(), 'Sage 50 Payroll payment number (1 to 999); null when not set'),
  unit: ActivityUnit,
  active: Type.Boolean({ description: 'False: no new entries of this activity' }),
  createdAt: Instant('When it was made'),
  updatedAt: Instant('Last change'),
  version: Type.Integer({ description: 'Changes on every update; part of the ETag' })
}, { $id: 'ActivityType', description: 'A kind of paid work and how it is paid' })

export const CreateActivityTypeBody = Type.Object({
  code: Code,
  name: Name,
  payElementCode: PayElementCode,
  sagePaymentNumber: Type.Optional(Nullable(SagePaymentNumber)),
  unit: ActivityUnit
}, { additionalProperties: false })

export const UpdateActivityTypeBody = Type.Object({
  name: Type.Optional(Name),
  payElementCode: Type.Optional(PayElementCode),
  sagePaymentNumber: Type.Optional(Nullable(SagePaymentNumber)),
  active: Type.Optional(Type.Boolean({ description: 'False stops new entries of this activity' }))
}, { additionalProperties: false, minProperties: 1, description: 'Code and unit never change: rates and entries depend on them' })

export const ListActivityTypesQuery = Type.Object({
  active: Type.Optional(Type.Boolean({ description: 'Only active (true) or inactive (false) activity types' })),
  ...pageQueryFields
}, { additionalProperties: false })

export const ActivityTypePage = pageOf(Type.Ref('ActivityType'), 'Activity types, newest first')

export const toActivityTypeView = (row: ActivityTypeRow): Static<typeof ActivityType> => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString()
})

export const activityTypeSchemas = [ActivityType]
