import { v7 as uuidv7 } from 'uuid'

/** Matches a UUID of any version (RFC 9562 layout, lower or upper case). */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Matches a UUID version 7 (time-ordered), the id of every record a device makes. */
export const UUID_V7_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i

/**
 * A new time-ordered id. Made on the device, so a record has its final id before it ever
 * reaches the server, and replays of the same record carry the same id.
 */
export function newId(): string {
  return uuidv7()
}
