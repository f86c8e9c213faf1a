// The real client sync engine (Dexie over fake-indexeddb) against the real server app (through
// inject, on SQLite): the whole protocol end to end, with faults injected in between.
import 'fake-indexeddb/auto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { AppDB } from '../../src/client/db/AppDB'
import { saveEnrollment } from '../../src/client/db/meta-repository'
import { createRecord } from '../../src/client/db/records-repository'
import { syncOnce } from '../../src/client/sync/engine'
import { createHttpTransport } from '../../src/client/sync/transport'
import { newId } from '../../src/shared/ids'
import { callRecord, enroll, openSqliteTestStore, uniqueSiteName, type TestDevice, type TestStore, openTestApp, countWork } from './helpers'

let testStore: TestStore
let app: FastifyInstance
let code: string
let close: (() => Promise<void>) | undefined

beforeAll(async () => {
  ;({ t: testStore, app, code, close } = await openTestApp(openSqliteTestStore))
})
afterAll(() => close?.())

type Fault = 'none' | 'drop-request' | 'drop-response' | 'server-error'

/** A fetch that goes through `app.inject`, with one fault per call taken from `faults`. */
function injectFetch(faults: Fault[]): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const fault = faults.shift() ?? 'none'
    if (fault === 'drop-request') throw new TypeError('Failed to fetch')
    if (fault === 'server-error') return new Response(JSON.stringify({ code: 'internal', message: 'x' }), { status: 503 })
    const res = await app.inject({
      method: 'POST',
      url: String(input),
      headers: init?.headers as Record<string, string>,
      payload: init?.body as string,
    })
    // The server committed; the answer never reaches the tablet.
    if (fault === 'drop-response') throw new TypeError('Failed to fetch')
    return new Response(res.body, { status: res.statusCode, headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
}

async function tablet(device: TestDevice, faults: Fault[] = []) {
  const db = new AppDB(`tablet-${newId()}`)
  await saveEnrollment(db, { ...device, enrolledAt: new Date().toISOString() })
  const transport = createHttpTransport({ getToken: async () => device.token, fetch: injectFetch(faults) })
  return { db, sync: () => syncOnce(db, transport, { batchSize: 2 }) }
}

describe('client engine against the real server', () => {
  it('survives a dropped request, a 503 and a lost response, and every record arrives once', async () => {
    const device = await enroll(app, code, uniqueSiteName())
    const faults: Fault[] = ['drop-request', 'server-error', 'none', 'drop-response']
    const a = await tablet(device, faults)
    for (let i = 0; i < 5; i++) await createRecord(a.db, callRecord(device, { data: { ...callRecord(device).data, request: `第${i}通` } }))

    expect((await a.sync()).ok).toBe(false) // request never arrived
    expect((await a.sync()).ok).toBe(false) // 503
    expect((await a.sync()).ok).toBe(false) // first batch applied, second batch's answer lost
    expect(await a.db.outbox.count()).toBe(3)
    const outcome = await a.sync()
    expect(outcome).toMatchObject({ ok: true })
    expect(await a.db.outbox.count()).toBe(0)
    expect(await countWork(testStore.store, device.siteId)).toBe(5)
    expect((await a.db.records.toArray()).every((r) => r.syncState === 'synced' && r.serverSeq !== null)).toBe(true)
  })

  it('shows a record the server rejects, keeps it, and still delivers the ones behind it', async () => {
    const device = await enroll(app, code, uniqueSiteName())
    const a = await tablet(device)
    const bad = await createRecord(a.db, callRecord(device, { siteId: newId() }))
    const good = await createRecord(a.db, callRecord(device))
    const outcome = await a.sync()
    expect(outcome).toMatchObject({ ok: true, rejected: 1 })
    expect(await a.db.records.get(bad.id)).toMatchObject({
      syncState: 'rejected',
      rejectedReason: expect.stringContaining('site'),
      // the code and params come through the real transport and are kept for the translated sentence
      rejectedCode: 'wrong_site',
      rejectedParams: { siteId: bad.siteId, deviceSiteId: device.siteId },
    })
    expect(await a.db.records.get(good.id)).toMatchObject({ syncState: 'synced' })
    expect(await a.db.syncIssues.count()).toBe(1)
    expect(await countWork(testStore.store, device.siteId)).toBe(1)
  })

  it('brings the records of one tablet to another tablet of the same site, and not to another site', async () => {
    const site = uniqueSiteName()
    const deviceA = await enroll(app, code, site, 'A')
    const deviceB = await enroll(app, code, site, 'B')
    const deviceC = await enroll(app, code, uniqueSiteName(), 'C')
    const a = await tablet(deviceA)
    const b = await tablet(deviceB)
    const c = await tablet(deviceC)
    for (let i = 0; i < 3; i++) await createRecord(a.db, callRecord(deviceA))
    await a.sync()
    // with the site's roster: the people signed in on A and B come down too; C gets only its own
    expect(await b.sync()).toMatchObject({ ok: true, pulled: 3 + 2 })
    expect(await c.sync()).toMatchObject({ ok: true, pulled: 1 })
    expect(await b.db.records.where('kind').equals('callRecord').count()).toBe(3)
    // a second pull brings nothing new: the cursor was stored with the rows
    expect(await b.sync()).toMatchObject({ ok: true, pulled: 0 })
  })

  it('starts a new sync identity when the server lost our numbering (restored from a backup), and loses nothing waiting', async () => {
    const device = await enroll(app, code, uniqueSiteName())
    const a = await tablet(device)
    for (let i = 0; i < 3; i++) await createRecord(a.db, callRecord(device))
    expect(await a.sync()).toMatchObject({ ok: true, pushed: 3 })
    // The server goes back to a backup taken before it knew this client at all.
    const oldClientId = String((await a.db.meta.get('clientId'))?.value)
    await testStore.exec(`DELETE FROM mutation_log WHERE client_id = '${oldClientId}'; DELETE FROM sync_clients WHERE client_id = '${oldClientId}'`)
    const waiting = await createRecord(a.db, callRecord(device))
    const outcome = await a.sync()
    // the waiting record, and the three the restored server may have lost, queued again: stored once
    expect(outcome).toMatchObject({ ok: true, pushed: 4 })
    expect(String((await a.db.meta.get('clientId'))?.value)).not.toBe(oldClientId)
    expect(await a.db.outbox.count()).toBe(0)
    expect(await a.db.records.get(waiting.id)).toMatchObject({ syncState: 'synced' })
    expect(await countWork(testStore.store, device.siteId)).toBe(4)
  })

  it('gets a copied profile going again under its own identity: records already on the server are not doubled', async () => {
    const site = uniqueSiteName()
    const deviceA = await enroll(app, code, site, 'A')
    const deviceB = await enroll(app, code, site, 'B')
    const a = await tablet(deviceA)
    const b = await tablet(deviceB)
    // B is a copy of A's profile: same clientId, same outbox numbering, its own records.
    await b.db.meta.put({ key: 'clientId', value: (await a.db.meta.get('clientId'))?.value })
    await createRecord(a.db, callRecord(deviceA))
    await createRecord(b.db, callRecord(deviceB))
    expect((await a.sync()).ok).toBe(true)
    const outcome = await b.sync()
    expect(outcome).toMatchObject({ ok: true, pushed: 1 })
    expect(await b.db.outbox.count()).toBe(0)
    expect(await countWork(testStore.store, deviceA.siteId)).toBe(2)
  })
})
