import type { AppDB } from '../db/AppDB'
import { getAttachmentBlob, listPendingAttachments, markAttachmentFailed, markAttachmentUploaded } from '../db/attachments-repository'
import { SyncHttpError, type AttachmentTransport } from './transport'

/** Attachments one round uploads at most; the rest wait for the next round. */
export const ATTACHMENT_UPLOAD_ROUND_LIMIT = 50

export interface UploadAttachmentsOptions {
  /** @default ATTACHMENT_UPLOAD_ROUND_LIMIT */
  limit?: number
  /**
   * Asked before each attachment: true stops the round there (not a failure), e.g. because new
   * records are waiting: they go first, the photos after them. @default never
   */
  interrupted?: () => boolean
  now?: () => Date
}

export interface UploadAttachmentsOutcome {
  /** False when an attachment failed or the round was cut short by the network or the server. */
  ok: boolean
  uploaded: number
  failed: number
  /** The failure that stopped the round (no network, 5xx, 401…), if one did. */
  error?: SyncHttpError
}

/**
 * Whether a failed upload says something about the server or the network rather than about this
 * one attachment: then the others would fail the same way, and the round stops.
 */
function stopsTheRound(error: SyncHttpError): boolean {
  return error.retryable || error.status === 401 || error.status === 403
}

/**
 * Uploads pending attachments one at a time, the least tried first and then the oldest
 * (listPendingAttachments). Each success marks it uploaded. Each failure marks it failed (one
 * more attempt, and why) and keeps it pending; a refusal of this attachment (400, 413, 415…) moves
 * on to the next, so one bad attachment never blocks the others, while no network, a 5xx or a
 * 401/403 stops the round: the others would fail alike. Safe to repeat at any point: the server
 * stores each hash once, so an upload whose answer was lost is simply answered `exists` next time.
 */
export async function uploadPendingAttachments(
  db: AppDB,
  transport: AttachmentTransport,
  options: UploadAttachmentsOptions = {},
): Promise<UploadAttachmentsOutcome> {
  const now = options.now ?? (() => new Date())
  let uploaded = 0
  let failed = 0
  for (const pending of await listPendingAttachments(db, options.limit ?? ATTACHMENT_UPLOAD_ROUND_LIMIT)) {
    if (options.interrupted?.()) break
    const blob = await getAttachmentBlob(db, pending.sha256)
    if (!blob) continue
    try {
      await transport.putAttachment({ sha256: pending.sha256, type: pending.type, size: pending.size }, blob)
    } catch (error) {
      const httpError = error instanceof SyncHttpError ? error : new SyncHttpError(0, 'network', String(error))
      failed += 1
      await markAttachmentFailed(db, pending.sha256, `${httpError.status} ${httpError.code}: ${httpError.message}`)
      if (stopsTheRound(httpError)) return { ok: false, uploaded, failed, error: httpError }
      continue
    }
    await markAttachmentUploaded(db, pending.sha256, now())
    uploaded += 1
  }
  return { ok: failed === 0, uploaded, failed }
}
