// OWASP "CSV Injection": a spreadsheet treats a cell that begins with =, +, -, @, tab or carriage
// return as a formula; a leading single quote makes it plain text. Spreadsheets skip leading
// white space before they look (` =1+1` runs), and some (Apple Numbers, LibreOffice with
// autocorrect) normalise compatibility forms to the ASCII ones: the full-width, small, superscript
// and subscript signs and U+2212 MINUS SIGN. test/exports/formats/formula-escaping.test.ts checks
// that FORMULA_SIGNS is every character whose NFKC form begins with one of these.

/** Characters that start a formula: the ASCII ones, U+2212, and every compatibility form of them. */
export const FORMULA_SIGNS: ReadonlySet<string> = new Set([
  '=', '+', '-', '@', '\u2212',
  '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20', // full-width = + - @
  '\uFE66', '\uFE62', '\uFE63', '\uFE6B', // small = + - @
  '\u207C', '\u207A', '\u207B', // superscript = + minus
  '\u208C', '\u208A', '\u208B', // subscript = + minus
  '\uFB29', // Hebrew alternative plus sign
  '\u2A75', '\u2A76' // two and three consecutive equals signs
])

/**
 * What a spreadsheet passes over before it decides a cell is a formula: white space (tabs, line
 * breaks, no-break and ideographic spaces, the byte order mark), control characters and invisible
 * format characters (zero-width spaces and joiners, bidirectional marks, the soft hyphen).
 */
const LEADING_IGNORED = /^[\s\p{Cc}\p{Cf}]*/u

/** Text a spreadsheet would run, or whose first character is a tab or carriage return. */
export function startsFormula (text: string): boolean {
  if (text.startsWith('\t') || text.startsWith('\r')) return true
  const first = text.slice(LEADING_IGNORED.exec(text)![0].length).codePointAt(0)
  return first !== undefined && FORMULA_SIGNS.has(String.fromCodePoint(first))
}

/** Text for a CSV cell that no spreadsheet will run: `'` before text that would start a formula. */
export function escapeFormula (text: string): string {
  return startsFormula(text) ? `'${text}` : text
}

/** How a CSV renderer escapes text cells. */
export type FormulaEscaping = (text: string) => string

const FIRST_CHARACTER_SIGNS = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'])

/**
 * The escaping of batches claimed in file layout 1 (before white space and the small, superscript
 * and subscript signs were handled): the first character alone. Kept only so those batches' files
 * stay byte-identical to what was downloaded and digested; new batches use escapeFormula.
 */
export function escapeFirstCharacterFormula (text: string): string {
  return FIRST_CHARACTER_SIGNS.has(text.charAt(0)) ? `'${text}` : text
}
