import { sql } from 'drizzle-orm'
import type { Role } from '../domain/actor.js'
import {
  type AnyPgColumn, bigint, boolean, check, date, foreignKey, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid
} from 'drizzle-orm/pg-core'

// Millisecond precision: exactly what a JavaScript Date holds, so cursors and comparisons round-trip.
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 })
const localDate = (name: string) => date(name, { mode: 'string' })
const changeTracking = () => ({
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
  version: integer('version').notNull().default(1)
})

export const roleEnum = pgEnum('role', ['worker', 'manager', 'finance', 'admin'])
export const paymentModeEnum = pgEnum('payment_mode', ['payroll', 'voucher', 'declined'])
export const holidayPayModeEnum = pgEnum('holiday_pay_mode', ['rolled_up', 'accrued'])
export const benefitGuardEnum = pgEnum('benefit_guard', ['none', 'esa_permitted_work', 'universal_credit', 'custom'])
export const guardPolicyEnum = pgEnum('guard_policy', ['warn', 'block'])
export const activityUnitEnum = pgEnum('activity_unit', ['hour', 'session'])
export const rateScopeEnum = pgEnum('rate_scope', ['default', 'team', 'worker'])

/**
 * Anyone the service knows by name: contributors (who also have a `workers` row with the same
 * id) and the managers who approve their work. Holds nothing personal beyond a display name.
 */
export const people = pgTable('people', {
  id: uuid('id').primaryKey().defaultRandom(),
  displayName: text('display_name').notNull(),
  active: boolean('active').notNull().default(true),
  ...changeTracking()
}, (t) => [index('people_created_idx').on(t.createdAt, t.id)])

/**
 * A contributor paid as a sessional worker: only what pay needs. No bank details, NI number,
 * health or lived-experience data (UK GDPR Art. 9); payroll holds bank details by reference.
 */
export const workers = pgTable('workers', {
  id: uuid('id').primaryKey().references(() => people.id),
  payrollReference: text('payroll_reference').unique(),
  dateOfBirth: localDate('date_of_birth').notNull(),
  apprentice: boolean('apprentice').notNull().default(false),
  apprenticeshipStartDate: localDate('apprenticeship_start_date'),
  paymentMode: paymentModeEnum('payment_mode').notNull(),
  holidayPayMode: holidayPayModeEnum('holiday_pay_mode').notNull(),
  benefitGuard: benefitGuardEnum('benefit_guard').notNull().default('none'),
  benefitCapPence: integer('benefit_cap_pence'),
  benefitPolicy: guardPolicyEnum('benefit_policy').notNull().default('warn'),
  engagementStartDate: localDate('engagement_start_date').notNull(),
  engagementEndDate: localDate('engagement_end_date'),
  /** Null: paid on the default pay schedule. */
  payScheduleId: uuid('pay_schedule_id').references((): AnyPgColumn => paySchedules.id),
  active: boolean('active').notNull().default(true),
  ...changeTracking()
}, (t) => [
  index('workers_created_idx').on(t.createdAt, t.id),
  check('workers_engagement_dates_check', sql`${t.engagementEndDate} is null or ${t.engagementEndDate} >= ${t.engagementStartDate}`),
  check('workers_benefit_cap_check', sql`(${t.benefitGuard} = 'custom') = (${t.benefitCapPence} is not null) and (${t.benefitCapPence} is null or ${t.benefitCapPence} > 0)`)
])

export const teams = pgTable('teams', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  costCentre: text('cost_centre').notNull(),
  /** Sage 50 Payroll's department number for the team (its files print it); null until set. */
  sageDepartment: integer('sage_department'),
  active: boolean('active').notNull().default(true),
  ...changeTracking()
}, (t) => [
  index('teams_created_idx').on(t.createdAt, t.id),
  check('teams_sage_department_check', sql`${t.sageDepartment} between 0 and 999`)
])

/** Who may approve the work of a team's members. */
export const teamManagers = pgTable('team_managers', {
  teamId: uuid('team_id').notNull().references(() => teams.id),
  personId: uuid('person_id').notNull().references(() => people.id)
}, (t) => [primaryKey({ columns: [t.teamId, t.personId] }), index('team_managers_person_idx').on(t.personId)])

export const teamMembers = pgTable('team_members', {
  teamId: uuid('team_id').notNull().references(() => teams.id),
  workerId: uuid('worker_id').notNull().references(() => workers.id)
}, (t) => [primaryKey({ columns: [t.teamId, t.workerId] }), index('team_members_worker_idx').on(t.workerId)])

