import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { newId } from '../../src/shared/ids'
import { POSTGRES_MIGRATIONS } from '../../src/server/store/migrations/postgres'
import { SQLITE_MIGRATIONS } from '../../src/server/store/migrations/sqlite'
import { mutationHash } from '../../src/server/store/push'
import type { Device } from '../../src/server/store/types'
import { callRecord, creates, storeFactories } from './helpers'

const STORES = await storeFactories()

/** The version this file's migration follows: a database of that version is what a server update finds. */
const PREVIOUS = 4

/** Each dialect's migrations, and the table `migrate()` records them in. */
const DIALECTS = {
  sqlite: {
    migrations: SQLITE_MIGRATIONS,
    table: 'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT',
  },
  postgres: {
    migrations: POSTGRES_MIGRATIONS,
    table: 'CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
  },
}

/** A database as release `version` left it: its migrations run and recorded as `migrate()` records them. */
function schemaAt(dialect: keyof typeof DIALECTS, version: number): string {
  const { migrations, table } = DIALECTS[dialect]
  const steps = migrations
    .filter((m) => m.version <= version)
    .map((m) => `${m.sql};\nINSERT INTO schema_migrations (version, name, applied_at) VALUES (${m.version}, '${m.name.replace(/'/g, "''")}', '2026-11-01T00:00:00.000Z')`)
  return [table, ...steps].join(';\n')
}

/** A call record from `device` (no person: the rejections below come before roles are looked at). */
const record = (device: Device, overrides: Parameters<typeof callRecord>[1] = {}) =>
  callRecord({ siteId: device.siteId, deviceId: device.id, personName: '一号台', personId: newId() }, overrides)

describe.each(STORES)('migration 5 (rejection codes) on $name', ({ name, skipReason, open }) => {
  it.skipIf(skipReason !== undefined)(
    `applies to a database of version ${PREVIOUS}; a rejection logged before it is answered with its reason alone`,
    async () => {
      // the store is made over an empty database, and not migrated before the update is run
      const old = await open({ migrate: false })
      try {
        await old.exec(schemaAt(name, PREVIOUS))
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

        const { store } = old
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
