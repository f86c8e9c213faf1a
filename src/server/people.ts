import { randomBytes, randomInt, webcrypto } from 'node:crypto'
import { newId } from '../shared/ids'
import { SYSTEM_DEVICE_ID, SYSTEM_SITE_ID } from '../shared/org-records'
import {
  currentPeople,
  currentSiteSettings,
  PersonRecordDataSchema,
  PinSchema,
  SiteSettingsDataSchema,
  type PersonRecordData,
  type PinHash,
  type Role,
  type SiteSettingsData,
} from '../shared/people'
import { hashPin, PIN_ITERATIONS, verifyPin, type Pbkdf2Subtle } from '../shared/pin'
import type { RecordEnvelope } from '../shared/records'
import { ALL_SITES_ROLES } from '../shared/roles'
import type { RecordQuery, Store, StoredRecord } from './store'

export const subtle = webcrypto.subtle as unknown as Pbkdf2Subtle
const random = (n: number) => new Uint8Array(randomBytes(n))

/** A person as the server knows them: the current version. */
export type Person = PersonRecordData

type Read = (query: RecordQuery) => Promise<StoredRecord[]>

/** More than any real roster with its history; a read past it would be a bug worth seeing. */
const ROSTER_READ_LIMIT = 100_000

/** The read of the people records of these sites (all sites when absent): every version. */
export const rosterQuery = (siteIds?: readonly string[]): RecordQuery => ({ kinds: ['person'], ...(siteIds ? { siteIds } : {}), limit: ROSTER_READ_LIMIT })

/** The people of these sites (all sites when absent), newest version of each, inactive ones too. */
export async function readPeople(read: Read, siteIds?: readonly string[]): Promise<Person[]> {
  const rows = await read(rosterQuery(siteIds))
  return currentPeople(rows.map((r) => r.data))
}

export async function readSiteSettings(read: Read, siteIds?: readonly string[]): Promise<SiteSettingsData[]> {
  const rows = await read({ kinds: ['siteSettings'], ...(siteIds ? { siteIds } : {}), limit: ROSTER_READ_LIMIT })
  return currentSiteSettings(rows.map((r) => r.data))
}

export function newPinHash(pin: string, iterations = PIN_ITERATIONS): Promise<PinHash> {
  return hashPin(subtle, random, pin, iterations)
}

export function checkPin(pin: string, stored: PinHash): Promise<boolean> {
  return verifyPin(subtle, pin, stored)
}

/** The sites a person's console view covers: their own and the ones they manage, or all. */
export async function visibleSiteIds(store: Store, person: Pick<Person, 'siteId' | 'role' | 'manages'>): Promise<string[]> {
  if (ALL_SITES_ROLES.includes(person.role)) return (await store.listSites()).map((s) => s.id)
  return [...new Set([person.siteId, ...person.manages])].filter((id) => id !== SYSTEM_SITE_ID)
}

export class PeopleConflictError extends Error {
  constructor(readonly reason: 'staff_no_taken' | 'not_found', message: string) {
    super(message)
    this.name = 'PeopleConflictError'
  }
}

export interface PersonInput {
  siteId: string
  name: string
  staffNo: string
  role: Role
  phone?: string
  pin?: string
  active?: boolean
  manages?: string[]
}

function serverEnvelope(kind: 'person' | 'siteSettings', siteId: string, data: Record<string, unknown>, by: Pick<Person, 'id' | 'name'> | undefined, now: string): RecordEnvelope {
  return {
    id: newId(),
    kind,
    siteId,
    deviceId: SYSTEM_DEVICE_ID,
    author: by?.name ?? 'Steadyline',
    ...(by ? { personId: by.id } : {}),
    createdAt: now,
    updatedAt: now,
    serverSeq: null,
    data,
  }
}

/**
 * Adds a person or changes one (`personId` set): a new `person` record with the next version, in a
 * write transaction that also checks the staff number is not another active person's. The PIN is
 * hashed here; only the hash is stored and sent to the site's tablets.
 */
export async function savePerson(
  store: Store,
  input: Partial<PersonInput> & { personId?: string },
  by: Pick<Person, 'id' | 'name'> | undefined,
  now: string,
  iterations = PIN_ITERATIONS,
): Promise<Person> {
  // Hashing is slow on purpose: do it before the write transaction, not inside it.
  const pin = input.pin !== undefined ? await newPinHash(input.pin, iterations) : undefined
  const stored = await store.appendServerRecords(now, async (read) => {
    const everyone = await readPeople(read)
    const current = input.personId ? everyone.find((p) => p.id === input.personId) : undefined
    if (input.personId && !current) throw new PeopleConflictError('not_found', `No person ${input.personId}`)
    const data = PersonRecordDataSchema.parse({
      id: current?.id ?? newId(),
      version: (current?.version ?? 0) + 1,
      siteId: input.siteId ?? current?.siteId,
      name: input.name ?? current?.name,
      staffNo: input.staffNo ?? current?.staffNo,
      role: input.role ?? current?.role,
      phone: input.phone ?? current?.phone ?? '',
      pin: pin ?? current?.pin ?? null,
      active: input.active ?? current?.active ?? true,
      manages: input.manages ?? current?.manages ?? [],
    })
    const taken = everyone.find((p) => p.id !== data.id && p.active && p.staffNo === data.staffNo)
    if (taken && data.active) throw new PeopleConflictError('staff_no_taken', `Staff number ${data.staffNo} belongs to someone else`)
    return [serverEnvelope('person', data.siteId, data, by, now)]
  })
  return PersonRecordDataSchema.parse(stored[0]!.data)
}

export async function saveSiteSettings(
  store: Store,
  input: Partial<Omit<SiteSettingsData, 'version'>> & { id: string },
  by: Pick<Person, 'id' | 'name'> | undefined,
  now: string,
): Promise<SiteSettingsData> {
  const stored = await store.appendServerRecords(now, async (read) => {
    const current = (await readSiteSettings(read, [input.id]))[0]
    const data = SiteSettingsDataSchema.parse({ ...current, ...input, version: (current?.version ?? 0) + 1 })
    return [serverEnvelope('siteSettings', input.id, data, by, now)]
  })
  return SiteSettingsDataSchema.parse(stored[0]!.data)
}

export const BOOTSTRAP_ADMIN_STAFF_NO = 'admin'

/**
 * The first administrator, made on the first start of an empty server so that somebody can sign
 * in to the console and add sites and people. Belongs to the system site (never enrollable), so no
 * tablet ever holds its PIN's hash. Returns the PIN to print once, or undefined when an
 * administrator exists already.
 */
export async function ensureAdmin(store: Store, now: string, pin = String(randomInt(0, 1_000_000)).padStart(6, '0')): Promise<string | undefined> {
  const admins = (await readPeople((q) => store.queryRecords(q))).filter((p) => p.role === 'admin' && p.active)
  if (admins.length > 0) return undefined
  if (!PinSchema.safeParse(pin).success) throw new Error('ADMIN_PIN must be 4 to 8 digits')
  await savePerson(
    store,
    { siteId: SYSTEM_SITE_ID, name: '管理员 Administrator', staffNo: BOOTSTRAP_ADMIN_STAFF_NO, role: 'admin', pin },
    undefined,
    now,
  )
  return pin
}
