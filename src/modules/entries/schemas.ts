import Type, { type Static } from 'typebox'
import { Instant, LocalDate, Nullable, Reason, Uuid, Warnings } from '../../http/common-schemas.js'
import { pageOf, pageQueryFields } from '../../http/pagination.js'
import type { EntryRow } from './service.js'

const Time = (description: string) => Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description })
export const EntryState = Type.Enum(['draft', 'submitted', 'approved', 'rejected', 'exported'], {
  description: '`draft` -> `submitted` -> `approved` | `rejected`; `approved` -> `exported`. A submitted entry can be withdrawn to draft; a rejected one edited and resubmitted.'
})
const Notes = Type.String({ maxLength: 2000, description: 'Free text for the manager (no health or personal details, please)' })
const BreakMinutes = Type.Integer({ minimum: 0, maximum: 1440, description: 'Unpaid break within the session, in minutes' })
const OverrideReason = Reason('Why a manager lets the entry through although it takes the worker over a blocking earnings cap (audited)')

export const EntryPay = Type.Object({
  rateId: Uuid('The rate used'),
  pencePerUnit: Type.Integer({ description: 'Pence per hour or per session, as at approval' }),
  unit: Type.Enum(['hour', 'session'], { description: 'How the activity is paid' }),
  source: Type.Enum(['default', 'team', 'worker'], { description: 'Which rate applied' }),
  grossPence: Type.Integer({ description: 'Gross pay: minutes x rate / 60 rounded up to the penny, or the session fee; 0 when the worker declines payment' }),
  paymentMode: Type.Enum(['payroll', 'voucher', 'declined'], { description: 'How it is paid, as at approval' })
}, { description: 'Pay frozen on the entry at approval; it never changes afterwards' })

export const DualControl = Type.Object({
  reason: Type.String({
    description: 'Why two approvals are needed: the amount is above the dual-control threshold, ' +
    'or the approval overrides a blocking earnings cap'
  }),
  firstApprovedAt: Instant('When the first approval was given'),
  firstApprovedByPersonId: Nullable(Uuid('Person'), 'Who gave it (null for an admin key without a person)'),
  awaitingSecondApproval: Type.Boolean({
    description: 'True while the entry waits for its second approval, from ' +
    'finance or an admin other than the first approver; the second approver is then `decidedByPersonId`'
  })
}, {
  description: 'Dual control: an entry or correction above the threshold, or an approval overriding a blocking ' +
  'earnings cap, is approved by two distinct people'
})

export const Entry = Type.Object({
  id: Uuid('Entry id'),
  workerId: Uuid('Worker'),
  activityTypeId: Uuid('Activity type'),
  teamId: Uuid('Team the work was for'),
  kind: Type.Enum(['work', 'adjustment'], { description: '`work`: a session; `adjustment`: a correction of an exported entry' }),
  workDate: LocalDate('Local date the session started (a correction: the corrected entry\'s work date)'),
  startTime: Nullable(Type.String(), 'Local start time HH:mm (null for corrections)'),
  endDate: Nullable(LocalDate('End date'), 'Local date the session ended: the work date or the day after (null for corrections)'),
  endTime: Nullable(Type.String(), 'Local end time HH:mm (null for corrections)'),
  startsAt: Nullable(Instant('Start instant'), 'Start instant (null for corrections)'),
  endsAt: Nullable(Instant('End instant'), 'End instant (null for corrections)'),
  breakMinutes: Type.Integer({ description: 'Unpaid break, minutes' }),
  workedMinutes: Type.Integer({ description: 'Paid minutes: end - start - break, across clock changes (a correction: signed minutes, 0 when it corrects pence)' }),
  notes: Nullable(Type.String(), 'Notes'),
  correctsEntryId: Nullable(Uuid('Corrected entry'), 'For a correction: the entry it corrects'),
  adjustmentPence: Nullable(Type.Integer(), 'For a correction in pence: the signed amount'),
  correctionReason: Nullable(Type.String(), 'For a correction: why'),
  state: EntryState,
  submittedAt: Nullable(Instant('When submitted'), 'When it was last submitted'),
  decidedAt: Nullable(Instant('When decided'), 'When it was approved or rejected'),
  decidedByPersonId: Nullable(Uuid('Person'), 'Who approved or rejected it (a manager\'s person id; null for an admin key without one)'),
  rejectionReason: Nullable(Type.String(), 'Why it was rejected (shown to the worker)'),
  overrideReason: Nullable(Type.String(), 'Why an earnings-cap block was overridden at approval'),
  dualControl: Nullable(DualControl, 'Null when one approval is enough (or the entry has not been approved yet)'),
  pay: Nullable(EntryPay, 'Frozen pay, once approved'),
  createdAt: Instant('When recorded'),
  updatedAt: Instant('Last change'),
  version: Type.Integer({ description: 'Changes on every update; part of the ETag (bulk decisions take it per item)' })
}, { $id: 'Entry', description: 'A timesheet entry: one session a worker gave' })

