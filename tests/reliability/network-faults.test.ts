// Suite 2, network faults: several tablets (the real client engine over Dexie on their own fake
// IndexedDB) sync with the real server app through a fault-injecting fetch. fast-check generates
// the sequences: records made (some of them invalid), sync rounds with faults queued on each
// tablet's line (request dropped, response dropped after the server committed, request sent twice,
// delayed, delivered late after the client gave up, 500, 503, the tab crashing while its request
// is in flight), tablets syncing at the same time, tablets "crashing" (Dexie closed and reopened on
// the same IndexedDB). Then the network heals and the invariants are checked:
//   every mutation applied exactly once or visibly rejected; per-client mutation ids contiguous on
//   the server; every tablet of a site converges to the server's rows; no pulled row skipped.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppDB } from '../../src/client/db/AppDB'
import { getClientId, saveEnrollment } from '../../src/client/db/meta-repository'
import { createRecord } from '../../src/client/db/records-repository'
import { getPullCursor } from '../../src/client/db/sync-repository'
import { syncOnce } from '../../src/client/sync/engine'
import { createHttpTransport } from '../../src/client/sync/transport'
import { newId } from '../../src/shared/ids'
import type { RecordEnvelope } from '../../src/shared/records'
import {
  callRecord,
  enroll,
  uniqueSiteName,
  type TestDevice,
  type TestStore,
  storeFactories,
  buildTestApp,
} from '../server/helpers'
import { SuiteReport } from './report'

const STORES = (await storeFactories()).map((f) => ({ ...f, runs: f.name === 'sqlite' ? 150 : 40 }))

const FAULTS = [
  'ok',
  'drop-request',
  'drop-response',
  'duplicate',
  'delay',
  'late',
  'http500',
  'http503',
  'crash-tab',
] as const
type Fault = (typeof FAULTS)[number]
type Invalid = 'none' | 'other-site' | 'other-device' | 'empty-request'

interface Tablet {
  label: string
  device: TestDevice
  factory: IDBFactory
  dbName: string
  db: AppDB
  faults: Fault[]
  /** Every record this tablet created, and whether the server must refuse it. */
  created: { id: string; invalid: Invalid }[]
}

type Action =
  | { t: 'create'; tablet: number; invalid: Invalid }
  | { t: 'sync'; tablet: number; faults: Fault[]; batchSize: number }
  | { t: 'sync2'; a: number; b: number; faults: Fault[] }
  | { t: 'crash'; tablet: number }
  | { t: 'deliver-late' }

const TABLETS = 3 // A1 and A2 on one site, B on another
const tabletIdx = fc.integer({ min: 0, max: TABLETS - 1 })
const faultArb = fc.constantFrom(...FAULTS)
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('create' as const),
      tablet: tabletIdx,
      invalid: fc.oneof(
        { weight: 6, arbitrary: fc.constant<Invalid>('none') },
        { weight: 1, arbitrary: fc.constantFrom<Invalid>('other-site', 'other-device', 'empty-request') },
      ),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('sync' as const),
      tablet: tabletIdx,
      faults: fc.array(faultArb, { maxLength: 4 }),
      batchSize: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('sync2' as const), a: tabletIdx, b: tabletIdx, faults: fc.array(faultArb, { maxLength: 3 }) }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('crash' as const), tablet: tabletIdx }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('deliver-late' as const) }) },
)

