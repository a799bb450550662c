// Realistic examples for the OpenAPI document: a request body for every operation that takes
// one, and the main resources (shown on every response that answers one, or a page of them).
// They are documentation only: validation and serialisation never see them. A test checks that
// every body has an example and that every example is valid against its own schema.

// One small organisation, the same ids throughout, so examples read as one story: Jo Bloggs, a
// peer researcher in the Youth Voice team, records a session; Sam Patel, their manager, approves it.
const ids = {
  worker: 'b3c1e8a2-4f6d-4a5e-9c21-7d8e0f1a2b3c',
  manager: '7d3f9a2c-6e1b-4d85-b0c7-2a4e8f1d9c63',
  team: '5a7d2c41-8e3b-4f90-a6d2-1c4b7e9f0a58',
  activity: 'c9e4f1a7-2b6d-4c83-9f05-8a1d3e6b7c24',
  rate: '1f8b3d6a-7c2e-4e59-b4a1-6d9c0e2f3a87',
  entry: 'e2a9c7f4-3d1b-4b6e-8f52-9c0a4d7e1b36',
  schedule: '4c6e8a1f-9b3d-4f27-a5e0-3d7b2c9f1e48',
  period: '8b1d4f7a-2c9e-4a63-b8f1-5e0c3a6d9b72',
  apiKey: '6e9a2d5c-1f8b-4c47-9d3e-0b7a4f2c8e15',
  adminKey: '2b5e8c1f-4a7d-4e90-8c36-9f1a3d6b0e27',
  exportBatch: 'a4f7c2e9-5b1d-4e86-9a30-7c2f1b8d4e69'
} as const

const created = '2026-11-24T13:05:12.481Z'
const decided = '2026-11-25T09:41:03.117Z'

/** Request bodies by operationId. */
const requestExamples: Record<string, unknown> = {
  createApiKey: { name: 'Jo Bloggs (phone)', role: 'worker', personId: ids.worker },
  createPerson: { displayName: 'Sam Patel' },
  updatePerson: { displayName: 'Sam Patel-Jones' },
  createWorker: {
    displayName: 'Jo Bloggs',
    payrollReference: 'HS0042',
    dateOfBirth: '2004-03-17',
    paymentMode: 'payroll',
    holidayPayMode: 'rolled_up',
    benefitGuard: 'esa_permitted_work',
    benefitPolicy: 'warn',
    engagementStartDate: '2026-09-01',
    teamIds: [ids.team]
  },
  updateWorker: { benefitGuard: 'custom', benefitCapPence: 15000, benefitPolicy: 'block' },
  createTeam: { name: 'Youth Voice', costCentre: 'YV01', sageDepartment: 3, managerIds: [ids.manager] },
  updateTeam: { managerIds: [ids.manager] },
  createActivityType: { code: 'PEER', name: 'Peer research session', payElementCode: 'SESS01', sagePaymentNumber: 101, unit: 'hour' },
  updateActivityType: { name: 'Peer research (co-production)' },
  createRate: { activityTypeId: ids.activity, scope: 'team', teamId: ids.team, pencePerUnit: 1450, validFrom: '2026-04-01' },
  updateRate: { validTo: '2027-03-31' },
  addMinimumWageRates: {
    effectiveFrom: '2027-04-01',
    age21AndOverPence: 1318,
    age18To20Pence: 1125,
    age16To17Pence: 830,
    apprenticePence: 830,
    source: 'gov.uk: National Minimum Wage and National Living Wage rates, April 2027'
  },
  addBenefitThresholds: {
    effectiveFrom: '2027-04-01',
    esaPermittedWorkWeeklyPence: 21100,
    esaPermittedWorkWeeklyHours: 16,
    ucWorkAllowanceMonthlyPence: 42300,
    source: 'gov.uk: benefit and pension rates 2027 to 2028'
  },
  createEntry: {
    activityTypeId: ids.activity,
    workDate: '2026-11-24',
    startTime: '10:00',
    endTime: '12:45',
    breakMinutes: 15,
    notes: 'Interview panel for the new youth worker post',
    submit: true
  },
  decideEntries: { decision: 'approve', items: [{ id: ids.entry, version: 2 }] },
  updateEntry: { endTime: '13:00', notes: 'Panel ran over by a quarter of an hour' },
  submitEntry: {},
  approveEntry: {},
  rejectEntry: { reason: 'This session was on 25 November, not the 24th: please record it again on the right day' },
  createCorrection: { minutes: 30, reason: 'The panel debrief (30 minutes) was left off the session' },
  createPaySchedule: {
    name: 'Monthly (last working day)',
    frequency: 'monthly',
    anchorDate: '2026-04-01',
    payDateOffsetDays: 5,
    payrollCalendarCode: 'MONTHLY-1',
    holidayPayElementCode: 'HOL01',
    sageHolidayPaymentNumber: 110
  },
  updatePaySchedule: { payDateOffsetDays: 3 },
  reopenPayPeriod: { reason: 'Two approved sessions were missed from the close: reopening to take them' }
}

