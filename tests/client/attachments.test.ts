import { describe, expect, it, vi } from 'vitest'
import {
  attachmentStats,
  getAttachmentBlob,
  listPendingAttachments,
  markAttachmentUploaded,
  putAttachment,
  saveDownloadedAttachment,
  sha256Hex,
} from '../../src/client/db/attachments-repository'
import { encodeSteps, fitWithin, PHOTO_MAX_EDGE_PX, PHOTO_MIN_EDGE_PX, PHOTO_QUALITIES } from '../../src/client/media/images'
import { uploadPendingAttachments } from '../../src/client/sync/attachments-upload'
import { SyncScheduler } from '../../src/client/sync/scheduler'
import { SyncHttpError, type AttachmentTransport } from '../../src/client/sync/transport'
import type { SyncOutcome } from '../../src/client/sync/engine'
import { AttachmentError, MAX_ATTACHMENT_BYTES, type AttachmentRef } from '../../src/shared/attachments'
import { freshDb } from './builders'

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const JPEG_MAGIC = [0xff, 0xd8, 0xff, 0xe0]

/** `size` bytes that start like a `type` image, the rest a pattern made from `seed`. */
function image(seed: number, size = 1000, type: 'image/png' | 'image/jpeg' = 'image/jpeg'): Blob {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 7919) & 0xff
  bytes.set(type === 'image/png' ? PNG_MAGIC : JPEG_MAGIC)
  return new Blob([bytes], { type })
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 28, 8, minute))

async function refusal(promise: Promise<unknown>): Promise<AttachmentError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AttachmentError)
  return error as AttachmentError
}

describe('attachments on the tablet', () => {
  it('names an image by the SHA-256 of its bytes, lower-case hex', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    const db = await freshDb()
    const bytes = new Uint8Array([...PNG_MAGIC, ...new TextEncoder().encode('Steadyline signature')])
    const ref = await putAttachment(db, new Blob([bytes], { type: 'image/png' }))
    expect(ref).toEqual({ sha256: 'f2bfb8fda7f686c0f8f4cb82a57de46bf8b8a5790ffbcc6cf173683af3e79f38', type: 'image/png', size: 28 })
  })

  it('gives the Blob back with its type and bytes', async () => {
    const db = await freshDb()
    const blob = image(1, 5000)
    const ref = await putAttachment(db, blob)
    const back = await getAttachmentBlob(db, ref.sha256)
    expect(back).toBeInstanceOf(Blob)
    expect(back?.type).toBe('image/jpeg')
    expect(new Uint8Array(await back!.arrayBuffer())).toEqual(new Uint8Array(await blob.arrayBuffer()))
    expect(await getAttachmentBlob(db, 'f'.repeat(64))).toBeUndefined()
  })

  it('is idempotent: the same image twice is one attachment, and an uploaded one stays uploaded', async () => {
    const db = await freshDb()
    const first = await putAttachment(db, image(2), at(0))
    const again = await putAttachment(db, image(2), at(5))
    expect(again).toEqual(first)
    expect(await db.attachments.count()).toBe(1)
    expect((await db.attachments.get(first.sha256))?.createdAt).toBe(at(0).toISOString())
    await markAttachmentUploaded(db, first.sha256, at(6))
    await putAttachment(db, image(2), at(7))
    expect(await db.attachments.get(first.sha256)).toMatchObject({ uploadState: 'uploaded', uploadedAt: at(6).toISOString() })
    expect(await attachmentStats(db)).toEqual({ count: 1, bytes: 1000, pending: 0 })
  })

  it('refuses an image over 1 MiB, of another type, not what it claims, or empty, and keeps nothing', async () => {
    const db = await freshDb()
    expect((await refusal(putAttachment(db, image(3, MAX_ATTACHMENT_BYTES + 1)))).code).toBe('tooBig')
    expect((await refusal(putAttachment(db, new Blob([await image(3).arrayBuffer()], { type: 'image/gif' })))).code).toBe('unsupportedType')
    expect((await refusal(putAttachment(db, new Blob([await image(3).arrayBuffer()], { type: '' })))).code).toBe('unsupportedType')
    // declared PNG, but the bytes are a JPEG's
    expect((await refusal(putAttachment(db, new Blob([await image(3).arrayBuffer()], { type: 'image/png' })))).code).toBe('unsupportedType')
    expect((await refusal(putAttachment(db, new Blob([], { type: 'image/png' })))).code).toBe('empty')
    expect(await db.attachments.count()).toBe(0)
    // exactly the limit is kept
    await putAttachment(db, image(3, MAX_ATTACHMENT_BYTES))
    expect(await attachmentStats(db)).toEqual({ count: 1, bytes: MAX_ATTACHMENT_BYTES, pending: 1 })
  })

  it('keeps an image fetched from the server only when its bytes match the hash, as uploaded', async () => {
    const db = await freshDb()
    const blob = image(4)
    const hash = await sha256Hex(await blob.arrayBuffer())
    await expect(saveDownloadedAttachment(db, 'a'.repeat(64), blob)).rejects.toThrow(/SHA-256/)
    expect(await db.attachments.count()).toBe(0)
    const kept = await saveDownloadedAttachment(db, hash, blob, at(1))
    expect(kept.size).toBe(blob.size)
    expect(await db.attachments.get(hash)).toMatchObject({ uploadState: 'uploaded', attempts: 0 })
    expect(await listPendingAttachments(db, 10)).toEqual([])
  })

  it('counts images, bytes and those waiting to upload for the diagnostics', async () => {
    const db = await freshDb()
    expect(await attachmentStats(db)).toEqual({ count: 0, bytes: 0, pending: 0 })
    const a = await putAttachment(db, image(5, 1000))
    await putAttachment(db, image(6, 2500, 'image/png'))
    await markAttachmentUploaded(db, a.sha256)
    expect(await attachmentStats(db)).toEqual({ count: 2, bytes: 3500, pending: 1 })
  })
})

