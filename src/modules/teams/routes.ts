import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { roles } from '../../domain/actor.js'
import { IdParams, ref } from '../../http/common-schemas.js'
import { matchedVersion, setEtag } from '../../http/etag.js'
import { withPageSize } from '../../http/pagination.js'
import { problemResponse } from '../../http/problem-schema.js'
import { changeContext } from '../../http/request-context.js'
import { CreateTeamBody, ListTeamsQuery, Team, TeamPage, toTeamView, UpdateTeamBody } from './schemas.js'
import { createTeam, findTeam, listTeams, updateTeam } from './service.js'

const tags = ['teams']
const admin = { access: { roles: ['admin'] } } as const
// Scoped: managers read the teams they manage, workers the teams they belong to.
const scopedReaders = { access: { roles } } as const
const notFound = problemResponse('No such team (or not one you may see)')

const teamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('', {
    config: { ...admin, idempotent: true },
    schema: {
      tags,
      summary: 'Create a team',
      operationId: 'createTeam',
      description: 'Admin only. Team names and cost centres go on payroll files: they cannot start with a character ' +
        'spreadsheets read as a formula. sageDepartment is the team\'s department number in Sage 50 Payroll, needed ' +
        'before a sage50 file with the team\'s payroll lines can be downloaded.',
      body: CreateTeamBody,
      response: { 201: ref(Team) }
    }
  }, async (request, reply) => {
    const team = await createTeam(app.db, changeContext(request), request.body)
    setEtag(reply, team)
    return reply.code(201).header('location', `/teams/${team.id}`).send(toTeamView(team))
  })

  app.get('', {
    config: scopedReaders,
    schema: {
      tags,
      summary: 'List the teams you may see',
      operationId: 'listTeams',
      description: 'Scoped: managers see the teams they manage, workers the teams they belong to.',
      querystring: ListTeamsQuery,
      response: { 200: TeamPage }
    }
  }, async (request) => {
    const page = await listTeams(app.db, request.actor, withPageSize(request.query))
    return { items: page.items.map(toTeamView), nextCursor: page.nextCursor }
  })

  app.get('/:id', {
    config: scopedReaders,
    schema: {
      tags,
      summary: 'Read a team',
      operationId: 'getTeam',
      description: 'Scoped like the list; other teams answer 404.',
      params: IdParams,
      response: { 200: ref(Team), 404: notFound }
    }
  }, async (request, reply) => {
    const team = await findTeam(app.db, request.actor, request.params.id)
    setEtag(reply, team)
    return toTeamView(team)
  })

  app.patch('/:id', {
    config: { ...admin, ifMatch: true },
    schema: {
      tags,
      summary: 'Change a team (name, cost centre, Sage 50 department, managers, active)',
      operationId: 'updateTeam',
      description: 'Admin only, with If-Match. managerIds replaces the whole set of managers. A sage50 file already ' +
        'downloaded keeps the department numbers it was first rendered with.',
      params: IdParams,
      body: UpdateTeamBody,
      response: {
        200: ref(Team),
        404: notFound,
        409: problemResponse('Another team already has this name'),
        422: problemResponse('A manager id is not a person')
      }
    }
  }, async (request, reply) => {
    const team = await updateTeam(app.db, changeContext(request), request.params.id, matchedVersion(request), request.body)
    setEtag(reply, team)
    return toTeamView(team)
  })
}

export default teamRoutes