/** The main resources by component name: shown on the component and on the responses that carry it. */
const componentExamples: Record<string, unknown> = {
  Person: { id: ids.manager, displayName: 'Sam Patel', active: true, createdAt: created, updatedAt: created, version: 1 },
  ApiKey: {
    id: ids.apiKey,
    name: 'Jo Bloggs (phone)',
    role: 'worker',
    secretPrefix: 'sp_4Qm9',
    createdAt: created,
    createdBy: ids.adminKey,
    personId: ids.worker,
    lastUsedAt: decided,
    revokedAt: null,
    version: 1
  },
  Worker: {
    id: ids.worker,
    displayName: 'Jo Bloggs',
    payrollReference: 'HS0042',
    dateOfBirth: '2004-03-17',
    minimumWageBand: 'age_21_and_over',
    ageBand: 'age_21_and_over',
    apprentice: false,
    apprenticeshipStartDate: null,
    paymentMode: 'payroll',
    holidayPayMode: 'rolled_up',
    benefitGuard: 'esa_permitted_work',
    benefitCapPence: null,
    benefitPolicy: 'warn',
    engagementStartDate: '2026-09-01',
    engagementEndDate: null,
    teamIds: [ids.team],
    payScheduleId: null,
    active: true,
    createdAt: created,
    updatedAt: created,
    version: 1
  },
  Team: {
    id: ids.team,
    name: 'Youth Voice',
    costCentre: 'YV01',
    sageDepartment: 3,
    managerIds: [ids.manager],
    active: true,
    createdAt: created,
    updatedAt: created,
    version: 1
  },
  ActivityType: {
    id: ids.activity,
    code: 'PEER',
    name: 'Peer research session',
    payElementCode: 'SESS01',
    sagePaymentNumber: 101,
    unit: 'hour',
    active: true,
    createdAt: created,
    updatedAt: created,
    version: 1
  },
  Rate: {
    id: ids.rate,
    activityTypeId: ids.activity,
    scope: 'team',
    teamId: ids.team,
    workerId: null,
    pencePerUnit: 1450,
    validFrom: '2026-04-01',
    validTo: null,
    createdAt: created,
    updatedAt: created,
    version: 1
  },
  Entry: {
    id: ids.entry,
    workerId: ids.worker,
    activityTypeId: ids.activity,
    teamId: ids.team,
    kind: 'work',
    workDate: '2026-11-24',
    startTime: '10:00',
    endDate: null,
    endTime: '12:45',
    startsAt: '2026-11-24T10:00:00.000Z',
    endsAt: '2026-11-24T12:45:00.000Z',
    breakMinutes: 15,
    workedMinutes: 150,
    notes: 'Interview panel for the new youth worker post',
    correctsEntryId: null,
    adjustmentPence: null,
    correctionReason: null,
    state: 'approved',
    submittedAt: created,
    decidedAt: decided,
    decidedByPersonId: ids.manager,
    rejectionReason: null,
    overrideReason: null,
    dualControl: null,
    pay: { rateId: ids.rate, pencePerUnit: 1450, unit: 'hour', source: 'team', grossPence: 3625, paymentMode: 'payroll' },
    createdAt: created,
    updatedAt: decided,
    version: 3
  },
  PaySchedule: {
    id: ids.schedule,
    name: 'Monthly (last working day)',
    frequency: 'monthly',
    anchorDate: '2026-04-01',
    payDateOffsetDays: 5,
    payrollCalendarCode: 'MONTHLY-1',
    holidayPayElementCode: 'HOL01',
    sageHolidayPaymentNumber: 110,
    isDefault: true,
    createdAt: created,
    updatedAt: created,
    version: 1
  },
  PayPeriod: {
    id: ids.period,
    payScheduleId: ids.schedule,
    index: 7,
    startDate: '2026-11-01',
    endDate: '2026-11-30',
    payDate: '2026-12-05',
    state: 'closed',
    closedAt: '2026-12-01T09:00:27.604Z',
    version: 2
  }
}

