// Suite 3, server crash: the real server process (as `npm start` runs it) is killed with SIGKILL
// while a tablet (the real client engine, Dexie on fake IndexedDB, Node's fetch over real HTTP) is
// in the middle of a push batch, then started again on the same database. With SQLite and with
// PostgreSQL: after the last restart every record is on the server exactly once, and the server's
// mutation log for the tablet is 1..n with no gap and no repeat.
import Database from 'better-sqlite3'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { AppDB } from '../../src/client/db/AppDB'
import { getClientId, saveEnrollment } from '../../src/client/db/meta-repository'
import { createRecord } from '../../src/client/db/records-repository'
import { syncOnce } from '../../src/client/sync/engine'
import { createHttpTransport, enrollDevice } from '../../src/client/sync/transport'
import { addPersonHttp, startServer, type RunningServer } from '../e2e/server'
import { callRecord, PG_URL, postgresReachable } from '../server/helpers'
import { seededRandom } from './chromium'
import { SuiteReport } from './report'

const KILLS = Number(process.env.SERVER_CRASH_KILLS ?? 8)
const SEED = Number(process.env.SERVER_CRASH_SEED ?? Date.now() % 2 ** 31)
const pgReachable = await postgresReachable()

interface Backend {
  name: 'sqlite' | 'postgres'
  skipReason: string | undefined
  setup(): Promise<{ env: Record<string, string>; dataDir: string; rows(sql: string): Promise<Record<string, unknown>[]>; cleanup(): Promise<void> }>
}

