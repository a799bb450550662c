import { createHash, randomBytes } from 'node:crypto'

const SECRET_PREFIX = 'sp_'

/** A secret wherever it appears in text (a URL, a message): the prefix and its base64url. */
export const SECRET_IN_TEXT = new RegExp(`${SECRET_PREFIX}[A-Za-z0-9_-]+`, 'g')

/** A new API key secret: 32 random bytes, base64url, with a recognisable prefix. */
export function generateSecret (): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url')
}

/** Only this digest is stored; a leaked table reveals no usable key. */
export function hashSecret (secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

/** The first characters of a secret, kept to help people tell their keys apart. */
export function secretPrefixOf (secret: string): string {
  return secret.slice(0, SECRET_PREFIX.length + 6)
}

/** The secret in an `Authorization: Bearer <secret>` header, if the header has that form. */
export function bearerSecret (header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  const match = /^Bearer +([A-Za-z0-9_-]{1,200})\s*$/i.exec(header)
  return match?.[1]
}
