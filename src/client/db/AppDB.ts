import Dexie, { type EntityTable, type Transaction } from 'dexie'
import type { AttachmentType } from '../../shared/attachments'
import { newId } from '../../shared/ids'
import type { Mutation, RejectionParams } from '../../shared/sync'
import type { RecordEnvelope, RecordKind } from '../../shared/records'
import { localIndexOf } from './record-index'
import { derivedFieldsMiddleware, fillDerivedFields } from './derived-fields'
import { ARCHIVE_DERIVATION, type PaperworkKind } from './incident-index'
import { DESK_DERIVATIONS } from './outage-index'

/** Where a record stands between this tablet and the server. */
export type LocalSyncState = 'pending' | 'synced' | 'rejected'

/** A record as this tablet keeps it: the envelope plus its local sync state. */
export interface LocalRecord extends RecordEnvelope {
  syncState: LocalSyncState
  /** The server's reason when it refused the record (English: shown when the code is unknown). */
  rejectedReason?: string
  /**
   * The rejection's code and params (shared/sync.ts), shown translated by useRejectionMessage.
   * Absent when the server predates codes. Not indexed: no schema version needed.
   */
  rejectedCode?: string
  rejectedParams?: RejectionParams
  /**
   * The record this one belongs to (an incident's event → the incident; a callback's state
   * change → the call record), derived from `data` by `parentIdOf` on every local write, so
   * that children are found by index. Local only: never sent.
   */
  parentId?: string
  /** A call record's caller number as digits, for "called before" and search (see `searchKeysOf`). Local only. */
  phoneKey?: string
  /** A call record's caller name folded for prefix search. Local only. */
  nameKey?: string
  /** A call record's number prefixes in time order, for newest-first prefix search (see `searchKeysOf`). Local only. */
  searchKeys?: string[]
  /**
   * An incident's keys in the archive index (plan, open or closed, real or drill, start time; see
   * incident-index.ts), kept true to its close and reopen events by a middleware. Local only.
   */
  archiveKeys?: string[]
  /** Whether an incident has a report and a review (the archive's row chips), kept the same way. Local only, not indexed. */
  paperwork?: PaperworkKind[]
  /**
   * A fault's or a callback call's keys in the outage desk index (open faults; the callback
   * worklist by outage, state, number and name; see outage-index.ts), kept true to their events by
   * a middleware. Local only.
   */
  deskKeys?: string[]
}

/** One row per mutation waiting for the server's acknowledgement. */
export type OutboxEntry = Mutation & { recordId: string }

/** A form being filled in: saved on every change, turned into a record by "save". */
export interface Draft {
  id: string
  kind: RecordEnvelope['kind']
  values: Record<string, unknown>
  createdAt: string
  updatedAt: string
}

/** A mutation the server refused for good; kept so that a person sees it and its reason. */
export interface SyncIssue {
  mutationId: number
  recordId: string
  /** English, from the server: shown when `code` is absent or unknown to this app version. */
  reason: string
  /** As on LocalRecord: not indexed. */
  code?: string
  params?: RejectionParams
  createdAt: string
}

export interface MetaRow {
  key: string
  value: unknown
}

/** Whether the server holds an attachment yet (it is kept on the tablet either way). */
export type AttachmentUploadState = 'pending' | 'uploaded'

/**
 * A photo or a signature on this tablet, by the SHA-256 of its bytes (attachments-repository.ts).
 * The bytes are an ArrayBuffer, not a Blob: see `putAttachment` for why.
 */
export interface LocalAttachment {
  sha256: string
  type: AttachmentType
  size: number
  bytes: ArrayBuffer
  createdAt: string
  uploadState: AttachmentUploadState
  /** Failed upload attempts so far: the least tried are uploaded first, so one bad file blocks none. */
  attempts: number
  lastError?: string
  uploadedAt?: string
}

export const DB_NAME = 'steadyline'

export class AppDB extends Dexie {
  meta!: EntityTable<MetaRow, 'key'>
  records!: EntityTable<LocalRecord, 'id'>
  outbox!: EntityTable<OutboxEntry, 'mutationId'>
  drafts!: EntityTable<Draft, 'id'>
  syncIssues!: EntityTable<SyncIssue, 'mutationId'>
  attachments!: EntityTable<LocalAttachment, 'sha256'>

