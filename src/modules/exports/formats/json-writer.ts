// Streamed JSON for the export formats: one compact element per line (LF), so a file is valid,
// deterministic and never held whole in memory.

/**
 * A JSON array of items as they arrive: `[`, each element (JSON.stringify of `toJson(item)`) on
 * its own line, `]`; `[]` when there are none.
 */
export async function * renderJsonArray<T> (items: AsyncIterable<T>, toJson: (item: T) => unknown): AsyncGenerator<string> {
  let first = true
  for await (const item of items) {
    yield `${first ? '[\n' : ',\n'}${JSON.stringify(toJson(item))}`
    first = false
  }
  yield first ? '[]' : '\n]'
}

/**
 * A decimal we formatted ('30.54', '2.50', '-0.83') as a JSON number. JSON keeps no trailing zeros
 * (2.50 is written 2.5); the check refuses any text whose number would not print back exactly.
 */
export function exactJsonNumber (decimalText: string): number {
  const value = Number(decimalText)
  const canonical = decimalText.includes('.') ? decimalText.replace(/0+$/, '').replace(/\.$/, '') : decimalText
  if (!/^-?\d+(\.\d+)?$/.test(decimalText) || String(value) !== (canonical === '-0' ? '0' : canonical)) {
    throw new RangeError(`${JSON.stringify(decimalText)} cannot be written exactly as a JSON number`)
  }
  return value
}

/** A file that is one JSON array (as renderJsonArray), ending with a newline. */
export async function * renderJsonArrayFile<T> (items: AsyncIterable<T>, toJson: (item: T) => unknown): AsyncGenerator<string> {
  yield * renderJsonArray(items, toJson)
  yield '\n'
}