export const EntryWithWarnings = Type.Object({
  ...Entry.properties,
  warnings: Warnings
}, { $id: 'EntryWithWarnings', description: 'An entry after a change, with anything the caller should know (earnings cap, clock change, payment mode)' })

const sessionFields = {
  activityTypeId: Uuid('Activity type'),
  teamId: Type.Optional(Nullable(Uuid('Team the work was for'), 'Team the work was for; may be left out when the worker is in one team')),
  workDate: LocalDate('Local date the session started (not in the future)'),
  startTime: Time('Local start time HH:mm'),
  endDate: Type.Optional(Nullable(LocalDate('End date'), 'Local date the session ended, for a session past midnight (default: the work date)')),
  endTime: Time('Local end time HH:mm'),
  breakMinutes: Type.Optional(Type.Integer({ ...BreakMinutes, default: 0 })),
  notes: Type.Optional(Nullable(Notes))
}

export const CreateEntryBody = Type.Object({
  workerId: Type.Optional(Uuid('Whose entry: leave out for your own (worker keys); required for managers and admins recording on a worker\'s behalf')),
  ...sessionFields,
  submit: Type.Optional(Type.Boolean({ default: false, description: 'Submit at once instead of keeping a draft' })),
  overrideReason: Type.Optional(OverrideReason)
}, { additionalProperties: false })

export const UpdateEntryBody = Type.Object({
  activityTypeId: Type.Optional(sessionFields.activityTypeId),
  teamId: sessionFields.teamId,
  workDate: Type.Optional(sessionFields.workDate),
  startTime: Type.Optional(sessionFields.startTime),
  endDate: sessionFields.endDate,
  endTime: Type.Optional(sessionFields.endTime),
  breakMinutes: Type.Optional(BreakMinutes),
  notes: sessionFields.notes
}, { additionalProperties: false, minProperties: 1, description: 'Drafts and rejected entries only' })

export const ActionBody = Type.Object({
  overrideReason: Type.Optional(OverrideReason)
}, { additionalProperties: false, description: 'Optional; send no body at all when there is nothing to say' })

export const RejectBody = Type.Object({
  reason: Reason('Why it is rejected: the worker sees this')
}, { additionalProperties: false })

export const DecisionsBody = Type.Object({
  decision: Type.Enum(['approve', 'reject'], { description: 'What to do with every item' }),
  reason: Type.Optional(Reason('Why they are rejected (required to reject)')),
  overrideReason: Type.Optional(OverrideReason),
  items: Type.Array(Type.Object({
    id: Uuid('Entry id'),
    version: Type.Integer({ minimum: 1, description: 'The version you saw (as in its ETag)' })
  }, { additionalProperties: false }), { minItems: 1, maxItems: 500, description: 'Up to 500 entries with the versions you saw' })
}, { additionalProperties: false })

