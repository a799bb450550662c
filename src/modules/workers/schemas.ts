import Type, { type Static } from 'typebox'
import type { Actor } from '../../domain/actor.js'
import { ageBandOn } from '../../domain/age.js'
import { wageBandOn } from '../../domain/minimum-wage.js'
import { Instant, LocalDate, Nullable, Uuid } from '../../http/common-schemas.js'
import { pageOf, pageQueryFields } from '../../http/pagination.js'
import { seesDateOfBirth, type RecordView } from '../access/personal-data.js'
import { DisplayName } from '../people/schemas.js'
import type { WorkerRecord } from './service.js'

export const PaymentMode = Type.Enum(['payroll', 'voucher', 'declined'], { description: '`payroll`: paid through payroll; `voucher`: paid in vouchers (listed apart from the payroll file); `declined`: hours recorded and approved, paid nothing' })
export const HolidayPayMode = Type.Enum(['rolled_up', 'accrued'], { description: '`rolled_up`: 12.07 % holiday pay paid with each export as its own line; `accrued`: holiday hours accrue at 12.07 % of hours worked' })
export const BenefitGuardKind = Type.Enum(['none', 'esa_permitted_work', 'universal_credit', 'custom'], { description: 'Weekly earnings cap to watch: ESA permitted work limit, Universal Credit work allowance (weekly figure), a custom cap, or none' })
export const GuardPolicy = Type.Enum(['warn', 'block'], { description: '`warn`: going over the cap succeeds with warnings; `block`: refused unless a manager overrides with a reason' })
// Payroll references go into payroll files and name downloaded files (a pay record's
// Content-Disposition): quotes, spaces, `;`, `/` and other separators are refused, and so is a
// leading = + - @ (a formula to a spreadsheet).
const PayrollReference = Type.String({
  minLength: 1,
  maxLength: 50,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: 'Works number in the payroll software, exactly as it holds it: letters, digits, ".", "_" and "-", ' +
    'starting with a letter or digit (no quotes, spaces or separators: it names downloaded files)'
})
const CapPence = Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'Weekly cap in pence (custom guard only)' })
const bandValues = ['age_21_and_over', 'age_18_to_20', 'age_16_to_17', 'apprentice', 'school_age'] as const
const MinimumWageBand = (description: string) => Type.Enum(bandValues, { description })
const AgeBand = Type.Enum(['age_under_16', 'age_16_to_17', 'age_18_to_20', 'age_21_and_over'], {
  description: 'Age band today (in the service\'s time zone): shown to everyone who may read the worker, in place of ' +
    'the date of birth'
})
const TeamIds = Type.Array(Uuid('Team id'), { maxItems: 50, uniqueItems: true, description: 'Teams the worker belongs to (replaces the whole set)' })

export const Worker = Type.Object({
  id: Uuid('Worker id (also their person id)'),
  displayName: Type.String({ description: 'Name shown to colleagues and on exports' }),
  payrollReference: Nullable(Type.String(), 'Works number in payroll; null until known (an export with this worker is refused until set)'),
  dateOfBirth: Type.Optional(LocalDate(
    'Date of birth: decides the minimum-wage band; never logged. Present only for an admin, and for the worker ' +
    'themself on /me; managers, finance and a worker key on /workers get minimumWageBand and ageBand instead'
  )),
  minimumWageBand: MinimumWageBand(
    'Minimum-wage band today (in the service\'s time zone), for everyone who may read the worker; `school_age`: ' +
    'compulsory school age, no entitlement and not payable through payroll. GET /workers/{id}/minimum-wage judges ' +
    'another date'
  ),
  ageBand: AgeBand,
  apprentice: Type.Boolean({ description: 'Employed as an apprentice' }),
  apprenticeshipStartDate: Nullable(LocalDate('Apprenticeship start'), 'Apprenticeship start date, when known (apprentice rate in its first year from age 19)'),
  paymentMode: PaymentMode,
  holidayPayMode: HolidayPayMode,
  benefitGuard: BenefitGuardKind,
  benefitCapPence: Nullable(Type.Integer(), 'Custom weekly cap in pence; null for the other guards'),
  benefitPolicy: GuardPolicy,
  engagementStartDate: LocalDate('First day the worker may record work'),
  engagementEndDate: Nullable(LocalDate('Last day of engagement'), 'Last day the worker may record work; null while open'),
  teamIds: Type.Array(Uuid('Team id'), { description: 'Teams the worker belongs to' }),
  payScheduleId: Nullable(Uuid('Pay schedule'), 'The pay schedule the worker is paid on; null: the default schedule'),
  active: Type.Boolean({ description: 'False: no new entries can be recorded' }),
  createdAt: Instant('When the record was made'),
  updatedAt: Instant('Last change'),
  version: Type.Integer({ description: 'Changes on every update; part of the ETag' })
}, { $id: 'Worker', description: 'A contributor paid as a sessional worker: only what pay needs (no bank, NI, health or lived-experience data)' })

