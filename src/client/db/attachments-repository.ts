import type { AppDB, LocalAttachment } from './AppDB'
import { AttachmentError, MAX_ATTACHMENT_BYTES, checkAttachment, type AttachmentRef } from '../../shared/attachments'

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
 */
export async function putAttachment(db: AppDB, blob: Blob, now: Date = new Date()): Promise<AttachmentRef> {
  // Hashing is not IndexedDB work: done before the transaction, which would otherwise commit early.
  const { bytes, ref } = await readChecked(blob)
  await storeRow(db, { ...ref, bytes, createdAt: now.toISOString(), uploadState: 'pending', attempts: 0 })
  return ref
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

function storeRow(db: AppDB, row: LocalAttachment): Promise<void> {
  return db.transaction('rw', db.attachments, async () => {
    // count() reads the key only, not the (up to 1 MiB) row
    if ((await db.attachments.where('sha256').equals(row.sha256).count()) > 0) return
    await db.attachments.add(row)
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

export async function markAttachmentUploaded(db: AppDB, sha256: string, now: Date = new Date()): Promise<void> {
  await db.attachments.update(sha256, { uploadState: 'uploaded', uploadedAt: now.toISOString() })
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
