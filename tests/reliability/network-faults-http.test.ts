// Suite 2 over real HTTP: the real server app listening on 127.0.0.1, an HTTP proxy in front of it
// that breaks connections for real (TCP reset before the request is forwarded, reset after the
// server answered, a response cut in the middle of its body, delays, 503), and tablets (the real
// client engine over Dexie on fake IndexedDB) using Node's own fetch. fast-check picks the faults.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppDB } from '../../src/client/db/AppDB'
import { saveEnrollment } from '../../src/client/db/meta-repository'
import { createRecord } from '../../src/client/db/records-repository'
import { syncOnce } from '../../src/client/sync/engine'
import { createHttpTransport } from '../../src/client/sync/transport'
import { newId } from '../../src/shared/ids'
import { callRecord, enroll, openSqliteTestStore, uniqueSiteName, type TestDevice, type TestStore, buildTestApp} from '../server/helpers'
import { SuiteReport } from './report'

const PROXY_FAULTS = ['ok', 'reset-before', 'reset-after', 'truncate', 'delay', 'http503'] as const
type ProxyFault = (typeof PROXY_FAULTS)[number]

let t: TestStore
let app: FastifyInstance
let proxy: Server
let proxyUrl: string
let code: string
const faults: ProxyFault[] = []
const report = new SuiteReport('network-faults-http')

/** Forwards each request to the app, or breaks it as the next queued fault says. */
function startProxy(upstreamPort: number): Promise<Server> {
  const server = createServer((req, res) => {
    const fault = faults.shift() ?? 'ok'
    report.try(`proxy ${fault}`)
    if (fault === 'reset-before') {
      req.socket.resetAndDestroy()
      return
    }
    if (fault === 'http503') {
      res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>503 Service Unavailable</h1>')
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const upstream = httpRequest(
        { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers },
        (upRes) => {
          const body: Buffer[] = []
          upRes.on('data', (c: Buffer) => body.push(c))
          upRes.on('end', () => {
            const all = Buffer.concat(body)
            if (fault === 'reset-after') {
              // the server committed and answered; the connection dies before the answer gets out
              req.socket.resetAndDestroy()
              return
            }
            const send = () => {
              if (fault === 'truncate') {
                res.writeHead(upRes.statusCode ?? 502, { ...upRes.headers, 'content-length': String(all.length) })
                res.write(all.subarray(0, Math.floor(all.length / 2)))
                setTimeout(() => req.socket.destroy(), 5)
                return
              }
              res.writeHead(upRes.statusCode ?? 502, upRes.headers).end(all)
            }
            if (fault === 'delay') setTimeout(send, 20 + Math.floor(Math.random() * 80))
            else send()
          })
        },
      )
      upstream.on('error', () => req.socket.destroy())
      upstream.end(Buffer.concat(chunks))
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

beforeAll(async () => {
  t = await openSqliteTestStore()
  app = await buildTestApp({ store: t.store })
  code = await t.store.getOrCreateEnrollmentCode()
  await app.listen({ port: 0, host: '127.0.0.1' })
  proxy = await startProxy((app.server.address() as AddressInfo).port)
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
})

afterAll(async () => {
  report.print()
  proxy?.closeAllConnections()
  await new Promise((r) => proxy?.close(r))
  await app?.close()
  await t?.cleanup()
})

interface Tab {
  device: TestDevice
  db: AppDB
  ids: string[]
}

async function tablet(device: TestDevice): Promise<Tab> {
  const db = new AppDB(`http-${newId()}`, { indexedDB: new IDBFactory(), IDBKeyRange })
  await saveEnrollment(db, { ...device, enrolledAt: new Date().toISOString() })
  return { device, db, ids: [] }
}

function sync(tab: Tab, batchSize: number) {
  const transport = createHttpTransport({ baseUrl: proxyUrl, getToken: async () => tab.device.token, timeoutMs: 5000 })
  return syncOnce(tab.db, transport, { batchSize })
}

describe('network faults over real HTTP (TCP resets, cut responses)', () => {
  it('delivers every record exactly once and converges once the network heals', async () => {
    const roundArb = fc.record({
      tab: fc.integer({ min: 0, max: 1 }),
      creates: fc.integer({ min: 0, max: 3 }),
      faults: fc.array(fc.constantFrom(...PROXY_FAULTS), { maxLength: 4 }),
      batchSize: fc.integer({ min: 1, max: 3 }),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(roundArb, { minLength: 2, maxLength: 8 }), async (rounds) => {
        report.try('generated sequences')
        const site = uniqueSiteName('http')
        const tabs = [await tablet(await enroll(app, code, site, 'H1')), await tablet(await enroll(app, code, site, 'H2'))]
        for (const round of rounds) {
          const tab = tabs[round.tab]!
          for (let i = 0; i < round.creates; i++) {
            const r = await createRecord(tab.db, callRecord(tab.device, { id: newId() }))
            tab.ids.push(r.id)
            report.try('record created')
          }
          faults.push(...round.faults)
          const outcome = await sync(tab, round.batchSize)
          report.try(outcome.ok ? 'sync round ok' : `sync round failed (${outcome.error.status || 'network'})`)
        }
        // heal
        faults.length = 0
        for (let pass = 0; pass < 2; pass++) {
          for (const tab of tabs) expect((await sync(tab, 200)).ok).toBe(true)
        }
        const rows = (await t.query(
          // the site's work, not its roster (the people `enroll` signed in)
          `SELECT id, server_seq FROM records WHERE site_id = '${tabs[0]!.device.siteId}' AND kind = 'callRecord'`,
        )) as { id: string; server_seq: number }[]
        const all = tabs.flatMap((tab) => tab.ids)
        expect(rows.map((r) => r.id).sort()).toEqual([...all].sort())
        for (const tab of tabs) {
          expect(await tab.db.outbox.count()).toBe(0)
          const local = (await tab.db.records.toArray()).filter((r) => r.kind === 'callRecord')
          expect(local.map((r) => `${r.id}@${r.serverSeq}/${r.syncState}`).sort()).toEqual(
            rows.map((r) => `${r.id}@${r.server_seq}/synced`).sort(),
          )
          tab.db.close()
        }
        report.find('records applied exactly once', all.length)
      }),
      { numRuns: 25, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    )
    expect(report.tried['proxy reset-after'] ?? 0).toBeGreaterThan(0)
  })
})
