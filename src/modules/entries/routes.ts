import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { roles, type Role } from '../../domain/actor.js'
import { ruleViolated } from '../../errors.js'
import { IdParams, ref } from '../../http/common-schemas.js'
import { matchedVersion, setEtag } from '../../http/etag.js'
import { pageOf, pageQueryFields, withPageSize } from '../../http/pagination.js'
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
// Finance decides only as the second approver under dual control (src/domain/maker-checker.ts).
const deciders = { access: { roles: ['manager', 'admin', 'finance'] } } as const
// Scoped: workers their own entries, managers their teams', finance and admin all.
const scopedReaders = { access: { roles } } as const
const notFound = problemResponse('No such entry (or not one you may see)')

const entryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const decisionPolicy = { dualControlAbovePence: app.config.DUAL_CONTROL_ABOVE_PENCE }
  app.post('', {
    config: { ...recorders, idempotent: true },
    schema: {
      tags,
      summary: 'Record a session (a worker for themself; a manager or admin on a worker\'s behalf)',
      operationId: 'createEntry',
      description: 'A worker records their own sessions; a manager (for workers of the teams they manage) or an admin records on a worker\'s behalf, audited as such. Times are local (Europe/London by default) and minutes are worked out across clock changes. Refused with the field named: end not after start, break not shorter than the session, over 24 hours, a future work date, outside the engagement, an inactive worker, activity or team, a team the worker is not in; an overlap with another live entry is a 409 naming it. submit: true submits at once (earnings guard applies).',
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
    schema: {
      tags,
      summary: 'List the entries you may see',
      operationId: 'listEntries',
      description: 'Scoped: workers their own, managers the entries of the teams they manage, finance and admin all. Latest work first; filter by worker, team, state and dates.',
      querystring: ListEntriesQuery,
      response: { 200: EntryPage }
    }
  }, async (request) => {
    const page = await listEntries(app.db, request.actor, withPageSize(request.query))
    return { items: page.items.map(toEntryView), nextCursor: page.nextCursor }
  })

  app.post('/decisions', {
    config: { ...deciders, idempotent: true },
    schema: {
      tags,
      summary: 'Approve or reject up to 500 entries, each on its own: one bad item never spoils the rest',
      operationId: 'decideEntries',
      description: 'Managers (their teams) and admins; finance for second approvals. Up to 500 items with the ' +
        'versions you saw, each decided in its own transaction: one bad item (stale version, wrong state, below the ' +
        'minimum wage, out of scope, maker and checker) fails alone and says why, the rest go through. Under dual ' +
        'control an item\'s first approval answers `first_approval`; its second, `approved`.',
      body: DecisionsBody,
      response: { 200: DecisionsResponse }
    }
  }, async (request) => {
    const { decision, reason, overrideReason, items } = request.body
    if (decision === 'reject' && reason === undefined) {
      throw ruleViolated('reason_required', 'Give a reason to reject: the worker sees it', { field: '/reason' })
    }
    const results = await decideMany(app.db, changeContext(request), decisionPolicy, {
      approve: decision === 'approve',
      ...(reason === undefined ? {} : { reason }),
      ...(overrideReason === undefined ? {} : { overrideReason })
    }, items)
    const failed = results.filter((r) => r.outcome === 'failed').length
    return { results, decided: results.length - failed, failed }
  })

  app.get('/:id', {
    config: scopedReaders,
    schema: {
      tags,
      summary: 'Read an entry',
      operationId: 'getEntry',
      description: 'Scoped like the list; with an ETag for changing it.',
      params: IdParams,
      response: { 200: ref(Entry), 404: notFound }
    }
  }, async (request, reply) => {
    const entry = await findEntry(app.db, request.actor, request.params.id)
    setEtag(reply, entry)
    return toEntryView(entry)
  })

  app.patch('/:id', {
    config: { ...recorders, ifMatch: true },
    schema: {
      tags,
      summary: 'Change a draft or rejected entry',
      operationId: 'updateEntry',
      description: 'Drafts and rejected entries only, with If-Match; the same rules as recording. Corrections cannot be edited.',
      params: IdParams,
      body: UpdateEntryBody,
      response: { 200: ref(EntryWithWarnings), 404: notFound, 409: problemResponse('Not editable in its state, or overlaps another entry'), 422: problemResponse('Breaks an entry rule') }
    }
  }, async (request, reply) => {
    const { entry, warnings } = await updateEntry(app.db, changeContext(request), request.params.id, matchedVersion(request), request.body)
    setEtag(reply, entry)
    return { ...toEntryView(entry), warnings }
  })

  app.delete('/:id', {
    config: { ...recorders, ifMatch: true },
    schema: {
      tags,
      summary: 'Delete a draft',
      operationId: 'deleteEntry',
      description: 'Drafts only, with If-Match. Corrections are never deleted.',
      params: IdParams,
      response: { 204: Type.Null({ description: 'Deleted' }), 404: notFound, 409: problemResponse('Only drafts can be deleted') }
    }
  }, async (request, reply) => {
    await deleteEntry(app.db, changeContext(request), request.params.id, matchedVersion(request))
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
    schema: {
      tags,
      summary: 'Submit a draft or rejected entry for approval',
      operationId: 'submitEntry',
      description: 'From draft or rejected, with If-Match. The earnings guard adds up the worker\'s Monday-to-Sunday week (approved and pending, rolled-up holiday pay included): over a cap with policy warn succeeds with warnings; with block it is refused unless a manager or admin gives overrideReason (audited).',
      params: IdParams,
      body: ActionBody,
      response: actionResponses
    }
  }, async (request, reply) => {
    const { entry, warnings } = await submitEntry(app.db, changeContext(request), request.params.id, matchedVersion(request), request.body.overrideReason)
    setEtag(reply, entry)
    return { ...toEntryView(entry), warnings }
  })

  app.post('/:id/withdraw', {
    config: action(['worker', 'admin']),
    schema: {
      tags,
      summary: 'Take a submitted entry back to draft (the worker, before a decision)',
      operationId: 'withdrawEntry',
      description: 'The worker (or an admin) takes a submitted entry back to draft before anyone decides it. Corrections cannot be withdrawn.',
      params: IdParams,
      response: actionResponses
    }
  }, async (request, reply) => {
    const entry = await withdrawEntry(app.db, changeContext(request), request.params.id, matchedVersion(request))
    setEtag(reply, entry)
    return { ...toEntryView(entry), warnings: [] }
  })

  app.post('/:id/approve', {
    config: { ...action(deciders.access.roles), optionalBody: true },
    schema: {
      tags,
      summary: 'Approve a submitted entry: its rate and pay are frozen on it',
      operationId: 'approveEntry',
      description: 'A manager of the entry\'s team or an admin, never the entry\'s own worker, with If-Match. The ' +
        'rate in force on the work date for the entry\'s team is resolved and frozen on the entry with the gross ' +
        'pay (minutes x rate / 60 rounded up to the penny, or the session fee; 0 for workers who decline payment); ' +
        'later rate changes never touch it. Refused below the worker\'s minimum wage on the work date, and for ' +
        'school-age work through payroll; the earnings guard runs again on approved pay, serialised per worker so ' +
        'concurrent approvals cannot both fit a blocking cap (409 earnings_cap_exceeded naming the week and the ' +
        'cap). Maker and checker: whoever recorded or changed the entry, or raised the correction, cannot approve ' +
        'it (403 maker_checker); finance never approves first. Dual control: when the gross pay (or a correction, ' +
        'either direction) is above DUAL_CONTROL_ABOVE_PENCE, or the approval overrides a blocking earnings cap, ' +
        'this first approval is recorded (`dualControl.awaitingSecondApproval`, the entry stays submitted) and a ' +
        'second, distinct approver with role finance or admin approves it again, with every check run afresh (403 ' +
        'second_approver_role, dual_control_distinct). A correction is refused (422 correction_exceeds_entry, ' +
        'naming the figures) when, with only the corrections already approved, it would take back more than the ' +
        'entry paid.',
      params: IdParams,
      body: ActionBody,
      response: actionResponses
    }
  }, async (request, reply) => {
    const { entry, warnings } = await approveEntry(app.db, changeContext(request), decisionPolicy,
      request.params.id, matchedVersion(request), request.body.overrideReason)
    setEtag(reply, entry)
    return { ...toEntryView(entry), warnings }
  })

  app.post('/:id/reject', {
    config: action(deciders.access.roles),
    schema: {
      tags,
      summary: 'Reject a submitted entry, with a reason the worker sees',
      operationId: 'rejectEntry',
      description: 'A manager of the entry\'s team or an admin, with If-Match and a reason the worker sees. The worker can then edit and resubmit it.',
      params: IdParams,
      body: RejectBody,
      response: actionResponses
    }
  }, async (request, reply) => {
    const entry = await rejectEntry(app.db, changeContext(request), request.params.id, matchedVersion(request), request.body.reason)
    setEtag(reply, entry)
    return { ...toEntryView(entry), warnings: [] }
  })

  app.get('/:id/history', {
    config: scopedReaders,
    schema: {
      tags,
      summary: 'Everything that happened to an entry and its corrections, oldest first',
      operationId: 'getEntryHistory',
      description: 'Every audit event of the entry and of every correction of it (or, for a correction, of the entry it corrects), oldest first. Scoped like the entry.',
      params: IdParams,
      querystring: Type.Object({ ...pageQueryFields }, { additionalProperties: false }),
      response: { 200: pageOf(Type.Ref('AuditEvent'), 'Audit events of the entry and its corrections, oldest first'), 404: notFound }
    }
  }, async (request) => {
    const entry = await findEntry(app.db, request.actor, request.params.id)
    const page = await historyOf(app.db, entry, withPageSize(request.query))
    return { items: page.items.map((row) => toAuditEventView(row, request.actor)), nextCursor: page.nextCursor }
  })

  app.post('/:id/corrections', {
    config: { access: { roles: ['manager', 'finance', 'admin'] }, idempotent: true },
    schema: {
      tags,
      summary: 'Correct an approved or exported entry with a new adjustment entry (signed minutes or pence); it goes through approval',
      operationId: 'createCorrection',
      description: 'Managers of the entry\'s team, finance and admins. An approved or exported entry never changes: a correction is a new adjustment entry (signed minutes at the entry\'s frozen rate, or signed pence) that starts submitted, is approved like any entry, and is paid by the next export as its own line (negative when it claws back). Clawbacks can never take back more than the entry and its corrections pay.',
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
