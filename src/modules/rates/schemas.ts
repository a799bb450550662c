import Type, { type Static } from 'typebox'
import { Instant, LocalDate, Nullable, Uuid, Warnings } from '../../http/common-schemas.js'
import { pageOf, pageQueryFields } from '../../http/pagination.js'
import type { RateRow } from './service.js'

export const RateScope = Type.Enum(['default', 'team', 'worker'], { description: 'Who the rate is for: everyone (`default`), one team, or one worker (worker beats team beats default)' })

export const Rate = Type.Object({
  id: Uuid('Rate id'),
  activityTypeId: Uuid('Activity type'),
  scope: RateScope,
  teamId: Nullable(Uuid('Team'), 'The team of a team rate'),
  workerId: Nullable(Uuid('Worker'), 'The worker of a worker rate'),
  pencePerUnit: Type.Integer({ description: 'Pence per hour (hourly activities) or per session (session activities)' }),
  validFrom: LocalDate('First day the rate applies'),
  validTo: Nullable(LocalDate('Last day'), 'Last day the rate applies (inclusive); null while open-ended'),
  createdAt: Instant('When the rate was added'),
  updatedAt: Instant('Last change'),
  version: Type.Integer({ description: 'Changes on every update; part of the ETag' })
}, { $id: 'Rate', description: 'Pay per unit of an activity over a date range' })

export const CreatedRate = Type.Object({
  ...Rate.properties,
  warnings: Warnings,
  closedRateId: Nullable(Uuid('Rate closed'), 'The open-ended rate of the same activity and scope this one closed (its last day is now the day before), if any')
}, { $id: 'CreatedRate', description: 'A new rate, with minimum-wage warnings for the workers it covers' })

export const CreateRateBody = Type.Object({
  activityTypeId: Uuid('Activity type'),
  scope: RateScope,
  teamId: Type.Optional(Nullable(Uuid('Team (team rates only)'))),
  workerId: Type.Optional(Nullable(Uuid('Worker (worker rates only)'))),
  pencePerUnit: Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'Pence per hour or per session' }),
  validFrom: LocalDate('First day the rate applies'),
  validTo: Type.Optional(Nullable(LocalDate('Last day (inclusive); omit for open-ended')))
}, { additionalProperties: false })

export const UpdateRateBody = Type.Object({
  validTo: Nullable(LocalDate('Last day'), 'New last day (inclusive); null reopens it')
}, { additionalProperties: false, description: 'Only the end date changes; a new amount is a new rate' })

export const ListRatesQuery = Type.Object({
  activityTypeId: Type.Optional(Uuid('Only rates of this activity')),
  scope: Type.Optional(RateScope),
  teamId: Type.Optional(Uuid('Only rates of this team')),
  workerId: Type.Optional(Uuid('Only rates of this worker')),
  date: Type.Optional(LocalDate('Only rates in force on this date')),
  ...pageQueryFields
}, { additionalProperties: false })

export const RatePage = pageOf(Type.Ref('Rate'), 'Rates, newest first')

export const ResolveRateQuery = Type.Object({
  workerId: Uuid('Worker'),
  activityTypeId: Uuid('Activity type'),
  date: LocalDate('Work date'),
  teamId: Type.Optional(Uuid('The team the work was for (settles conflicting team rates)'))
}, { additionalProperties: false })

export const ResolvedRate = Type.Object({
  rate: Type.Ref('Rate'),
  source: RateScope,
  teamId: Nullable(Uuid('Team'), 'The team whose rate applied, or the team named'),
  reason: Type.String({ description: 'Why this rate applies' })
}, { description: 'The rate that pays a worker for an activity on a date, and why' })

export const toRateView = (row: RateRow): Static<typeof Rate> => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString()
})

export const rateSchemas = [Rate, CreatedRate]