/** A server in memory: which hashes it holds, every PUT it was sent, and a fault per call. */
function fakeServer(fault: (ref: AttachmentRef, call: number) => Error | undefined = () => undefined) {
  const stored = new Map<string, Uint8Array<ArrayBuffer>>()
  const puts: string[] = []
  const transport: AttachmentTransport = {
    async putAttachment(ref, blob) {
      puts.push(ref.sha256)
      const error = fault(ref, puts.length)
      if (error) throw error
      const bytes = new Uint8Array(await blob.arrayBuffer())
      expect(await sha256Hex(bytes)).toBe(ref.sha256)
      expect(blob.type).toBe(ref.type)
      if (stored.has(ref.sha256)) return 'exists'
      stored.set(ref.sha256, bytes)
      return 'created'
    },
    async getAttachment(sha256) {
      const bytes = stored.get(sha256)
      if (!bytes) throw new SyncHttpError(404, 'not_found', 'no such attachment')
      return new Blob([bytes])
    },
  }
  return { stored, puts, transport }
}

async function threePending() {
  const db = await freshDb()
  // saved out of order: the upload goes by age, not by hash or insertion
  const second = await putAttachment(db, image(12), at(2))
  const first = await putAttachment(db, image(11), at(1))
  const third = await putAttachment(db, image(13), at(3))
  return { db, first, second, third }
}