  constructor(name = DB_NAME, options: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {}) {
    super(name, {
      ...options,
      // Chromium commits relaxed by default: the last writes can vanish in a power cut.
      chromeTransactionDurability: 'strict',
      // Live queries show committed data only, never an optimistic state that may roll back.
      cache: 'disabled',
    })
    this.version(1).stores({
      meta: 'key',
      records: 'id, [kind+createdAt], syncState, serverSeq',
      outbox: 'mutationId, recordId',
      drafts: 'id, [kind+updatedAt]',
      syncIssues: 'mutationId, recordId, createdAt',
    })
    // The device's sync identity is born inside the same database as the outbox and its
    // counter: if the store is wiped, both go together and a new id never reuses old numbers.
    // v2: children of a record (events of an incident, states of a callback…) by index.
    this.version(2).stores({
      records: 'id, [kind+createdAt], syncState, serverSeq, [parentId+createdAt]',
    })
    // v3 (outage desk): lists and search that stay instant with 100,000 records. Children of one
    // kind (an outage's calls, a fault's events), call records by caller number or name prefix,
    // and each log book in time order, all read from an index, a page at a time.
    this.version(3)
      .stores({
        records:
          'id, [kind+createdAt], syncState, serverSeq, [parentId+createdAt], [parentId+kind+createdAt], [phoneKey+createdAt], [nameKey+createdAt], [kind+data.log+createdAt]',
      })
      .upgrade((tx) => reindex(tx, 'callRecord'))
    // v4 (hall registers): photos and signatures by content hash. The upload takes the pending
    // ones least tried first, then oldest ([uploadState+attempts+createdAt]); the storage
    // diagnostics add up `size` from its index without reading any bytes.
    this.version(4).stores({
      attachments: 'sha256, uploadState, size, [uploadState+attempts+createdAt]',
    })
    // v5 (incident archive): every open incident whatever its age, and the archive's filters, read
    // from one multi-entry index a page at a time (incident-index.ts); the upgrade derives the
    // keys of the incidents already on the tablet from their close and reopen events.
    this.version(5)
      .stores({
        records:
          'id, [kind+createdAt], syncState, serverSeq, [parentId+createdAt], [parentId+kind+createdAt], [phoneKey+createdAt], [nameKey+createdAt], [kind+data.log+createdAt], *archiveKeys',
      })
      .upgrade((tx) => fillDerivedFields(tx, [ARCHIVE_DERIVATION]))
    // v6 (incident and outage as one piece of work): a fault recorded from an incident is one of
    // its children (record-index.ts); faults already on the tablet, e.g. pulled by an older version
    // of the app, get their `parentId` here. No index changes.
    this.version(6).upgrade((tx) => reindex(tx, 'fault'))
    // v7 (outage desk at scale): every open fault whatever its age, and each outage's callback
    // worklist by state, number and name, counted and read a page at a time from one multi-entry
    // index (outage-index.ts); a number prefix's calls newest first from another (`searchKeys`,
    // record-index.ts). The upgrade derives both for the records already on the tablet, in one pass
    // over the call records.
    this.version(7)
      .stores({
        records:
          'id, [kind+createdAt], syncState, serverSeq, [parentId+createdAt], [parentId+kind+createdAt], [phoneKey+createdAt], [nameKey+createdAt], [kind+data.log+createdAt], *archiveKeys, *deskKeys, *searchKeys',
      })
      .upgrade((tx) => fillDerivedFields(tx, DESK_DERIVATIONS, (record) => Object.assign(record, localIndexOf(record))))
    // the fields a record derives from the records under it (derived-fields.ts), kept on every write
    this.use(derivedFieldsMiddleware([ARCHIVE_DERIVATION, ...DESK_DERIVATIONS]))
    this.on('populate', (tx) => {
      void tx.table('meta').bulkAdd([
        { key: 'clientId', value: newId() },
        { key: 'nextMutationId', value: 1 },
        { key: 'pullCursor', value: 0 },
        // compared with a copy outside IndexedDB to notice a store the browser recreated
        { key: 'populatedAt', value: new Date().toISOString() },
      ])
    })
  }
}

/** An upgrade's part: the local index fields (record-index.ts) of the records of one kind, derived again. */
function reindex(tx: Transaction, kind: RecordKind): Promise<number> {
  return tx
    .table<LocalRecord, string>('records')
    .where('[kind+createdAt]')
    .between([kind, ''], [kind, '\uffff'])
    .modify((record) => {
      Object.assign(record, localIndexOf(record))
    })
}
