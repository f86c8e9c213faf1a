/**
 * A photo or a handwritten signature, stored as a Blob on the tablet and uploaded to the server
 * apart from the records that name it. It is known by the SHA-256 of its bytes: the same image
 * uploaded twice is stored once, and a record names it with this reference, never with the bytes.
 */
export const SHA256_HEX_RE = /^[0-9a-f]{64}$/

export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number]

/** The most one attachment may weigh, after the tablet downscaled and compressed it. */
export const MAX_ATTACHMENT_BYTES = 1024 * 1024

/** How a record names an attachment (its schema: attachment-ref.ts, with the records that use it). */
export interface AttachmentRef {
  sha256: string
  type: AttachmentType
  size: number
}

export function isAttachmentType(type: string): type is AttachmentType {
  return (ATTACHMENT_TYPES as readonly string[]).includes(type)
}

/**
 * The type the bytes themselves say they are (their magic number), or undefined. Both sides check
 * it against the declared type: the tablet refuses a file that is not what it claims before it is
 * queued (it would never upload), the server before it stores and serves it under that type.
 */
export function sniffAttachmentType(bytes: Uint8Array): AttachmentType | undefined {
  const starts = (offset: number, signature: readonly number[]) => signature.every((b, i) => bytes[offset + i] === b)
  if (starts(0, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (starts(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  // RIFF <size> WEBP
  if (starts(0, [0x52, 0x49, 0x46, 0x46]) && starts(8, [0x57, 0x45, 0x42, 0x50])) return 'image/webp'
  return undefined
}

/** How the server answers a GET of an attachment: its bytes never change under their hash. */
export const ATTACHMENT_CACHE_CONTROL = 'private, max-age=31536000, immutable'

/** Why the tablet refuses to keep an image; the UI translates `code` (`attachments.error.<code>`). */
export type AttachmentErrorCode = 'tooBig' | 'unsupportedType' | 'empty'

export class AttachmentError extends Error {
  constructor(
    readonly code: AttachmentErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'AttachmentError'
  }
}

/**
 * Checks what the tablet is about to keep: a declared type we accept, bytes of that type (their
 * magic number), at most MAX_ATTACHMENT_BYTES. Throws an AttachmentError, else returns the type.
 */
export function checkAttachment(declaredType: string, bytes: Uint8Array): AttachmentType {
  const type = declaredType.split(';')[0]!.trim().toLowerCase()
  if (bytes.length === 0) throw new AttachmentError('empty', 'the image is empty')
  if (!isAttachmentType(type)) throw new AttachmentError('unsupportedType', `${type || 'no type'} is not one of ${ATTACHMENT_TYPES.join(', ')}`)
  if (bytes.length > MAX_ATTACHMENT_BYTES) {
    throw new AttachmentError('tooBig', `${bytes.length} bytes is more than ${MAX_ATTACHMENT_BYTES}`)
  }
  if (sniffAttachmentType(bytes) !== type) throw new AttachmentError('unsupportedType', `the bytes are not a ${type} image`)
  return type
}
