import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../src/shared/ids'
import { ApiErrorSchema, PullResponseSchema, PushResponseSchema } from '../../src/shared/sync'
import {
  callRecord,
  creates,
  enroll,
  post,
  pull,
  pullAll,
  push,
  uniqueSiteName,
  type TestDevice,
  storeFactories,
  describeOnStores,
  countWork,
} from './helpers'

const STORES = await storeFactories()

describeOnStores(STORES, 'sync server', (ctx, { name }) => {
  const newDevice = (siteName = uniqueSiteName(), deviceName = 'tablet') => enroll(ctx.app, ctx.code, siteName, deviceName)

  it('reports its store after a real ping', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/healthz' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ ok: true, store: name })
  })

  it('keeps one enrollment code', async () => {
    expect(ctx.code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/)
    expect(await ctx.t.store.getOrCreateEnrollmentCode()).toBe(ctx.code)
  })

  describe('enrollment', () => {
    it('enrolls devices into a site found or created by its trimmed name', async () => {
      const siteName = uniqueSiteName('第一服务大厅')
      const a = await enroll(ctx.app, ctx.code, `  ${siteName} `, '一号台平板')
      // typed in lower case, without the dash: still the code
      const b = await enroll(ctx.app, ctx.code.toLowerCase().replace('-', ''), siteName, '二号台平板')
      expect(a.siteName).toBe(siteName)
      expect(b.siteId).toBe(a.siteId)
      expect(b.deviceId).not.toBe(a.deviceId)
      expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(b.token).not.toBe(a.token)
      const other = await newDevice()
      expect(other.siteId).not.toBe(a.siteId)
    })

    it('refuses a wrong code with 403 enrollment_refused', async () => {
      const res = await post(ctx.app, '/api/devices/enroll', undefined, {
        siteName: uniqueSiteName(),
        enrollmentCode: ctx.code === 'AAAA-AAAA' ? 'BBBB-BBBB' : 'AAAA-AAAA',
        deviceName: 'x',
      })
      expect(res.statusCode).toBe(403)
      expect(res.json()).toMatchObject({ code: 'enrollment_refused' })
    })

    it('refuses a bad body with 400 and a readable message', async () => {
      const res = await post(ctx.app, '/api/devices/enroll', undefined, { siteName: '   ', enrollmentCode: ctx.code })
      expect(res.statusCode).toBe(400)
      const body = ApiErrorSchema.parse(res.json())
      expect(body.code).toBe('bad_request')
      expect(body.message).toContain('siteName')
      expect(body.message).toContain('deviceName')
    })
  })

  describe('authentication', () => {
    it('answers 401 without a token, with an unknown token, and for a revoked device', async () => {
      const clientId = newId()
      const noToken = await post(ctx.app, '/api/sync/pull', undefined, { clientId, cursor: 0 })
      expect(noToken.statusCode).toBe(401)
      expect(noToken.json()).toMatchObject({ code: 'unauthorized' })
      const unknown = await post(ctx.app, '/api/sync/pull', 'x'.repeat(43), { clientId, cursor: 0 })
      expect(unknown.statusCode).toBe(401)

      const device = await newDevice()
      expect((await pull(ctx.app, device, clientId, 0)).status).toBe(200)
      await ctx.t.exec(`UPDATE devices SET revoked_at = '2026-11-28T09:00:00Z' WHERE id = '${device.deviceId}'`)
      const revoked = await push(ctx.app, device, clientId, creates(1, [callRecord(device)]))
      expect(revoked.status).toBe(401)
      expect(revoked.body).toMatchObject({ code: 'unauthorized' })
    })
  })

  describe('push', () => {
    let device: TestDevice
    let clientId: string
    beforeAll(async () => {
      device = await newDevice()
      clientId = newId()
    })

    it('applies a batch, and a replay of the same batch only once', async () => {
      const batch = creates(1, [callRecord(device), callRecord(device), callRecord(device)])
      const first = await push(ctx.app, device, clientId, batch)
      expect(first.status).toBe(200)
      expect(PushResponseSchema.parse(first.body)).toEqual({
        lastMutationId: 3,
        results: [1, 2, 3].map((mutationId) => ({ mutationId, status: 'accepted' })),
      })
      expect(await countWork(ctx.t.store, device.siteId)).toBe(3)

      // the answer was lost on the way back: the tablet sends the very same batch again
      const replay = await push(ctx.app, device, clientId, batch)
      expect(replay.status).toBe(200)
      expect(replay.body).toEqual({
        lastMutationId: 3,
        results: [1, 2, 3].map((mutationId) => ({ mutationId, status: 'duplicate' })),
      })
      expect(await countWork(ctx.t.store, device.siteId)).toBe(3)

      // a batch that overlaps: the known part is a duplicate, the rest is applied
      const overlap = await push(ctx.app, device, clientId, [...batch.slice(2), ...creates(4, [callRecord(device)])])
      expect(overlap.body.results.map((r) => r.status)).toEqual(['duplicate', 'accepted'])
      expect(overlap.body.lastMutationId).toBe(4)
      expect(await countWork(ctx.t.store, device.siteId)).toBe(4)
    })

    it('refuses a gap with 409 and the expected id, applying nothing', async () => {
      const before = await countWork(ctx.t.store, device.siteId)
      const gap = await push(ctx.app, device, clientId, creates(6, [callRecord(device)]))
      expect(gap.status).toBe(409)
      expect(ApiErrorSchema.parse(gap.body)).toMatchObject({ code: 'mutation_gap', expectedMutationId: 5 })

      // starts right, but skips 7: the whole batch is refused, its first mutation included
      const holey = await push(ctx.app, device, clientId, [
        ...creates(5, [callRecord(device), callRecord(device)]),
        ...creates(8, [callRecord(device)]),
      ])
      expect(holey.status).toBe(409)
      expect(holey.body).toMatchObject({ code: 'mutation_gap', expectedMutationId: 5 })
      expect(await countWork(ctx.t.store, device.siteId)).toBe(before)
      expect((await pull(ctx.app, device, clientId, 0)).body.lastMutationId).toBe(4)
    })

    it('refuses a known mutation id with a different payload as a conflict', async () => {
      const before = await countWork(ctx.t.store, device.siteId)
      const clone = await push(ctx.app, device, clientId, creates(4, [callRecord(device), callRecord(device)]))
      expect(clone.status).toBe(409)
      expect(clone.body).toMatchObject({ code: 'mutation_conflict' })
      expect(await countWork(ctx.t.store, device.siteId)).toBe(before)
      expect((await pull(ctx.app, device, clientId, 0)).body.lastMutationId).toBe(4)
    })

    it('rejects an invalid record with a reason, advances past it, and applies the next', async () => {
      const before = await countWork(ctx.t.store, device.siteId)
      const invalid = callRecord(device, { data: { request: '' } })
      const batch = creates(5, [callRecord(device), invalid, callRecord(device)])
      const res = await push(ctx.app, device, clientId, batch)
      expect(res.status).toBe(200)
      expect(res.body.lastMutationId).toBe(7)
      expect(res.body.results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted'])
      expect(res.body.results[1]?.reason).toMatch(/calledAt|request/)
      expect(await countWork(ctx.t.store, device.siteId)).toBe(before + 2)
      expect((await pull(ctx.app, device, clientId, 0)).body.lastMutationId).toBe(7)
      const log = await ctx.t.query(
        `SELECT mutation_id, status, reason, server_seq FROM mutation_log
         WHERE client_id = '${clientId}' AND mutation_id BETWEEN 5 AND 7 ORDER BY mutation_id`,
      )
      expect(log.map((r) => [Number(r.mutation_id), r.status])).toEqual([[5, 'accepted'], [6, 'rejected'], [7, 'accepted']])
      expect(log[1]?.reason).toBe(res.body.results[1]?.reason)
      expect(log[1]?.server_seq).toBeNull()
      expect(Number(log[2]?.server_seq)).toBeGreaterThan(Number(log[0]?.server_seq))
      // a replay of a rejected mutation changes nothing, but is answered with the same rejection:
      // a tablet whose first answer was lost must still learn that the record was refused
      const replay = await push(ctx.app, device, clientId, batch)
      expect(replay.body.results.map((r) => r.status)).toEqual(['duplicate', 'rejected', 'duplicate'])
      expect(replay.body.results[1]?.reason).toBe(res.body.results[1]?.reason)
    })

    it("rejects a record for another site or another device", async () => {
      const other = await newDevice()
      const sibling = await newDevice(device.siteName, 'sibling')
      const res = await push(ctx.app, device, clientId, creates(8, [
        callRecord(device, { siteId: other.siteId }),
        callRecord(device, { deviceId: sibling.deviceId }),
      ]))
      expect(res.status).toBe(200)
      expect(res.body.results).toMatchObject([
        { mutationId: 8, status: 'rejected', reason: expect.stringContaining('site') },
        { mutationId: 9, status: 'rejected', reason: expect.stringContaining('device') },
      ])
      expect(res.body.lastMutationId).toBe(9)
      expect(await countWork(ctx.t.store, other.siteId)).toBe(0)
    })

    it('accepts the same record again once, and rejects another record with its id', async () => {
      const record = callRecord(device)
      const before = await countWork(ctx.t.store, device.siteId)
      const res = await push(ctx.app, device, clientId, creates(10, [
        record,
        { ...record }, // re-queued under a new mutation id: same record, nothing new stored
        { ...record, data: { ...record.data, request: 'something else' } },
      ]))
      expect(res.body.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'rejected'])
      expect(res.body.results[2]?.reason).toContain('a different record already has this id')
      expect(await countWork(ctx.t.store, device.siteId)).toBe(before + 1)
    })

    it('rejects text the database cannot store instead of failing on every retry', async () => {
      const res = await push(ctx.app, device, clientId, creates(13, [
        callRecord(device, { author: 'nul\u0000byte' }),
        callRecord(device, { data: { ...callRecord(device).data, request: 'lone \ud800 surrogate' } }),
        callRecord(device),
      ]))
      expect(res.status).toBe(200)
      expect(res.body.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'accepted'])
    })

    it('refuses a clientId that another device already uses', async () => {
      const thief = await newDevice(device.siteName, 'thief')
      const pushed = await push(ctx.app, thief, clientId, creates(16, [callRecord(thief)]))
      expect(pushed.status).toBe(403)
      expect(pushed.body).toMatchObject({ code: 'client_taken' })
      const pulled = await pull(ctx.app, thief, clientId, 0)
      expect(pulled.status).toBe(403)
      expect(pulled.body).toMatchObject({ code: 'client_taken' })
      expect((await pull(ctx.app, device, clientId, 0)).body.lastMutationId).toBe(15)
    })

    it('changes nothing when the store fails in the middle of a batch, and takes the retry', async () => {
      const author = `boom-${name}`
      await ctx.t.failRecordInserts(author)
      const victim = await newDevice()
      const client = newId()
      const batch = creates(1, [callRecord(victim), callRecord(victim), callRecord(victim, { author })])
      const failed = await post(ctx.app, '/api/sync/push', victim.token, { clientId: client, mutations: batch })
      expect(failed.statusCode).toBeGreaterThanOrEqual(500)
      expect(failed.json()).toEqual({ code: 'internal', message: 'Internal server error' })
      expect(await countWork(ctx.t.store, victim.siteId)).toBe(0)
      expect((await pull(ctx.app, victim, client, 0)).body.lastMutationId).toBe(0)

      const retry = await push(ctx.app, victim, client, [...batch.slice(0, 2), ...creates(3, [callRecord(victim)])])
      expect(retry.status).toBe(200)
      expect(retry.body.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted'])
      expect(await countWork(ctx.t.store, victim.siteId)).toBe(3)
    })
  })

  describe('pull', () => {
    it('pages through a site in server order, nothing skipped or repeated', async () => {
      const device = await newDevice()
      const clientId = newId()
      const records = Array.from({ length: 7 }, () => callRecord(device))
      expect((await push(ctx.app, device, clientId, creates(1, records))).status).toBe(200)

      const pages = []
      let cursor = 0
      for (let i = 0; i < 10; i++) {
        const { status, body } = await pull(ctx.app, device, clientId, cursor, 3)
        expect(status).toBe(200)
        const page = PullResponseSchema.parse(body)
        pages.push(page)
        expect(page.cursor).toBeGreaterThan(cursor)
        cursor = page.cursor
        if (!page.hasMore) break
      }
      // the site's roster (the person `enroll` signed in) comes first, then the seven records
      expect(pages.map((p) => p.records.length)).toEqual([3, 3, 2])
      expect(pages.map((p) => p.hasMore)).toEqual([true, true, false])
      expect(pages.every((p) => p.lastMutationId === 7)).toBe(true)
      expect(pages[0]?.records[0]).toMatchObject({ kind: 'person', data: { id: device.personId } })
      const got = pages.flatMap((p) => p.records).filter((r) => r.kind !== 'person')
      expect(got.map((r) => r.id)).toEqual(records.map((r) => r.id))
      const seqs = got.map((r) => r.serverSeq ?? 0)
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
      expect(new Set(seqs).size).toBe(7)
      expect(got[0]).toEqual({ ...records[0], serverSeq: seqs[0] })

      const end = await pull(ctx.app, device, clientId, cursor, 3)
      expect(end.body).toMatchObject({ records: [], cursor, hasMore: false })
    })

    it("sees only the device's own site, and lastMutationId 0 for an unknown client", async () => {
      const a = await newDevice()
      const b = await newDevice()
      await push(ctx.app, a, newId(), creates(1, [callRecord(a), callRecord(a)]))
      const bRecord = callRecord(b)
      await push(ctx.app, b, newId(), creates(1, [bRecord]))
      const seen = await pull(ctx.app, b, newId(), 0)
      expect(seen.status).toBe(200)
      expect(seen.body.records.filter((r) => r.kind !== 'person').map((r) => r.id)).toEqual([bRecord.id])
      expect(seen.body.records.filter((r) => r.kind === 'person').map((r) => r.siteId)).toEqual([b.siteId])
      expect(seen.body.lastMutationId).toBe(0)
    })
  })

  it('gives concurrent pushes from two clients gap-free, unique server_seq and every record once', async () => {
    const siteName = uniqueSiteName('busy')
    const devices = [await newDevice(siteName, 'a'), await newDevice(siteName, 'b')]
    const BATCHES = 8
    const PER_BATCH = 15
    const sent: string[] = []

    await Promise.all(
      devices.map(async (device) => {
        const clientId = newId()
        for (let b = 0; b < BATCHES; b++) {
          const records = Array.from({ length: PER_BATCH }, () => callRecord(device))
          sent.push(...records.map((r) => r.id))
          const batch = creates(b * PER_BATCH + 1, records)
          // the same batch twice at once, as a retry racing a slow first attempt would
          const [x, y] = await Promise.all([push(ctx.app, device, clientId, batch), push(ctx.app, device, clientId, batch)])
          expect([x?.status, y?.status]).toEqual([200, 200])
          for (let i = 0; i < PER_BATCH; i++) {
            const statuses = [x?.body.results[i]?.status, y?.body.results[i]?.status].sort()
            expect(statuses).toEqual(['accepted', 'duplicate'])
          }
        }
      }),
    )

    const first = devices[0]
    if (!first) throw new Error('no device')
    const got = (await pullAll(ctx.app, first, newId())).filter((r) => r.kind !== 'person')
    expect(got).toHaveLength(BATCHES * PER_BATCH * 2)
    expect(new Set(got.map((r) => r.id))).toEqual(new Set(sent))
    const seqs = got.map((r) => r.serverSeq ?? 0)
    const start = seqs[0] ?? 0
    expect(seqs).toEqual(seqs.map((_, i) => start + i))
    expect(await countWork(ctx.t.store, first.siteId)).toBe(sent.length)
  })
})
