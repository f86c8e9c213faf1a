import { z } from 'zod'

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

export const AttachmentRefSchema = z.object({
  sha256: z.string().regex(SHA256_HEX_RE, 'sha256 must be 64 lower-case hex digits'),
  type: z.enum(ATTACHMENT_TYPES),
  size: z.number().int().positive().max(MAX_ATTACHMENT_BYTES),
})
export type AttachmentRef = z.infer<typeof AttachmentRefSchema>
