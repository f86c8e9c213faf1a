import type { AppDB, LocalAttachment } from './AppDB'
import { AttachmentError, MAX_ATTACHMENT_BYTES, SHA256_HEX_RE, checkAttachment, type AttachmentRef } from '../../shared/attachments'
import { forgetAttachments, journalAttachment } from './journal'

/**
 * Photos and signatures on the tablet, known by the SHA-256 of their bytes. The hash is the
 * identity everywhere (records name it, the server files it under it), so the same image saved
 * twice, on one tablet or on two, is one attachment, and an upload repeated after a lost answer
 * changes nothing. Attachments are never deleted here: a record on this tablet may name them.
 *
 * Why the bytes are an ArrayBuffer and not a Blob: Chromium stores Blobs in IndexedDB, but
 * fake-indexeddb (the unit tests) turns a Blob into an empty plain object without an error (tried:
 * the read gives `{}` with no bytes). An ArrayBuffer is stored the same way by both, so the tests
 * run the code the tablets run. At MAX_ATTACHMENT_BYTES (1 MiB) the copy costs nothing that
 * matters; a Blob is rebuilt, with its type, when one is read.
 *
 * An image not yet uploaded has a second copy in the journal (journal.ts), as unsynced records
 * do: a store the browser discards after a power cut must not take the only copy of a signature.
 */

/** The SHA-256 of the bytes, lower-case hex (Web Crypto: the same in the browser and in Node). */
export async function sha256Hex(bytes: BufferSource): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

const refOf = (row: Pick<LocalAttachment, 'sha256' | 'type' | 'size'>): AttachmentRef => ({ sha256: row.sha256, type: row.type, size: row.size })

async function readChecked(blob: Blob): Promise<{ bytes: ArrayBuffer; ref: AttachmentRef }> {
  // Refused before a byte is read: a 20 MB camera file must go through downscalePhoto first.
  if (blob.size > MAX_ATTACHMENT_BYTES) {
    throw new AttachmentError('tooBig', `${blob.size} bytes is more than ${MAX_ATTACHMENT_BYTES}`)
  }
  const bytes = await blob.arrayBuffer()
  const type = checkAttachment(blob.type, new Uint8Array(bytes))
  return { bytes, ref: { sha256: await sha256Hex(bytes), type, size: bytes.byteLength } }
}

/**
 * Keeps an image on the tablet and queues it for the server; returns the reference a record
 * stores. Throws an AttachmentError (too big, unsupported type, empty) the UI can translate.
 * One read-write transaction (strict durability, the database's default) that adds the row only
 * when no row has this hash: idempotent, and an image already uploaded stays uploaded.
 * The journal's copy is written in parallel and the save is confirmed when both are done.
 */
export async function putAttachment(db: AppDB, blob: Blob, now: Date = new Date()): Promise<AttachmentRef> {
  // Hashing is not IndexedDB work: done before the transaction, which would otherwise commit early.
  const { bytes, ref } = await readChecked(blob)
  const row: LocalAttachment = { ...ref, bytes, createdAt: now.toISOString(), uploadState: 'pending', attempts: 0 }
  const [stored] = await Promise.all([storeRow(db, row), journalAttachment(row).catch(() => undefined)])
  // The same image kept before and uploaded since: the server has it, the copy is not needed. Read
  // only in this rare case (the row weighs up to 1 MiB).
  if (stored === 'exists' && (await db.attachments.get(ref.sha256))?.uploadState === 'uploaded') {
    await forgetAttachments([ref.sha256]).catch(() => undefined)
  }
  return ref
}

/**
 * Puts back an image from the journal after the browser discarded the store: pending, as when it
 * was taken, so it is uploaded after the records as usual. `torn` (nothing stored) unless the
 * bytes are an image we accept and hash to `sha256`: a damaged copy is never restored under a name
 * it does not match. Nothing changes when the store has this hash already. A failure of IndexedDB
 * is thrown, so that the restore is tried again at the next start.
 */
export async function restoreAttachment(db: AppDB, sha256: string, blob: Blob, createdAt: string): Promise<'added' | 'exists' | 'torn'> {
  let checked: Awaited<ReturnType<typeof readChecked>>
  try {
    checked = await readChecked(blob)
  } catch (error) {
    if (error instanceof AttachmentError) return 'torn'
    throw error
  }
  if (checked.ref.sha256 !== sha256) return 'torn'
  return storeRow(db, { ...checked.ref, bytes: checked.bytes, createdAt, uploadState: 'pending', attempts: 0 })
}

/**
 * Keeps an image fetched from the server (made on another tablet of the site) so that it shows
 * offline from now on: as uploaded, since the server has it. Refused unless its bytes hash to
 * `sha256`. Returns the Blob to show.
 */
export async function saveDownloadedAttachment(db: AppDB, sha256: string, blob: Blob, now: Date = new Date()): Promise<Blob> {
  const { bytes, ref } = await readChecked(blob)
  if (ref.sha256 !== sha256) throw new Error(`the server sent bytes with SHA-256 ${ref.sha256} for ${sha256}`)
  const at = now.toISOString()
  await storeRow(db, { ...ref, bytes, createdAt: at, uploadState: 'uploaded', attempts: 0, uploadedAt: at })
  return new Blob([bytes], { type: ref.type })
}

