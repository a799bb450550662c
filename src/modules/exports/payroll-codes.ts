// Vendor codes (README "Payroll files"): a format such as sage50 prints the payroll software's own
// numbers for a payroll line's department and pay element, which the line's team, its activity type
// and the batch's pay schedule (for rolled-up holiday pay) hold. They are looked up when the file is
// first rendered; one missing refuses the file (422, naming each) before anything is written; once
// found they are kept with the file (export_file_codes), so every later download prints the same
// codes whatever is changed afterwards.
import { and, asc, eq } from 'drizzle-orm'
import type { Db } from '../../db/open.js'
import { activityTypes, exportFileCodes, exportLines, teams } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { ruleViolated } from '../../errors.js'
import { getPaySchedule } from '../pay-periods/service.js'
import type { BatchRow } from './claim.js'
import { RECONCILED_LAYOUT, type ExportFormat, type VendorCodeFields, type VendorCodes } from './model.js'

/** A team, activity type or pay schedule without a code a format needs. */
export interface MissingPayrollCode {
  entityType: 'team' | 'activity_type' | 'pay_schedule'
  id: string
  name: string
  /** The field to set on it (as in its API resource). */
  field: string
}

const teamColumns = { sageDepartment: teams.sageDepartment } as const
const activityColumns = { sagePaymentNumber: activityTypes.sagePaymentNumber } as const

const paths = { team: '/teams', activity_type: '/activity-types', pay_schedule: '/pay-schedules' } as const
const nouns = { team: 'team', activity_type: 'activity type', pay_schedule: 'pay schedule' } as const

/**
 * The vendor codes of each payroll line of the batch, for a format that prints them (empty for
 * other formats and for batches claimed before RECONCILED_LAYOUT, whose files print team names and
 * pay element codes as they always did). Kept codes are returned as kept; otherwise they are looked
 * up, refused with 422 `missing_payroll_codes` if any is not set (nothing is written), and kept.
 */
export async function vendorCodesFor (
  db: Db, batch: BatchRow, format: ExportFormat
): Promise<ReadonlyMap<number, VendorCodes>> {
  const fields = format.vendorCodes
  if (fields === undefined || batch.fileLayout < RECONCILED_LAYOUT) return new Map()
  const kept = await keptCodes(db, batch.id, format.name)
  if (kept.size > 0) return kept
  const found = await lookUp(db, batch, fields)
  if (found.missing.length > 0) throw missingCodes(format, fields, found.missing)
  if (found.codes.length === 0) return kept
  return inTransaction(db, async (tx) => {
    // Two first downloads at once: the second waits for the first's rows and keeps none of its own,
    // then both render what was kept.
    for (let i = 0; i < found.codes.length; i += 500) {
      await tx.insert(exportFileCodes).values(found.codes.slice(i, i + 500).map(({ lineNo, department, element }) => ({
        batchId: batch.id, format: format.name, lineNo, departmentCode: department, elementCode: element
      }))).onConflictDoNothing()
    }
    return keptCodes(tx, batch.id, format.name)
  })
}

async function keptCodes (db: Db, batchId: string, format: string): Promise<Map<number, VendorCodes>> {
  const rows = await db.select().from(exportFileCodes)
    .where(and(eq(exportFileCodes.batchId, batchId), eq(exportFileCodes.format, format)))
    .orderBy(asc(exportFileCodes.lineNo))
  return new Map(rows.map((row) => [row.lineNo, { department: row.departmentCode, element: row.elementCode }]))
}

async function lookUp (db: Db, batch: BatchRow, fields: VendorCodeFields) {
  const rows = await db.select({
    lineNo: exportLines.lineNo,
    kind: exportLines.kind,
    teamId: exportLines.teamId,
    teamName: teams.name,
    department: teamColumns[fields.team],
    activityTypeId: exportLines.activityTypeId,
    activityName: activityTypes.name,
    element: activityColumns[fields.activityType]
  }).from(exportLines)
    .leftJoin(teams, eq(teams.id, exportLines.teamId))
    .leftJoin(activityTypes, eq(activityTypes.id, exportLines.activityTypeId))
    .where(and(eq(exportLines.batchId, batch.id), eq(exportLines.paymentMode, 'payroll')))
    .orderBy(asc(exportLines.lineNo))
  const schedule = await getPaySchedule(db, batch.payScheduleId)
  const missing = new Map<string, MissingPayrollCode>()
  const need = (entityType: MissingPayrollCode['entityType'], id: string, name: string, field: string) =>
    missing.set(`${entityType} ${id}`, { entityType, id, name, field })
  const codes: Array<{ lineNo: number } & VendorCodes> = []
  for (const row of rows) {
    // Lines of a batch claimed in RECONCILED_LAYOUT or later always name their team (and, but for
    // holiday pay, their activity type): one without is a broken batch, not a code to set.
    const activityKnown = row.kind === 'holiday_pay' || (row.activityTypeId !== null && row.activityName !== null)
    if (row.teamId === null || row.teamName === null || !activityKnown) {
      throw new Error(`export line ${row.lineNo} of batch ${batch.id} names no team or activity type`)
    }
    const element = row.kind === 'holiday_pay' ? schedule[fields.paySchedule] : row.element
    if (row.department === null) need('team', row.teamId, row.teamName, fields.team)
    if (element === null) {
      if (row.kind === 'holiday_pay') need('pay_schedule', schedule.id, schedule.name, fields.paySchedule)
      else need('activity_type', row.activityTypeId!, row.activityName!, fields.activityType)
    }
    if (row.department !== null && element !== null) {
      codes.push({ lineNo: row.lineNo, department: row.department, element })
    }
  }
  // Teams, then activity types, then the schedule; each by name (then id), as the code points sort.
  const order = { team: 0, activity_type: 1, pay_schedule: 2 }
  const compare = (a: string, b: string) => a < b ? -1 : a > b ? 1 : 0
  const list = [...missing.values()].sort((a, b) =>
    order[a.entityType] - order[b.entityType] || compare(a.name, b.name) || compare(a.id, b.id))
  return { codes, missing: list }
}

function missingCodes (format: ExportFormat, fields: VendorCodeFields, missing: MissingPayrollCode[]) {
  const named = missing.map((m) => `${nouns[m.entityType]} "${m.name}" (${m.field})`).join(', ')
  const where = [...new Set(missing.map((m) => `PATCH ${paths[m.entityType]}/{id}`))].join(', ')
  const one = missing.length === 1
  return ruleViolated('missing_payroll_codes',
    `The ${format.name} file prints ${fields.vendor}'s own codes, and ${missing.length} ${one ? 'is' : 'are'} ` +
    `not set for this batch's payroll lines: ${named}. Set ${one ? 'it' : 'them'} (${where}) and download ` +
    'again; nothing was recorded',
    { format: format.name, missing })
}
