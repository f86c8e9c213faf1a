import type { AppDB } from './AppDB'
import type { EnrollResponse } from '../../shared/sync'

/** What the tablet learnt when it enrolled with the server: the keys to every sync call. */
export type Enrollment = EnrollResponse & { enrolledAt: string }

export async function getMeta<T>(db: AppDB, key: string): Promise<T | undefined> {
  const row = await db.meta.get(key)
  return row?.value as T | undefined
}

export function setMeta(db: AppDB, key: string, value: unknown): Promise<string> {
  return db.meta.put({ key, value })
}

/** This database's sync identity, made on first open (see AppDB's populate). */
export async function getClientId(db: AppDB): Promise<string> {
  const clientId = await getMeta<string>(db, 'clientId')
  if (!clientId) throw new Error('clientId missing: the database was not populated')
  return clientId
}

export function getEnrollment(db: AppDB): Promise<Enrollment | undefined> {
  return getMeta<Enrollment>(db, 'enrollment')
}

export function saveEnrollment(db: AppDB, enrollment: Enrollment): Promise<string> {
  return setMeta(db, 'enrollment', enrollment)
}

/** Forget the server's token (it was refused or revoked) but keep every record and the outbox. */
export function clearEnrollment(db: AppDB): Promise<void> {
  return db.meta.delete('enrollment')
}
