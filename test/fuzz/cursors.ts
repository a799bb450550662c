import fc from 'fast-check'
import { edgeNumbers } from './bad-values.js'

/**
 * Values put in place of one element of a real cursor: each of the wrong type for some
 * position, or of the right type and wrong in value (not a date, an instant Postgres cannot
 * hold, a number past an integer column, a string that is not a uuid).
 */
export const cursorElementValues: unknown[] = [
  ...edgeNumbers, 9007199254740991, -9007199254740991,
  'x', '', ' ', '1', 'null', "' OR '1'='1", '\u0000', 'x'.repeat(200),
  '2025-02-30', '0000-01-01', '99999-01-01', '10000-01-01', '-2025-01-01', '2025-1-1',
  '2026-01-01T00:00:00Z', '2026-12-31T23:59:60.000Z', '0000-01-01T00:00:00.000Z', '-271821-04-20T00:00:00.000Z',
  '+275760-09-13T00:00:00.000Z', '+010000-01-01T00:00:00.000Z', '2026-13-01T00:00:00.000Z',
  'not-a-uuid', '00000000-0000-0000-0000-00000000000g', '00000000000000000000000000000000', '{00000000-0000-4000-8000-000000000000}',
  null, true, [], {}, [1], { a: 1 }
]

/** How a real cursor is forged: one element replaced, an element dropped or added, two swapped. */
export interface CursorForgery { kind: 'replace' | 'drop' | 'add' | 'swap', element: number, value: unknown }

export const cursorForgery: fc.Arbitrary<CursorForgery> = fc.record({
  kind: fc.constantFrom<CursorForgery['kind']>('replace', 'replace', 'replace', 'replace', 'drop', 'add', 'swap'),
  element: fc.nat(),
  value: fc.oneof(
    { arbitrary: fc.constantFrom(...cursorElementValues), weight: 6 },
    { arbitrary: fc.integer(), weight: 1 },
    { arbitrary: fc.string({ maxLength: 12 }), weight: 1 }
  )
})

const decoded = (cursor: string): unknown => {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
}

/** A real cursor decoded, forged, and encoded again as the service encodes its own. */
export function forgeCursor (real: string, forgery: CursorForgery): string {
  const key = decoded(real)
  const elements = Array.isArray(key) ? [...key as unknown[]] : [key]
  const at = forgery.element % Math.max(1, elements.length)
  if (forgery.kind === 'replace') elements[at] = forgery.value
  if (forgery.kind === 'drop') elements.splice(at, 1)
  if (forgery.kind === 'add') elements.splice(at, 0, forgery.value)
  if (forgery.kind === 'swap' && elements.length > 1) {
    const other = (at + 1) % elements.length;
    [elements[at], elements[other]] = [elements[other], elements[at]]
  }
  return Buffer.from(JSON.stringify(elements)).toString('base64url')
}

/** Every single-element replacement of a real cursor with each value: the systematic form. */
export function everyReplacement (real: string): Array<{ cursor: string, element: number, value: unknown }> {
  const key = decoded(real)
  const length = Array.isArray(key) ? key.length : 1
  return Array.from({ length }, (_, element) => cursorElementValues.map((value) => ({
    cursor: forgeCursor(real, { kind: 'replace', element, value }), element, value
  }))).flat()
}
