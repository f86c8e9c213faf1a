import type { FastifyRequest } from 'fastify'
import { ApiHttpError } from './errors'
import type { Device, Store } from './store'
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
