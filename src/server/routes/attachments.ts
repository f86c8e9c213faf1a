import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import {
  ATTACHMENT_CACHE_CONTROL,
  ATTACHMENT_TYPES,
  MAX_ATTACHMENT_BYTES,
  SHA256_HEX_RE,
  isAttachmentType,
  sniffAttachmentType,
} from '../../shared/attachments'
import { authenticate } from '../auth'
import { ApiHttpError } from '../errors'
import type { Device, Store } from '../store'

const TYPES_TEXT = ATTACHMENT_TYPES.join(', ')

function mediaTypeOf(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
}

function hashParam(request: FastifyRequest): string {
  const { sha256 } = request.params as { sha256: string }
  if (!SHA256_HEX_RE.test(sha256)) throw new ApiHttpError(400, 'bad_request', 'The path must end in the SHA-256 of the bytes (64 lower-case hex digits)')
  return sha256
}

/**
 * Photos and signatures, by the SHA-256 of their bytes. A device uploads one with PUT (raw bytes,
 * idempotent: the same bytes twice are stored once) and reads one with GET, only if a device of
 * its own site uploaded it. The records that show them name them by hash and sync on their own.
 */
export async function attachmentRoutes(app: FastifyInstance, { store, now }: { store: Store; now: () => Date }): Promise<void> {
  // Scoped to this plugin: the rest of the API keeps parsing JSON only.
  app.addContentTypeParser([...ATTACHMENT_TYPES], { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES }, (_request, body, done) => {
    done(null, body)
  })

  // Authenticated before the body is read, as sync.ts does; then type and declared size, so a
  // refused upload costs no bytes read.
  const devices = new WeakMap<FastifyRequest, Device>()
  app.addHook('onRequest', async (request) => {
    devices.set(request, await authenticate(store, request, now()))
    if (request.method !== 'PUT') return
    if (!isAttachmentType(mediaTypeOf(request))) {
      throw new ApiHttpError(415, 'bad_request', `Send the attachment's bytes as one of ${TYPES_TEXT}`)
    }
    if (Number(request.headers['content-length'] ?? 0) > MAX_ATTACHMENT_BYTES) {
      throw new ApiHttpError(413, 'payload_too_large', `An attachment may be at most ${MAX_ATTACHMENT_BYTES} bytes`)
    }
  })
  const deviceOf = (request: FastifyRequest): Device => {
    const device = devices.get(request)
    if (!device) throw new Error('attachment route reached without an authenticated device')
    return device
  }

  app.put('/api/attachments/:sha256', { bodyLimit: MAX_ATTACHMENT_BYTES }, async (request, reply) => {
    const sha256 = hashParam(request)
    const contentType = mediaTypeOf(request)
    const bytes = request.body
    if (!isAttachmentType(contentType) || !Buffer.isBuffer(bytes)) {
      throw new ApiHttpError(415, 'bad_request', `Send the attachment's bytes as one of ${TYPES_TEXT}`)
    }
    if (bytes.length === 0) throw new ApiHttpError(400, 'bad_request', 'The attachment is empty')
    const actual = createHash('sha256').update(bytes).digest('hex')
    if (actual !== sha256) {
      throw new ApiHttpError(400, 'bad_request', `The bytes' SHA-256 is ${actual}, not the one in the path`)
    }
    if (sniffAttachmentType(bytes) !== contentType) {
      throw new ApiHttpError(400, 'bad_request', `The bytes are not a ${contentType} image`)
    }
    const device = deviceOf(request)
    const outcome = await store.putAttachment({
      sha256,
      contentType,
      bytes,
      siteId: device.siteId,
      deviceId: device.id,
      now: now().toISOString(),
    })
    return reply.code(outcome === 'created' ? 201 : 200).send({ sha256, type: contentType, size: bytes.length })
  })

  app.get('/api/attachments/:sha256', async (request, reply) => {
    const sha256 = hashParam(request)
    const found = await store.getAttachment(sha256, [deviceOf(request).siteId])
    // Not stored and stored for another site answer the same: a caller learns nothing of other sites.
    if (!found) throw new ApiHttpError(404, 'not_found', 'No such attachment for this site')
    return reply
      .header('content-type', found.contentType)
      .header('cache-control', ATTACHMENT_CACHE_CONTROL)
      .header('x-content-type-options', 'nosniff')
      .send(found.bytes)
  })
}