describe.each(STORES)('network faults between tablets and the server on $name', ({ name, skipReason, open, runs }) => {
  describe.skipIf(skipReason !== undefined)(skipReason ?? 'store reachable', () => {
    let t: TestStore
    let app: FastifyInstance
    let code: string
    const report = new SuiteReport(`network-faults-${name}`)
    /** Requests that reached the server after their client had given up on them. */
    let held: { url: string; headers: Record<string, string>; body: string }[] = []
    const lateStatuses: number[] = []

    beforeAll(async () => {
      t = await open()
      app = await buildTestApp({ store: t.store })
      code = await t.store.getOrCreateEnrollmentCode()
    })

    afterAll(async () => {
      report.print()
      await app?.close()
      await t?.cleanup()
    })

    async function deliver(req: { url: string; headers: Record<string, string>; body: string }) {
      return app.inject({ method: 'POST', url: req.url, headers: req.headers, payload: req.body })
    }

    async function deliverHeld() {
      const now = held
      held = []
      // in reverse: the oldest request arrives last, after everything sent since
      for (const req of now.reverse()) {
        const res = await deliver(req)
        lateStatuses.push(res.statusCode)
        report.try('late request delivered')
      }
    }

    /** A fetch through `app.inject` that takes one fault per call from the tablet's queue. */
    function faultyFetch(tablet: () => Tablet): typeof fetch {
      return (async (input: RequestInfo | URL, init?: RequestInit) => {
        const tab = tablet()
        const fault = tab.faults.shift() ?? 'ok'
        report.try(`fault ${fault}`)
        const req = { url: String(input), headers: init?.headers as Record<string, string>, body: init?.body as string }
        switch (fault) {
          case 'drop-request':
            throw new TypeError('Failed to fetch')
          case 'http500':
          case 'http503': {
            const status = fault === 'http500' ? 500 : 503
            return new Response(JSON.stringify({ code: 'internal', message: 'Internal server error' }), { status })
          }
          case 'late':
            // The client times out; the request is stuck somewhere and reaches the server later.
            held.push(req)
            throw new TypeError('Failed to fetch')
          default:
            break
        }
        if (fault === 'delay') await new Promise((r) => setTimeout(r, 1 + Math.floor(Math.random() * 5)))
        let res = await deliver(req)
        if (fault === 'duplicate') {
          // the same request arrives twice (a retrying proxy); the client sees the second answer
          const second = await deliver(req)
          if (second.statusCode >= 500) report.find('5xx on a duplicated request')
          res = second
        }
        // The server committed; the answer never reaches the tablet.
        if (fault === 'drop-response') throw new TypeError('Failed to fetch')
        if (fault === 'crash-tab') {
          // The tab dies while its request is in flight: its database connection goes with it.
          tab.db.close()
          throw new TypeError('Failed to fetch')
        }
        return new Response(res.body, { status: res.statusCode, headers: { 'content-type': 'application/json' } })
      }) as typeof fetch
    }

    async function makeTablets(): Promise<Tablet[]> {
      const siteA = uniqueSiteName('A')
      const devices = [
        await enroll(app, code, siteA, 'A1'),
        await enroll(app, code, siteA, 'A2'),
        await enroll(app, code, uniqueSiteName('B'), 'B'),
      ]
      const tablets: Tablet[] = []
      for (const device of devices) {
        const factory = new IDBFactory()
        const dbName = `tablet-${device.deviceName}`
        const db = new AppDB(dbName, { indexedDB: factory, IDBKeyRange })
        await saveEnrollment(db, { ...device, enrolledAt: new Date().toISOString() })
        tablets.push({ label: device.deviceName, device, factory, dbName, db, faults: [], created: [] })
      }
      return tablets
    }

    function reopen(tab: Tablet) {
      tab.db.close()
      tab.db = new AppDB(tab.dbName, { indexedDB: tab.factory, IDBKeyRange })
    }

    async function syncTablet(tab: Tablet, batchSize = 200) {
      if (!tab.db.isOpen()) reopen(tab) // a crashed tab comes back
      const transport = createHttpTransport({ getToken: async () => tab.device.token, fetch: faultyFetch(() => tab) })
      try {
        const outcome = await syncOnce(tab.db, transport, { batchSize })
        report.try(outcome.ok ? 'sync round ok' : `sync round failed (${outcome.error.status || 'network'})`)
        return outcome
      } catch (error) {
        // Only the crashed tab may fail outside the protocol: its database was closed under it.
        expect((error as Error).name).toBe('DatabaseClosedError')
        report.try('sync round cut by a tab crash')
        reopen(tab)
        return undefined
      }
    }

    function recordFor(tab: Tablet, other: Tablet, invalid: Invalid, n: number): RecordEnvelope {
      const base = callRecord(tab.device, { id: newId() })
      const data = { ...base.data, request: `${tab.label} 第${n}通` }
      switch (invalid) {
        case 'none':
          return { ...base, data }
        case 'other-site':
          return { ...base, siteId: other.device.siteId, data }
        case 'other-device':
          return { ...base, deviceId: other.device.deviceId, data }
        case 'empty-request':
          return { ...base, data: { ...data, request: '   ' } }
      }
    }

    async function run(actions: Action[]) {
      const tablets = await makeTablets()
      const [a1, , b] = tablets as [Tablet, Tablet, Tablet]
      held = []
      let n = 0
      for (const action of actions) {
        switch (action.t) {
          case 'create': {
            const tab = tablets[action.tablet]!
            if (!tab.db.isOpen()) reopen(tab)
            // other-site uses a site that is not this tablet's; other-device a device of the same server
            const other = tab === b ? a1 : b
            const record = recordFor(tab, action.invalid === 'other-device' ? tablets[(action.tablet + 1) % TABLETS]! : other, action.invalid, ++n)
            await createRecord(tab.db, record)
            tab.created.push({ id: record.id, invalid: action.invalid })
            report.try(action.invalid === 'none' ? 'record created' : `invalid record created (${action.invalid})`)
            break
          }
          case 'sync': {
            const tab = tablets[action.tablet]!
            tab.faults.push(...action.faults)
            await syncTablet(tab, action.batchSize)
            break
          }
          case 'sync2': {
            const x = tablets[action.a]!
            const y = tablets[action.b]!
            x.faults.push(...action.faults)
            // the same tablet twice at once stands for two engines on one database (no Web Lock here)
            await Promise.all([syncTablet(x, 2), syncTablet(y, 3)])
            report.try('concurrent sync rounds')
            break
          }
          case 'crash':
            reopen(tablets[action.tablet]!)
            report.try('tab crash and reopen')
            break
          case 'deliver-late':
            await deliverHeld()
            break
        }
      }

      // The network heals: late requests land, then every tablet syncs until its outbox is empty.
      await deliverHeld()
      for (const tab of tablets) tab.faults = []
      for (let round = 0; round < 3; round++) {
        for (const tab of tablets) {
          const outcome = await syncTablet(tab)
          expect(outcome?.ok, `${tab.label} syncs once healed: ${JSON.stringify(outcome)}`).toBe(true)
        }
      }
      await check(tablets)
    }

    async function check(tablets: Tablet[]) {
      const siteIds = [...new Set(tablets.map((tab) => tab.device.siteId))]
      const rows = (await t.query(
        `SELECT id, site_id, server_seq FROM records WHERE site_id IN (${siteIds.map((s) => `'${s}'`).join(',')})`,
      )) as { id: string; site_id: string; server_seq: number | string }[]
      const serverIds = rows.map((r) => r.id)
      expect(new Set(serverIds).size, 'no record twice on the server').toBe(serverIds.length)

      for (const tab of tablets) {
        const valid = tab.created.filter((c) => c.invalid === 'none').map((c) => c.id)
        const invalid = tab.created.filter((c) => c.invalid !== 'none').map((c) => c.id)
        // exactly once: every valid record is on the server (once, checked above), no invalid one is
        for (const id of valid) expect(serverIds, `record ${id} of ${tab.label} on the server`).toContain(id)
        for (const id of invalid) expect(serverIds).not.toContain(id)
        report.find('records applied exactly once', valid.length)

        // ...or visibly rejected: kept on the tablet, marked, with its reason listed
        const issues = await tab.db.syncIssues.toArray()
        for (const id of invalid) {
          expect(await tab.db.records.get(id), `rejected record ${id} kept`).toMatchObject({ syncState: 'rejected' })
          expect(issues.some((i) => i.recordId === id && i.reason.length > 0)).toBe(true)
        }
        expect(issues).toHaveLength(invalid.length)
        report.find('records visibly rejected', invalid.length)
        expect(await tab.db.outbox.count()).toBe(0)

        // per client: mutation ids 1..n on the server, each with the right status
        const clientId = await getClientId(tab.db)
        const log = (await t.query(
          `SELECT mutation_id, status FROM mutation_log WHERE client_id = '${clientId}' ORDER BY mutation_id`,
        )) as { mutation_id: number | string; status: string }[]
        expect(log.map((l) => Number(l.mutation_id))).toEqual(tab.created.map((_, i) => i + 1))
        expect(log.map((l) => l.status)).toEqual(tab.created.map((c) => (c.invalid === 'none' ? 'accepted' : 'rejected')))

        // convergence: the tablet holds exactly its site's rows (with their server seq) plus its rejected ones
        const siteRows = rows.filter((r) => r.site_id === tab.device.siteId)
        const local = await tab.db.records.toArray()
        const localSynced = local.filter((r) => r.syncState === 'synced')
        expect(localSynced.map((r) => `${r.id}@${r.serverSeq}`).sort()).toEqual(
          siteRows.map((r) => `${r.id}@${Number(r.server_seq)}`).sort(),
        )
        expect(local.filter((r) => r.syncState !== 'synced').map((r) => r.id).sort()).toEqual([...invalid].sort())
        // no pulled row skipped: the cursor covers every row of the site, and every row is here (above)
        const maxSeq = Math.max(0, ...siteRows.map((r) => Number(r.server_seq)))
        expect(await getPullCursor(tab.db)).toBeGreaterThanOrEqual(maxSeq)
      }
      expect(lateStatuses.filter((s) => s >= 500), 'late deliveries never hit a 5xx').toEqual([])
      for (const tab of tablets) tab.db.close()
    }

    it(`keeps exactly-once and convergence under ${runs} generated fault sequences`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(actionArb, { minLength: 5, maxLength: 30 }), async (actions) => {
          report.try('generated sequences')
          report.try('actions', actions.length)
          await run(actions)
        }),
        { numRuns: runs, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31), verbose: 1 },
      )
      report.note(`late deliveries answered: ${lateStatuses.length}, none 5xx`)
    })

    it('keeps a rejection whose answer was lost when the tab crashed in flight', async () => {
      await run([
        { t: 'create', tablet: 1, invalid: 'none' },
        { t: 'create', tablet: 1, invalid: 'other-site' },
        { t: 'sync2', a: 0, b: 0, faults: [] },
        { t: 'create', tablet: 0, invalid: 'none' },
        { t: 'sync2', a: 1, b: 0, faults: ['crash-tab'] },
        { t: 'sync', tablet: 1, faults: [], batchSize: 1 },
        { t: 'sync', tablet: 0, faults: [], batchSize: 1 },
      ])
    })

    it('survives a known nasty sequence: response lost, tab crash in flight, late replay, concurrent tablets', async () => {
      await run([
        { t: 'create', tablet: 0, invalid: 'none' },
        { t: 'create', tablet: 0, invalid: 'other-site' },
        { t: 'create', tablet: 0, invalid: 'none' },
        { t: 'sync', tablet: 0, faults: ['late', 'drop-response'], batchSize: 1 },
        { t: 'sync', tablet: 0, faults: ['crash-tab'], batchSize: 2 },
        { t: 'create', tablet: 1, invalid: 'none' },
        { t: 'sync2', a: 0, b: 1, faults: ['duplicate', 'http503'] },
        { t: 'deliver-late' },
        { t: 'create', tablet: 2, invalid: 'empty-request' },
        { t: 'sync2', a: 2, b: 2, faults: ['http500'] },
      ])
    })
  })
})
