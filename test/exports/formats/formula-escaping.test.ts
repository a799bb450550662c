// OWASP CSV injection, for every export format: whatever text is stored (names, references,
// departments, cost centres, activity names and codes), no cell of any file starts a formula,
// after leading white space too, and in the compatibility forms of = + - @; negative amounts stay
// numbers; the text reads back as stored once the escaping quote is taken off; JSON files carry
// text exactly (a JSON string is no spreadsheet cell).
import fc from 'fast-check'
import t from 'tap'
import { exportFormats } from '../../../src/modules/exports/formats/index.js'
import {
  FORMULA_SIGNS, escapeFirstCharacterFormula, escapeFormula, startsFormula
} from '../../../src/modules/exports/formats/formula-escaping.js'
import type { ExportSource } from '../../../src/modules/exports/model.js'
import { csvRecords, formulaCells, unescapedCell } from './csv-cells.js'
import { accruedHoliday, dailyUnits, declined, entries, exportSource, header, lines } from './fixture.js'
import { renderText } from './render.js'

const csvFormats = exportFormats.filter((format) => format.contentType.startsWith('text/csv'))
const jsonFormats = exportFormats.filter((format) => format.contentType === 'application/json')

t.test('the named cases are escaped: a leading space, U+FE66 and U+207C', async (t) => {
  t.equal(escapeFormula(' =1+1'), "' =1+1")
  t.equal(escapeFormula('\uFE66SUM(A1)'), "'\uFE66SUM(A1)")
  t.equal(escapeFormula('\u207C1+1'), "'\u207C1+1")
})

t.test('white space and invisible characters before a sign do not hide it', async (t) => {
  const leads = [
    '  ', '\t', '\n', '\r\n', '\u00A0', '\u3000', '\u2003', '\u200B', '\u200D', '\uFEFF', '\u00AD', '\u202E', '\u0007'
  ]
  for (const lead of leads) {
    for (const sign of ['=', '+', '-', '@']) {
      t.equal(escapeFormula(`${lead}${sign}1`), `'${lead}${sign}1`, JSON.stringify(lead + sign))
    }
  }
  t.equal(escapeFormula('\t'), "'\t", 'a leading tab alone')
  t.equal(escapeFormula('\rx'), "'\rx", 'a leading carriage return alone')
  for (const plain of ['Sam', ' Sam', 'O\'Brien', 'a=b', 'x-1', '', '   ', '£5', '\'=already']) {
    t.equal(escapeFormula(plain), plain, JSON.stringify(plain))
  }
})

t.test('the signs are every character whose compatibility form begins with = + - @ or U+2212', async (t) => {
  const expected = new Set(['=', '+', '-', '@', '\u2212'])
  for (let codePoint = 0; codePoint <= 0x10FFFF; codePoint++) {
    if (codePoint >= 0xD800 && codePoint <= 0xDFFF) continue
    const character = String.fromCodePoint(codePoint)
    const first = character.normalize('NFKC').charAt(0)
    if (['=', '+', '-', '@', '\u2212'].includes(first)) expected.add(character)
  }
  t.same([...FORMULA_SIGNS].sort(), [...expected].sort())
  const named = [
    '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20', '\uFE62', '\uFE63', '\uFE66',
    '\u207A', '\u207B', '\u207C', '\u208A', '\u208B', '\u208C'
  ]
  for (const sign of named) {
    t.ok(FORMULA_SIGNS.has(sign), `U+${sign.codePointAt(0)!.toString(16).toUpperCase()}`)
  }
})

