import t from 'tap'
import fc from 'fast-check'
import { ageBandOn, ageOn, isOfCompulsorySchoolAge, schoolLeavingDate } from '../../src/domain/age.js'
import { addDays, addYears, isoDayOfWeek } from '../../src/domain/calendar-date.js'
import { dateBetween, holds } from './property.js'

t.test('age goes up on the birthday, not before', async (t) => {
  t.equal(ageOn('2008-05-10', '2026-05-09'), 17, 'the day before the 18th birthday')
  t.equal(ageOn('2008-05-10', '2026-05-10'), 18, 'the 18th birthday')
  t.equal(ageOn('2008-05-10', '2026-12-31'), 18)
  t.equal(ageOn('2005-01-01', '2025-12-31'), 20)
  t.equal(ageOn('2005-01-01', '2026-01-01'), 21)
  t.equal(ageOn('2026-01-01', '2026-01-01'), 0, 'born today')
  t.throws(() => ageOn('2026-01-02', '2026-01-01'), { name: 'RangeError', message: /before the date of birth/ })
  t.throws(() => ageOn('2026-02-30', '2027-01-01'), { message: /dateOfBirth must be a date/ })
  t.throws(() => ageOn('2008-01-01', '2026-13-01'), { message: /^date must be a date/ })
  t.throws(() => schoolLeavingDate('2010-02-30'), { message: /dateOfBirth must be a date/ })
})

t.test('the age band moves on the 16th, 18th and 21st birthdays', async (t) => {
  t.equal(ageBandOn('2010-05-10', '2026-05-09'), 'age_under_16')
  t.equal(ageBandOn('2010-05-10', '2026-05-10'), 'age_16_to_17', 'the 16th birthday')
  t.equal(ageBandOn('2008-05-10', '2026-05-09'), 'age_16_to_17')
  t.equal(ageBandOn('2008-05-10', '2026-05-10'), 'age_18_to_20', 'the 18th birthday')
  t.equal(ageBandOn('2005-05-10', '2026-05-09'), 'age_18_to_20')
  t.equal(ageBandOn('2005-05-10', '2026-05-10'), 'age_21_and_over', 'the 21st birthday')
  t.equal(ageBandOn('2026-01-02', '2026-01-01'), 'age_under_16', 'before the birth (a clock set back): no failure')
})

t.test('someone born on 29 February is a year older on 28 February in a common year', async (t) => {
  t.equal(ageOn('2008-02-29', '2026-02-27'), 17)
  t.equal(ageOn('2008-02-29', '2026-02-28'), 18, 'the higher band applies from 28 February (conservative)')
  t.equal(ageOn('2008-02-29', '2028-02-28'), 19, 'in a leap year the birthday is 29 February')
  t.equal(ageOn('2008-02-29', '2028-02-29'), 20)
})

t.test('school leaving date is the last Friday of June of the school year the person turns 16', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['2010-07-15', '2026-06-26', 'turns 16 in July 2026: school year ends August 2026'],
    ['2010-09-01', '2027-06-25', 'turns 16 on 1 September 2026: the 2026–27 school year'],
    ['2010-08-31', '2026-06-26', 'turns 16 on 31 August 2026: the last day of the 2025–26 school year'],
    ['2011-01-10', '2027-06-25', 'turns 16 in January 2027'],
    ['2010-12-25', '2027-06-25', 'turns 16 at Christmas 2026: the school year ends in 2027'],
    ['2012-02-29', '2028-06-30', 'turns 16 on 29 February 2028; 30 June 2028 is a Friday'],
    ['2008-03-01', '2024-06-28', 'June 2024']
  ]
  for (const [dateOfBirth, leaving, name] of cases) t.equal(schoolLeavingDate(dateOfBirth), leaving, name)
})

t.test('a child is of compulsory school age until the school leaving date', async (t) => {
  t.ok(isOfCompulsorySchoolAge('2010-07-15', '2026-06-25'), 'the day before the leaving date')
  t.notOk(isOfCompulsorySchoolAge('2010-07-15', '2026-06-26'), 'the leaving date itself')
  t.notOk(isOfCompulsorySchoolAge('2010-07-15', '2026-07-01'), 'still 15, but past the leaving date')
  t.ok(isOfCompulsorySchoolAge('2010-09-01', '2026-09-01'), '16 today, but at school until June 2027')
  t.ok(isOfCompulsorySchoolAge('2022-01-01', '2024-01-01'), 'an under-five counts too')
  t.notOk(isOfCompulsorySchoolAge('1960-01-01', '2026-01-01'))
  t.throws(() => isOfCompulsorySchoolAge('2010-07-15', '2026-02-30'), RangeError)
})

t.test('ages and leaving dates hold for any date of birth', async (t) => {
  const birth = dateBetween('1930-01-01', '2030-12-31')
  const years = fc.integer({ min: 0, max: 100 })
  holds(t, 'age on the nth birthday is n, and n − 1 the day before', fc.property(birth, years, (dob, n) => {
    const birthday = addYears(dob, n)
    return ageOn(dob, birthday) === n && (n === 0 || ageOn(dob, addDays(birthday, -1)) === n - 1)
  }))
  holds(t, 'the leaving date is a Friday in late June within a year of the 16th birthday', fc.property(birth, (dob) => {
    const leaving = schoolLeavingDate(dob)
    const sixteenth = addYears(dob, 16)
    return isoDayOfWeek(leaving) === 5 && leaving.slice(5, 7) === '06' && Number(leaving.slice(8)) >= 24 &&
      leaving > addYears(sixteenth, -1) && leaving < addYears(sixteenth, 1) && ageOn(dob, leaving) >= 15
  }))
})
