// The push's bulk path (store/push.ts, writePush and readForPush of both stores): batches written
// by several multi-row statements, server sequence numbers and the log that goes with them, and the
// hash every logged mutation is known by, which must stay what older servers logged.
import fc from 'fast-check'
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { canonicalJson, mutationHash } from '../../src/server/store/push'
import { newId } from '../../src/shared/ids'
import type { Mutation } from '../../src/shared/sync'
import { callRecord, creates, enroll, describeOnStores, push, storeFactories, uniqueSiteName, type TestDevice } from './helpers'

/** canonicalJson as the first servers wrote it: what the hashes in their mutation logs are of. */
function legacyCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map((v: unknown) => legacyCanonicalJson(v === undefined ? null : v)).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${legacyCanonicalJson(v)}`).join(',')}}`
}

describe('the hash of a mutation', () => {
  it('is of the same canonical JSON as before, for any JSON (odd keys, escapes, lone surrogates)', () => {
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string())
    const json = fc.jsonValue({ maxDepth: 4 })
    const value = fc.oneof(json, fc.dictionary(text, fc.oneof(text, json, fc.constant(undefined)), { maxKeys: 8 }), fc.array(fc.oneof(text, json)))
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(legacyCanonicalJson(v))
      }),
      { numRuns: 3000 },
    )
  })

  it('stays the SHA-256 (hex) that older servers logged: a replay across an update is still a replay', () => {
    const args = {
      id: '019ac8f0-0000-7000-8000-000000000001',
      kind: 'callRecord',
      data: { request: '营业厅 "系统" 故障\n', n: [1, 2.5, null, true], z: { b: 1, a: '\ud800' } },
    }
    const expected = createHash('sha256').update(legacyCanonicalJson({ name: 'record.create', args })).digest('hex')
    expect(expected).toBe('c9dfa3c2c4446fa5277dda2f17f875b9f9f6227f8a626d510d3ddb9f48dbe3af')
    expect(mutationHash({ name: 'record.create', args })).toBe(expected)
  })
})

const STORES = await storeFactories()

