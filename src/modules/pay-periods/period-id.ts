// A pay period's id before it has a row. Periods are computed from their schedule on every read;
// a row is made only when a period is acted on (closed, exported), and it takes this id then. So
// the id a listing shows is the id that closes, exports and reads the period, row or not.
//
// The id is a UUIDv8 (RFC 9562's custom layout) that can be read back without a lookup table:
//
//   hex digits  0-11  the schedule id's digits 0-11
//               12    8 (the version: a period id derived from its schedule)
//               13-25 the schedule id's digits 13-25 (digit 16 holds the RFC variant bits)
//               26-31 the period index + 2^23, 24 bits
//
// So 100 bits of the schedule id (98 of them random in a gen_random_uuid id; two schedules share
// them with odds of about n^2 / 2^99) and the index (-2^23 to 2^23 - 1; weekly periods across the
// years 0001 to 9999 need about +-522,000). Rows made before periods were computed on read keep
// their random (version 4) ids, which never have an 8 in digit 12.

const INDEX_OFFSET = 2 ** 23
const hexOf = (uuid: string) => uuid.toLowerCase().replace(/-/g, '')
const dashed = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`

/** The schedule digits a period id carries, as one string (`scheduleKeyOf` of its schedule's id). */
const scheduleKeyOf = (scheduleId: string): string => {
  const hex = hexOf(scheduleId)
  return hex.slice(0, 12) + hex.slice(13, 26)
}

/** Whether `index` can be carried by a period id (every period within the calendar can). */
const indexFits = (index: number): boolean => Number.isSafeInteger(index) && index >= -INDEX_OFFSET && index < INDEX_OFFSET

/** The id of period number `index` of the schedule `scheduleId`. */
export function periodIdOf (scheduleId: string, index: number): string {
  if (!indexFits(index)) throw new RangeError(`period index ${index} does not fit in a period id`)
  const key = scheduleKeyOf(scheduleId)
  return dashed(`${key.slice(0, 12)}8${key.slice(12)}${(index + INDEX_OFFSET).toString(16).padStart(6, '0')}`)
}

/** The schedule key and period index a derived period id names; undefined for any other uuid. */
export function readPeriodId (id: string): { scheduleKey: string, index: number } | undefined {
  const hex = hexOf(id)
  if (!/^[0-9a-f]{32}$/.test(hex) || hex[12] !== '8') return undefined
  return { scheduleKey: hex.slice(0, 12) + hex.slice(13, 26), index: Number.parseInt(hex.slice(26), 16) - INDEX_OFFSET }
}
