import Type, { type Static } from 'typebox'
import { Instant, LocalDate } from '../../http/common-schemas.js'
import { pageOf, pageQueryFields } from '../../http/pagination.js'
import type { BenefitThresholdsRow, MinimumWageRow } from './service.js'

const Pence = (description: string) => Type.Integer({ minimum: 1, maximum: 1_000_000, description })

export const MinimumWageRatesBody = Type.Object({
  effectiveFrom: LocalDate('First day these figures apply (usually 1 April)'),
  age21AndOverPence: Pence('National Living Wage, 21 and over, pence per hour'),
  age18To20Pence: Pence('18 to 20, pence per hour'),
  age16To17Pence: Pence('16 to 17, pence per hour'),
  apprenticePence: Pence('Apprentice rate, pence per hour'),
  source: Type.String({ minLength: 1, maxLength: 500, description: 'Where the figures come from (e.g. the gov.uk announcement)' })
}, { additionalProperties: false })

export const MinimumWageRates = Type.Object({
  ...MinimumWageRatesBody.properties,
  createdAt: Instant('When the figures were added')
}, { $id: 'MinimumWageRates', description: 'National Minimum Wage figures from a date' })

export const BenefitThresholdsBody = Type.Object({
  effectiveFrom: LocalDate('First day these figures apply'),
  esaPermittedWorkWeeklyPence: Pence('ESA permitted work higher limit, pence per week'),
  esaPermittedWorkWeeklyHours: Type.Integer({ minimum: 1, maximum: 168, description: 'ESA permitted work must be under this many hours a week' }),
  ucWorkAllowanceMonthlyPence: Pence('Universal Credit work allowance, pence per monthly assessment period'),
  source: Type.String({ minLength: 1, maxLength: 500, description: 'Where the figures come from' })
}, { additionalProperties: false })

export const BenefitThresholds = Type.Object({
  ...BenefitThresholdsBody.properties,
  createdAt: Instant('When the figures were added')
}, { $id: 'BenefitThresholds', description: 'Benefit figures the earnings guard uses, from a date' })

export const MinimumWageRatesList = pageOf(Type.Ref('MinimumWageRates'), 'Minimum-wage figures, oldest first')
export const BenefitThresholdsList = pageOf(Type.Ref('BenefitThresholds'), 'Benefit figures, oldest first')
export const ListFiguresQuery = Type.Object({ ...pageQueryFields }, { additionalProperties: false })

export const toMinimumWageRatesView = (row: MinimumWageRow): Static<typeof MinimumWageRates> => ({ ...row, createdAt: row.createdAt.toISOString() })
export const toBenefitThresholdsView = (row: BenefitThresholdsRow): Static<typeof BenefitThresholds> => ({ ...row, createdAt: row.createdAt.toISOString() })

export const statutorySchemas = [MinimumWageRates, BenefitThresholds]
