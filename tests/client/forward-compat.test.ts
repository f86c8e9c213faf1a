import { describe, expect, it } from 'vitest'
import { syncOnce } from '../../src/client/sync/engine'
import { createHttpTransport } from '../../src/client/sync/transport'
import { getPullCursor } from '../../src/client/db/sync-repository'
import { newId } from '../../src/shared/ids'
import { callRecord, freshDb } from './builders'

/** A server one version ahead: its pull carries a kind this app does not know yet. */
function newerServer(records: unknown[]): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const url = String(input)
    if (url.endsWith('/api/sync/pull')) {
      return new Response(JSON.stringify({ records, cursor: 2, hasMore: false, lastMutationId: 0 }), { status: 200 })
    }
    return new Response(JSON.stringify({ lastMutationId: 0, results: [] }), { status: 200 })
  }) as typeof fetch
}

describe('a pull from a newer server', () => {
  it('keeps a record of an unknown kind and moves the cursor, instead of failing every pull', async () => {
    const db = await freshDb()
    const known = { ...callRecord(), serverSeq: 1 }
    const future = { ...callRecord(), id: newId(), kind: 'lostAndFoundItem', serverSeq: 2, data: { what: '黑色钱包' } }
    const transport = createHttpTransport({ getToken: async () => 'token', fetch: newerServer([known, future]) })
    const outcome = await syncOnce(db, transport)
    expect(outcome).toMatchObject({ ok: true, pulled: 2 })
    expect(await getPullCursor(db)).toBe(2)
    expect(await db.records.get(future.id)).toMatchObject({ kind: 'lostAndFoundItem', data: { what: '黑色钱包' } })
  })

  it('still refuses a malformed record', async () => {
    const db = await freshDb()
    const broken = { ...callRecord(), kind: 'x y', serverSeq: 1 }
    const transport = createHttpTransport({ getToken: async () => 'token', fetch: newerServer([broken]) })
    const outcome = await syncOnce(db, transport)
    expect(outcome.ok).toBe(false)
    expect(await getPullCursor(db)).toBe(0)
  })
})
