/**
 * Plain-language meaning of each named constraint, for the 409/422 answered when the database
 * refuses a change. Modules add their constraints here when they create them.
 */
const messages: Record<string, string> = {
  api_keys_secret_hash_unique: 'An API key with this secret already exists',
  idempotency_keys_caller_key_id_key_pk: 'This Idempotency-Key is already in use'
}

export function constraintMessage (constraint: string | undefined): string {
  if (constraint !== undefined && messages[constraint] !== undefined) return messages[constraint]
  return constraint === undefined
    ? 'The change conflicts with existing data'
    : `The change conflicts with existing data (${constraint})`
}
