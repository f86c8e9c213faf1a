import type { AppDB, LocalRecord } from './AppDB'
import { createRecord, newEnvelope } from './records-repository'
import type { OrgWideKind } from '../../shared/org-records'
import type { RecordEnvelope } from '../../shared/records'

/**
 * Every plan or contact record on this tablet: pulled from the server (any site's edits, and the
 * seeded ones) and saved here. Read through the `[kind+createdAt]` index; there are a few per edit.
 */
export function listOrgRecords(db: AppDB, kind: OrgWideKind): Promise<LocalRecord[]> {
  return db.records.where('[kind+createdAt]').between([kind, ''], [kind, '\uffff']).toArray()
}

/**
 * Saves an edit of a plan or contact as a NEW record (new id, the next version) with its outbox
 * mutation in one transaction, like every record. Nothing is updated in place: two tablets editing
 * offline each make a record, and the server refuses the one whose version is no longer the
 * highest, so neither edit is silently lost.
 */
export function saveOrgRecord(
  db: AppDB,
  who: Pick<RecordEnvelope, 'siteId' | 'deviceId' | 'author' | 'personId'>,
  kind: OrgWideKind,
  id: string,
  data: Record<string, unknown>,
  now: Date,
): Promise<LocalRecord> {
  return createRecord(db, newEnvelope(who, kind, id, data, now))
}
