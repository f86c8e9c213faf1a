import { describe, expect, it, vi } from 'vitest'
import { syncOnce } from '../../src/client/sync/engine'
import { SyncHttpError, type SyncTransport } from '../../src/client/sync/transport'
import { createRecord } from '../../src/client/db/records-repository'
import { getPullCursor } from '../../src/client/db/sync-repository'
import type { PullResponse, PushRequest, PushResponse } from '../../src/shared/sync'
import type { RecordEnvelope } from '../../src/shared/records'
import { callRecord, freshDb } from './builders'

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