export const activityTypes = pgTable('activity_types', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  payElementCode: text('pay_element_code').notNull(),
  /** Sage 50 Payroll's payment number for the activity's pay and its corrections; null until set. */
  sagePaymentNumber: integer('sage_payment_number'),
  unit: activityUnitEnum('unit').notNull(),
  active: boolean('active').notNull().default(true),
  ...changeTracking()
}, (t) => [
  index('activity_types_created_idx').on(t.createdAt, t.id),
  check('activity_types_sage_payment_number_check', sql`${t.sagePaymentNumber} between 1 and 999`)
])

/**
 * Pence per unit of an activity, from a date to an optional last date (inclusive), for everyone
 * (default), one team, or one worker. Ranges of the same activity and scope never overlap: an
 * exclusion constraint in migrations/0003_rates_no_overlap_and_statutory_figures.sql refuses it.
 */
export const rates = pgTable('rates', {
  id: uuid('id').primaryKey().defaultRandom(),
  activityTypeId: uuid('activity_type_id').notNull().references(() => activityTypes.id),
  scope: rateScopeEnum('scope').notNull(),
  teamId: uuid('team_id').references(() => teams.id),
  workerId: uuid('worker_id').references(() => workers.id),
  pencePerUnit: integer('pence_per_unit').notNull(),
  validFrom: localDate('valid_from').notNull(),
  validTo: localDate('valid_to'),
  ...changeTracking()
}, (t) => [
  index('rates_lookup_idx').on(t.activityTypeId, t.scope, t.validFrom),
  index('rates_created_idx').on(t.createdAt, t.id),
  check('rates_scope_check', sql`(${t.scope} = 'default' and ${t.teamId} is null and ${t.workerId} is null)
    or (${t.scope} = 'team' and ${t.teamId} is not null and ${t.workerId} is null)
    or (${t.scope} = 'worker' and ${t.workerId} is not null and ${t.teamId} is null)`),
  check('rates_positive_check', sql`${t.pencePerUnit} > 0`),
  check('rates_dates_check', sql`${t.validTo} is null or ${t.validTo} >= ${t.validFrom}`)
])

/** National Minimum Wage figures per age band, effective from a date (README "UK rules"). */
export const minimumWageRates = pgTable('minimum_wage_rates', {
  effectiveFrom: localDate('effective_from').primaryKey(),
  age21AndOverPence: integer('age_21_and_over_pence').notNull(),
  age18To20Pence: integer('age_18_to_20_pence').notNull(),
  age16To17Pence: integer('age_16_to_17_pence').notNull(),
  apprenticePence: integer('apprentice_pence').notNull(),
  source: text('source').notNull(),
  createdAt: instant('created_at').notNull().defaultNow()
}, (t) => [
  check('minimum_wage_rates_positive_check', sql`${t.age21AndOverPence} > 0 and ${t.age18To20Pence} > 0 and ${t.age16To17Pence} > 0 and ${t.apprenticePence} > 0`)
])

/** Benefit figures the earnings guard compares with, effective from a date (README "UK rules"). */
export const benefitThresholds = pgTable('benefit_thresholds', {
  effectiveFrom: localDate('effective_from').primaryKey(),
  esaPermittedWorkWeeklyPence: integer('esa_permitted_work_weekly_pence').notNull(),
  esaPermittedWorkWeeklyHours: integer('esa_permitted_work_weekly_hours').notNull(),
  ucWorkAllowanceMonthlyPence: integer('uc_work_allowance_monthly_pence').notNull(),
  source: text('source').notNull(),
  createdAt: instant('created_at').notNull().defaultNow()
}, (t) => [
  check('benefit_thresholds_positive_check', sql`${t.esaPermittedWorkWeeklyPence} > 0 and ${t.esaPermittedWorkWeeklyHours} > 0 and ${t.ucWorkAllowanceMonthlyPence} > 0`)
])

/** Bearer credentials. Only the SHA-256 of a secret is kept; the secret is shown once. */
export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  role: roleEnum('role').notNull(),
  secretHash: text('secret_hash').notNull().unique(),
  secretPrefix: text('secret_prefix').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  createdBy: uuid('created_by'),
  /** The person a worker or manager key acts as (a worker key's person is the worker). */
  personId: uuid('person_id').references(() => people.id),
  lastUsedAt: instant('last_used_at'),
  revokedAt: instant('revoked_at'),
  version: integer('version').notNull().default(1)
}, (t) => [
  index('api_keys_created_idx').on(t.createdAt, t.id),
  check('api_keys_person_check', sql`${t.role} not in ('worker', 'manager') or ${t.personId} is not null`)
])

