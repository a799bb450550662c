import Type, { type Static } from 'typebox'
import { Instant, Nullable, Uuid } from '../../http/common-schemas.js'
import { pageOf, pageQueryFields } from '../../http/pagination.js'
import type { TeamRecord } from './service.js'

// Payroll files carry these as department and cost centre: a leading = + - @ would be read as a
// formula by spreadsheets (and escaped, so no longer match payroll), so they are refused.
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '^(?![=+\\-@\\s])', description: 'Team name (unique; payroll\'s department; cannot start with a space or = + - @)' })
const CostCentre = Type.String({ minLength: 1, maxLength: 50, pattern: '^(?![=+\\-@\\s])', description: 'Cost centre code carried onto payroll exports (cannot start with a space or = + - @)' })
// Sage 50 Payroll numbers its departments (0 is its default department); the multi-timesheet
// import takes the number in column D.
const SageDepartment = Type.Integer({
  minimum: 0,
  maximum: 999,
  description: 'Sage 50 Payroll department number (0 to 999) printed for the team in sage50 files; null when not ' +
    'set (a sage50 file with this team\'s payroll lines is refused, 422 missing_payroll_codes, until it is)'
})
const ManagerIds = Type.Array(Uuid('Person id'), { maxItems: 50, uniqueItems: true, description: 'People who approve the team\'s work (replaces the whole set)' })

export const Team = Type.Object({
  id: Uuid('Team id'),
  name: Type.String({ description: 'Team name' }),
  costCentre: Type.String({ description: 'Cost centre code' }),
  sageDepartment: Nullable(Type.Integer(), 'Sage 50 Payroll department number (0 to 999); null when not set'),
  managerIds: Type.Array(Uuid('Person id'), { description: 'People who approve the team\'s work' }),
  active: Type.Boolean({ description: 'False: no new entries for this team' }),
  createdAt: Instant('When the team was made'),
  updatedAt: Instant('Last change'),
  version: Type.Integer({ description: 'Changes on every update; part of the ETag' })
}, { $id: 'Team', description: 'A group of workers with its managers and cost centre' })

export const CreateTeamBody = Type.Object({
  name: Name,
  costCentre: CostCentre,
  sageDepartment: Type.Optional(Nullable(SageDepartment)),
  managerIds: Type.Optional(ManagerIds)
}, { additionalProperties: false })

export const UpdateTeamBody = Type.Object({
  name: Type.Optional(Name),
  costCentre: Type.Optional(CostCentre),
  sageDepartment: Type.Optional(Nullable(SageDepartment)),
  managerIds: Type.Optional(ManagerIds),
  active: Type.Optional(Type.Boolean({ description: 'False stops new entries for the team' }))
}, { additionalProperties: false, minProperties: 1 })

export const ListTeamsQuery = Type.Object({
  active: Type.Optional(Type.Boolean({ description: 'Only active (true) or inactive (false) teams' })),
  ...pageQueryFields
}, { additionalProperties: false })

export const TeamPage = pageOf(Type.Ref('Team'), 'Teams, newest first')

export const toTeamView = (record: TeamRecord): Static<typeof Team> => ({
  id: record.id,
  name: record.name,
  costCentre: record.costCentre,
  sageDepartment: record.sageDepartment,
  managerIds: record.managerIds,
  active: record.active,
  createdAt: record.createdAt.toISOString(),
  updatedAt: record.updatedAt.toISOString(),
  version: record.version
})

export const teamSchemas = [Team]
