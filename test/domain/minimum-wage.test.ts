import t from 'tap'
import fc from 'fast-check'
import { floorPence, ratesOn, wageBandOn, type MinimumWageRates, type WageBand } from '../../src/domain/minimum-wage.js'
import { addDays } from '../../src/domain/calendar-date.js'
import { dateBetween, holds } from './property.js'

// README "UK rules": NMW/NLW hourly figures in pence.
const RATES: MinimumWageRates[] = [
  { effectiveFrom: '2025-04-01', age21AndOverPence: 1221, age18To20Pence: 1000, age16To17Pence: 755, apprenticePence: 755 },
  { effectiveFrom: '2024-04-01', age21AndOverPence: 1144, age18To20Pence: 860, age16To17Pence: 640, apprenticePence: 640 },
  { effectiveFrom: '2026-04-01', age21AndOverPence: 1271, age18To20Pence: 1085, age16To17Pence: 800, apprenticePence: 800 }
]

const worker = (dateOfBirth: string) => ({ dateOfBirth, apprentice: false, apprenticeshipStartDate: null })

t.test('the band changes exactly on the 18th birthday', async (t) => {
  t.equal(wageBandOn(worker('2008-05-10'), '2026-05-09'), 'age_16_to_17')
  t.equal(wageBandOn(worker('2008-05-10'), '2026-05-10'), 'age_18_to_20')
})

t.test('the band changes exactly on the 21st birthday', async (t) => {
  t.equal(wageBandOn(worker('2005-09-20'), '2026-09-19'), 'age_18_to_20')
  t.equal(wageBandOn(worker('2005-09-20'), '2026-09-20'), 'age_21_and_over')
  t.equal(wageBandOn(worker('1960-01-01'), '2026-01-01'), 'age_21_and_over')
})

t.test('a child of compulsory school age has no band at all', async (t) => {
  t.equal(wageBandOn(worker('2010-07-15'), '2026-06-25'), 'school_age')
  t.equal(wageBandOn(worker('2010-07-15'), '2026-06-26'), 'age_16_to_17', 'past the leaving date, though still 15')
  t.equal(wageBandOn({ dateOfBirth: '2010-09-01', apprentice: true, apprenticeshipStartDate: '2026-09-01' }, '2026-10-01'), 'school_age', 'not even as an apprentice')
})

t.test('apprentices under 19 are on the apprentice rate', async (t) => {
  const facts = { dateOfBirth: '2008-05-10', apprentice: true, apprenticeshipStartDate: '2025-09-01' }
  t.equal(wageBandOn(facts, '2026-01-10'), 'apprentice', 'aged 17 in the first year')
  t.equal(wageBandOn(facts, '2027-01-10'), 'apprentice', 'aged 18 in the second year')
  t.equal(wageBandOn({ ...facts, apprenticeshipStartDate: null }, '2026-01-10'), 'apprentice', 'with no recorded start')
  t.equal(wageBandOn(facts, '2025-08-31'), 'age_16_to_17', 'work before the apprenticeship started')
})

t.test('apprentices 19 and over are on the apprentice rate only in their first year', async (t) => {
  const facts = { dateOfBirth: '2000-01-01', apprentice: true, apprenticeshipStartDate: '2025-09-01' }
  t.equal(wageBandOn(facts, '2025-09-01'), 'apprentice', 'the first day')
  t.equal(wageBandOn(facts, '2026-08-31'), 'apprentice', 'the last day of the first year')
  t.equal(wageBandOn(facts, '2026-09-01'), 'age_21_and_over', 'the first anniversary')
  t.equal(wageBandOn({ ...facts, dateOfBirth: '2006-01-01' }, '2026-09-01'), 'age_18_to_20', 'a 20-year-old after the first year')
  t.equal(wageBandOn({ ...facts, apprenticeshipStartDate: null }, '2025-10-01'), 'age_21_and_over', 'an unknown start takes the higher age band')
  t.equal(wageBandOn({ dateOfBirth: '2007-03-01', apprentice: true, apprenticeshipStartDate: '2025-09-01' }, '2026-03-01'), 'apprentice', 'turning 19 within the first year')
  t.equal(wageBandOn({ dateOfBirth: '2006-03-01', apprentice: true, apprenticeshipStartDate: '2024-09-01' }, '2025-09-01'), 'age_18_to_20', 'aged 19 in the second year')
  t.throws(() => wageBandOn({ ...facts, apprenticeshipStartDate: '2025-02-30' }, '2026-01-01'), RangeError)
})

t.test('the floor changes on 1 April', async (t) => {
  const cases: Array<[string, WageBand, number]> = [
    ['2025-03-31', 'age_21_and_over', 1144],
    ['2025-04-01', 'age_21_and_over', 1221],
    ['2026-03-31', 'age_21_and_over', 1221],
    ['2026-04-01', 'age_21_and_over', 1271],
    ['2026-03-31', 'age_18_to_20', 1000],
    ['2026-04-01', 'age_18_to_20', 1085],
    ['2024-04-01', 'age_16_to_17', 640],
    ['2025-04-01', 'age_16_to_17', 755],
    ['2026-04-01', 'apprentice', 800],
    ['2030-01-01', 'apprentice', 800]
  ]
  for (const [date, band, pence] of cases) {
    const rates = ratesOn(RATES, date)
    t.equal(rates === undefined ? undefined : floorPence(rates, band), pence, `${band} on ${date} is ${pence}p`)
  }
  t.equal(ratesOn(RATES, '2024-03-31'), undefined, 'no figures before the first row')
  t.equal(ratesOn([], '2026-01-01'), undefined)
  t.throws(() => ratesOn(RATES, '2026-02-30'), RangeError)
  t.throws(() => ratesOn([{ ...RATES[0]!, effectiveFrom: 'April' }], '2026-01-01'), { message: /effectiveFrom must be a date/ })
})

t.test('a worker turning 21 on 1 April 2026 gets both rises at once', async (t) => {
  const facts = worker('2005-04-01')
  const floorOn = (date: string): number => {
    const band = wageBandOn(facts, date)
    const rates = ratesOn(RATES, date)
    if (band === 'school_age' || rates === undefined) throw new Error('unexpected')
    return floorPence(rates, band)
  }
  t.equal(floorOn('2026-03-31'), 1000, '20 on 31 March: £10.00')
  t.equal(floorOn('2026-04-01'), 1271, '21 on 1 April: £12.71')
})

t.test('bands never go down with age and the floor only rises with time', async (t) => {
  const order: Array<WageBand | 'school_age'> = ['school_age', 'age_16_to_17', 'age_18_to_20', 'age_21_and_over']
  const birth = dateBetween('1950-01-01', '2015-12-31')
  const date = dateBetween('2024-04-01', '2035-12-31')
  holds(t, 'a non-apprentice band on a later day is never lower', fc.property(birth, date, fc.integer({ min: 1, max: 800 }), (dob, d, gap) => {
    if (d < dob) return true
    return order.indexOf(wageBandOn(worker(dob), addDays(d, gap))) >= order.indexOf(wageBandOn(worker(dob), d))
  }))
  holds(t, 'the 21-and-over floor never falls', fc.property(date, fc.integer({ min: 1, max: 800 }), (d, gap) =>
    floorPence(ratesOn(RATES, addDays(d, gap))!, 'age_21_and_over') >= floorPence(ratesOn(RATES, d)!, 'age_21_and_over')))
})
