import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { roles, type Role } from '../../domain/actor.js'
import { ruleViolated } from '../../errors.js'
import { IdParams, ref } from '../../http/common-schemas.js'
import { expectedVersion, setEtag } from '../../http/etag.js'
import { problemResponse } from '../../http/problem-schema.js'
import { changeContext } from '../../http/request-context.js'
import { toAuditEventView } from '../audit/schemas.js'
import { createCorrection, historyOf } from './corrections.js'
import { approveEntry, decideMany, rejectEntry } from './decisions.js'
import {
  ActionBody, CorrectionBody, CreateEntryBody, DecisionsBody, DecisionsResponse, Entry, EntryPage, EntryWithWarnings, ListEntriesQuery, RejectBody,
  toEntryView, UpdateEntryBody
} from './schemas.js'
import { createEntry, deleteEntry, findEntry, listEntries, submitEntry, updateEntry, withdrawEntry } from './service.js'

const tags = ['entries']
const recorders = { access: { roles: ['worker', 'manager', 'admin'] } } as const
const deciders = { access: { roles: ['manager', 'admin'] } } as const
// Scoped: workers their own entries, managers their teams', finance and admin all.
const scopedReaders = { access: { roles } } as const
const notFound = problemResponse('No such entry (or not one you may see)')

const entryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('', {
    config: { ...recorders, idempotent: true },
    schema: {
      tags,
      summary: 'Record a session (a worker for themself; a manager or admin on a worker\'s behalf)',
      operationId: 'createEntry',
      body: CreateEntryBody,
      response: { 201: ref(EntryWithWarnings), 404: problemResponse('No such worker (or not one you may record for)'), 403: problemResponse('Not a team you manage') }
    }
  }, async (request, reply) => {
    const { entry, warnings } = await createEntry(app.db, changeContext(request), { ...request.body, breakMinutes: request.body.breakMinutes ?? 0 })
    setEtag(reply, entry)
    return reply.code(201).header('location', `/entries/${entry.id}`).send({ ...toEntryView(entry), warnings })
  })

  app.get('', {
    config: scopedReaders,
    schema: { tags, summary: 'List the entries you may see', operationId: 'listEntries', querystring: ListEntriesQuery, response: { 200: EntryPage } }
  }, async (request) => {
    const page = await listEntries(app.db, request.actor, { ...request.query, limit: request.query.limit ?? 50 })
    return { items: page.items.map(toEntryView), nextCursor: page.nextCursor }
  })

  app.post('/decisions', {
    config: { ...deciders, idempotent: true },
    schema: {
      tags,
      summary: 'Approve or reject up to 500 entries, each on its own: one bad item never spoils the rest',
      operationId: 'decideEntries',
      body: DecisionsBody,
      response: { 200: DecisionsResponse }
    }
  }, async (request) => {
    const { decision, reason, overrideReason, items } = request.body
    if (decision === 'reject' && reason === undefined) {
      throw ruleViolated('reason_required', 'Give a reason to reject: the worker sees it', { field: '/reason' })
    }
    const results = await decideMany(app.db, changeContext(request), {
      approve: decision === 'approve',
      ...(reason === undefined ? {} : { reason }),
      ...(overrideReason === undefined ? {} : { overrideReason })
    }, items)
    const failed = results.filter((r) => r.outcome === 'failed').length
    return { results, decided: results.length - failed, failed }
  })

  app.get('/:id', {
    config: scopedReaders,
    schema: { tags, summary: 'Read an entry', operationId: 'getEntry', params: IdParams, response: { 200: ref(Entry), 404: notFound } }
  }, async (request, reply) => {
    const entry = await findEntry(app.db, request.actor, request.params.id)
    setEtag(reply, entry)
    return toEntryView(entry)
  })

  app.patch('/:id', {
    config: { ...recorders, ifMatch: true },
    schema: { tags, summary: 'Change a draft or rejected entry', operationId: 'updateEntry', params: IdParams, body: UpdateEntryBody, response: { 200: ref(EntryWithWarnings), 404: notFound, 409: problemResponse('Not editable in its state, or overlaps another entry'), 422: problemResponse('Breaks an entry rule') } }
  }, async (request, reply) => {
    const { entry, warnings } = await updateEntry(app.db, changeContext(request), request.params.id, expectedVersion(request, request.params.id), request.body)
    setEtag(reply, entry)
    return { ...toEntryView(entry), warnings }
  })

  app.delete('/:id', {
    config: { ...recorders, ifMatch: true },
    schema: { tags, summary: 'Delete a draft', operationId: 'deleteEntry', params: IdParams, response: { 204: Type.Null({ description: 'Deleted' }), 404: notFound, 409: problemResponse('Only drafts can be deleted') } }
  }, async (request, reply) => {
    await deleteEntry(app.db, changeContext(request), request.params.id, expectedVersion(request, request.params.id))
    return reply.code(204).send(null)
  })

  // State changes need If-Match and honour Idempotency-Key.
  const action = (roles: readonly Role[]) => ({ access: { roles }, idempotent: true, ifMatch: true })
  const actionResponses = {
    200: ref(EntryWithWarnings),
    404: notFound,
    409: problemResponse('Not allowed from the entry\'s state, or blocked by the worker\'s earnings cap'),
    422: problemResponse('Breaks a pay rule (e.g. below the minimum wage, no rate)')
  }

  app.post('/:id/submit', {
    config: { ...action(recorders.access.roles), optionalBody: true },
    schema: { tags, summary: 'Submit a draft or rejected entry for approval', operationId: 'submitEntry', params: IdParams, body: ActionBody, response: actionResponses }
  }, async (request, reply) => {
    const { entry, warnings } = await submitEntry(app.db, changeContext(request), request.params.id, expectedVersion(request, request.params.id), request.body.overrideReason)
    setEtag(reply, entry)
    return { ...toEntryView(entry), warnings }
  })

  app.post('/:id/withdraw', {
    config: action(['worker', 'admin']),
    schema: { tags, summary: 'Take a submitted entry back to draft (the worker, before a decision)', operationId: 'withdrawEntry', params: IdParams, response: actionResponses }
  }, async (request, reply) => {
    const entry = await withdrawEntry(app.db, changeContext(request), request.params.id, expectedVersion(request, request.params.id))
    setEtag(reply, entry)
    return { ...toEntryView(entry), warnings: [] }
  })

  app.post('/:id/approve', {
    config: { ...action(deciders.access.roles), optionalBody: true },
    schema: { tags, summary: 'Approve a submitted entry: its rate and pay are frozen on it', operationId: 'approveEntry', params: IdParams, body: ActionBody, response: actionResponses }
  }, async (request, reply) => {
    const { entry, warnings } = await approveEntry(app.db, changeContext(request), request.params.id, expectedVersion(request, request.params.id), request.body.overrideReason)
    setEtag(reply, entry)
    return { ...toEntryView(entry), warnings }
  })

  app.post('/:id/reject', {
    config: action(deciders.access.roles),
    schema: { tags, summary: 'Reject a submitted entry, with a reason the worker sees', operationId: 'rejectEntry', params: IdParams, body: RejectBody, response: actionResponses }
  }, async (request, reply) => {
    const entry = await rejectEntry(app.db, changeContext(request), request.params.id, expectedVersion(request, request.params.id), request.body.reason)
    setEtag(reply, entry)
    return { ...toEntryView(entry), warnings: [] }
  })

  app.get('/:id/history', {
    config: scopedReaders,
    schema: {
      tags,
      summary: 'Everything that happened to an entry and its corrections, oldest first',
      operationId: 'getEntryHistory',
      params: IdParams,
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('AuditEvent'), { description: 'Audit events of the entry, oldest first' }) }), 404: notFound }
    }
  }, async (request) => {
    const entry = await findEntry(app.db, request.actor, request.params.id)
    return { items: (await historyOf(app.db, entry)).map(toAuditEventView) }
  })

  app.post('/:id/corrections', {
    config: { access: { roles: ['manager', 'finance', 'admin'] }, idempotent: true },
    schema: {
      tags,
      summary: 'Correct an approved or exported entry with a new adjustment entry (signed minutes or pence); it goes through approval',
      operationId: 'createCorrection',
      params: IdParams,
      body: CorrectionBody,
      response: { 201: ref(Entry), 404: notFound, 409: problemResponse('The entry cannot be corrected in its state'), 422: problemResponse('The correction breaks a rule') }
    }
  }, async (request, reply) => {
    const correction = await createCorrection(app.db, changeContext(request), request.params.id, request.body)
    setEtag(reply, correction)
    return reply.code(201).header('location', `/entries/${correction.id}`).send(toEntryView(correction))
  })
}

export default entryRoutes
