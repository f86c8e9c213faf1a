import type { AppDB, LocalRecord } from './AppDB'
import { getEnrollment, getMeta, saveEnrollment, setMeta, type Enrollment } from './meta-repository'
import { createRecord } from './records-repository'
import { pendingAttachmentHashes, restoreAttachment } from './attachments-repository'
import {
  forgetAttachments,
  forgetDraft,
  forgetRecords,
  journaledAttachmentHashes,
  journaledDrafts,
  journaledIds,
  journaledRecords,
  readJournaledAttachment,
} from './journal'

/**
 * A copy of the tablet's identity outside IndexedDB (localStorage), to notice when the browser
 * has discarded the whole IndexedDB store — Chromium deletes a backing store it finds corrupt,
 * which a power cut in the middle of a write can cause — and to recover what can be recovered:
 * the enrollment, so that the tablet syncs again at once and gets back every record the server
 * holds; the records that had not reached the server, the open drafts and the photos and
 * signatures not yet uploaded come back from the journal (journal.ts). The user is told what
 * happened.
 */
export const IDENTITY_BACKUP_KEY = 'steadyline.identity'

interface IdentityBackup {
  /** When this database was created (meta `populatedAt`): a different value means a new store. */
  populatedAt: string
  enrollment?: Enrollment
}

/**
 * The site's roster (person and site-settings records) as last pulled, kept beside the identity:
 * after the store is discarded, offline, people can still sign in with their PINs (the roster
 * holds only PIN hashes) and get at the records that were put back. A few hundred people at most.
 */
export const ROSTER_BACKUP_KEY = 'steadyline.roster'
const ROSTER_KINDS = ['person', 'siteSettings'] as const

/** Copies the roster as the tablet holds it now; called after a pull brought roster changes. */
export async function backupRoster(db: AppDB, storage: KeyValueStorage | undefined = globalThis.localStorage): Promise<void> {
  if (!storage) return
  const all = (
    await Promise.all(ROSTER_KINDS.map((k) => db.records.where('[kind+createdAt]').between([k, ''], [k, '\uffff']).toArray()))
  ).flat()
  storage.setItem(ROSTER_BACKUP_KEY, JSON.stringify(all))
}

async function restoreRoster(db: AppDB, storage: KeyValueStorage): Promise<number> {
  let rows: LocalRecord[] = []
  try {
    rows = JSON.parse(storage.getItem(ROSTER_BACKUP_KEY) ?? '[]') as LocalRecord[]
  } catch {
    return 0
  }
  const missing = (await db.records.bulkGet(rows.map((r) => r.id))).flatMap((found, i) => (found ? [] : [rows[i]!]))
  // as pulled: synced rows, which the next pull brings again under the same ids (a harmless put)
  await db.records.bulkPut(missing)
  return missing.length
}

export interface StoreCheck {
  /** The store was recreated since the last time this app ran. */
  storeLost: boolean
  enrollmentRestored: boolean
  /** Unsynced records and open drafts put back from the journal (journal.ts). */
  recordsRestored: number
  draftsRestored: number
  /** Photos and signatures put back from the journal, as pending uploads. */
  attachmentsRestored: number
}

/**
 * Puts back what the journal holds and the new store lacks: records oldest first, as new
 * mutations; drafts; images as pending uploads, which go up after the records as usual.
 */
async function restoreFromJournal(db: AppDB): Promise<{ records: number; drafts: number; attachments: number }> {
  let records = 0
  let drafts = 0
  let attachments = 0
  const journaled = (await journaledRecords()).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
  for (const record of journaled) {
    if (await db.records.get(record.id)) continue
    await createRecord(db, record)
    records += 1
  }
  for (const draft of await journaledDrafts()) {
    if ((await db.drafts.get(draft.id)) || (await db.records.get(draft.id))) continue
    await db.drafts.put(draft)
    drafts += 1
  }
  // one at a time: each may weigh 1 MiB
  for (const sha256 of await journaledAttachmentHashes()) {
    const copy = await readJournaledAttachment(sha256)
    if (!copy) continue
    const stored = await restoreAttachment(db, sha256, new Blob([copy.bytes], { type: copy.type }), copy.createdAt)
    if (stored === 'added') attachments += 1
    // a damaged copy, of no use under that name: the others still come back
    else if (stored === 'torn') console.error(`journaled attachment ${sha256} is damaged: not restored`)
  }
  return { records, drafts, attachments }
}

/**
 * Drops journal entries the store no longer needs: synced records, drafts that are gone, images
 * the store holds as uploaded. Run at every start, so neither side's entries are read: the
 * journal's keys, and the store's indexes.
 */
async function pruneJournal(db: AppDB): Promise<void> {
  const journaled = await journaledIds()
  const [unsynced, drafts, pending] = await Promise.all([
    db.records.where('syncState').anyOf('pending', 'rejected').primaryKeys(),
    db.drafts.toCollection().primaryKeys(),
    pendingAttachmentHashes(db),
  ])
  const notIn = (ids: string[], kept: readonly string[]) => {
    const keep = new Set(kept)
    return ids.filter((id) => !keep.has(id))
  }
  // a record synced, or never confirmed (its IndexedDB write failed): either way not an unsynced row
  await forgetRecords(notIn(journaled.records, unsynced))
  await Promise.all(notIn(journaled.drafts, drafts).map(forgetDraft))
  // an image uploaded, or never confirmed: either way not a pending row
  await forgetAttachments(notIn(journaled.attachments, pending))
}

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>

function readBackup(storage: KeyValueStorage): IdentityBackup | undefined {
  try {
    const raw = storage.getItem(IDENTITY_BACKUP_KEY)
    return raw ? (JSON.parse(raw) as IdentityBackup) : undefined
  } catch {
    return undefined
  }
}

/** Writes the current identity to the backup (after enrollment, and at every start). */
export async function backupIdentity(db: AppDB, storage: KeyValueStorage = localStorage): Promise<void> {
  let populatedAt = await getMeta<string>(db, 'populatedAt')
  if (!populatedAt) {
    // a database made before this marker existed: mark it now
    populatedAt = new Date().toISOString()
    await setMeta(db, 'populatedAt', populatedAt)
  }
  const enrollment = await getEnrollment(db)
  storage.setItem(IDENTITY_BACKUP_KEY, JSON.stringify({ populatedAt, ...(enrollment ? { enrollment } : {}) }))
}

/** Run at start: compares the store with the backup, restores the enrollment, records a loss. */
export async function checkStore(db: AppDB, storage: KeyValueStorage = localStorage): Promise<StoreCheck> {
  const backup = readBackup(storage)
  const populatedAt = await getMeta<string>(db, 'populatedAt')
  const storeLost = !!backup && !!populatedAt && backup.populatedAt !== populatedAt
  let enrollmentRestored = false
  let restored = { records: 0, drafts: 0, attachments: 0 }
  if (storeLost) {
    await setMeta(db, 'storeLostAt', new Date().toISOString())
    if (backup.enrollment && !(await getEnrollment(db))) {
      await saveEnrollment(db, backup.enrollment)
      enrollmentRestored = true
    }
    restored = await restoreFromJournal(db)
    await restoreRoster(db, storage)
  } else {
    await pruneJournal(db)
  }
  await backupIdentity(db, storage)
  return {
    storeLost,
    enrollmentRestored,
    recordsRestored: restored.records,
    draftsRestored: restored.drafts,
    attachmentsRestored: restored.attachments,
  }
}
