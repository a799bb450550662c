import fc from 'fast-check'
import t from 'tap'
import { sql } from 'drizzle-orm'
import { rowsOf } from '../../src/db/open.js'
import { parseRecordText } from '../../src/db/record-text.js'
import { createTestDatabase } from '../helpers/database.js'

t.test('row values in text form split into their fields', async (t) => {
  t.same(parseRecordText('(1,,"O\'Brien, ""Sam""",t)'), ['1', null, 'O\'Brien, "Sam"', 't'])
  t.same(parseRecordText('("",a,)'), ['', 'a', null], 'an empty text is quoted; a trailing NULL is nothing')
  t.same(parseRecordText('("a\\\\b","(x)","tab\there")'), ['a\\b', '(x)', 'tab\there'], 'doubled backslashes, parentheses, white space')
  t.throws(() => parseRecordText('1,2'), /not a row value/)
  t.throws(() => parseRecordText('("open)'), /unterminated/)
  t.throws(() => parseRecordText('("a\\b")'), /lone backslash/)
})

t.test('what the database writes is read back exactly, NULLs included', async (t) => {
  const database = await createTestDatabase()
  t.teardown(async () => {
    await database.handle.close()
    await database.dispose()
  })
  const text = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('', ' ', '"', '\\', ',', '(', ')', '=HYPERLINK("x","y")', 'O\'Brien, Sam "Sunny"', 'line\nbreak', 'tab\t', 'é€😀', 'NULL')
  ).filter((s) => !s.includes('\u0000'))
  const values = fc.array(fc.option(text, { nil: null }), { minLength: 1, maxLength: 5 })
  await fc.assert(fc.asyncProperty(values, async (fields) => {
    const columns = sql.join(fields.map((field) => sql`${field}::text`), sql`, `)
    const [row] = rowsOf<{ r: string }>(await database.handle.db.execute(sql`select row(${columns})::text as r`))
    return JSON.stringify(parseRecordText(row!.r)) === JSON.stringify(fields)
  }), { seed: 11, numRuns: 200 })
  t.pass('200 generated rows read back')
})