describe('attachment upload', () => {
  it('lists the pending ones oldest first, without their bytes', async () => {
    const { db, first, second, third } = await threePending()
    const pending = await listPendingAttachments(db, 10)
    expect(pending.map((p) => p.sha256)).toEqual([first.sha256, second.sha256, third.sha256])
    expect(pending[0]).toEqual({ ...first, createdAt: at(1).toISOString(), attempts: 0 })
    expect(await listPendingAttachments(db, 2)).toHaveLength(2)
  })

  it('marks a refused attachment failed and still uploads the one behind it; the next round sends only what is left', async () => {
    const { db, first, second, third } = await threePending()
    // the 2nd of 3 is refused by the server (as a 413 would be): a fault of that attachment
    let refuse = true
    const server = fakeServer((ref) =>
      refuse && ref.sha256 === second.sha256 ? new SyncHttpError(413, 'payload_too_large', 'too large') : undefined,
    )
    expect(await uploadPendingAttachments(db, server.transport)).toEqual({ ok: false, uploaded: 2, failed: 1 })
    expect(await db.attachments.get(first.sha256)).toMatchObject({ uploadState: 'uploaded', attempts: 0 })
    expect(await db.attachments.get(second.sha256)).toMatchObject({
      uploadState: 'pending',
      attempts: 1,
      lastError: '413 payload_too_large: too large',
    })
    expect(await db.attachments.get(third.sha256)).toMatchObject({ uploadState: 'uploaded' })
    expect(await attachmentStats(db)).toMatchObject({ pending: 1 })

    refuse = false
    expect(await uploadPendingAttachments(db, server.transport)).toEqual({ ok: true, uploaded: 1, failed: 0 })
    expect(server.puts).toEqual([first.sha256, second.sha256, third.sha256, second.sha256])
    // the server stored each hash once
    expect([...server.stored.keys()].sort()).toEqual([first.sha256, second.sha256, third.sha256].sort())
    expect(await attachmentStats(db)).toMatchObject({ count: 3, pending: 0 })
  })

  it('stops the round at a network failure (the 3rd is not attempted) and resumes with what is left, least tried first', async () => {
    const { db, first, second, third } = await threePending()
    const server = fakeServer((_ref, call) => (call === 2 ? new SyncHttpError(0, 'network', 'Failed to fetch') : undefined))
    const outcome = await uploadPendingAttachments(db, server.transport)
    expect(outcome).toMatchObject({ ok: false, uploaded: 1, failed: 1, error: { status: 0, code: 'network' } })
    expect(await db.attachments.get(first.sha256)).toMatchObject({ uploadState: 'uploaded' })
    expect(await db.attachments.get(second.sha256)).toMatchObject({ uploadState: 'pending', attempts: 1 })
    expect(await db.attachments.get(third.sha256)).toMatchObject({ uploadState: 'pending', attempts: 0 })
    expect(server.puts).toEqual([first.sha256, second.sha256])

    expect(await uploadPendingAttachments(db, server.transport)).toEqual({ ok: true, uploaded: 2, failed: 0 })
    // the one that failed goes behind the one never tried, so a bad one cannot hold up the rest
    expect(server.puts).toEqual([first.sha256, second.sha256, third.sha256, second.sha256])
    expect(server.stored.size).toBe(3)
  })

  it('takes a lost answer in its stride: the server already has it and answers exists', async () => {
    const { db, first } = await threePending()
    const server = fakeServer()
    // the upload reached the server, its answer did not reach the tablet
    await server.transport.putAttachment(first, (await getAttachmentBlob(db, first.sha256))!)
    expect(await uploadPendingAttachments(db, server.transport)).toEqual({ ok: true, uploaded: 3, failed: 0 })
    expect(server.stored.size).toBe(3)
  })

  it('stops between attachments when told to (new records go first), without counting a failure', async () => {
    const { db } = await threePending()
    const server = fakeServer()
    let asked = 0
    const outcome = await uploadPendingAttachments(db, server.transport, { interrupted: () => ++asked > 1 })
    expect(outcome).toEqual({ ok: true, uploaded: 1, failed: 0 })
    expect(await attachmentStats(db)).toMatchObject({ pending: 2 })
  })
})

