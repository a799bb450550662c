/**
 * The fields of a row value in PostgreSQL's text form (`select row(a, b, c)::text`), each as
 * text or null: `(1,,"O'Brien, ""Sam""",t)` gives ['1', null, 'O\'Brien, "Sam"', 't'].
 *
 * PostgreSQL writes a NULL field as nothing, and quotes a field that is empty or holds a quote,
 * backslash, comma, parenthesis or white space, doubling any quote or backslash inside. Reading
 * a hot path's rows as one text value each and splitting them here is much cheaper than
 * having the driver decode every column (src/modules/exports/source.ts, test/bench).
 */
export function parseRecordText (text: string): Array<string | null> {
  if (text.charCodeAt(0) !== 40 || text.charCodeAt(text.length - 1) !== 41) throw new SyntaxError('not a row value in text form')
  const fields: Array<string | null> = []
  const end = text.length - 1
  let i = 1
  while (i <= end) {
    if (text.charCodeAt(i) === 34) {
      let value = ''
      let start = ++i
      for (;;) {
        if (i >= end) throw new SyntaxError('unterminated quoted field in a row value')
        const ch = text.charCodeAt(i)
        if (ch !== 34 && ch !== 92) {
          i++
          continue
        }
        value += text.slice(start, i)
        // Doubled: one literal quote or backslash. A lone quote closes the field.
        if (text.charCodeAt(i + 1) === ch) {
          value += text[i]
          i += 2
          start = i
          continue
        }
        if (ch === 92) throw new SyntaxError('lone backslash in a quoted field of a row value')
        i++
        break
      }
      fields.push(value)
    } else {
      let next = text.indexOf(',', i)
      if (next === -1 || next > end) next = end
      fields.push(next === i ? null : text.slice(i, next))
      i = next
    }
    // Past the comma (or the closing parenthesis).
    i++
  }
  return fields
}
