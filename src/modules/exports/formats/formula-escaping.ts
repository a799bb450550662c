// OWASP "CSV Injection": a spreadsheet treats a cell that begins with =, +, -, @, tab or carriage
// return as a formula; a leading single quote makes it plain text. The full-width forms are
// escaped too, because some spreadsheets (Apple Numbers) normalise them to the ASCII ones
// (found by csv-stringify, whose own `escape_formulas` cannot spare our negative amounts).
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'])

/** Text for a CSV cell that no spreadsheet will run: `'` before a leading formula trigger. */
export function escapeFormula (text: string): string {
  return FORMULA_TRIGGERS.has(text.charAt(0)) ? `'${text}` : text
}
