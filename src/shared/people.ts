import { z } from 'zod'
import { buildCatalog, type Versioned } from './catalog'
import { UUID_RE } from './ids'
import { DEFAULT_IDLE_LOCK_MINUTES } from './pin'

/**
 * The roles of the plans' people. What each may do is in roles.ts; the server enforces it, the
 * tablet only hides what a person may not do.
 */
export const ROLES = ['agent', 'shiftLeader', 'supervisor', 'security', 'opsSpecialist', 'centerManager', 'admin'] as const
export const RoleSchema = z.enum(ROLES)
export type Role = z.infer<typeof RoleSchema>

/**
 * A PIN as a slow salted hash (PBKDF2-SHA256, WebCrypto on the tablet and node:crypto on the
 * server compute the same bytes). It comes down with the roster so that a person can sign in on a
 * tablet with no network; the PIN itself never leaves the keypad it was typed on.
 */
export const PinHashSchema = z.object({
  algo: z.literal('PBKDF2-SHA256'),
  iterations: z.number().int().min(10_000).max(10_000_000),
  /** hex, 16 bytes or more */
  salt: z.string().regex(/^[0-9a-f]{32,128}$/),
  /** hex of the 32 derived bytes */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
})
export type PinHash = z.infer<typeof PinHashSchema>

/** A PIN: 4 to 8 digits. Short on purpose (a tablet's keypad, a gloved hand); the hash is slow. */
export const PinSchema = z.string().regex(/^\d{4,8}$/, 'pin must be 4 to 8 digits')

/**
 * A person of a site's roster, as a record (kind `person`) of that site: it reaches the site's
 * tablets by pull like everything else. Versioned like contacts: a change is a new record with the
 * same `id` and the next `version`; the highest version is the person as they are now.
 * Written by the server only (the admin API), never pushed by a tablet.
 */
export const PersonRecordDataSchema = z.object({
  id: z.string().regex(UUID_RE),
  version: z.number().int().positive(),
  siteId: z.string().regex(UUID_RE),
  name: z.string().trim().min(1).max(50),
  staffNo: z.string().trim().min(1).max(30),
  role: RoleSchema,
  phone: z.string().trim().max(40).default(''),
  /** null: this person cannot sign in (no PIN set yet). */
  pin: PinHashSchema.nullable(),
  /** false: left the site; kept so that old records still show the name. */
  active: z.boolean(),
  /** Sites whose records this person reads on the central console besides their own. */
  manages: z.array(z.string().regex(UUID_RE)).max(200).default([]),
})
export type PersonRecordData = z.infer<typeof PersonRecordDataSchema>

/** A site's own settings, as a record (kind `siteSettings`) of that site, versioned the same way. */
export const SiteSettingsDataSchema = z.object({
  id: z.string().regex(UUID_RE),
  version: z.number().int().positive(),
  name: z.string().trim().min(1).max(100),
  location: z.string().trim().max(200).default(''),
  /** An idle tablet locks after this many minutes (drafts are kept). */
  idleLockMinutes: z.number().int().min(1).max(240).default(DEFAULT_IDLE_LOCK_MINUTES),
})
export type SiteSettingsData = z.infer<typeof SiteSettingsDataSchema>

export { DEFAULT_IDLE_LOCK_MINUTES } from './pin'

/**
 * The current version of each entry among the `data` of versioned records (people, site
 * settings): the highest, by the catalog's rules; data that does not parse is left out.
 */
function currentOf<S extends z.ZodType<Versioned>>(schema: S, datas: readonly unknown[]): z.output<S>[] {
  const records = datas.flatMap((data) => {
    const parsed = schema.safeParse(data)
    return parsed.success ? [{ data: parsed.data, rejected: false }] : []
  })
  return buildCatalog<z.output<S>>([], records).current
}

/** The roster as a tablet, the server or the console sees it: the current version of each person. */
export const currentPeople = (datas: readonly unknown[]): PersonRecordData[] => currentOf(PersonRecordDataSchema, datas)
export const currentSiteSettings = (datas: readonly unknown[]): SiteSettingsData[] => currentOf(SiteSettingsDataSchema, datas)
