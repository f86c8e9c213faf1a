import type { AppDB, LocalRecord, OutboxEntry } from './AppDB'
import type { RecordEnvelope, RecordKind } from '../../shared/records'
import { localIndexOf } from './record-index'
import Dexie from 'dexie'
import { journalRecord } from './journal'
import { forgetDraftCopy } from './drafts-repository'

/**
 * Stores a new record and its outbox mutation in ONE transaction: either both are on disk or
 * neither is, so a record can never be saved without being queued for the server, nor queued
 * without being saved. The mutation id comes from a counter in the same database; IndexedDB
 * serialises overlapping read-write transactions, so two tabs cannot take the same number.
 * The draft the record came from (same id) goes in the same transaction.
 */
export async function createRecord(db: AppDB, record: RecordEnvelope): Promise<LocalRecord> {
  // The second copy (journal.ts) is written alongside, and the save is confirmed when both are
  // done; inside a caller's transaction it follows that transaction's commit, as no other storage
  // may be awaited while it is open.
  const outer = Dexie.currentTransaction
  if (outer) outer.on('complete', () => void journalRecord(record).then(() => forgetDraftCopy(record.id)).catch(() => undefined))
  const journaled = outer ? undefined : journalRecord(record).catch(() => undefined)
  const stored = await db.transaction('rw', [db.records, db.outbox, db.meta, db.drafts], async () => {
    const counter = await db.meta.get('nextMutationId')
    const mutationId = Number(counter?.value ?? 1)
    const local: LocalRecord = { ...record, serverSeq: null, syncState: 'pending', ...localIndexOf(record) }
    const entry: OutboxEntry = {
      mutationId,
      name: 'record.create',
      args: record,
      createdAt: record.createdAt,
      recordId: record.id,
    }
    await db.records.add(local)
    await db.outbox.add(entry)
    await db.meta.put({ key: 'nextMutationId', value: mutationId + 1 })
    await db.drafts.delete(record.id)
    return local
  })
  if (journaled) {
    await journaled
    await forgetDraftCopy(record.id)
  }
  return stored
}

/** Who makes a record: the tablet's site and device, and the person (or the device's name). */
export type RecordAuthor = Pick<RecordEnvelope, 'siteId' | 'deviceId' | 'author' | 'personId'>

/** A new record's envelope, made on this tablet now (not yet on the server). */
export function newEnvelope(who: RecordAuthor, kind: RecordKind, id: string, data: Record<string, unknown>, now: Date): RecordEnvelope {
  const stamp = now.toISOString()
  return { id, kind, ...who, createdAt: stamp, updatedAt: stamp, serverSeq: null, data }
}

/** Newest first, one page at a time, from the compound index (stays fast with many records). */
export function listRecords(db: AppDB, kind: RecordKind, limit = 50): Promise<LocalRecord[]> {
  return db.records
    .where('[kind+createdAt]')
    .between([kind, ''], [kind, '\uffff'])
    .reverse()
    .limit(limit)
    .toArray()
}

export function getRecord(db: AppDB, id: string): Promise<LocalRecord | undefined> {
  return db.records.get(id)
}

/** The records that belong to `parentId`, oldest first. */
export function listChildren(db: AppDB, parentId: string): Promise<LocalRecord[]> {
  return db.records.where('[parentId+createdAt]').between([parentId, ''], [parentId, '\uffff']).toArray()
}
