import type { PinHash } from './people'

/** An idle tablet locks after this many minutes (drafts are kept), unless the site's settings say otherwise. */
export const DEFAULT_IDLE_LOCK_MINUTES = 5

/**
 * The slice of WebCrypto a PIN check needs: `crypto.subtle` in the browser and
 * `webcrypto.subtle` from node:crypto on the server both fit, so the two sides compute the same
 * bytes with the same code and no hand-written hashing.
 */
export interface Pbkdf2Subtle {
  importKey(format: 'raw', keyData: Uint8Array<ArrayBuffer>, algorithm: 'PBKDF2', extractable: false, usages: ['deriveBits']): Promise<unknown>
  deriveBits(
    algorithm: { name: 'PBKDF2'; hash: 'SHA-256'; salt: Uint8Array<ArrayBuffer>; iterations: number },
    baseKey: never,
    length: number,
  ): Promise<ArrayBuffer>
}

/**
 * Iterations of PBKDF2-SHA256 for a new PIN: about a tenth of a second on a tablet, so that
 * guessing a short PIN from a copied roster costs real time. Tests pass fewer.
 */
export const PIN_ITERATIONS = 120_000

const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return out
}

/** UTF-8 of a PIN: digits only (PinSchema), so one byte per character. */
function pinBytes(pin: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(pin, (c) => c.charCodeAt(0) & 0x7f)
}

async function derive(subtle: Pbkdf2Subtle, pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await subtle.importKey('raw', pinBytes(pin), 'PBKDF2', false, ['deriveBits'])
  const bits = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key as never, 256)
  return new Uint8Array(bits)
}

/** A new hash of `pin` with a fresh salt from `randomBytes`. */
export async function hashPin(
  subtle: Pbkdf2Subtle,
  randomBytes: (n: number) => Uint8Array<ArrayBuffer>,
  pin: string,
  iterations = PIN_ITERATIONS,
): Promise<PinHash> {
  const salt = randomBytes(16)
  return { algo: 'PBKDF2-SHA256', iterations, salt: toHex(salt), hash: toHex(await derive(subtle, pin, salt, iterations)) }
}

/** Wrong PINs in a row, and until when the keypad waits (0: it does not). */
export interface PinFailures {
  count: number
  until: number
}

/** Whether a keypad with these failures must wait at `now`. */
export function pinWaiting(held: PinFailures | undefined, now: number): boolean {
  return held !== undefined && held.until > now
}

/**
 * The failures after one more wrong PIN at `now`: the `max`-th in a row makes the keypad wait
 * `waitMs`, after which the count starts again. The tablet and the console's sign-in both use it.
 */
export function afterWrongPin(held: PinFailures | undefined, now: number, max: number, waitMs: number): PinFailures {
  const count = (held && held.until === 0 ? held.count : 0) + 1
  return count >= max ? { count: 0, until: now + waitMs } : { count, until: 0 }
}

/** Whether `pin` matches; compares every byte whatever the first difference. */
export async function verifyPin(subtle: Pbkdf2Subtle, pin: string, stored: PinHash): Promise<boolean> {
  const derived = toHex(await derive(subtle, pin, fromHex(stored.salt), stored.iterations))
  let diff = derived.length ^ stored.hash.length
  for (let i = 0; i < derived.length && i < stored.hash.length; i++) diff |= derived.charCodeAt(i) ^ stored.hash.charCodeAt(i)
  return diff === 0
}
