import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

/** No 0/O, 1/I/L: the code is read off a screen and typed on a tablet. */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'

/** A new enrollment code, e.g. `K7QM-3WXP` (8 characters, about 40 bits). */
export function makeEnrollmentCode(): string {
  let code = ''
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return `${code.slice(0, 4)}-${code.slice(4)}`
}

/** Case, spaces and dashes do not matter when a person types the code. */
function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[^0-9A-Z]/g, '')
}

/** Compares in constant time (over fixed-length digests, so the length leaks nothing either). */
export function enrollmentCodeMatches(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(normalizeCode(s)).digest()
  return timingSafeEqual(digest(given), digest(expected)) && normalizeCode(expected).length > 0
}

/** A device's bearer token: 32 random bytes, base64url. Shown once; only its hash is stored. */
export function newDeviceToken(): string {
  return randomBytes(32).toString('base64url')
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}
