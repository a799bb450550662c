/**
 * Plain-language meaning of each named constraint, for the 409/422 answered when the database
 * refuses a change. Modules add their constraints here when they create them.
 */
const messages: Record<string, string> = {
  api_keys_secret_hash_unique: 'An API key with this secret already exists',
  idempotency_keys_caller_key_id_key_pk: 'This Idempotency-Key is already in use',
  workers_payroll_reference_unique: 'Another worker already has this payroll reference',
  workers_pkey: 'This person is already a worker',
  teams_name_unique: 'A team with this name already exists',
  activity_types_code_unique: 'An activity type with this code already exists',
  rates_no_overlap: 'Another rate for this activity and scope already covers some of these dates; close it first or choose other dates',
  minimum_wage_rates_pkey: 'Minimum-wage figures from this date already exist',
  benefit_thresholds_pkey: 'Benefit figures from this date already exist',
  timesheet_entries_frozen: 'An approved entry never changes; record a correction instead',
  entries_dual_control_check: 'The second approval of an entry must come from someone other than the first approver',
  exports_append_only: 'A payroll export is never changed'
}

export function constraintMessage (constraint: string | undefined): string {
  if (constraint !== undefined && messages[constraint] !== undefined) return messages[constraint]
  return constraint === undefined
    ? 'The change conflicts with existing data'
    : `The change conflicts with existing data (${constraint})`
}
