import { z } from 'zod'
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, SHA256_HEX_RE, type AttachmentRef } from './attachments'

/**
 * An attachment named in a record: the schema of `AttachmentRef` (attachments.ts keeps the rules
 * without a schema library, for the tablet's start path).
 */
export const AttachmentRefSchema = z.object({
  sha256: z.string().regex(SHA256_HEX_RE, 'sha256 must be 64 lower-case hex digits'),
  type: z.enum(ATTACHMENT_TYPES),
  size: z.number().int().positive().max(MAX_ATTACHMENT_BYTES),
}) satisfies z.ZodType<AttachmentRef>