/**
 * Append-only record of every change: a trigger refuses UPDATE, DELETE and TRUNCATE
 * (migrations/0001_extensions_and_append_only_audit.sql). Written in the same transaction as the
 * change.
 */
export const auditEvents = pgTable('audit_events', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  occurredAt: instant('occurred_at').notNull().default(sql`clock_timestamp()`),
  actorKeyId: uuid('actor_key_id'),
  actorRole: text('actor_role').$type<Role | 'system'>(),
  actorLabel: text('actor_label').notNull(),
  action: text('action').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id').notNull(),
  before: jsonb('before'),
  after: jsonb('after'),
  reason: text('reason'),
  requestId: text('request_id')
}, (t) => [
  index('audit_events_entity_idx').on(t.entityType, t.entityId, t.id),
  index('audit_events_actor_idx').on(t.actorKeyId, t.id),
  index('audit_events_occurred_idx').on(t.occurredAt)
])

/** Stored outcomes of requests sent with an Idempotency-Key, scoped to the calling key. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  callerKeyId: uuid('caller_key_id').notNull().references(() => apiKeys.id),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  state: text('state', { enum: ['in_flight', 'done'] }).notNull(),
  responseStatus: integer('response_status'),
  responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
  responseBody: text('response_body'),
  createdAt: instant('created_at').notNull().defaultNow(),
  lockedUntil: instant('locked_until').notNull(),
  expiresAt: instant('expires_at').notNull()
}, (t) => [
  primaryKey({ columns: [t.callerKeyId, t.key] }),
  check('idempotency_keys_state_check', sql`${t.state} in ('in_flight', 'done')`),
  index('idempotency_keys_expires_idx').on(t.expiresAt)
])

export const entryStateEnum = pgEnum('entry_state', ['draft', 'submitted', 'approved', 'rejected', 'exported'])
export const entryKindEnum = pgEnum('entry_kind', ['work', 'adjustment'])

/**
 * A session a worker gave. Local date and times are kept as entered (NMW records need the
 * start and finish the worker saw) beside the instants they name. At approval the rate, unit,
 * gross pay and payment mode are frozen on the entry and never change afterwards.
 * Live work entries of a worker never overlap: an exclusion constraint in
 * migrations/0005_entries_no_overlap.sql refuses it.
 */
