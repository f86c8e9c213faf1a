import type { FastifyRequest } from 'fastify'
import { ApiHttpError } from './errors'
import type { Role } from '../shared/people'
import { readPeople, visibleSiteIds, type Person } from './people'
import type { Device, PersonSession, Store } from './store'
import { hashToken } from './tokens'

/** last_seen_at is a hint for people, not a log: write it at most this often per device. */
const TOUCH_INTERVAL_MS = 60_000

/**
 * The device behind `Authorization: Bearer <token>`, or 401. Unknown, malformed and revoked
 * tokens get the same answer, so a caller learns nothing about which it was.
 */
export async function authenticate(store: Store, request: FastifyRequest, now: Date): Promise<Device> {
  const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})\s*$/i.exec(request.headers.authorization ?? '')
  const device = match?.[1] ? await store.findDeviceByTokenHash(hashToken(match[1])) : undefined
  if (!device || device.revokedAt !== null) {
    throw new ApiHttpError(401, 'unauthorized', 'A valid device token is required (enroll this device again if it was revoked)')
  }
  const lastSeen = device.lastSeenAt ? Date.parse(device.lastSeenAt) : 0
  if (now.getTime() - lastSeen > TOUCH_INTERVAL_MS) await store.touchDevice(device.id, now.toISOString())
  return device
}

/** How long a console sign-in lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60_000

export interface AuthenticatedPerson {
  person: Person
  session: PersonSession
  /** The sites this person's console view covers. */
  siteIds: string[]
}

/**
 * The person behind a console session token, or 401; 403 when their role is not one of `roles`.
 * The person is read as they are now: a role change or leaving the roster takes effect at once.
 */
export async function authenticatePerson(
  store: Store,
  request: FastifyRequest,
  now: Date,
  roles: readonly Role[],
): Promise<AuthenticatedPerson> {
  const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})\s*$/i.exec(request.headers.authorization ?? '')
  const session = match?.[1] ? await store.findSession(hashToken(match[1])) : undefined
  const unauthorized = () => new ApiHttpError(401, 'unauthorized', 'Sign in to the console with your staff number and PIN')
  if (!session || session.revokedAt !== null || Date.parse(session.expiresAt) <= now.getTime()) throw unauthorized()
  const person = (await readPeople((q) => store.queryRecords(q), [session.siteId])).find((p) => p.id === session.personId)
  if (!person || !person.active) throw unauthorized()
  if (!roles.includes(person.role)) {
    throw new ApiHttpError(403, 'forbidden', `The role ${person.role} may not do this`)
  }
  return { person, session, siteIds: await visibleSiteIds(store, person) }
}
