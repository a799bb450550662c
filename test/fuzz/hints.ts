import fc from 'fast-check'
import { dateBetween, MemberTeamRef, PoolRef, type Hints, type Schema } from './schema-values.js'
import type { Kind } from './world.js'

// Which resource an id field names, by field name (query filters and body fields alike).
const idFields: Record<string, Kind | 'any'> = {
  personId: 'person',
  managerIds: 'person',
  workerId: 'worker',
  teamId: 'team',
  teamIds: 'team',
  activityTypeId: 'activity',
  periodId: 'period',
  payPeriodId: 'period',
  payScheduleId: 'schedule',
  actorKeyId: 'apiKey',
  correctsEntryId: 'entry',
  // The items of a bulk decision, and audit filters by any entity.
  id: 'entry',
  entityId: 'any'
}

// Dates where requests can succeed: work in the recent past (the fixed clock is 2026-07-15),
// statutory figures and new rates mostly in the future, so a random figure does not push every
// later approval under the minimum wage.
const dateFields: Record<string, fc.Arbitrary<string>> = {
  dateOfBirth: dateBetween('1950-01-01', '2009-12-31'),
  engagementStartDate: dateBetween('2020-01-01', '2026-01-01'),
  engagementEndDate: dateBetween('2026-08-01', '2030-12-31'),
  apprenticeshipStartDate: dateBetween('2020-01-01', '2026-06-30'),
  effectiveFrom: dateBetween('2027-01-01', '2040-12-31'),
  validFrom: fc.oneof({ arbitrary: dateBetween('2026-07-16', '2030-12-31'), weight: 4 }, { arbitrary: dateBetween('2024-01-01', '2026-07-15'), weight: 1 }),
  validTo: dateBetween('2026-07-16', '2031-12-31'),
  anchorDate: dateBetween('2024-01-01', '2026-07-01'),
  workDate: dateBetween('2025-04-01', '2026-07-14'),
  date: dateBetween('2025-01-01', '2026-07-31'),
  from: dateBetween('2025-01-01', '2026-06-30'),
  to: dateBetween('2026-01-01', '2026-08-31')
}

const money = fc.oneof({ arbitrary: fc.integer({ min: 1300, max: 5000 }), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 1_000_000 }), weight: 1 })

const integerFields: Record<string, fc.Arbitrary<number>> = {
  breakMinutes: fc.integer({ min: 0, max: 20 }),
  minutes: fc.integer({ min: -30, max: 60 }).filter((n) => n !== 0),
  pence: fc.integer({ min: -300, max: 600 }).filter((n) => n !== 0),
  version: fc.integer({ min: 1, max: 4 }),
  // Mostly small pages: a page of 200 audit events is slow to answer, and no more telling.
  limit: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 20 }), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 200 }), weight: 1 }),
  payDateOffsetDays: fc.integer({ min: 0, max: 10 }),
  esaPermittedWorkWeeklyHours: fc.integer({ min: 1, max: 40 })
}

/** A session's times that make sense together: an end after the start, same day. */
const sessionTimes = fc.record({ startMinute: fc.integer({ min: 6 * 4, max: 20 * 4 }).map((q) => q * 15), lengthMinutes: fc.integer({ min: 1, max: 12 }).map((q) => q * 15) })
const hhmm = (minute: number): string => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`

export const fuzzHints: Hints = {
  field (name: string, schema: Schema) {
    const kind = idFields[name]
    if (kind !== undefined && (schema.format === 'uuid' || (schema.type === 'string' && name === 'entityId'))) {
      return fc.oneof({ arbitrary: fc.nat().map((n) => new PoolRef(kind, n)), weight: 9 }, { arbitrary: fc.uuid(), weight: 1 })
    }
    if (schema.format === 'date' && dateFields[name] !== undefined) return dateFields[name]
    if (schema.type === 'integer') {
      if (integerFields[name] !== undefined) return integerFields[name]
      if (/Pence$|^pencePerUnit$/.test(name)) return money.filter((n) => n >= (schema.minimum ?? -Infinity) && n <= (schema.maximum ?? Infinity))
    }
    return undefined
  },
  object (schema, arbitrary) {
    const fields = schema.properties ?? {}
    // Nine times in ten the fields are made to agree as the service's rules want; the tenth
    // keeps the independent values (a rate scope without its team, a cap without its guard).
    return fc.tuple(arbitrary, sessionTimes, fc.nat(), fc.integer({ min: 0, max: 9 })).map(([generated, times, pick, dice]) => {
      if (dice === 0) return generated
      let value = { ...generated }
      if (fields.startTime !== undefined && fields.endTime !== undefined && value.startTime !== undefined && value.endTime !== undefined) {
        const { endDate: _endDate, ...rest } = value
        const end = Math.min(times.startMinute + times.lengthMinutes, 23 * 60 + 45)
        value = { ...rest, startTime: hhmm(times.startMinute), endTime: hhmm(end), ...(typeof value.breakMinutes === 'number' ? { breakMinutes: Math.min(value.breakMinutes, Math.max(0, end - times.startMinute - 15)) } : {}) }
      }
      // A date range a few weeks long, in order (long ones are refused or slow to answer).
      if (typeof value.from === 'string' && typeof value.to === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.from)) {
        const to = new Date(`${value.from}T00:00:00Z`)
        to.setUTCDate(to.getUTCDate() + (pick % 60))
        value.to = to.toISOString().slice(0, 10)
      }
      // A session for a worker is for one of their teams.
      if (fields.workerId !== undefined && fields.teamId !== undefined && fields.scope === undefined) value.teamId = new MemberTeamRef(pick)
      // A rate names exactly what its scope says.
      if (fields.scope !== undefined && fields.teamId !== undefined && fields.workerId !== undefined) {
        const { teamId: _team, workerId: _worker, ...rest } = value
        value = { ...rest, ...(value.scope === 'team' ? { teamId: new PoolRef('team', pick) } : {}), ...(value.scope === 'worker' ? { workerId: new PoolRef('worker', pick) } : {}) }
      }
      // A worker: a benefit cap only with the custom guard, an apprenticeship start only for an
      // apprentice, and either an existing person or a display name for a new one.
      if (fields.benefitCapPence !== undefined && value.benefitGuard !== undefined) {
        if (value.benefitGuard === 'custom') value.benefitCapPence = typeof value.benefitCapPence === 'number' ? value.benefitCapPence : 20_000
        else delete value.benefitCapPence
      }
      if (fields.apprenticeshipStartDate !== undefined && value.apprenticeshipStartDate !== undefined && value.apprentice !== true) delete value.apprenticeshipStartDate
      if (fields.personId !== undefined && fields.displayName !== undefined && fields.dateOfBirth !== undefined) {
        if (value.displayName !== undefined || pick % 4 !== 0) {
          delete value.personId
          value.displayName ??= `Fuzz Worker ${pick}`
        }
      }
      return value
    })
  }
}
