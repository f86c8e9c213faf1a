import { describe, expect, it, vi } from 'vitest'
import { syncOnce } from '../../src/client/sync/engine'
import { SyncHttpError, type SyncTransport } from '../../src/client/sync/transport'
import { createRecord } from '../../src/client/db/records-repository'
import { applyPushResult, getPullCursor } from '../../src/client/db/sync-repository'
import { journaledRecords } from '../../src/client/db/journal'
import type { PullResponse, PushRequest, PushResponse } from '../../src/shared/sync'
import type { RecordEnvelope } from '../../src/shared/records'
import { callRecord, freshDb } from './builders'
import { useMemoryCaches } from './memory-caches'

const emptyPull: PullResponse = { records: [], cursor: 0, hasMore: false, lastMutationId: 0 }

function acceptAll(request: PushRequest): PushResponse {
  const ids = request.mutations.map((m) => m.mutationId)
  return { lastMutationId: Math.max(...ids), results: ids.map((mutationId) => ({ mutationId, status: 'accepted' })) }
}

function transport(overrides: Partial<SyncTransport> = {}): SyncTransport {
  return {
    push: vi.fn(async (request: PushRequest) => acceptAll(request)),
    pull: vi.fn(async () => emptyPull),
    ...overrides,
  }
}

describe('syncOnce', () => {
  it('pushes the outbox in order and in batches, then empties it', async () => {
    const db = await freshDb()
    for (let i = 0; i < 5; i++) await createRecord(db, callRecord())
    const t = transport()
    const outcome = await syncOnce(db, t, { batchSize: 2 })
    expect(outcome).toMatchObject({ ok: true, pushed: 5, rejected: 0 })
    const batches = vi.mocked(t.push).mock.calls.map(([req]) => req.mutations.map((m) => m.mutationId))
    expect(batches).toEqual([[1, 2], [3, 4], [5]])
    expect(await db.outbox.count()).toBe(0)
    expect((await db.records.toArray()).every((r) => r.syncState === 'synced')).toBe(true)
    expect((await db.meta.get('lastSyncAt'))?.value).toEqual(expect.any(String))
  })

  it('keeps the whole outbox on a 5xx and on a network failure', async () => {
    const db = await freshDb()
    for (let i = 0; i < 3; i++) await createRecord(db, callRecord())
    for (const error of [new SyncHttpError(503, 'internal', 'down'), new SyncHttpError(0, 'network', 'offline')]) {
      const outcome = await syncOnce(db, transport({ push: async () => Promise.reject(error) }))
      expect(outcome.ok).toBe(false)
      if (!outcome.ok) expect(outcome.error.retryable).toBe(true)
      expect(await db.outbox.count()).toBe(3)
      expect((await db.records.toArray()).every((r) => r.syncState === 'pending')).toBe(true)
    }
  })

  it('stores a rejection with its reason, keeps the record, and moves on', async () => {
    const db = await freshDb()
    const bad = await createRecord(db, callRecord())
    const good = await createRecord(db, callRecord())
    const t = transport({
      push: async () => ({
        lastMutationId: 2,
        results: [
          { mutationId: 1, status: 'rejected', reason: 'request: too long' },
          { mutationId: 2, status: 'accepted' },
        ],
      }),
    })
    const outcome = await syncOnce(db, t)
    expect(outcome).toMatchObject({ ok: true, pushed: 2, rejected: 1 })
    expect(await db.outbox.count()).toBe(0)
    expect(await db.records.get(bad.id)).toMatchObject({ syncState: 'rejected', rejectedReason: 'request: too long' })
    expect(await db.records.get(good.id)).toMatchObject({ syncState: 'synced' })
    expect(await db.syncIssues.toArray()).toEqual([
      expect.objectContaining({ mutationId: 1, recordId: bad.id, reason: 'request: too long' }),
    ])
  })

  it('keeps mutations the server has not acknowledged', async () => {
    const db = await freshDb()
    for (let i = 0; i < 3; i++) await createRecord(db, callRecord())
    let calls = 0
    const t = transport({
      push: async () => {
        calls++
        if (calls === 1) return { lastMutationId: 1, results: [{ mutationId: 1, status: 'accepted' as const }] }
        throw new SyncHttpError(0, 'network', 'offline')
      },
    })
    const outcome = await syncOnce(db, t)
    expect(outcome.ok).toBe(false)
    expect((await db.outbox.toArray()).map((m) => m.mutationId)).toEqual([2, 3])
  })

  it('pulls every page and moves the cursor with the rows', async () => {
    const db = await freshDb()
    const pages: PullResponse[] = [
      { records: [{ ...callRecord(), serverSeq: 1 }, { ...callRecord(), serverSeq: 2 }], cursor: 2, hasMore: true, lastMutationId: 0 },
      { records: [{ ...callRecord(), serverSeq: 3 }], cursor: 3, hasMore: false, lastMutationId: 0 },
    ]
    const t = transport({ pull: vi.fn(async () => pages.shift() ?? emptyPull) })
    const outcome = await syncOnce(db, t)
    expect(outcome).toMatchObject({ ok: true, pulled: 3 })
    expect(vi.mocked(t.pull).mock.calls.map(([req]) => req.cursor)).toEqual([0, 2])
    expect(await getPullCursor(db)).toBe(3)
    expect(await db.records.count()).toBe(3)
  })

  it('never moves the pull cursor ahead of the data (a failed page stores neither)', async () => {
    const db = await freshDb()
    const good: RecordEnvelope = { ...callRecord(), serverSeq: 1 }
    const broken = { ...callRecord(), id: undefined, serverSeq: 2 } as unknown as RecordEnvelope
    const t = transport({ pull: async () => ({ records: [good, broken], cursor: 2, hasMore: false, lastMutationId: 0 }) })
    await expect(syncOnce(db, t)).rejects.toThrow()
    expect(await getPullCursor(db)).toBe(0)
    expect(await db.records.get(good.id)).toBeUndefined()
  })

  it('sends the next batch before the answer to the last is stored, and stores answers in order', async () => {
    const db = await freshDb()
    for (let i = 0; i < 6; i++) await createRecord(db, callRecord())
    const seen: { batch: number[]; outbox: number[] }[] = []
    const t = transport({
      push: vi.fn(async (request: PushRequest) => {
        // what the outbox held when this batch was sent: the entries of every batch answered before it
        // that has not been stored yet are still there
        seen.push({ batch: request.mutations.map((m) => m.mutationId), outbox: (await db.outbox.toArray()).map((e) => e.mutationId) })
        return acceptAll(request)
      }),
    })
    const outcome = await syncOnce(db, t, { batchSize: 2 })
    expect(outcome).toMatchObject({ ok: true, pushed: 6 })
    expect(seen.map((s) => s.batch)).toEqual([[1, 2], [3, 4], [5, 6]])
    // the second batch went out while the first one's answer was not stored yet
    expect(seen[1]!.outbox).toEqual([1, 2, 3, 4, 5, 6])
    expect(await db.outbox.count()).toBe(0)
    expect((await db.records.toArray()).every((r) => r.syncState === 'synced')).toBe(true)
  })

  it('stores the answers it got when a later push fails, and keeps the rest', async () => {
    const db = await freshDb()
    for (let i = 0; i < 5; i++) await createRecord(db, callRecord())
    let calls = 0
    const t = transport({
      push: async (request: PushRequest) => {
        calls++
        if (calls === 1) return acceptAll(request)
        throw new SyncHttpError(0, 'network', 'offline')
      },
    })
    const outcome = await syncOnce(db, t, { batchSize: 2 })
    expect(outcome).toMatchObject({ ok: false, pushed: 2 })
    expect((await db.outbox.toArray()).map((m) => m.mutationId)).toEqual([3, 4, 5])
    const records = await db.records.toArray()
    expect(records.filter((r) => r.syncState === 'synced')).toHaveLength(2)
  })

  it('sends again what the server answered only in part, after what it answered', async () => {
    const db = await freshDb()
    for (let i = 0; i < 4; i++) await createRecord(db, callRecord())
    let calls = 0
    const t = transport({
      push: vi.fn(async (request: PushRequest) => {
        calls++
        // the first answer covers only the first of three
        if (calls === 1) return { lastMutationId: 1, results: [{ mutationId: 1, status: 'accepted' as const }] }
        return acceptAll(request)
      }),
    })
    const outcome = await syncOnce(db, t, { batchSize: 3 })
    expect(outcome).toMatchObject({ ok: true, pushed: 4 })
    expect(vi.mocked(t.push).mock.calls.map(([req]) => req.mutations.map((m) => m.mutationId))).toEqual([[1, 2, 3], [2, 3, 4]])
    expect(await db.outbox.count()).toBe(0)
  })

  it('sends again the entries past a batch when the server acknowledges beyond it (a replay)', async () => {
    const db = await freshDb()
    for (let i = 0; i < 3; i++) await createRecord(db, callRecord())
    const t = transport({
      push: vi.fn(async (request: PushRequest) => ({ ...acceptAll(request), lastMutationId: 3 })),
    })
    const outcome = await syncOnce(db, t, { batchSize: 2 })
    expect(outcome).toMatchObject({ ok: true })
    // entry 3 was not in the first batch: it goes again, for its own answer
    expect(vi.mocked(t.push).mock.calls.map(([req]) => req.mutations.map((m) => m.mutationId))).toEqual([[1, 2], [3]])
    expect(await db.outbox.count()).toBe(0)
  })

  it('keeps a push within its byte budget, and sends a larger mutation alone', async () => {
    const db = await freshDb()
    const small = callRecord()
    for (let i = 0; i < 3; i++) await createRecord(db, callRecord())
    await createRecord(db, callRecord({ data: { ...small.data, request: '长'.repeat(3000) } }))
    await createRecord(db, callRecord())
    const t = transport()
    // two small mutations' worth of UTF-8 (about 550 bytes each; the long request alone is 9,000)
    const outcome = await syncOnce(db, t, { batchBytes: 1500 })
    expect(outcome).toMatchObject({ ok: true, pushed: 5 })
    const batches = vi.mocked(t.push).mock.calls.map(([req]) => req.mutations.map((m) => m.mutationId))
    expect(batches).toEqual([[1, 2], [3], [4], [5]])
    const [first] = vi.mocked(t.push).mock.calls[0]!
    expect(new TextEncoder().encode(first.mutations.map((m) => JSON.stringify(m)).join(',')).length).toBeLessThanOrEqual(1500)
  })

  it('stops instead of spinning when the server acknowledges nothing', async () => {
    const db = await freshDb()
    await createRecord(db, callRecord())
    const t = transport({ push: async () => ({ lastMutationId: 0, results: [] }) })
    const outcome = await syncOnce(db, t)
    expect(outcome.ok).toBe(false)
    expect(await db.outbox.count()).toBe(1)
    expect(vi.mocked(t.pull)).not.toHaveBeenCalled()
  })
})

