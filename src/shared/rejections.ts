/**
 * Why the server refused a mutation: each code with the fields of its `params`, what the tablet
 * needs to say it in the user's language (src/client/composables/useRejectionMessage.ts). Names
 * that the sentence translates (a role, a record kind) travel as their ids. A code added here gets
 * a message in every locale (tests/client/rejection-message.test.ts checks it); a tablet older than
 * the code shows the English `reason` instead.
 *
 * Plain data, no schema library: the home screen translates stored rejections at start, before the
 * sync engine (and zod with it) is loaded.
 */
export const REJECTION_PARAMS = {
  /** The record or its `data` does not pass the shared schema; `field` is the first failing path ('' for the whole record). */
  invalid_record: { field: 'string' },
  /** A NUL character or a lone surrogate somewhere in the record (see push.ts). */
  unstorable_text: {},
  wrong_site: { siteId: 'string', deviceSiteId: 'string' },
  wrong_device: { deviceId: 'string', expectedDeviceId: 'string' },
  /** `person`, `siteSettings`: written by the admin API only. */
  server_only_kind: { kind: 'string' },
  /** The record names no signed-in person (`personId`). */
  no_person: { kind: 'string' },
  person_unknown: { personId: 'string' },
  person_inactive: { name: 'string', staffNo: 'string' },
  role_not_allowed: { name: 'string', staffNo: 'string', role: 'string', kind: 'string' },
  /** An edit of an org-wide record (plan, contact) made from an older version than the server's. */
  stale_version: { kind: 'string', id: 'string', version: 'number', held: 'number' },
  /** Another record with different content has this record's id. */
  id_taken: { id: 'string' },
} as const satisfies Record<string, Record<string, 'string' | 'number'>>

export type RejectionCode = keyof typeof REJECTION_PARAMS
export const REJECTION_CODES = Object.keys(REJECTION_PARAMS) as [RejectionCode, ...RejectionCode[]]

type ParamsOf<F> = { -readonly [K in keyof F]: F[K] extends 'number' ? number : string }

/** A code with the params of that code. */
export type RejectionDetail = {
  [C in RejectionCode]: { code: C; params: ParamsOf<(typeof REJECTION_PARAMS)[C]> }
}[RejectionCode]
/** A rejection as the server makes it: a code, its params, and the English sentence for logs and older tablets. */
export type Rejection = RejectionDetail & { reason: string }

/** The params of any rejection on the wire: names and numbers only. */
export type RejectionParams = Record<string, string | number>

const isCode = (code: unknown): code is RejectionCode => typeof code === 'string' && Object.hasOwn(REJECTION_PARAMS, code)

/**
 * A code and params as a tablet stored them, checked against this app's list: undefined for a code
 * it does not know (a newer server) or params that do not fit, so the caller falls back to `reason`.
 * Only the declared fields are kept.
 */
export function parseRejection(code: unknown, params: unknown): RejectionDetail | undefined {
  if (!isCode(code)) return undefined
  const given = (params ?? {}) as Record<string, unknown>
  if (typeof given !== 'object' || Array.isArray(given)) return undefined
  const kept: RejectionParams = {}
  for (const [field, type] of Object.entries(REJECTION_PARAMS[code] as Record<string, 'string' | 'number'>)) {
    const value = given[field]
    if (typeof value !== type || (type === 'number' && !Number.isFinite(value))) return undefined
    kept[field] = value as string | number
  }
  return { code, params: kept } as RejectionDetail
}