export const CreateWorkerBody = Type.Object({
  personId: Type.Optional(Uuid('Make this existing person (e.g. a manager) a worker too')),
  displayName: Type.Optional(DisplayName),
  payrollReference: Type.Optional(Nullable(PayrollReference)),
  dateOfBirth: LocalDate('Date of birth'),
  apprentice: Type.Optional(Type.Boolean({ default: false, description: 'Employed as an apprentice' })),
  apprenticeshipStartDate: Type.Optional(Nullable(LocalDate('Apprenticeship start date'))),
  paymentMode: PaymentMode,
  holidayPayMode: HolidayPayMode,
  benefitGuard: Type.Optional(BenefitGuardKind),
  benefitCapPence: Type.Optional(Nullable(CapPence)),
  benefitPolicy: Type.Optional(GuardPolicy),
  engagementStartDate: LocalDate('First day of engagement'),
  engagementEndDate: Type.Optional(Nullable(LocalDate('Last day of engagement'))),
  teamIds: Type.Optional(TeamIds),
  payScheduleId: Type.Optional(Nullable(Uuid('Pay schedule'), 'Pay schedule to pay the worker on (default: the default schedule)'))
}, { additionalProperties: false, description: 'Give displayName for a new person, or personId for an existing one' })

export const UpdateWorkerBody = Type.Object({
  displayName: Type.Optional(DisplayName),
  payrollReference: Type.Optional(Nullable(PayrollReference)),
  dateOfBirth: Type.Optional(LocalDate('Date of birth')),
  apprentice: Type.Optional(Type.Boolean({ description: 'Employed as an apprentice' })),
  apprenticeshipStartDate: Type.Optional(Nullable(LocalDate('Apprenticeship start date'))),
  paymentMode: Type.Optional(PaymentMode),
  holidayPayMode: Type.Optional(HolidayPayMode),
  benefitGuard: Type.Optional(BenefitGuardKind),
  benefitCapPence: Type.Optional(Nullable(CapPence)),
  benefitPolicy: Type.Optional(GuardPolicy),
  engagementStartDate: Type.Optional(LocalDate('First day of engagement')),
  engagementEndDate: Type.Optional(Nullable(LocalDate('Last day of engagement'))),
  teamIds: Type.Optional(TeamIds),
  payScheduleId: Type.Optional(Nullable(Uuid('Pay schedule'), 'Pay schedule to pay the worker on; null: the default one (entries already approved go with the next export of the new schedule)')),
  active: Type.Optional(Type.Boolean({ description: 'False stops new entries' }))
}, { additionalProperties: false, minProperties: 1 })

export const ListWorkersQuery = Type.Object({
  teamId: Type.Optional(Uuid('Only members of this team')),
  active: Type.Optional(Type.Boolean({ description: 'Only active (true) or inactive (false) workers' })),
  paymentMode: Type.Optional(PaymentMode),
  ...pageQueryFields
}, { additionalProperties: false })

export const WorkerPage = pageOf(Type.Ref('Worker'), 'Workers, newest first')

export const MinimumWageQuery = Type.Object({ date: LocalDate('Work date to judge') }, { additionalProperties: false })

export const WorkerMinimumWage = Type.Object({
  workerId: Uuid('Worker id'),
  date: LocalDate('The date judged'),
  age: Type.Optional(Type.Integer({ description: 'Age on that date: only for those who see the date of birth (admins)' })),
  ageBand: AgeBand,
  band: MinimumWageBand(
    'Minimum-wage band on that date; `school_age`: compulsory school age, no entitlement and not payable through ' +
    'payroll'
  ),
  floorPencePerHour: Nullable(Type.Integer(), 'Minimum hourly pay in pence; null for school age or before the first figures held'),
  effectiveFrom: Nullable(LocalDate('Figures used'), 'Effective date of the figures used')
}, { description: 'A worker\'s minimum-wage band and floor on a date' })

export type WorkerView = Static<typeof Worker>

/** Who a worker record is shown to, through which view, and the local date its bands are for. */
export interface WorkerAudience {
  actor: Actor
  view: RecordView
  today: string
}

/** A worker as the audience may see it: the date of birth only where seesDateOfBirth allows. */
export const toWorkerView = (record: WorkerRecord, audience: WorkerAudience): WorkerView => ({
  id: record.id,
  displayName: record.displayName,
  payrollReference: record.payrollReference,
  ...(seesDateOfBirth(audience.actor, audience.view, record.id) ? { dateOfBirth: record.dateOfBirth } : {}),
  minimumWageBand: wageBandOn(record, audience.today),
  ageBand: ageBandOn(record.dateOfBirth, audience.today),
  apprentice: record.apprentice,
  apprenticeshipStartDate: record.apprenticeshipStartDate,
  paymentMode: record.paymentMode,
  holidayPayMode: record.holidayPayMode,
  benefitGuard: record.benefitGuard,
  benefitCapPence: record.benefitCapPence,
  benefitPolicy: record.benefitPolicy,
  engagementStartDate: record.engagementStartDate,
  engagementEndDate: record.engagementEndDate,
  teamIds: record.teamIds,
  payScheduleId: record.payScheduleId,
  active: record.active,
  createdAt: record.createdAt.toISOString(),
  updatedAt: record.updatedAt.toISOString(),
  version: record.version
})

export const workerSchemas = [Worker]
