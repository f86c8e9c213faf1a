import { afterEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { AppDB } from '../../src/client/db/AppDB'
import { db as appDb } from '../../src/client/db/db'
import {
  getAttachmentBlob,
  listPendingAttachments,
  markAttachmentUploaded,
  putAttachment,
  sha256Hex,
} from '../../src/client/db/attachments-repository'
import { backupIdentity, checkStore } from '../../src/client/db/identity-backup'
import { journalAttachment, journaledAttachmentHashes, readJournaledAttachment } from '../../src/client/db/journal'
import { saveEnrollment } from '../../src/client/db/meta-repository'
import { createRecord } from '../../src/client/db/records-repository'
import { saveDraft } from '../../src/client/db/drafts-repository'
import { uploadPendingAttachments } from '../../src/client/sync/attachments-upload'
import type { AttachmentTransport } from '../../src/client/sync/transport'
import { useSyncStore } from '../../src/client/stores/sync'
import { downloadFile } from '../../src/client/composables/useDownload'
import { MAX_ATTACHMENT_BYTES, type AttachmentRef } from '../../src/shared/attachments'
import { newId } from '../../src/shared/ids'
import { callRecord, DEVICE_ID, enrollTablet, SITE_ID } from './builders'
import { useMemoryCaches } from './memory-caches'

vi.mock('../../src/client/composables/useDownload', () => ({ downloadFile: vi.fn() }))

useMemoryCaches()

afterEach(() => vi.restoreAllMocks())

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const JPEG_MAGIC = [0xff, 0xd8, 0xff, 0xe0]

/** `size` bytes that start like a `type` image, the rest a pattern made from `seed`. */
function imageBytes(seed: number, size = 1000, type: 'image/png' | 'image/jpeg' = 'image/jpeg'): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 7919) & 0xff
  bytes.set(type === 'image/png' ? PNG_MAGIC : JPEG_MAGIC)
  return bytes
}
const blobOf = (bytes: Uint8Array<ArrayBuffer>, type: string) => new Blob([bytes], { type })

const at = (minute: number) => new Date(Date.UTC(2026, 10, 28, 8, minute))

function memoryStorage() {
  const items = new Map<string, string>()
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) }
}

/** A found item with a photo and both witnesses' signatures, as the register saves it. */
function lostItem(photo: AttachmentRef, sig1: AttachmentRef, sig2: AttachmentRef) {
  const now = at(10).toISOString()
  return callRecord({
    kind: 'lostItem',
    createdAt: now,
    updatedAt: now,
    data: {
      mode: 'found',
      description: '黑色钱包：身份证一张，银行卡两张，现金350元',
      whereFound: '3号柜台',
      foundAt: now,
      foundBy: '陈柜员',
      photos: [photo],
      witnesses: [
        { name: '陈柜员', signature: sig1, countedAt: now },
        { name: '刘保安', signature: sig2, countedAt: now },
      ],
      cctv: { camera: '大厅2号摄像头', time: now },
      keptAt: '值班室保险柜',
    },
  })
}

/** A server that keeps what it is sent, by hash. */
function fakeServer() {
  const stored = new Map<string, Uint8Array>()
  const transport: AttachmentTransport = {
    async putAttachment(ref, blob) {
      stored.set(ref.sha256, new Uint8Array(await blob.arrayBuffer()))
      return 'created'
    },
    getAttachment: () => Promise.reject(new Error('not used')),
  }
  return { stored, transport }
}

const bytesOf = async (blob: Blob | undefined) => new Uint8Array(await blob!.arrayBuffer())
/** Byte for byte, without a deep equality over a million elements (seconds, for a 1 MiB image). */
const sameBytes = (a: Uint8Array | undefined, b: Uint8Array) => !!a && a.length === b.length && a.every((x, i) => x === b[i])