function storeRow(db: AppDB, row: LocalAttachment): Promise<'added' | 'exists'> {
  return db.transaction('rw', db.attachments, async () => {
    // count() reads the key only, not the (up to 1 MiB) row
    if ((await db.attachments.where('sha256').equals(row.sha256).count()) > 0) return 'exists'
    await db.attachments.add(row)
    return 'added'
  })
}

export async function getAttachmentBlob(db: AppDB, sha256: string): Promise<Blob | undefined> {
  const row = await db.attachments.get(sha256)
  return row && new Blob([row.bytes], { type: row.type })
}

/** An attachment waiting for the server, without its bytes. */
export type PendingAttachment = AttachmentRef & Pick<LocalAttachment, 'createdAt' | 'attempts' | 'lastError'>

/**
 * Up to `limit` attachments the server does not have yet: the least tried first, then the oldest,
 * so one that keeps failing goes behind the others and never blocks them. Read with a cursor one
 * row at a time, keeping no bytes (each may weigh 1 MiB).
 */
export async function listPendingAttachments(db: AppDB, limit: number): Promise<PendingAttachment[]> {
  const pending: PendingAttachment[] = []
  await db.attachments
    .where('[uploadState+attempts+createdAt]')
    .between(['pending', 0, ''], ['pending', Infinity, '\uffff'])
    .limit(limit)
    .each((row) => {
      pending.push({
        ...refOf(row),
        createdAt: row.createdAt,
        attempts: row.attempts,
        ...(row.lastError !== undefined ? { lastError: row.lastError } : {}),
      })
    })
  return pending
}

/** The server has it now: marked, and its journal copy dropped (after the mark is on disk). */
export async function markAttachmentUploaded(db: AppDB, sha256: string, now: Date = new Date()): Promise<void> {
  await db.attachments.update(sha256, { uploadState: 'uploaded', uploadedAt: now.toISOString() })
  await forgetAttachments([sha256]).catch(() => undefined)
}

/** The hashes of the attachments the server does not have yet, from the index (no bytes read). */
export async function pendingAttachmentHashes(db: AppDB): Promise<string[]> {
  return (await db.attachments.where('uploadState').equals('pending').primaryKeys()).map(String)
}

/** An attachment in a revoked tablet's export: its bytes as base64, so the JSON file is complete. */
export interface ExportedAttachment extends AttachmentRef {
  uploadState: LocalAttachment['uploadState']
  createdAt: string
  base64: string
}

function base64Of(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes)
  let binary = ''
  // in slices: String.fromCharCode takes its bytes as arguments, and a 1 MiB spread overflows the stack
  for (let i = 0; i < view.length; i += 0x8000) binary += String.fromCharCode(...view.subarray(i, i + 0x8000))
  return btoa(binary)
}

/**
 * The hashes of the images a record's data or a draft's values name, wherever they sit (a lost
 * item's photos, the witnesses' and the claimant's signatures…): any object with a `sha256`.
 */
export function attachmentHashesIn(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) attachmentHashesIn(item, found)
  } else if (value && typeof value === 'object') {
    const sha256 = (value as { sha256?: unknown }).sha256
    if (typeof sha256 === 'string' && SHA256_HEX_RE.test(sha256)) found.add(sha256)
    for (const item of Object.values(value)) attachmentHashesIn(item, found)
  }
  return found
}

/**
 * For a revoked tablet's export: every attachment not yet uploaded, and those of `alsoHashes`
 * (the images the exported records and drafts name) the tablet holds, oldest first. Read one row
 * at a time.
 */
export async function exportAttachments(db: AppDB, alsoHashes: Iterable<string> = []): Promise<ExportedAttachment[]> {
  const hashes = new Set([...(await pendingAttachmentHashes(db)), ...alsoHashes])
  const exported: ExportedAttachment[] = []
  for (const sha256 of hashes) {
    const row = await db.attachments.get(sha256)
    if (!row) continue // named by a record, but taken on another tablet and never shown here
    exported.push({ ...refOf(row), uploadState: row.uploadState, createdAt: row.createdAt, base64: base64Of(row.bytes) })
  }
  return exported.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
}

/** One more failed attempt, and why; the attachment stays pending. */
export async function markAttachmentFailed(db: AppDB, sha256: string, error: string): Promise<void> {
  await db.transaction('rw', db.attachments, async () => {
    const row = await db.attachments.get(sha256)
    if (!row || row.uploadState !== 'pending') return
    await db.attachments.update(sha256, { attempts: row.attempts + 1, lastError: error.slice(0, 500) })
  })
}

export interface AttachmentStats {
  count: number
  bytes: number
  /** Not on the server yet. */
  pending: number
}

/** For the storage diagnostics: from the indexes only, no bytes read. */
export async function attachmentStats(db: AppDB): Promise<AttachmentStats> {
  const [count, sizes, pending] = await Promise.all([
    db.attachments.count(),
    db.attachments.orderBy('size').keys(),
    db.attachments.where('uploadState').equals('pending').count(),
  ])
  return { count, bytes: sizes.reduce<number>((sum, size) => sum + Number(size), 0), pending }
}
