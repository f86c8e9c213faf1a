import { defineStore } from 'pinia'
import { db } from '../db/db'
import { getAttachmentBlob, putAttachment, saveDownloadedAttachment } from '../db/attachments-repository'
import { getEnrollment } from '../db/meta-repository'
import { canvasToPngBlob, downscalePhoto } from '../media/images'
import { createHttpTransport, SyncHttpError } from '../sync/transport'
import { useSyncStore } from './sync'
import type { AttachmentRef } from '../../shared/attachments'

/**
 * Photos and signatures for pages and components (which never reach the database): keep one on
 * the tablet (queued for the server, uploaded after the records), and read one back for display,
 * from the tablet or, for an image another tablet of the site took, from the server.
 */
export const useAttachmentsStore = defineStore('attachments', () => {
  const sync = useSyncStore()
  const transport = createHttpTransport({ getToken: async () => (await getEnrollment(db))?.token })

  /**
   * Keeps an image (a JPEG, PNG or WebP of at most 1 MiB) and returns the reference a record
   * stores. Throws an AttachmentError (`code`: tooBig, unsupportedType, empty) to translate as
   * `attachments.error.<code>`, or a QuotaExceededError when the tablet is full.
   */
  async function save(blob: Blob): Promise<AttachmentRef> {
    const ref = await putAttachment(db, blob)
    sync.notifyWrite()
    return ref
  }

  /** A camera photo or picked file, downscaled and compressed to fit (see downscalePhoto), kept. */
  async function savePhoto(file: Blob): Promise<AttachmentRef> {
    return save(await downscalePhoto(file))
  }

  /** A drawn signature as PNG, kept. */
  async function saveSignature(canvas: HTMLCanvasElement | OffscreenCanvas): Promise<AttachmentRef> {
    return save(await canvasToPngBlob(canvas))
  }

  /**
   * The image to show: from the tablet, else (online, enrolled) from the server, then kept on the
   * tablet so it shows offline from then on. Undefined when neither has it now (offline, or the
   * tablet that took it has not uploaded it yet); other failures are thrown.
   */
  async function loadBlob(sha256: string): Promise<Blob | undefined> {
    const local = await getAttachmentBlob(db, sha256)
    if (local) return local
    if (!sync.online || !(await getEnrollment(db))) return undefined
    let fetched: Blob
    try {
      fetched = await transport.getAttachment(sha256)
    } catch (error) {
      if (error instanceof SyncHttpError && (error.status === 404 || error.retryable)) return undefined
      throw error
    }
    return saveDownloadedAttachment(db, sha256, fetched)
  }

  return { save, savePhoto, saveSignature, loadBlob }
})