describe('the journal holds the images not yet uploaded', () => {
  it('journals an image when it is kept, with its bytes and type, and drops it once the server has it', async () => {
    const db = new AppDB(`test-${newId()}`)
    const bytes = imageBytes(1, 3000, 'image/png')
    const ref = await putAttachment(db, blobOf(bytes, 'image/png'), at(1))
    expect(await journaledAttachmentHashes()).toEqual([ref.sha256])
    const copy = await readJournaledAttachment(ref.sha256)
    expect(copy).toMatchObject({ sha256: ref.sha256, type: 'image/png', createdAt: at(1).toISOString() })
    expect(new Uint8Array(copy!.bytes)).toEqual(bytes)

    const server = fakeServer()
    expect(await uploadPendingAttachments(db, server.transport)).toMatchObject({ ok: true, uploaded: 1 })
    expect(server.stored.get(ref.sha256)).toEqual(bytes)
    expect(await journaledAttachmentHashes()).toEqual([])

    // kept again (the same picture), the server has it already: no second copy lingers
    await putAttachment(db, blobOf(bytes, 'image/png'), at(2))
    expect(await journaledAttachmentHashes()).toEqual([])
    expect(await db.attachments.get(ref.sha256)).toMatchObject({ uploadState: 'uploaded' })
  })

  it('after the browser discards the store, puts back the record AND its images, byte for byte, as pending uploads', async () => {
    const name = `test-${newId()}`
    const storage = memoryStorage()
    const db = new AppDB(name)
    await saveEnrollment(db, {
      deviceId: DEVICE_ID,
      deviceName: '一号台',
      siteId: SITE_ID,
      siteName: '第一服务大厅',
      token: 't'.repeat(43),
      enrolledAt: '2026-11-28T08:00:00Z',
    })
    await backupIdentity(db, storage)

    const photoBytes = imageBytes(2, 200_000)
    const sig1Bytes = imageBytes(3, 4000, 'image/png')
    const sig2Bytes = imageBytes(4, 5000, 'image/png')
    const photo = await putAttachment(db, blobOf(photoBytes, 'image/jpeg'), at(3))
    const sig1 = await putAttachment(db, blobOf(sig1Bytes, 'image/png'), at(4))
    const sig2 = await putAttachment(db, blobOf(sig2Bytes, 'image/png'), at(5))
    // uploaded before the loss: the server has it, the journal does not, and it is not put back
    const uploaded = await putAttachment(db, blobOf(imageBytes(5), 'image/jpeg'), at(2))
    await markAttachmentUploaded(db, uploaded.sha256)
    const record = lostItem(photo, sig1, sig2)
    await createRecord(db, record)
    expect((await journaledAttachmentHashes()).sort()).toEqual([photo.sha256, sig1.sha256, sig2.sha256].sort())

    // a torn copy in the journal (bytes that do not hash to its name) does not stop the others
    const torn = await sha256Hex(imageBytes(6))
    await journalAttachment({ sha256: torn, type: 'image/jpeg', bytes: imageBytes(7).buffer, createdAt: at(6).toISOString() })
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)

    await db.delete() // what Chromium does to a backing store it finds corrupt
    const fresh = new AppDB(name)
    await new Promise((r) => setTimeout(r, 2)) // a later populate time
    expect(await checkStore(fresh, storage)).toMatchObject({ storeLost: true, recordsRestored: 1, attachmentsRestored: 3 })
    expect(logged).toHaveBeenCalledOnce()

    expect(await fresh.records.get(record.id)).toMatchObject({ kind: 'lostItem', syncState: 'pending', data: record.data })
    expect(await fresh.outbox.count()).toBe(1)
    expect(sameBytes(await bytesOf(await getAttachmentBlob(fresh, photo.sha256)), photoBytes)).toBe(true)
    expect(await bytesOf(await getAttachmentBlob(fresh, sig1.sha256))).toEqual(sig1Bytes)
    expect(await bytesOf(await getAttachmentBlob(fresh, sig2.sha256))).toEqual(sig2Bytes)
    expect((await getAttachmentBlob(fresh, sig1.sha256))?.type).toBe('image/png')
    // pending, in the order they were taken, never tried
    expect(await listPendingAttachments(fresh, 10)).toEqual([
      { ...photo, createdAt: at(3).toISOString(), attempts: 0 },
      { ...sig1, createdAt: at(4).toISOString(), attempts: 0 },
      { ...sig2, createdAt: at(5).toISOString(), attempts: 0 },
    ])
    expect(await fresh.attachments.get(uploaded.sha256)).toBeUndefined()
    expect(await fresh.attachments.get(torn)).toBeUndefined()

    // they go up as usual, and the journal lets go of each one the server has
    const server = fakeServer()
    expect(await uploadPendingAttachments(fresh, server.transport)).toMatchObject({ ok: true, uploaded: 3 })
    expect(server.stored.get(sig2.sha256)).toEqual(sig2Bytes)
    expect(await journaledAttachmentHashes()).toEqual([torn])
    // the next normal start prunes what no pending row needs (the torn copy)
    expect(await checkStore(fresh, storage)).toMatchObject({ storeLost: false, attachmentsRestored: 0 })
    expect(await journaledAttachmentHashes()).toEqual([])
  })

  it('keeps, on a normal start, the copies of pending images and drops those the store holds as uploaded', async () => {
    const name = `test-${newId()}`
    const storage = memoryStorage()
    const db = new AppDB(name)
    await backupIdentity(db, storage)
    const pending = await putAttachment(db, blobOf(imageBytes(8), 'image/jpeg'))
    const done = await putAttachment(db, blobOf(imageBytes(9), 'image/jpeg'))
    await markAttachmentUploaded(db, done.sha256)
    // a copy written after the upload marked it (a save of the same image racing the upload)
    await journalAttachment({ ...(await db.attachments.get(done.sha256))!, bytes: imageBytes(9).buffer })
    // a copy whose IndexedDB write never happened (the save failed, nothing names it)
    const never = await sha256Hex(imageBytes(10))
    await journalAttachment({ sha256: never, type: 'image/jpeg', bytes: imageBytes(10).buffer, createdAt: at(0).toISOString() })
    expect(await journaledAttachmentHashes()).toHaveLength(3)

    expect(await checkStore(db, storage)).toMatchObject({ storeLost: false })
    expect(await journaledAttachmentHashes()).toEqual([pending.sha256])
  })
})

