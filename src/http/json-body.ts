import fp from 'fastify-plugin'
import { AppError } from '../errors.js'

/**
 * Most values a JSON body may hold (object members and array items, at any depth). No
 * operation takes nearly that many: the largest body, a bulk decision on 500 entries, holds
 * about 1,500.
 */
export const MAX_BODY_VALUES = 5_000

const [QUOTE, BACKSLASH, COMMA, COLON] = [0x22, 0x5c, 0x2c, 0x3a]
const [OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT] = [0x5b, 0x5d, 0x7b, 0x7d]

/**
 * Whether JSON text holds more than `max` values (object members and array items), read from
 * its punctuation outside strings: a member per colon, an item per comma within an array and
 * for the first item of each array that is not empty. Stops as soon as it knows.
 */
export function holdsMoreValuesThan (text: string, max: number): boolean {
  const containers: number[] = []
  let values = 0
  let inString = false
  let arrayJustOpened = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === BACKSLASH) i++
      else if (c === QUOTE) inString = false
      continue
    }
    if (c <= 0x20) continue // whitespace
    if (arrayJustOpened) {
      arrayJustOpened = false
      if (c !== CLOSE_ARRAY && ++values > max) return true
    }
    if (c === QUOTE) {
      inString = true
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      containers.push(c)
      arrayJustOpened = c === OPEN_ARRAY
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      containers.pop()
    } else if (c === COLON || (c === COMMA && containers[containers.length - 1] === OPEN_ARRAY)) {
      if (++values > max) return true
    }
  }
  return false
}

/**
 * JSON bodies, parsed as Fastify does (prototype poisoning refused), once the text is known to
 * hold at most MAX_BODY_VALUES values. A 0.9 MB body of 80,000 unknown keys took 0.5 s to parse
 * and validate and was answered with 80,000 errors; 16 at once stalled /healthz for seconds.
 * The count stops at the 5,001st value, well under a millisecond in, so the parser and the
 * validator never see more than a few thousand values.
 */
export default fp(async function jsonBody (app) {
  const parse = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string
    if (holdsMoreValuesThan(text, MAX_BODY_VALUES)) {
      const detail = `The request body holds more than ${MAX_BODY_VALUES} JSON values (members and array items); ` +
        'no operation takes that many'
      done(new AppError('payload_too_large', detail), undefined)
      return
    }
    parse(request, text, done)
  })
  // Bodies are JSON only: anything else is 415, not a string handed to validation.
  app.removeContentTypeParser('text/plain')
}, { name: 'json-body' })
