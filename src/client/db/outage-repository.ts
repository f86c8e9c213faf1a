import type { AppDB, LocalRecord } from './AppDB'
import { createRecord, newEnvelope } from './records-repository'
import { nameSearchKey } from './record-index'
import type { CallbackEventData } from '../../shared/callback'
import type { FaultData, FaultEventData } from '../../shared/fault'
import type { LogBook, LogEntryData } from '../../shared/log'
import { newId } from '../../shared/ids'
import { phoneSearchKey } from '../../shared/phone'
import type { RecordEnvelope, RecordKind } from '../../shared/records'

/** Who writes: the site and device from enrollment, and the person at the tablet. */
export interface Who {
  siteId: string
  deviceId: string
  author: string
  /** The signed-in person (absent only on records made before sign-in existed). */
  personId?: string
}

/** A line the app writes into a log book along with a fault's record (same transaction). */
export interface AutoLogLine {
  log: LogBook
  type: LogEntryData['type']
  text: string
}

const MAX = '\uffff'


/**
 * Stores a record and, with it, the log lines it causes ("fault started", "spare seat 12 assigned"),
 * in ONE transaction: the log can never miss a fault, nor mention one that was not saved. Each
 * record still gets its own outbox mutation (createRecord joins this transaction).
 */
async function createWithLog(db: AppDB, record: RecordEnvelope, lines: AutoLogLine[], faultId: string | undefined, now: Date): Promise<LocalRecord> {
  return db.transaction('rw', [db.records, db.outbox, db.meta, db.drafts], async () => {
    const stored = await createRecord(db, record)
    for (const line of lines) {
      const data: LogEntryData = { ...line, at: now.toISOString(), ...(faultId ? { faultId } : {}) }
      const who: Who = {
        siteId: record.siteId,
        deviceId: record.deviceId,
        author: record.author,
        ...(record.personId ? { personId: record.personId } : {}),
      }
      await createRecord(db, newEnvelope(who, 'logEntry', newId(), data, now))
    }
    return stored
  })
}

export function createFault(db: AppDB, who: Who, id: string, data: FaultData, lines: AutoLogLine[], now: Date): Promise<LocalRecord> {
  return createWithLog(db, newEnvelope(who, 'fault', id, data, now), lines, id, now)
}

export function appendFaultEvent(db: AppDB, who: Who, data: FaultEventData, lines: AutoLogLine[], now: Date): Promise<LocalRecord> {
  return createWithLog(db, newEnvelope(who, 'faultEvent', newId(), data, now), lines, data.faultId, now)
}

export function appendCallbackEvent(db: AppDB, who: Who, data: CallbackEventData, now: Date): Promise<LocalRecord> {
  return createRecord(db, newEnvelope(who, 'callbackEvent', newId(), data, now))
}

export function addLogEntry(db: AppDB, who: Who, data: LogEntryData, now: Date): Promise<LocalRecord> {
  return createRecord(db, newEnvelope(who, 'logEntry', newId(), data, now))
}

/** Newest first, a page at a time. */
export function listFaults(db: AppDB, limit: number): Promise<LocalRecord[]> {
  return db.records.where('[kind+createdAt]').between(['fault', ''], ['fault', MAX]).reverse().limit(limit).toArray()
}

/** The children of one kind of a record, oldest first (a fault's events, a call's callback steps). */
export function listChildrenOfKind(db: AppDB, parentId: string, kind: RecordKind, options: { limit?: number; newestFirst?: boolean } = {}) {
  let query = db.records.where('[parentId+kind+createdAt]').between([parentId, kind, ''], [parentId, kind, MAX])
  if (options.newestFirst) query = query.reverse()
  if (options.limit) query = query.limit(options.limit)
  return query.toArray()
}

export function countChildrenOfKind(db: AppDB, parentId: string, kind: RecordKind): Promise<number> {
  return db.records.where('[parentId+kind+createdAt]').between([parentId, kind, ''], [parentId, kind, MAX]).count()
}

/** Every step of the callbacks of these call records, in one indexed read (not one per record). */
export async function callbackEventsOf(db: AppDB, callIds: string[]): Promise<Map<string, LocalRecord[]>> {
  const byCall = new Map<string, LocalRecord[]>(callIds.map((id) => [id, []]))
  if (callIds.length === 0) return byCall
  const ranges = [...callIds].sort().map((id): [unknown[], unknown[]] => [[id, 'callbackEvent', ''], [id, 'callbackEvent', MAX]])
  const events = await db.records.where('[parentId+kind+createdAt]').inAnyRange(ranges, { includeUppers: true }).toArray()
  for (const event of events) byCall.get(event.parentId ?? '')?.push(event)
  return byCall
}

/** The calls of an outage that need a callback, each with its callback steps. */
export async function listCallbacks(db: AppDB, faultId: string): Promise<{ record: LocalRecord; events: LocalRecord[] }[]> {
  const calls = await db.records
    .where('[parentId+kind+createdAt]')
    .between([faultId, 'callRecord', ''], [faultId, 'callRecord', MAX])
    .filter((r) => r.data.callbackNeeded === true)
    .toArray()
  const events = await callbackEventsOf(db, calls.map((c) => c.id))
  return calls.map((record) => ({ record, events: events.get(record.id) ?? [] }))
}

/**
 * Call records by caller number prefix (digits; "138 0013", "010-1234") or else by caller name
 * prefix, from their indexes: a page of matches, newest first within the page.
 */
export async function searchCalls(db: AppDB, query: string, limit: number): Promise<LocalRecord[]> {
  const phone = phoneSearchKey(query)
  const looksLikePhone = /^[\d\s()+\-（）]+$/.test(query.normalize('NFKC').trim())
  const [index, key] = looksLikePhone && phone ? ['[phoneKey+createdAt]', phone] : ['[nameKey+createdAt]', nameSearchKey(query)]
  if (!key) return []
  const rows = await db.records.where(index).between([key, ''], [`${key}${MAX}`, ''], true, false).limit(limit).toArray()
  return rows.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
}

/** Earlier calls from the same number (digits key) recorded since `since` (ISO). */
export function callsFromSince(db: AppDB, phoneKey: string, since: string): Promise<LocalRecord[]> {
  return db.records.where('[phoneKey+createdAt]').between([phoneKey, since], [phoneKey, MAX]).reverse().limit(5).toArray()
}

/** A log book, newest first, a page at a time. */
export function listLog(db: AppDB, log: LogBook, limit: number): Promise<LocalRecord[]> {
  return db.records.where('[kind+data.log+createdAt]').between(['logEntry', log, ''], ['logEntry', log, MAX]).reverse().limit(limit).toArray()
}

export function countLog(db: AppDB, log: LogBook): Promise<number> {
  return db.records.where('[kind+data.log+createdAt]').between(['logEntry', log, ''], ['logEntry', log, MAX]).count()
}

export function countKind(db: AppDB, kind: RecordKind): Promise<number> {
  return db.records.where('[kind+createdAt]').between([kind, ''], [kind, MAX]).count()
}