describe('applyPushResult', () => {
  it('takes exactly the answered entries out of the outbox, consecutive or not', async () => {
    const db = await freshDb()
    for (let i = 0; i < 6; i++) await createRecord(db, callRecord())
    const outbox = await db.outbox.toArray()
    const pick = (...ids: number[]) => outbox.filter((e) => ids.includes(e.mutationId))
    const answer = (ids: number[]) => ({ lastMutationId: Math.max(...ids), results: ids.map((mutationId) => ({ mutationId, status: 'accepted' as const })) })
    await applyPushResult(db, pick(2, 3), answer([2, 3]), '2026-11-28T08:00:00.000Z')
    expect((await db.outbox.toArray()).map((e) => e.mutationId)).toEqual([1, 4, 5, 6])
    await applyPushResult(db, pick(1, 5), answer([1, 5]), '2026-11-28T08:00:00.000Z')
    expect((await db.outbox.toArray()).map((e) => e.mutationId)).toEqual([4, 6])
    const synced = new Set(pick(1, 2, 3, 5).map((e) => e.recordId))
    for (const record of await db.records.toArray()) expect(record.syncState).toBe(synced.has(record.id) ? 'synced' : 'pending')
  })
})

describe('the journal after a push', () => {
  useMemoryCaches()

  it('drops the second copy of what the server holds, keeps a refused one and an unanswered one', async () => {
    const db = await freshDb()
    const [held, refused, unanswered] = [callRecord(), callRecord(), callRecord()]
    for (const record of [held, refused, unanswered]) await createRecord(db, record)
    expect((await journaledRecords()).map((r) => r.id).sort()).toEqual([held.id, refused.id, unanswered.id].sort())
    let calls = 0
    const t = transport({
      push: async (request: PushRequest) => {
        calls++
        if (calls === 1) return acceptAll(request)
        if (calls === 2) return { lastMutationId: 2, results: [{ mutationId: 2, status: 'rejected' as const, reason: 'no' }] }
        throw new SyncHttpError(0, 'network', 'offline')
      },
    })
    const outcome = await syncOnce(db, t, { batchSize: 1 })
    expect(outcome).toMatchObject({ ok: false, pushed: 2 })
    // removed in the background once the push is over
    await vi.waitFor(async () => expect((await journaledRecords()).map((r) => r.id).sort()).toEqual([refused.id, unanswered.id].sort()))
  })
})