const entry = componentExamples.Entry as Record<string, unknown>
const apiKey = componentExamples.ApiKey as Record<string, unknown>
componentExamples.EntryWithWarnings = {
  ...entry,
  state: 'submitted',
  decidedAt: null,
  decidedByPersonId: null,
  updatedAt: created,
  version: 1,
  warnings: ['This session takes your week\'s earnings to £158.50 of the £203.50 ESA permitted-work limit']
}
componentExamples.CreatedApiKey = { ...apiKey, lastUsedAt: null, secret: 'sp_4Qm9Zk2xT8vRw1LpYc6HnB3dJf7GsA0eUo5iKqWtXyE' }
componentExamples.CreatedRate = { ...componentExamples.Rate as object, warnings: [], closedRateId: null }
componentExamples.ExportSummary = {
  id: ids.exportBatch,
  number: 12,
  payPeriodId: ids.period,
  payScheduleId: ids.schedule,
  payScheduleName: 'Monthly (last working day)',
  periodStartDate: '2026-11-01',
  periodEndDate: '2026-11-30',
  payDate: '2026-12-05',
  createdAt: '2026-12-01T09:02:44.950Z',
  totals: {
    entryCount: 1,
    workerCount: 1,
    minutes: 150,
    grossPence: 4063,
    payrollGrossPence: 4063,
    voucherGrossPence: 0,
    holidayPayPence: 438,
    lateEntryCount: 0
  },
  lines: [
    {
      lineNo: 1,
      kind: 'pay',
      paymentMode: 'payroll',
      workerId: ids.worker,
      payrollReference: 'HS0042',
      workerName: 'Jo Bloggs',
      department: 'Youth Voice',
      costCentre: 'YV01',
      payElementCode: 'SESS01',
      description: 'Peer research session',
      unit: 'hour',
      minutes: 150,
      sessions: 0,
      ratePence: 1450,
      grossPence: 3625,
      hoursHundredths: 250,
      hoursText: '2.50',
      payrollComputedPence: 3625,
      differencePence: 0,
      late: false,
      entryCount: 1
    },
    {
      lineNo: 2,
      kind: 'holiday_pay',
      paymentMode: 'payroll',
      workerId: ids.worker,
      payrollReference: 'HS0042',
      workerName: 'Jo Bloggs',
      department: 'Youth Voice',
      costCentre: 'YV01',
      payElementCode: 'HOL01',
      description: 'Rolled-up holiday pay (12.07 %)',
      unit: 'amount',
      minutes: 0,
      sessions: 0,
      ratePence: null,
      grossPence: 438,
      hoursHundredths: null,
      hoursText: null,
      payrollComputedPence: null,
      differencePence: null,
      late: false,
      entryCount: 1
    }
  ],
  payrollDifferences: [],
  recoveries: [],
  declined: [],
  accruedHoliday: [],
  files: [{
    format: 'csv',
    description: 'One row per line, for any payroll that imports CSV',
    url: `/exports/${ids.exportBatch}/files/csv`,
    sha256: '3f1c9a7be2d4506f8a1e3c5b7d9f0a2c4e6b8d0f1a3c5e7b9d1f3a5c7e9b0d2f'
  }]
}

/** A cursor as the service writes them (base64url JSON of the last item's sort key). */
const exampleCursor = Buffer.from(JSON.stringify([created, ids.entry])).toString('base64url')

interface Media { schema?: { $ref?: string, properties?: { items?: { items?: { $ref?: string } } } }, example?: unknown }
interface Operation { operationId?: string, requestBody?: { content?: Record<string, Media> }, responses?: Record<string, { content?: Record<string, Media> }> }
interface Document { paths: Record<string, Record<string, Operation>>, components: { schemas: Record<string, Record<string, unknown>> } }

const componentOf = (ref: string | undefined) => ref?.replace('#/components/schemas/', '')

/**
 * Puts the examples into the finished document (the swagger plugin's transformObject): request
 * bodies, the components, and each 2xx JSON response that is one of those components or a page
 * of them.
 */
export function withExamples<T> (document: T): T {
  const doc = document as unknown as Document
  for (const [name, example] of Object.entries(componentExamples)) {
    const schema = doc.components.schemas[name]
    if (schema !== undefined) schema.examples = [example]
  }
  for (const operations of Object.values(doc.paths)) {
    for (const operation of Object.values(operations)) {
      const body = operation.requestBody?.content?.['application/json']
      const request = operation.operationId === undefined ? undefined : requestExamples[operation.operationId]
      if (body !== undefined && request !== undefined) body.example = request
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const media = response.content?.['application/json']
        if (!status.startsWith('2') || media?.schema === undefined) continue
        const one = componentExamples[componentOf(media.schema.$ref) ?? '']
        const item = componentExamples[componentOf(media.schema.properties?.items?.items?.$ref) ?? '']
        if (one !== undefined) media.example = one
        else if (item !== undefined) media.example = { items: [item], nextCursor: exampleCursor }
      }
    }
  }
  return document
}