export const DecisionResult = Type.Object({
  id: Uuid('Entry id'),
  outcome: Type.Enum(['approved', 'first_approval', 'rejected', 'failed'], {
    description: '`first_approval`: approved once under dual control; it stays submitted until finance or an admin ' +
      'gives the second approval'
  }),
  version: Type.Optional(Type.Integer({ description: 'New version (decided items)' })),
  warnings: Type.Optional(Warnings),
  status: Type.Optional(Type.Integer({ description: 'HTTP status this item alone would have had (failed items)' })),
  code: Type.Optional(Type.String({ description: 'Problem code (failed items)' })),
  rule: Type.Optional(Type.String({ description: 'Rule broken (failed items, where one applies)' })),
  detail: Type.Optional(Type.String({ description: 'Why it failed' }))
}, { description: 'One item\'s outcome' })

export const DecisionsResponse = Type.Object({
  results: Type.Array(DecisionResult, { description: 'One per item, in the order sent' }),
  decided: Type.Integer({ description: 'Items approved or rejected' }),
  failed: Type.Integer({ description: 'Items left as they were' })
})

export const CorrectionBody = Type.Object({
  minutes: Type.Optional(Type.Integer({ minimum: -1440, maximum: 1440, description: 'Signed minutes at the corrected entry\'s rate (hourly activities); or' })),
  pence: Type.Optional(Type.Integer({ minimum: -10_000_000, maximum: 10_000_000, description: 'signed pence; exactly one of minutes and pence' })),
  reason: Reason('Why the correction is needed (audited, shown to the worker)')
}, { additionalProperties: false })

export const ListEntriesQuery = Type.Object({
  workerId: Type.Optional(Uuid('Only this worker\'s entries')),
  teamId: Type.Optional(Uuid('Only this team\'s entries')),
  state: Type.Optional(EntryState),
  awaitingSecondApproval: Type.Optional(Type.Boolean({
    description: 'true: only submitted entries with their first approval under dual control (the queue for finance ' +
      'and admins); false: all others'
  })),
  from: Type.Optional(LocalDate('Work dates on or after')),
  to: Type.Optional(LocalDate('Work dates on or before')),
  ...pageQueryFields
}, { additionalProperties: false })

export const EntryPage = pageOf(Type.Ref('Entry'), 'Entries, latest work first')

export type EntryView = Static<typeof Entry>

export function toEntryView (entry: EntryRow): EntryView {
  return {
    id: entry.id,
    workerId: entry.workerId,
    activityTypeId: entry.activityTypeId,
    teamId: entry.teamId,
    kind: entry.kind,
    workDate: entry.workDate,
    startTime: entry.startTime,
    endDate: entry.endDate,
    endTime: entry.endTime,
    startsAt: entry.startsAt?.toISOString() ?? null,
    endsAt: entry.endsAt?.toISOString() ?? null,
    breakMinutes: entry.breakMinutes,
    workedMinutes: entry.workedMinutes,
    notes: entry.notes,
    correctsEntryId: entry.correctsEntryId,
    adjustmentPence: entry.adjustmentPence,
    correctionReason: entry.correctionReason,
    state: entry.state,
    submittedAt: entry.submittedAt?.toISOString() ?? null,
    decidedAt: entry.decidedAt?.toISOString() ?? null,
    decidedByPersonId: entry.decidedByPersonId,
    rejectionReason: entry.rejectionReason,
    overrideReason: entry.overrideReason,
    dualControl: entry.firstApprovedAt === null || entry.dualControlReason === null
      ? null
      : {
          reason: entry.dualControlReason,
          firstApprovedAt: entry.firstApprovedAt.toISOString(),
          firstApprovedByPersonId: entry.firstApprovedByPersonId,
          awaitingSecondApproval: entry.state === 'submitted'
        },
    pay: entry.grossPence === null || entry.rateId === null || entry.ratePencePerUnit === null || entry.rateUnit === null || entry.rateSource === null || entry.paymentMode === null
      ? null
      : { rateId: entry.rateId, pencePerUnit: entry.ratePencePerUnit, unit: entry.rateUnit, source: entry.rateSource, grossPence: entry.grossPence, paymentMode: entry.paymentMode },
    createdAt: entry.createdAt.toISOString(),
    updatedAt: entry.updatedAt.toISOString(),
    version: entry.version
  }
}

export const entrySchemas = [Entry, EntryWithWarnings]
