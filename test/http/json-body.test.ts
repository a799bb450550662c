import fc from 'fast-check'
import t from 'tap'
import { holdsMoreValuesThan } from '../../src/http/json-body.js'

/** Object members and array items at any depth, counted on the parsed value. */
function valuesIn (value: unknown): number {
  if (Array.isArray(value)) return value.length + value.reduce((sum: number, item) => sum + valuesIn(item), 0)
  if (typeof value === 'object' && value !== null) return Object.values(value).reduce((sum: number, item) => sum + 1 + valuesIn(item), 0)
  return 0
}

t.test('the value count read from JSON text is the count of the parsed value', async (t) => {
  fc.assert(fc.property(
    fc.jsonValue({ maxDepth: 4 }),
    fc.constantFrom(undefined, 0, 2, '\t'),
    fc.nat(3),
    (value, indent, slack) => {
      const text = JSON.stringify(value, null, indent)
      const count = valuesIn(JSON.parse(text))
      // Just under, at and just over the count.
      for (const max of [count - 1 - slack, count - 1, count, count + slack]) {
        if (max >= 0 && holdsMoreValuesThan(text, max) !== (count > max)) return false
      }
      return true
    }
  ), { numRuns: 2000 })
  t.pass('2000 generated JSON texts (strings with quotes, backslashes, brackets and commas; nested arrays and objects)')
  t.equal(holdsMoreValuesThan('[]', 0), false, 'an empty array holds nothing')
  t.equal(holdsMoreValuesThan('[[]]', 0), true, 'an array holding an empty array holds one value')
  t.equal(holdsMoreValuesThan('{"a,b:c":"[1,2]"}', 1), false, 'punctuation inside strings is not counted')
  t.equal(holdsMoreValuesThan('{"a\\"":1,"b":2}', 1), true, 'an escaped quote does not end a string')
})