describe('the revoked tablet export', () => {
  it('holds the bytes of every image not uploaded and of those its records and drafts name', async () => {
    await appDb.delete()
    await appDb.open()
    await enrollTablet(appDb)
    setActivePinia(createPinia())
    const sync = useSyncStore()

    // the largest image the tablet keeps: base64 in slices, not one spread of a million arguments
    const bigBytes = imageBytes(11, MAX_ATTACHMENT_BYTES)
    const big = await putAttachment(appDb, blobOf(bigBytes, 'image/jpeg'), at(1))
    // uploaded, but named by a record the server does not hold
    const sig1Bytes = imageBytes(12, 3000, 'image/png')
    const sig1 = await putAttachment(appDb, blobOf(sig1Bytes, 'image/png'), at(2))
    await markAttachmentUploaded(appDb, sig1.sha256)
    const sig2 = await putAttachment(appDb, blobOf(imageBytes(13, 3100, 'image/png'), 'image/png'), at(3))
    await createRecord(appDb, lostItem(big, sig1, sig2))
    // uploaded, named by an open draft
    const draftPhotoBytes = imageBytes(14, 2000)
    const draftPhoto = await putAttachment(appDb, blobOf(draftPhotoBytes, 'image/jpeg'), at(4))
    await markAttachmentUploaded(appDb, draftPhoto.sha256)
    const now = at(20).toISOString()
    await saveDraft(appDb, { id: newId(), kind: 'lostItem', values: { mode: 'found', photos: [draftPhoto] }, createdAt: now, updatedAt: now })
    // uploaded and named by nothing unsynced: not exported
    const other = await putAttachment(appDb, blobOf(imageBytes(15), 'image/jpeg'), at(5))
    await markAttachmentUploaded(appDb, other.sha256)

    expect(await sync.exportUnsynced()).toBe(2)
    expect(downloadFile).toHaveBeenCalledOnce()
    const [fileName, content, type] = vi.mocked(downloadFile).mock.calls[0]!
    expect(fileName).toMatch(/^steadyline-unsynced-.*\.json$/)
    expect(type).toBe('application/json')
    const file = JSON.parse(content) as {
      records: unknown[]
      drafts: unknown[]
      attachments: { sha256: string; type: string; size: number; uploadState: string; base64: string }[]
    }
    expect(file.records).toHaveLength(1)
    expect(file.drafts).toHaveLength(1)
    expect(file.attachments.map((a) => a.sha256)).toEqual([big.sha256, sig1.sha256, sig2.sha256, draftPhoto.sha256])
    const decoded = new Map(file.attachments.map((a) => [a.sha256, Uint8Array.from(atob(a.base64), (c) => c.charCodeAt(0))]))
    expect(sameBytes(decoded.get(big.sha256), bigBytes)).toBe(true)
    expect(decoded.get(sig1.sha256)).toEqual(sig1Bytes)
    expect(decoded.get(draftPhoto.sha256)).toEqual(draftPhotoBytes)
    for (const attachment of file.attachments) {
      expect(await sha256Hex(decoded.get(attachment.sha256)!)).toBe(attachment.sha256)
      expect(decoded.get(attachment.sha256)!.byteLength).toBe(attachment.size)
    }
    expect(file.attachments.find((a) => a.sha256 === sig1.sha256)).toMatchObject({ type: 'image/png', uploadState: 'uploaded' })
    expect(file.attachments.find((a) => a.sha256 === big.sha256)).toMatchObject({ type: 'image/jpeg', uploadState: 'pending' })
  })
})