export const timesheetEntries = pgTable('timesheet_entries', {
  id: uuid('id').primaryKey().defaultRandom(),
  workerId: uuid('worker_id').notNull().references(() => workers.id),
  activityTypeId: uuid('activity_type_id').notNull().references(() => activityTypes.id),
  teamId: uuid('team_id').notNull().references(() => teams.id),
  kind: entryKindEnum('kind').notNull().default('work'),
  workDate: localDate('work_date').notNull(),
  // Work entries have times; adjustments (corrections) do not.
  startTime: text('start_time'),
  endDate: localDate('end_date'),
  endTime: text('end_time'),
  startsAt: instant('starts_at'),
  endsAt: instant('ends_at'),
  /** Order within a work date: the start, or for an adjustment when it was recorded. */
  sortAt: instant('sort_at').notNull().generatedAlwaysAs(sql`coalesce(starts_at, created_at)`),
  breakMinutes: integer('break_minutes').notNull().default(0),
  workedMinutes: integer('worked_minutes').notNull(),
  notes: text('notes'),
  /** Adjustments: the approved or exported entry corrected, the signed pence (if not minutes) and why. */
  correctsEntryId: uuid('corrects_entry_id').references((): AnyPgColumn => timesheetEntries.id),
  adjustmentPence: integer('adjustment_pence'),
  correctionReason: text('correction_reason'),
  state: entryStateEnum('state').notNull(),
  recordedByKeyId: uuid('recorded_by_key_id'),
  submittedAt: instant('submitted_at'),
  decidedAt: instant('decided_at'),
  decidedByKeyId: uuid('decided_by_key_id'),
  decidedByPersonId: uuid('decided_by_person_id'),
  rejectionReason: text('rejection_reason'),
  overrideReason: text('override_reason'),
  /**
   * Dual control: an entry above the approval threshold (or one overriding a blocking cap) is
   * approved twice. The first approval is recorded here, with why a second is needed; the entry
   * stays submitted until a distinct finance or admin approver approves it.
   */
  firstApprovedAt: instant('first_approved_at'),
  firstApprovedByKeyId: uuid('first_approved_by_key_id'),
  firstApprovedByPersonId: uuid('first_approved_by_person_id'),
  dualControlReason: text('dual_control_reason'),
  // Frozen at approval.
  rateId: uuid('rate_id').references(() => rates.id),
  ratePencePerUnit: integer('rate_pence_per_unit'),
  rateUnit: activityUnitEnum('rate_unit'),
  rateSource: rateScopeEnum('rate_source'),
  grossPence: integer('gross_pence'),
  paymentMode: paymentModeEnum('payment_mode'),
  ...changeTracking()
}, (t) => [
  // DESC NULLS FIRST is what ORDER BY ... DESC asks for, so lists read these indexes in order.
  index('entries_team_idx').on(t.teamId, t.workDate.desc().nullsFirst(), t.sortAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  index('entries_worker_idx').on(t.workerId, t.workDate.desc().nullsFirst(), t.sortAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  index('entries_order_idx').on(t.workDate.desc().nullsFirst(), t.sortAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  index('entries_state_idx').on(t.state, t.workDate),
  index('entries_corrects_idx').on(t.correctsEntryId),
  check('entries_span_check', sql`${t.kind} <> 'work' or (${t.startsAt} is not null and ${t.endsAt} is not null and ${t.startTime} is not null and ${t.endTime} is not null and ${t.endDate} is not null
    and ${t.endsAt} > ${t.startsAt} and ${t.endsAt} - ${t.startsAt} <= interval '24 hours')`),
  check('entries_minutes_check', sql`${t.breakMinutes} >= 0 and (${t.kind} <> 'work' or ${t.workedMinutes} > 0)`),
  check('entries_adjustment_check', sql`(${t.kind} = 'adjustment') = (${t.correctsEntryId} is not null and ${t.correctionReason} is not null)
    and (${t.kind} = 'work' or (${t.startsAt} is null and ${t.endsAt} is null and (${t.adjustmentPence} is null) <> (${t.workedMinutes} = 0)))`),
  // The second approver is never the first (by key, and by person when both act as one).
  check('entries_dual_control_check', sql`(${t.firstApprovedAt} is null) = (${t.dualControlReason} is null)
    and (${t.firstApprovedAt} is null or ${t.firstApprovedByKeyId} is not null)
    and (${t.firstApprovedAt} is null or ${t.state} not in ('approved', 'exported') or (
      ${t.decidedByKeyId} is distinct from ${t.firstApprovedByKeyId}
      and (${t.decidedByPersonId} is null or ${t.decidedByPersonId} is distinct from ${t.firstApprovedByPersonId})))`),
  check('entries_frozen_check', sql`(${t.state} in ('approved', 'exported')) = (${t.grossPence} is not null and ${t.ratePencePerUnit} is not null and ${t.paymentMode} is not null)`),
  check('entries_rejection_check', sql`${t.state} <> 'rejected' or ${t.rejectionReason} is not null`)
])

export const payFrequencyEnum = pgEnum('pay_frequency', ['weekly', 'fortnightly', 'four_weekly', 'monthly'])
export const periodStateEnum = pgEnum('pay_period_state', ['open', 'closed', 'exported'])

/** How often workers are paid; periods are derived from the anchor date (domain/pay-period.ts). */
export const paySchedules = pgTable('pay_schedules', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  frequency: payFrequencyEnum('frequency').notNull(),
  anchorDate: localDate('anchor_date').notNull(),
  payDateOffsetDays: integer('pay_date_offset_days').notNull().default(0),
  /** The schedule's name in the payroll software (Xero payrollCalendarID). */
  payrollCalendarCode: text('payroll_calendar_code').notNull(),
  holidayPayElementCode: text('holiday_pay_element_code').notNull(),
  /** Sage 50 Payroll's payment number for rolled-up holiday pay; null until set. */
  sageHolidayPaymentNumber: integer('sage_holiday_payment_number'),
  /** Workers with no schedule of their own are paid on the default one (at most one). */
  isDefault: boolean('is_default').notNull().default(false),
  ...changeTracking()
}, (t) => [
  uniqueIndex('pay_schedules_one_default').on(t.isDefault).where(sql`${t.isDefault}`),
  check('pay_schedules_offset_check', sql`${t.payDateOffsetDays} between 0 and 60`),
  check('pay_schedules_sage_holiday_payment_number_check', sql`${t.sageHolidayPaymentNumber} between 1 and 999`)
])

/**
 * The state of a period of a schedule (the dates are derived; a row exists once a period is
 * looked at). open -> closed -> exported; reopening is allowed until exported.
 */
export const payPeriods = pgTable('pay_periods', {
  id: uuid('id').primaryKey().defaultRandom(),
  payScheduleId: uuid('pay_schedule_id').notNull().references(() => paySchedules.id),
  periodIndex: integer('period_index').notNull(),
  startDate: localDate('start_date').notNull(),
  endDate: localDate('end_date').notNull(),
  payDate: localDate('pay_date').notNull(),
  state: periodStateEnum('state').notNull().default('open'),
  closedAt: instant('closed_at'),
  ...changeTracking()
}, (t) => [
  uniqueIndex('pay_periods_schedule_index_unique').on(t.payScheduleId, t.periodIndex),
  index('pay_periods_dates_idx').on(t.payScheduleId, t.startDate),
  check('pay_periods_dates_check', sql`${t.endDate} >= ${t.startDate}`)
])

/**
 * An immutable snapshot of pay claimed for payroll. One batch per period (unique): concurrent
 * export calls cannot make two.
 */
export const exportBatches = pgTable('export_batches', {
  id: uuid('id').primaryKey().defaultRandom(),
  number: integer('number').notNull().generatedAlwaysAsIdentity(),
  payPeriodId: uuid('pay_period_id').notNull().unique().references(() => payPeriods.id),
  payScheduleId: uuid('pay_schedule_id').notNull().references(() => paySchedules.id),
  payScheduleName: text('pay_schedule_name').notNull(),
  payrollCalendarCode: text('payroll_calendar_code').notNull(),
  holidayPayElementCode: text('holiday_pay_element_code').notNull(),
  periodStartDate: localDate('period_start_date').notNull(),
  periodEndDate: localDate('period_end_date').notNull(),
  payDate: localDate('pay_date').notNull(),
  entryCount: integer('entry_count').notNull(),
  workerCount: integer('worker_count').notNull(),
  minutes: integer('minutes').notNull(),
  grossPence: bigint('gross_pence', { mode: 'number' }).notNull(),
  payrollGrossPence: bigint('payroll_gross_pence', { mode: 'number' }).notNull(),
  voucherGrossPence: bigint('voucher_gross_pence', { mode: 'number' }).notNull(),
  holidayPayPence: bigint('holiday_pay_pence', { mode: 'number' }).notNull(),
  lateEntryCount: integer('late_entry_count').notNull(),
  /** FILE_LAYOUT (src/modules/exports/model.ts) when claimed; batches claimed before layouts were recorded are 1. */
  fileLayout: integer('file_layout').notNull().default(1),
  createdByKeyId: uuid('created_by_key_id'),
  createdAt: instant('created_at').notNull().defaultNow()
})

/** The lines of a batch (see ExportLine in src/modules/exports/model.ts). */
export const exportLines = pgTable('export_lines', {
  batchId: uuid('batch_id').notNull().references(() => exportBatches.id),
  lineNo: integer('line_no').notNull(),
  kind: text('kind', { enum: ['pay', 'adjustment', 'holiday_pay'] }).notNull(),
  paymentMode: paymentModeEnum('payment_mode').notNull(),
  workerId: uuid('worker_id').notNull(),
  payrollReference: text('payroll_reference').notNull(),
  workerName: text('worker_name').notNull(),
  department: text('department').notNull(),
  costCentre: text('cost_centre').notNull(),
  payElementCode: text('pay_element_code').notNull(),
  description: text('description').notNull(),
  unit: text('unit', { enum: ['hour', 'session', 'amount'] }).notNull(),
  minutes: integer('minutes').notNull(),
  sessions: integer('sessions').notNull(),
  ratePence: integer('rate_pence'),
  grossPence: bigint('gross_pence', { mode: 'number' }).notNull(),
  hoursHundredths: integer('hours_hundredths'),
  hoursText: text('hours_text'),
  payrollComputedPence: bigint('payroll_computed_pence', { mode: 'number' }),
  differencePence: bigint('difference_pence', { mode: 'number' }),
  late: boolean('late').notNull(),
  entryCount: integer('entry_count').notNull(),
  /**
   * The team and activity type the line pays (the holiday-pay line: the team of the worker's line
   * before it, no activity type), for the vendor codes a file looks up (export_file_codes). Null
   * in batches claimed before file layout 3.
   */
  teamId: uuid('team_id'),
  activityTypeId: uuid('activity_type_id')
}, (t) => [primaryKey({ columns: [t.batchId, t.lineNo] })])

/**
 * Each entry claimed by a batch, with what the files print about it, frozen at the claim.
 * entry_id is the primary key: no entry can ever be in two batches.
 */
export const exportEntries = pgTable('export_entries', {
  entryId: uuid('entry_id').primaryKey().references(() => timesheetEntries.id),
  batchId: uuid('batch_id').notNull().references(() => exportBatches.id),
  /** Position in the batch's files (lines in order, then declined entries): files stream by it. */
  seq: integer('seq').notNull(),
  /** Null for declined-payment entries (paid nothing, listed apart). */
  lineNo: integer('line_no'),
  kind: entryKindEnum('kind').notNull(),
  correctsEntryId: uuid('corrects_entry_id'),
  workerId: uuid('worker_id').notNull(),
  payrollReference: text('payroll_reference'),
  workerName: text('worker_name').notNull(),
  department: text('department').notNull(),
  costCentre: text('cost_centre').notNull(),
  activityCode: text('activity_code').notNull(),
  activityName: text('activity_name').notNull(),
  payElementCode: text('pay_element_code').notNull(),
  workDate: localDate('work_date').notNull(),
  startTime: text('start_time'),
  endTime: text('end_time'),
  startsAt: instant('starts_at'),
  breakMinutes: integer('break_minutes').notNull(),
  minutes: integer('minutes').notNull(),
  unit: activityUnitEnum('unit').notNull(),
  /** The unit of the line carrying it: a correction in pence goes on an `amount` line. */
  lineUnit: text('line_unit', { enum: ['hour', 'session', 'amount'] }).notNull(),
  ratePence: integer('rate_pence').notNull(),
  grossPence: integer('gross_pence').notNull(),
  paymentMode: paymentModeEnum('payment_mode').notNull(),
  holidayPayMode: holidayPayModeEnum('holiday_pay_mode').notNull(),
  late: boolean('late').notNull(),
  approvedAt: instant('approved_at').notNull(),
  /** The entry's team and activity type (null in batches claimed before file layout 3). */
  teamId: uuid('team_id'),
  activityTypeId: uuid('activity_type_id')
}, (t) => [
  uniqueIndex('export_entries_batch_seq_unique').on(t.batchId, t.seq),
  index('export_entries_batch_worker_idx').on(t.batchId, t.workerId)
])

/** SHA-256 of each rendered file of a batch, recorded when first rendered; every later rendering must match. */
export const exportFiles = pgTable('export_files', {
  batchId: uuid('batch_id').notNull().references(() => exportBatches.id),
  format: text('format').notNull(),
  sha256: text('sha256').notNull(),
  bytes: bigint('bytes', { mode: 'number' }).notNull(),
  createdAt: instant('created_at').notNull().defaultNow()
}, (t) => [primaryKey({ columns: [t.batchId, t.format] })])

/**
 * The vendor codes a format's file prints for each payroll line of a batch (Sage 50: department
 * and payment numbers), looked up from the teams, activity types and pay schedule when the file
 * is first rendered and kept with its digest, so every later rendering prints the same.
 */
export const exportFileCodes = pgTable('export_file_codes', {
  batchId: uuid('batch_id').notNull(),
  format: text('format').notNull(),
  lineNo: integer('line_no').notNull(),
  departmentCode: integer('department_code').notNull(),
  elementCode: integer('element_code').notNull(),
  createdAt: instant('created_at').notNull().defaultNow()
}, (t) => [
  primaryKey({ columns: [t.batchId, t.format, t.lineNo] }),
  foreignKey({ columns: [t.batchId, t.lineNo], foreignColumns: [exportLines.batchId, exportLines.lineNo] })
])

/**
 * Failed authentications per client address, shared by every process of the service: a client
 * that keeps presenting bad keys is slowed down whichever instance it reaches. One row per
 * address and window; expired rows are reused or swept by later failures.
 */
export const authFailures = pgTable('auth_failures', {
  client: text('client').primaryKey(),
  failures: integer('failures').notNull(),
  windowEndsAt: instant('window_ends_at').notNull()
}, (t) => [
  index('auth_failures_window_idx').on(t.windowEndsAt),
  check('auth_failures_count_check', sql`${t.failures} > 0`)
])
