import type { AppDB, LocalRecord } from './AppDB'
import { createRecord, newEnvelope, type RecordAuthor } from './records-repository'
import type { MediaContactData, MediaWordingData } from '../../shared/media'

const MAX = '\uffff'

/** The media log, newest recorded first, a page at a time (the screen orders by contact time). */
export function listMediaContacts(db: AppDB, limit: number): Promise<LocalRecord[]> {
  return db.records.where('[kind+createdAt]').between(['mediaContact', ''], ['mediaContact', MAX]).reverse().limit(limit).toArray()
}

export function countMediaContacts(db: AppDB): Promise<number> {
  return db.records.where('[kind+createdAt]').between(['mediaContact', ''], ['mediaContact', MAX]).count()
}

/**
 * Turns the form's draft into the record (same id), in ONE transaction with its outbox mutation
 * and the draft's removal (createRecord): a contact is either a draft or a record, never both.
 */
export function createMediaContact(db: AppDB, who: RecordAuthor, id: string, data: MediaContactData, createdAt: Date): Promise<LocalRecord> {
  return createRecord(db, newEnvelope(who, 'mediaContact', id, { ...data }, createdAt))
}

/** Every version of the site's wordings on this tablet (few: a handful of sentences and their edits). */
export async function listMediaWordings(db: AppDB, siteId: string): Promise<LocalRecord[]> {
  const rows = await db.records.where('[kind+createdAt]').between(['mediaWording', ''], ['mediaWording', MAX]).toArray()
  return rows.filter((r) => r.siteId === siteId)
}

/** A new version of a wording: a new record, never an edit of the old one. */
export function createMediaWording(db: AppDB, who: RecordAuthor, id: string, data: MediaWordingData, now: Date): Promise<LocalRecord> {
  return createRecord(db, newEnvelope(who, 'mediaWording', id, { ...data }, now))
}