t.test('batches claimed in file layout 1 keep their first-character escaping, byte for byte', async (t) => {
  t.equal(escapeFirstCharacterFormula(' =1+1'), ' =1+1')
  t.equal(escapeFirstCharacterFormula('=1+1'), "'=1+1")
  const csv = csvFormats.find((format) => format.name === 'csv')!
  const named = (fileLayout: number) =>
    exportSource({ fileLayout, entries: entries.map((entry) => ({ ...entry, workerName: ' =1' })) })
  t.match(await renderText(csv, named(1)), /, =1,/, 'layout 1: as it was downloaded')
  t.match(await renderText(csv, named(2)), /,' =1,/, 'layout 2: escaped')
})

/** Text a user could store: anything, often led by white space and a formula sign. */
const storedText = fc.tuple(
  fc.constantFrom('', '', ' ', '  ', '\t', '\n', '\r', '\u00A0', '\u3000', '\u200B', '\uFEFF', '\u202E'),
  fc.constantFrom('', '', ...FORMULA_SIGNS, '\t', '\r', '\''),
  fc.string({ unit: 'binary', maxLength: 12 })
).map(([lead, sign, rest]) => `${lead}${sign}${rest}`.replaceAll('\u0000', ''))

interface WorkerTexts {
  name: string
  reference: string
  department: string
  costCentre: string
  description: string
  element: string
  activity: string
}

/** The generated texts of a fixture worker ('worker-1' to 'worker-4'). */
const textOf = (texts: WorkerTexts[], workerId: string): WorkerTexts => texts[Number(workerId.slice(-1)) - 1]!

/** Every text field of the hand-worked batch replaced, per worker, with generated text. */
function withTexts (texts: WorkerTexts[], holidayElement: string): ExportSource {
  const of = (workerId: string) => textOf(texts, workerId)
  const person = (text: WorkerTexts) => ({
    workerName: text.name, payrollReference: text.reference, department: text.department, costCentre: text.costCentre
  })
  return exportSource({
    header: { ...header, holidayPayElementCode: holidayElement },
    lines: lines.map((line) => {
      const text = of(line.workerId)
      return {
        ...line,
        ...person(text),
        description: text.description,
        payElementCode: line.kind === 'holiday_pay' ? holidayElement : text.element
      }
    }),
    entries: entries.map((entry) => {
      const text = of(entry.workerId)
      return { ...entry, ...person(text), activityCode: text.activity, payElementCode: text.element }
    }),
    dailyUnits: dailyUnits.map((units) => ({
      ...units, payrollReference: of(units.workerId).reference, payElementCode: of(units.workerId).element
    })),
    declined: declined.map((worker) => ({ ...worker, workerName: of(worker.workerId).name })),
    accruedHoliday: accruedHoliday.map((worker) => ({
      ...worker, workerName: of(worker.workerId).name, payrollReference: of(worker.workerId).reference
    }))
  })
}

const workerTexts = fc.array(fc.record({
  name: storedText,
  reference: storedText,
  department: storedText,
  costCentre: storedText,
  description: storedText,
  element: storedText,
  activity: storedText
}), { minLength: 4, maxLength: 4 })

t.test('no cell of any CSV file starts a formula, whatever text is stored; text reads back as stored', async (t) => {
  await fc.assert(fc.asyncProperty(workerTexts, storedText, async (texts, holidayElement) => {
    const source = withTexts(texts, holidayElement)
    for (const format of csvFormats) {
      const text = await renderText(format, source)
      const found = formulaCells(format.name, text)
      if (found.length > 0) throw new Error(`${format.name}: ${JSON.stringify(found)}`)
    }
    // Our own layout carries every name: each one reads back exactly once the quote is off.
    const rows = csvRecords(await renderText(csvFormats.find((format) => format.name === 'csv')!, source)).slice(1)
    return rows.every((row) => {
      const entry = entries.find((candidate) => candidate.entryId === row[6])
      return entry === undefined || unescapedCell(row[10]!) === textOf(texts, entry.workerId).name
    })
  }), { seed: 11, numRuns: 300 })
  t.pass('300 generated batches in every CSV format')
})

t.test('JSON files carry the stored text exactly (no cells, nothing escaped)', async (t) => {
  await fc.assert(fc.asyncProperty(workerTexts, async (texts) => {
    // Staffology and Xero group by payroll reference, so the generated ones are made distinct.
    const distinct = texts.map((text, i) => ({ ...text, reference: `${i}${text.reference}` }))
    const source = withTexts(distinct, 'HOLPAY')
    for (const format of jsonFormats) JSON.parse(await renderText(format, source))
    const json = jsonFormats.find((format) => format.name === 'json')!
    const batch = JSON.parse(await renderText(json, source)) as {
      lines: Array<{ workerId: string, workerName: string, description: string }>
    }
    return batch.lines.every((line) => {
      const text = textOf(distinct, line.workerId)
      return line.workerName === text.name && line.description === text.description
    })
  }), { seed: 13, numRuns: 100 })
  t.pass('100 generated batches round-trip through json')
})

t.test('startsFormula agrees with the trimmed text', async (t) => {
  fc.assert(fc.property(storedText, (text) => {
    const trimmed = text.replace(/^[\s\p{Cc}\p{Cf}]*/u, '')
    const signFirst = trimmed !== '' && FORMULA_SIGNS.has(String.fromCodePoint(trimmed.codePointAt(0)!))
    const expected = text.startsWith('\t') || text.startsWith('\r') || signFirst
    return startsFormula(text) === expected && (!expected || escapeFormula(text).startsWith('\''))
  }), { seed: 17, numRuns: 2000 })
  t.pass('2000 texts')
})
