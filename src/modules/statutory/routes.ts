import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { benefitThresholds, minimumWageRates } from '../../db/schema.js'
import { roles } from '../../domain/actor.js'
import { ref } from '../../http/common-schemas.js'
import { withPageSize } from '../../http/pagination.js'
import { changeContext } from '../../http/request-context.js'
import {
  BenefitThresholds, BenefitThresholdsBody, BenefitThresholdsList, ListFiguresQuery, MinimumWageRates, MinimumWageRatesBody,
  MinimumWageRatesList, toBenefitThresholdsView, toMinimumWageRatesView
} from './schemas.js'
import { addBenefitThresholds, addMinimumWageRates, listFigures } from './service.js'

const tags = ['statutory figures']
const everyone = { access: { roles } } as const
const admin = { access: { roles: ['admin'] } } as const

/** Effective-dated statutory figures: public facts, readable by every key, added by admins. */
const statutoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/minimum-wage-rates', {
    config: everyone,
    schema: {
      tags,
      summary: 'National Minimum Wage figures by effective date',
      operationId: 'listMinimumWageRates',
      description: 'Seeded with the 2024, 2025 and 2026 figures (their sources are in the README, "UK rules the ' +
        'service applies"); admins add each April\'s.',
      querystring: ListFiguresQuery,
      response: { 200: MinimumWageRatesList }
    }
  }, async (request) => {
    const page = await listFigures(app.db, minimumWageRates, withPageSize(request.query))
    return { items: page.items.map(toMinimumWageRatesView), nextCursor: page.nextCursor }
  })

  app.post('/minimum-wage-rates', {
    config: { ...admin, idempotent: true },
    schema: {
      tags,
      summary: 'Add minimum-wage figures from a date (e.g. next April)',
      operationId: 'addMinimumWageRates',
      description: 'Admin only. Figures from a date no other row has; they apply to work from that date.',
      body: MinimumWageRatesBody,
      response: { 201: ref(MinimumWageRates) }
    }
  }, async (request, reply) => {
    const row = await addMinimumWageRates(app.db, changeContext(request), request.body)
    return reply.code(201).send(toMinimumWageRatesView(row))
  })

  app.get('/benefit-thresholds', {
    config: everyone,
    schema: {
      tags,
      summary: 'Benefit figures by effective date',
      operationId: 'listBenefitThresholds',
      description: 'ESA permitted-work limit and hours, and the Universal Credit work allowance, by effective date.',
      querystring: ListFiguresQuery,
      response: { 200: BenefitThresholdsList }
    }
  }, async (request) => {
    const page = await listFigures(app.db, benefitThresholds, withPageSize(request.query))
    return { items: page.items.map(toBenefitThresholdsView), nextCursor: page.nextCursor }
  })

  app.post('/benefit-thresholds', {
    config: { ...admin, idempotent: true },
    schema: {
      tags,
      summary: 'Add benefit figures from a date',
      operationId: 'addBenefitThresholds',
      description: 'Admin only. Figures from a date no other row has.',
      body: BenefitThresholdsBody,
      response: { 201: ref(BenefitThresholds) }
    }
  }, async (request, reply) => {
    const row = await addBenefitThresholds(app.db, changeContext(request), request.body)
    return reply.code(201).send(toBenefitThresholdsView(row))
  })
}

export default statutoryRoutes
