import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { newId } from '../../src/shared/ids'
import type { RecordEnvelope } from '../../src/shared/records'
import { POSTGRES_MIGRATIONS } from '../../src/server/store/migrations/postgres'
import { SQLITE_MIGRATIONS } from '../../src/server/store/migrations/sqlite'
import type { Migration } from '../../src/server/store/migrations/types'
import { PostgresStore } from '../../src/server/store/postgres'
import { mutationHash } from '../../src/server/store/push'
import { SqliteStore } from '../../src/server/store/sqlite'
import type { Device, Store } from '../../src/server/store/types'
import { creates, PG_URL, storeFactories } from './helpers'

const STORES = await storeFactories()

/** The version this file's migration follows: a database of that version is what a server update finds. */
const PREVIOUS = 4

/** A database left as the previous release made it: its migrations run and recorded as `migrate()` records them. */
interface OldDatabase {
  exec(sql: string): Promise<void>
  query(sql: string): Promise<Record<string, unknown>[]>
  /** The current store over the same database, not migrated yet. */
  openStore(): Store
  cleanup(): Promise<void>
}

function upTo(list: readonly Migration[], version: number) {
  return list.filter((m) => m.version <= version)
}

async function oldSqlite(version: number): Promise<OldDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'steadyline-migration-test-'))
  const path = join(dir, 'steadyline.sqlite')
  const db = new Database(path)
  try {
    db.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`)
    for (const m of upTo(SQLITE_MIGRATIONS, version)) {
      db.exec(m.sql)
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString())
    }
  } finally {
    db.close()
  }
  const stores: Store[] = []
  const open = () => new Database(path)
  return {
    exec: async (sql) => {
      const c = open()
      try {
        c.exec(sql)
      } finally {
        c.close()
      }
    },
    query: async (sql) => {
      const c = open()
      try {
        return c.prepare(sql).all() as Record<string, unknown>[]
      } finally {
        c.close()
      }
    },
    openStore: () => {
      const store = new SqliteStore({ path })
      stores.push(store)
      return store
    },
    cleanup: async () => {
      for (const s of stores) await s.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function oldPostgres(version: number): Promise<OldDatabase> {
  const schema = `t_${randomBytes(6).toString('hex')}`
  const run = async (sql: string, inSchema = true) => {
    const client = new pg.Client({ connectionString: PG_URL, ...(inSchema ? { options: `-c search_path=${schema}` } : {}) })
    await client.connect()
    try {
      return (await client.query<Record<string, unknown>>(sql)).rows
    } finally {
      await client.end()
    }
  }
  await run(`CREATE SCHEMA ${schema}`, false)
  await run(`CREATE TABLE schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
  for (const m of upTo(POSTGRES_MIGRATIONS, version)) {
    await run(`${m.sql}; INSERT INTO schema_migrations (version, name) VALUES (${m.version}, '${m.name.replace(/'/g, "''")}')`)
  }
  const stores: Store[] = []
  return {
    exec: async (sql) => {
      await run(sql)
    },
    query: (sql) => run(sql),
    openStore: () => {
      const store = new PostgresStore({ connectionString: PG_URL, schema })
      stores.push(store)
      return store
    },
    cleanup: async () => {
      for (const s of stores) await s.close()
      await run(`DROP SCHEMA ${schema} CASCADE`, false)
    },
  }
}

const OPEN_OLD = { sqlite: oldSqlite, postgres: oldPostgres }

const T0 = '2026-11-28T08:00:00.000+08:00'

function record(device: Device, overrides: Partial<RecordEnvelope> = {}): RecordEnvelope {
  return {
    id: newId(),
    kind: 'callRecord',
    siteId: device.siteId,
    deviceId: device.id,
    author: '一号台',
    createdAt: T0,
    updatedAt: T0,
    serverSeq: null,
    data: { calledAt: T0, callerPhone: '13800138000', callerName: '王先生', request: '无法缴费', callbackNeeded: false, callbackNumber: '' },
    ...overrides,
  }
}

describe.each(STORES)('migration 5 (rejection codes) on $name', ({ name, skipReason }) => {
  it.skipIf(skipReason !== undefined)(
    `applies to a database of version ${PREVIOUS}; a rejection logged before it is answered with its reason alone`,
    async () => {
      const old = await OPEN_OLD[name](PREVIOUS)
      try {
        // What version 4 left: a device whose first mutation was rejected, logged without a code.
        const device: Device = { id: newId(), siteId: newId(), name: 'tablet', lastSeenAt: null, revokedAt: null }
        const clientId = newId()
        const [refused] = creates(1, [record(device, { siteId: newId() })])
        await old.exec(`
          INSERT INTO sites (id, name, created_at) VALUES ('${device.siteId}', 'old hall', '2026-11-01T00:00:00.000Z');
          INSERT INTO devices (id, site_id, name, token_hash, created_at)
            VALUES ('${device.id}', '${device.siteId}', 'tablet', '${randomBytes(32).toString('hex')}', '2026-11-01T00:00:00.000Z');
          INSERT INTO sync_clients (client_id, device_id, last_mutation_id, created_at, updated_at)
            VALUES ('${clientId}', '${device.id}', 1, '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z');
          INSERT INTO mutation_log (client_id, mutation_id, name, args_hash, status, reason, server_seq, received_at)
            VALUES ('${clientId}', 1, 'record.create', '${mutationHash(refused!)}', 'rejected', 'siteId is not this device''s site (old words)',
                    NULL, '2026-11-01T00:00:00.000Z');
        `)

        const store = old.openStore()
        expect(await store.migrate()).toBe(1)
        expect(await store.migrate()).toBe(0)
        const [row] = await old.query('SELECT MAX(version) AS v FROM schema_migrations')
        expect(Number(row?.v)).toBe(PREVIOUS + 1)
        const [logged] = await old.query(`SELECT reason, code, params FROM mutation_log WHERE client_id = '${clientId}'`)
        expect(logged).toEqual({ reason: "siteId is not this device's site (old words)", code: null, params: null })

        // the replay of the old rejection: its reason, no code (the tablet shows the reason as before)
        const replay = await store.push(device, { clientId, mutations: [refused!] }, new Date().toISOString())
        expect(replay).toEqual({
          kind: 'ok',
          response: {
            lastMutationId: 1,
            results: [{ mutationId: 1, status: 'rejected', reason: "siteId is not this device's site (old words)" }],
          },
        })
        // and a rejection made now carries its code and params
        const other = newId()
        const next = await store.push(device, { clientId, mutations: creates(2, [record(device, { siteId: other })]) }, new Date().toISOString())
        expect(next).toMatchObject({
          kind: 'ok',
          response: { results: [{ mutationId: 2, status: 'rejected', code: 'wrong_site', params: { siteId: other, deviceSiteId: device.siteId } }] },
        })
      } finally {
        await old.cleanup()
      }
    },
  )
})
