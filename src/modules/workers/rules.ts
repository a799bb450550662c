import { isOfCompulsorySchoolAge, schoolLeavingDate, ageOn } from '../../domain/age.js'
import { compareDates } from '../../domain/calendar-date.js'
import { todayIn } from '../../domain/local-time.js'
import type { BenefitGuard } from '../../domain/earnings-guard.js'
import { ruleViolated } from '../../errors.js'

/** The fields the worker rules look at, after a create or an update is applied. */
export interface WorkerFacts {
  dateOfBirth: string
  apprentice: boolean
  apprenticeshipStartDate: string | null
  paymentMode: 'payroll' | 'voucher' | 'declined'
  benefitGuard: BenefitGuard
  benefitCapPence: number | null
  engagementStartDate: string
  engagementEndDate: string | null
}

/** Refuses (422, naming the rule) a worker record that cannot be right. */
export function checkWorkerRules (facts: WorkerFacts, now: Date, zone: string): void {
  const today = todayIn(zone, now)
  if (compareDates(facts.dateOfBirth, today) > 0) {
    throw ruleViolated('date_of_birth_in_future', 'The date of birth is in the future', { field: '/dateOfBirth' })
  }
  if (ageOn(facts.dateOfBirth, today) > 120) {
    throw ruleViolated('date_of_birth_implausible', 'The date of birth makes the worker older than 120', { field: '/dateOfBirth' })
  }
  // Children of compulsory school age have no minimum-wage entitlement and must not be put
  // through payroll as wage earners (README "UK rules"); vouchers or declining payment remain open.
  if (facts.paymentMode === 'payroll' && isOfCompulsorySchoolAge(facts.dateOfBirth, today)) {
    const from = schoolLeavingDate(facts.dateOfBirth)
    throw ruleViolated('school_age_payroll',
      `A person of compulsory school age cannot be paid through payroll; use voucher or declined until their school leaving date, ${from}`,
      { field: '/paymentMode', payrollAllowedFrom: from })
  }
  if (facts.benefitGuard === 'custom' && facts.benefitCapPence === null) {
    throw ruleViolated('benefit_cap_required', 'A custom benefit guard needs benefitCapPence, the weekly cap', { field: '/benefitCapPence' })
  }
  if (facts.benefitGuard !== 'custom' && facts.benefitCapPence !== null) {
    throw ruleViolated('benefit_cap_not_custom', 'benefitCapPence is only used with benefitGuard "custom"; the other guards take their caps from the statutory figures', { field: '/benefitCapPence' })
  }
  if (!facts.apprentice && facts.apprenticeshipStartDate !== null) {
    throw ruleViolated('apprenticeship_start_without_apprentice', 'apprenticeshipStartDate is only recorded for apprentices', { field: '/apprenticeshipStartDate' })
  }
  if (compareDates(facts.engagementStartDate, facts.dateOfBirth) < 0) {
    throw ruleViolated('engagement_before_birth', 'The engagement cannot start before the date of birth', { field: '/engagementStartDate' })
  }
  if (facts.engagementEndDate !== null && compareDates(facts.engagementEndDate, facts.engagementStartDate) < 0) {
    throw ruleViolated('engagement_end_before_start', 'The engagement cannot end before it starts', { field: '/engagementEndDate' })
  }
}
