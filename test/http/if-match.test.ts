// If-Match that is not a list of entity-tags (issue 12, item 15). An ETag sent without its double
// quotes (`If-Match: <id>:<version>`) was answered 412, "the resource has changed since it was
// read": the client was told to fetch again, which never helps. RFC 9110 (8.8.3, 13.1.1):
// If-Match is `*` or a list of entity-tags, each an optional `W/` and a quoted string; a header
// that is neither is malformed (400 malformed_if_match, naming the form), a well-formed tag
// that does not match is 412, and If-Match compares strongly, so a weak tag never matches.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { committedDocumentPath } from '../../src/openapi-document.js'
import { parseEntityTags } from '../../src/http/etag.js'
import { build } from '../helpers/app.js'

const PROBLEM = 'application/problem+json; charset=utf-8'

t.test('an If-Match that is not a list of quoted entity-tags is 400 malformed_if_match; a well-formed one that does not match is 412', async (t) => {
  const h = await build(t)
  const admin = await h.key('admin')
  const person = await h.person('If-Match Person')
  const other = await h.person('Another Person')
  const url = `/people/${person.id}`
  const read = await h.app.inject({ method: 'GET', url, headers: admin.headers })
  const etag = read.headers.etag as string
  t.equal(etag, `"${person.id}:1"`, 'the ETag is the quoted <id>:<version>')
  const patch = (ifMatch: string, displayName = 'Renamed') =>
    h.app.inject({ method: 'PATCH', url, headers: { ...admin.headers, 'if-match': ifMatch }, payload: { displayName } })

  const malformed = [
    [`${person.id}:1`, 'the current ETag without its double quotes'],
    [`"${person.id}:1`, 'no closing quote'],
    [`${person.id}:1"`, 'no opening quote'],
    ['"abc', 'an opening quote only'],
    ['garbage', 'a bare word'],
    ['W/', 'W/ and nothing'],
    [`w/"${person.id}:1"`, 'a lower-case w/ (W/ is case-sensitive)'],
    [`W/ "${person.id}:1"`, 'a space between W/ and the tag'],
    [`"${person.id}:1" "${other.id}:1"`, 'two tags without a comma'],
    [`"${person.id}:1"x`, 'a tag followed by text'],
    [`"${person.id}:1", *`, '* inside a list'],
    [`"${person.id} :1"`, 'a space inside the quotes'],
    [',', 'a list of empty members only'],
    [' , , ', 'empty members and spaces only'],
    [`"${person.id}:1", ${other.id}:1`, 'one good tag and one unquoted'],
    ['{"etag":1}', 'JSON']
  ]
  for (const [ifMatch, what] of malformed) {
    const res = await patch(ifMatch!)
    t.equal(res.statusCode, 400, `${what}: 400`)
    t.equal(res.headers['content-type'], PROBLEM, `${what}: problem+json`)
    const body = res.json()
    t.equal(body.code, 'malformed_if_match', `${what}: malformed_if_match`)
    t.match(body.detail, /double quotes included \(`"<id>:<version>"`\)/, `${what}: the detail names the form`)
  }
  const unquoted = (await patch(`${person.id}:1`)).json()
  t.match(unquoted.detail, `\`${person.id}:1\` is not in double quotes`, 'the detail says what is wrong with the member')

  const preconditionFailed = [
    [`"${person.id}:2"`, 'a stale (here: future) version'],
    [`"${other.id}:1"`, 'another resource\'s ETag'],
    [`W/"${person.id}:1"`, 'the current ETag, weak (If-Match compares strongly)'],
    ['"abc"', 'a well-formed tag not of this service\'s form'],
    ['""', 'an empty quoted tag'],
    [`"${person.id.toUpperCase()}:1"`, 'the ETag in upper case (not the same octets)'],
    [`"${other.id}:1", W/"${person.id}:1"`, 'a list that holds the current ETag only weak'],
    [`"${person.id}:1,2"`, 'a comma inside the quotes (one tag, not of this service\'s form)']
  ]
  for (const [ifMatch, what] of preconditionFailed) {
    const res = await patch(ifMatch!)
    t.equal(res.statusCode, 412, `${what}: 412`)
    t.equal(res.json().code, 'precondition_failed', `${what}: precondition_failed`)
  }
  t.match((await patch(`W/"${person.id}:1"`)).json().detail, /weak tag .* never matches/, 'a weak tag is told why it does not match')

  t.equal((await patch('')).statusCode, 428, 'an empty If-Match is a missing one: 428')
  t.equal((await patch('*')).statusCode, 428, '* names no version: 428')

  const listed = await patch(`, "${other.id}:1", , ${etag} ,`, 'Renamed in a list')
  t.equal(listed.statusCode, 200, 'a list with empty members (ignored, RFC 9110 5.6.1.2) and the current ETag matches')
  t.equal(listed.headers.etag, `"${person.id}:2"`)
  const right = await patch(`"${person.id}:2"`, 'Renamed again')
  t.equal(right.statusCode, 200, 'the current ETag, quoted: 200')
  t.equal(right.json().displayName, 'Renamed again')
})

t.test('entity-tag lists are read as RFC 9110 writes them', async (t) => {
  t.same(parseEntityTags('"a", W/"b",,"c,d"'), [{ weak: false, opaque: 'a' }, { weak: true, opaque: 'b' }, { weak: false, opaque: 'c,d' }])
  t.same(parseEntityTags('\t"x"\t'), [{ weak: false, opaque: 'x' }], 'tabs are whitespace')
  t.same(parseEntityTags('"caf\u00e9"'), [{ weak: false, opaque: 'caf\u00e9' }], 'obs-text is allowed in a tag')
  t.match(parseEntityTags('"a\u0001"'), { malformed: String }, 'a control character is not')
})

t.test('every operation that takes If-Match documents the 400 for a malformed one, and says the form', async (t) => {
  const document = JSON.parse(readFileSync(committedDocumentPath, 'utf8')) as {
    paths: Record<string, Record<string, { operationId: string, parameters?: Array<{ in: string, name: string, description?: string }>, responses: Record<string, { description: string }> }>>
  }
  const conditional = Object.values(document.paths).flatMap((operations) => Object.values(operations))
    .filter((operation) => operation.parameters?.some((p) => p.in === 'header' && p.name === 'if-match'))
  t.ok(conditional.length >= 10, `${conditional.length} operations take If-Match`)
  for (const operation of conditional) {
    t.match(operation.responses['400']?.description, /malformed_if_match/, `${operation.operationId}: 400 names malformed_if_match`)
    t.ok(operation.responses['412'] !== undefined && operation.responses['428'] !== undefined, `${operation.operationId}: 412 and 428 documented`)
    const header = operation.parameters!.find((p) => p.name === 'if-match')!
    t.match(header.description, /double quotes included \(`"<id>:<version>"`\).*400 `malformed_if_match`/, `${operation.operationId}: the header says its form and the 400`)
  }
})