describeOnStores(STORES, 'bulk push', (ctx) => {
  /** This client's log, oldest first. */
  const logOf = async (clientId: string) =>
    (await ctx.t.query(`SELECT mutation_id, status, code, server_seq FROM mutation_log WHERE client_id = '${clientId}' ORDER BY mutation_id`)).map(
      (r) => ({
        mutationId: Number(r.mutation_id),
        status: r.status,
        code: r.code,
        serverSeq: r.server_seq === null ? null : Number(r.server_seq),
      }),
    )
  /** The site's call records: id → server_seq. */
  const storedOf = async (device: TestDevice) =>
    new Map(
      (await ctx.t.query(`SELECT id, server_seq FROM records WHERE site_id = '${device.siteId}' AND kind = 'callRecord'`)).map((r) => [
        String(r.id),
        Number(r.server_seq),
      ]),
    )

  /**
   * `n` mutations and the status each should get: every 13th the record of the mutation before it
   * again (stored once, answered as that one was), else every 7th sent from another site
   * (wrong_site), every 11th invalid (invalid_record).
   */
  function mixedBatch(device: TestDevice, firstId: number, n: number) {
    const args: unknown[] = []
    const expected: string[] = []
    for (let i = 0; i < n; i++) {
      const k = firstId + i
      if (k % 13 === 0 && i > 0) {
        args.push(args[i - 1])
        expected.push(expected[i - 1]!)
      } else if (k % 7 === 0) {
        args.push(callRecord(device, { siteId: newId() }))
        expected.push('rejected')
      } else if (k % 11 === 0) {
        args.push(callRecord(device, { data: { callerPhone: '1' } }))
        expected.push('rejected')
      } else {
        args.push(callRecord(device, { data: { ...callRecord(device).data, request: `记录 ${k}` } }))
        expected.push('accepted')
      }
    }
    return { mutations: creates(firstId, args), expected }
  }

  it('stores batches of any size once, numbered in mutation order, each log entry with its record', async () => {
    const device = await enroll(ctx.app, ctx.code, uniqueSiteName())
    const clientId = newId()
    const answers = new Map<number, { status: string; code?: string }>()
    const sent: Mutation[] = []
    const expected: string[] = []
    let next = 1
    // 128 rows is the largest multi-row statement: these cross every way a batch is split.
    for (const size of [1, 127, 128, 129, 200, 255, 1000]) {
      const { mutations: batch, expected: statuses } = mixedBatch(device, next, size)
      expected.push(...statuses)
      const res = await push(ctx.app, device, clientId, batch)
      expect(res.status).toBe(200)
      expect(res.body.lastMutationId).toBe(next + size - 1)
      expect(res.body.results.map((r) => r.mutationId)).toEqual(batch.map((m) => m.mutationId))
      for (const r of res.body.results) answers.set(r.mutationId, { status: r.status, ...(r.code ? { code: r.code } : {}) })
      sent.push(...batch)
      next += size
    }

    expect(sent.map((m) => answers.get(m.mutationId)?.status)).toEqual(expected)
    const stored = await storedOf(device)
    const log = await logOf(clientId)
    expect(log.map((e) => e.mutationId)).toEqual(sent.map((m) => m.mutationId))
    // One row per distinct accepted record, numbered in the order of the mutations that stored them.
    const storing = log.filter((e) => e.serverSeq !== null)
    expect(stored.size).toBe(storing.length)
    for (let i = 1; i < storing.length; i++) expect(storing[i]!.serverSeq).toBe(storing[i - 1]!.serverSeq! + 1)
    for (const [i, m] of sent.entries()) {
      const entry = log[i]!
      const id = (m.args as { id: string }).id
      expect(entry.status).toBe(answers.get(m.mutationId)?.status)
      expect(entry.code ?? undefined).toBe(answers.get(m.mutationId)?.code)
      if (entry.serverSeq !== null) expect(stored.get(id)).toBe(entry.serverSeq)
      else if (entry.status === 'accepted') expect(stored.has(id)).toBe(true) // the record sent again: stored by an earlier one
    }
  })

  it('answers a replay, whole or overlapping fresh mutations, as it answered the first time', async () => {
    const device = await enroll(ctx.app, ctx.code, uniqueSiteName())
    const clientId = newId()
    const first = mixedBatch(device, 1, 300).mutations
    const answered = await push(ctx.app, device, clientId, first)
    expect(answered.status).toBe(200)
    const before = await storedOf(device)

    const again = await push(ctx.app, device, clientId, first)
    expect(again.status).toBe(200)
    expect(again.body.lastMutationId).toBe(300)
    expect(again.body.results).toEqual(
      answered.body.results.map((r) => (r.status === 'accepted' ? { mutationId: r.mutationId, status: 'duplicate' } : r)),
    )

    const overlap = [...first.slice(250), ...mixedBatch(device, 301, 100).mutations]
    const mixed = await push(ctx.app, device, clientId, overlap)
    expect(mixed.status).toBe(200)
    expect(mixed.body.lastMutationId).toBe(400)
    expect(mixed.body.results.slice(0, 50)).toEqual(again.body.results.slice(250))
    expect(mixed.body.results.slice(50).every((r) => r.status === 'accepted' || r.status === 'rejected')).toBe(true)

    const after = await storedOf(device)
    for (const [id, seq] of before) expect(after.get(id)).toBe(seq)
    expect((await logOf(clientId)).length).toBe(400)
  })

  it('refuses a batch whose replayed part was changed, writing nothing of its fresh part', async () => {
    const device = await enroll(ctx.app, ctx.code, uniqueSiteName())
    const clientId = newId()
    const first = creates(1, [callRecord(device), callRecord(device)])
    expect((await push(ctx.app, device, clientId, first)).status).toBe(200)
    const fresh = callRecord(device)
    const changed = creates(2, [callRecord(device), fresh])
    const res = await push(ctx.app, device, clientId, changed)
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('mutation_conflict')
    expect((await storedOf(device)).has(fresh.id)).toBe(false)
    expect((await logOf(clientId)).length).toBe(2)
  })

  it('looks up only ids a record can have: text the database cannot take is refused per mutation, not a 500', async () => {
    const device = await enroll(ctx.app, ctx.code, uniqueSiteName())
    const clientId = newId()
    const good = callRecord(device)
    const res = await push(
      ctx.app,
      device,
      clientId,
      creates(1, [callRecord(device, { id: 'nul\u0000id' }), callRecord(device, { id: 'lone \ud800' }), good]),
    )
    expect(res.status).toBe(200)
    expect(res.body.results.map((r) => [r.status, r.code])).toEqual([
      ['rejected', 'invalid_record'],
      ['rejected', 'invalid_record'],
      ['accepted', undefined],
    ])
    expect((await storedOf(device)).has(good.id)).toBe(true)
  })
})