const BACKENDS: Backend[] = [
  {
    name: 'sqlite',
    skipReason: undefined,
    async setup() {
      const dataDir = mkdtempSync(join(tmpdir(), 'steadyline-crash-'))
      return {
        env: {},
        dataDir,
        rows: async (sql) => {
          const db = new Database(join(dataDir, 'steadyline.sqlite'), { readonly: true })
          try {
            return db.prepare(sql).all() as Record<string, unknown>[]
          } finally {
            db.close()
          }
        },
        cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
      }
    },
  },
  {
    name: 'postgres',
    skipReason:
      !pgReachable && process.env.CI !== 'true'
        ? 'PostgreSQL not reachable at DATABASE_URL (or the default test URL) and CI is not true'
        : undefined,
    async setup() {
      const schema = `crash_${randomBytes(6).toString('hex')}`
      const admin = new pg.Client({ connectionString: PG_URL })
      await admin.connect()
      await admin.query(`CREATE SCHEMA ${schema}`)
      await admin.end()
      const url = new URL(PG_URL)
      url.searchParams.set('options', `-c search_path=${schema}`)
      const dataDir = mkdtempSync(join(tmpdir(), 'steadyline-crash-pg-'))
      return {
        env: { DATABASE_URL: url.toString() },
        dataDir,
        rows: async (sql) => {
          const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` })
          await c.connect()
          try {
            return (await c.query<Record<string, unknown>>(sql)).rows
          } finally {
            await c.end()
          }
        },
        cleanup: async () => {
          const c = new pg.Client({ connectionString: PG_URL })
          await c.connect()
          await c.query(`DROP SCHEMA ${schema} CASCADE`)
          await c.end()
          rmSync(dataDir, { recursive: true, force: true })
        },
      }
    },
  },
]

describe.each(BACKENDS)('server killed in the middle of a push batch, on $name', ({ name, skipReason, setup }) => {
  describe.skipIf(skipReason !== undefined)(skipReason ?? 'store reachable', () => {
    const report = new SuiteReport(`server-crash-${name}`)
    let server: RunningServer | undefined
    afterAll(async () => {
      report.print()
      await server?.stop()
    })

    it(`loses nothing and duplicates nothing through ${KILLS} SIGKILLs`, async () => {
      report.note(`seed ${SEED} (SERVER_CRASH_SEED to replay)`)
      const random = seededRandom(SEED)
      const backend = await setup()
      const start = () => startServer({ dataDir: backend.dataDir, env: backend.env, singleProcess: true })
      try {
        server = await start()
        const enrollment = await enrollDevice(
          { siteName: '崩溃测试大厅', enrollmentCode: server.enrollmentCode, deviceName: '崩溃平板' },
          { baseUrl: server.url },
        )
        const db = new AppDB('crash-tablet', { indexedDB: new IDBFactory(), IDBKeyRange })
        await saveEnrollment(db, { ...enrollment, enrolledAt: new Date().toISOString() })
        const person = await addPersonHttp(server, {
          siteId: enrollment.siteId,
          name: '崩溃测试值班员',
          staffNo: `crash-${enrollment.deviceId.slice(0, 8)}`,
          role: 'agent',
        })
        const device = { ...enrollment, personId: person.id, personName: person.name, role: person.role }
        const ids: string[] = []
        const addRecords = async (n: number) => {
          for (let i = 0; i < n; i++) {
            const r = await createRecord(db, callRecord(device, { data: { ...callRecord(device).data, request: `崩溃 ${ids.length}` } }))
            ids.push(r.id)
          }
        }

        for (let kill = 0; kill < KILLS; kill++) {
          await addRecords(150 + Math.floor(random() * 250))
          const current = server!
          let inFlight = 0
          let pushesSent = 0
          let killed = false
          // kill while one of the round's batches is on its way or being applied
          const waiting = await db.outbox.count()
          const targetBatch = 1 + Math.floor(random() * Math.ceil(waiting / 200))
          let resolveFirstPush: () => void = () => undefined
          const firstPush = new Promise<void>((r) => (resolveFirstPush = r))
          const watchedFetch: typeof fetch = async (input, init) => {
            const isPush = String(input).endsWith('/push')
            if (isPush) {
              inFlight++
              pushesSent++
              if (pushesSent === targetBatch) resolveFirstPush()
            }
            try {
              return await fetch(input, init)
            } finally {
              if (isPush) inFlight--
            }
          }
          const transport = createHttpTransport({ baseUrl: current.url, getToken: async () => device.token, fetch: watchedFetch, timeoutMs: 10_000 })
          const round = syncOnce(db, transport, { batchSize: 200 })
          // the crash: a random moment (0-12 ms) after that push batch left the tablet
          await Promise.race([firstPush, round])
          await new Promise((r) => setTimeout(r, Math.floor(random() * 12)))
          const busy = inFlight > 0
          current.process.kill('SIGKILL')
          killed = true
          // one process: the server is gone, nothing of it answers any more
          await new Promise((r) => (current.process.exitCode !== null || current.process.signalCode !== null ? r(undefined) : current.process.once('exit', r)))
          const outcome = await round
          report.try('SIGKILLs')
          if (busy) report.try('kills with a push batch in flight')
          if (!outcome.ok) report.find(`sync rounds cut (${outcome.error.status || 'network'})`)
          expect(killed).toBe(true)
          expect(await fetch(`${current.url}/healthz`).then(() => 'up', () => 'down')).toBe('down')
          server = await start()
          report.try('restarts')
        }

        // the server stays up: the tablet drains the rest
        const transport = createHttpTransport({ baseUrl: server!.url, getToken: async () => device.token })
        for (let i = 0; i < 5 && (await db.outbox.count()) > 0; i++) await syncOnce(db, transport)
        const final = await syncOnce(db, transport)
        expect(final.ok).toBe(true)
        expect(await db.outbox.count()).toBe(0)

        const rows = await backend.rows(`SELECT id FROM records WHERE device_id = '${device.deviceId}'`)
        const serverIds = rows.map((r) => String(r.id))
        expect(new Set(serverIds).size, 'no record twice').toBe(serverIds.length)
        expect(serverIds.sort()).toEqual([...ids].sort())
        const clientId = await getClientId(db)
        const log = await backend.rows(`SELECT mutation_id, status FROM mutation_log WHERE client_id = '${clientId}' ORDER BY mutation_id`)
        expect(log.map((l) => Number(l.mutation_id))).toEqual(ids.map((_, i) => i + 1))
        expect(log.every((l) => l.status === 'accepted')).toBe(true)
        const local = (await db.records.toArray()).filter((r) => r.deviceId === device.deviceId)
        expect(local).toHaveLength(ids.length)
        expect(local.every((r) => r.syncState === 'synced')).toBe(true)
        report.find('records on the server exactly once', serverIds.length)
        expect(report.tried['kills with a push batch in flight'] ?? 0).toBeGreaterThan(0)
        db.close()
      } finally {
        await server?.stop()
        server = undefined
        await backend.cleanup()
      }
    })
  })
})
