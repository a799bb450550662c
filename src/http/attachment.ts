// Content-Disposition for downloads. Stored data (a payroll reference) goes into file names, so
// the header is built by the content-disposition package (RFC 6266, quoting and RFC 8187
// encoding done right), never by pasting text between quotes: a reference such as
// `X";filename*=UTF-8''evil.html;x="` once made a pay record save as evil.html.
import { create } from 'content-disposition'

/** Characters a file name part made from data may keep; anything else becomes `_`. */
const UNSAFE_FILE_NAME_CHARACTERS = /[^A-Za-z0-9._-]/g

/**
 * A piece of stored data fit to stand in a file name: letters, digits, `.`, `_` and `-` kept,
 * anything else `_`. Payroll references are refused at input unless they are already so, but a
 * value stored before that rule (or any other data) still cannot reshape the name.
 */
export function fileNamePart (text: string): string {
  return text.replace(UNSAFE_FILE_NAME_CHARACTERS, '_')
}

/** `Content-Disposition: attachment` naming the file. */
export function attachment (fileName: string): string {
  return create(fileName, { type: 'attachment' })
}