describe('attachments in the sync schedule', () => {
  const ok: SyncOutcome = { ok: true, pushed: 0, rejected: 0, pulled: 0 }
  const fail: SyncOutcome = { ok: false, pushed: 0, error: new SyncHttpError(0, 'network', 'offline') }

  function harness(outcomes: SyncOutcome[], afterResults: (boolean | 'throw')[]) {
    const timers: { fn: () => void; ms: number }[] = []
    const order: string[] = []
    const reported: SyncOutcome[] = []
    const scheduler = new SyncScheduler({
      run: async () => {
        order.push('records')
        return outcomes.shift() ?? ok
      },
      afterRound: async () => {
        order.push('attachments')
        const result = afterResults.shift() ?? true
        if (result === 'throw') throw new Error('IndexedDB went away')
        return result
      },
      onOutcome: (outcome) => {
        if (!('busy' in outcome)) reported.push(outcome)
      },
      random: () => 1,
      now: () => 0,
      exclusive: (task) => task(),
      setTimer: (fn, ms) => {
        const timer = { fn, ms }
        timers.push(timer)
        return timer
      },
      clearTimer: (handle) => {
        const i = timers.indexOf(handle as (typeof timers)[number])
        if (i >= 0) timers.splice(i, 1)
      },
      baseDelayMs: 1000,
      maxDelayMs: 8000,
      periodicMs: 60_000,
    })
    return { scheduler, timers, order, reported }
  }

  it('uploads after the records, only when they synced; a failed upload retries with backoff but the sync stays good', async () => {
    const { scheduler, timers, order, reported } = harness([ok, ok, ok], [false, 'throw', true])
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    scheduler.start()
    await vi.waitFor(() => expect(timers).toHaveLength(1))
    expect(order).toEqual(['records', 'attachments'])
    expect(reported).toEqual([ok]) // the records' round is reported as it was
    expect(scheduler.consecutiveFailures).toBe(0)
    expect(timers[0]!.ms).toBe(1000) // backoff, not the periodic minute
    timers.shift()!.fn()
    await vi.waitFor(() => expect(order).toHaveLength(4))
    await vi.waitFor(() => expect(timers[0]?.ms).toBe(2000))
    timers.shift()!.fn()
    await vi.waitFor(() => expect(order).toHaveLength(6))
    await vi.waitFor(() => expect(timers[0]?.ms).toBe(60_000)) // all uploaded: back to the periodic round
    expect(logged).toHaveBeenCalledWith('after-sync work failed', expect.any(Error))
    logged.mockRestore()
  })

  it('does not upload when the records failed', async () => {
    const { scheduler, timers, order, reported } = harness([fail], [])
    scheduler.start()
    await vi.waitFor(() => expect(timers).toHaveLength(1))
    expect(order).toEqual(['records'])
    expect(reported).toEqual([fail])
    expect(scheduler.consecutiveFailures).toBe(1)
  })

  it('tells the upload to stop when a write wants a round, and runs the records first', async () => {
    const timers: unknown[] = []
    const order: string[] = []
    let release: () => void = () => undefined
    const scheduler = new SyncScheduler({
      run: async () => {
        order.push('records')
        return ok
      },
      afterRound: async ({ interrupted }) => {
        order.push('attachments')
        if (order.length === 2) await new Promise<void>((resolve) => (release = resolve))
        order.push(interrupted() ? 'interrupted' : 'done')
        return true
      },
      exclusive: (task) => task(),
      setTimer: (fn, ms) => (timers.push(ms), fn),
      clearTimer: () => undefined,
    })
    scheduler.start()
    await vi.waitFor(() => expect(order).toEqual(['records', 'attachments']))
    const second = scheduler.trigger('write')
    release()
    await second
    expect(order).toEqual(['records', 'attachments', 'interrupted', 'records', 'attachments', 'done'])
  })
})

describe('photo downscaling arithmetic', () => {
  it('fits the longest edge within 1600 px, keeping the aspect ratio, never enlarging', () => {
    expect(fitWithin(4032, 3024, PHOTO_MAX_EDGE_PX)).toEqual({ width: 1600, height: 1200 })
    expect(fitWithin(3024, 4032, PHOTO_MAX_EDGE_PX)).toEqual({ width: 1200, height: 1600 })
    expect(fitWithin(800, 600, PHOTO_MAX_EDGE_PX)).toEqual({ width: 800, height: 600 })
    expect(fitWithin(10_000, 10, PHOTO_MAX_EDGE_PX)).toEqual({ width: 1600, height: 2 })
    expect(fitWithin(10_000, 1, PHOTO_MAX_EDGE_PX)).toEqual({ width: 1600, height: 1 })
  })

  it('tries every quality from 0.82 down to 0.5 at a size before a smaller size, down to the floor', () => {
    const steps = encodeSteps(4032, 3024)
    expect(steps.slice(0, 4)).toEqual(PHOTO_QUALITIES.map((quality) => ({ width: 1600, height: 1200, quality })))
    expect(steps[0]!.quality).toBe(0.82)
    expect(steps[3]!.quality).toBe(0.5)
    expect(steps[4]).toEqual({ width: 1200, height: 900, quality: 0.82 })
    const edges = steps.map((s) => Math.max(s.width, s.height))
    expect(edges.every((edge, i) => i === 0 || edge <= edges[i - 1]!)).toBe(true)
    expect(Math.min(...edges)).toBeGreaterThanOrEqual(PHOTO_MIN_EDGE_PX)
    expect(Math.min(...edges)).toBeLessThan(PHOTO_MIN_EDGE_PX / 0.75)
    // a small image is never enlarged and still gets its qualities tried
    expect(encodeSteps(300, 200)).toEqual(PHOTO_QUALITIES.map((quality) => ({ width: 300, height: 200, quality })))
  })
})
