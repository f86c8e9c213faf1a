import Database from 'better-sqlite3'
import type { FastifyInstance } from 'fastify'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe } from 'vitest'
import { newId } from '../../src/shared/ids'
import type { RecordEnvelope } from '../../src/shared/records'
import {
  EnrollResponseSchema,
  type EnrollResponse,
  type Mutation,
  type PullResponse,
  type PushResponse,
} from '../../src/shared/sync'
import { PostgresStore } from '../../src/server/store/postgres'
import { SqliteStore } from '../../src/server/store/sqlite'
import type { Store } from '../../src/server/store/types'
import { buildApp, type BuildAppOptions } from '../../src/server/app'
import { savePerson } from '../../src/server/people'
import type { Role } from '../../src/shared/people'

export const PG_URL = process.env.DATABASE_URL || 'postgres://postgres:postgres@127.0.0.1:5432/steadyline_test'

/** A migrated store in a place of its own, and what a test needs to reach under it. */
export interface TestStore {
  store: Store
  /** Runs SQL on a separate connection (same schema / file). */
  exec(sql: string): Promise<void>
  /** Reads rows on a separate connection; bigint columns may come back as strings. */
  query(sql: string): Promise<Record<string, unknown>[]>
  /** Makes every insert of a record whose author is `author` fail, as a broken database would. */
  failRecordInserts(author: string): Promise<void>
  cleanup(): Promise<void>
}

export interface OpenTestStoreOptions {
  /**
   * Run the store's migrations: false leaves the database empty (a test then builds an older
   * schema through `exec` and migrates from there).
   * @default true
   */
  migrate?: boolean
}

export interface StoreFactory {
  name: 'sqlite' | 'postgres'
  /** Set when this store cannot run here; the suite is then skipped with this reason. */
  skipReason: string | undefined
  open(options?: OpenTestStoreOptions): Promise<TestStore>
}

export async function postgresReachable(url = PG_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => undefined)
  }
}

export async function openSqliteTestStore({ migrate = true }: OpenTestStoreOptions = {}): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'steadyline-server-test-'))
  const path = join(dir, 'steadyline.sqlite')
  const store = new SqliteStore({ path })
  if (migrate) await store.migrate()
  const exec = async (sql: string) => {
    const db = new Database(path)
    try {
      db.exec(sql)
    } finally {
      db.close()
    }
  }
  const query = async (sql: string) => {
    const db = new Database(path, { readonly: true })
    try {
      return db.prepare(sql).all() as Record<string, unknown>[]
    } finally {
      db.close()
    }
  }
  return {
    store,
    exec,
    query,
    failRecordInserts: (author) =>
      exec(`CREATE TRIGGER fail_${randomBytes(4).toString('hex')} BEFORE INSERT ON records
            WHEN NEW.author = '${author}' BEGIN SELECT RAISE(ABORT, 'simulated store failure'); END;`),
    cleanup: async () => {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function openPostgresTestStore({ migrate = true }: OpenTestStoreOptions = {}): Promise<TestStore> {
  const schema = `t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 })
  await admin.connect()
  try {
    await admin.query(`CREATE SCHEMA ${schema}`)
  } finally {
    await admin.end()
  }
  const store = new PostgresStore({ connectionString: PG_URL, schema })
  if (migrate) await store.migrate()
  const query = async (sql: string) => {
    const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` })
    await client.connect()
    try {
      return (await client.query<Record<string, unknown>>(sql)).rows
    } finally {
      await client.end()
    }
  }
  const exec = async (sql: string) => {
    await query(sql)
  }
  return {
    store,
    exec,
    query,
    failRecordInserts: (author) => {
      const name = `fail_${randomBytes(4).toString('hex')}`
      return exec(`
        CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.author = '${author}' THEN RAISE EXCEPTION 'simulated store failure'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER ${name} BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION ${name}();`)
    },
    cleanup: async () => {
      await store.close()
      const client = new pg.Client({ connectionString: PG_URL })
      await client.connect()
      try {
        await client.query(`DROP SCHEMA ${schema} CASCADE`)
      } finally {
        await client.end()
      }
    },
  }
}

/** An enrolled device as a test sees it. */
/** An enrolled device and the person signed in on it (a roster entry of the device's site). */
export type TestDevice = EnrollResponse & { personId: string; personName: string; role: Role }

/** PBKDF2 iterations for test PINs: the schema's floor, so tests do not wait on hashing. */
export const TEST_PIN_ITERATIONS = 10_000

const appStores = new WeakMap<FastifyInstance, Store>()

/** `buildApp`, remembered with its store so that `enroll` can put a person on the site's roster. */
export async function buildTestApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = await buildApp(options)
  appStores.set(app, options.store)
  return app
}

/** What most server suites start from: a migrated store, the app on it, and its enrollment code. */
export interface TestApp {
  t: TestStore
  app: FastifyInstance
  code: string
  /** Closes the app, then removes the store. */
  close(): Promise<void>
}

/**
 * A store from `open` with the app built on it, for a suite's `beforeAll` (and `close` for its
 * `afterAll`). Seeding, when a suite needs it, can follow: the app does not read the store as it starts.
 */
export async function openTestApp(open: () => Promise<TestStore>, options: Omit<BuildAppOptions, 'store'> = {}): Promise<TestApp> {
  const t = await open()
  let app: FastifyInstance | undefined
  const close = async () => {
    await app?.close()
    await t.cleanup()
  }
  try {
    app = await buildTestApp({ ...options, store: t.store })
    return { t, app, code: await t.store.getOrCreateEnrollmentCode(), close }
  } catch (error) {
    await close()
    throw error
  }
}

/**
 * A suite run on every store of `stores` (`<title> on sqlite`, `<title> on postgres`), skipped
 * with the store's reason when it cannot run here, on an app that `openTestApp` opens before the
 * suite's tests and closes after them. `ctx`'s fields are set by that beforeAll: read them in
 * hooks and tests, not while the suite is being declared.
 */
export function describeOnStores(
  stores: readonly StoreFactory[],
  title: string,
  body: (ctx: TestApp, store: StoreFactory) => void,
  options: Omit<BuildAppOptions, 'store'> = {},
): void {
  describe.each(stores)(`${title} on $name`, (store) => {
    describe.skipIf(store.skipReason !== undefined)(store.skipReason ?? 'store reachable', () => {
      const ctx = {} as TestApp
      beforeAll(async () => {
        Object.assign(ctx, await openTestApp(store.open, options))
      })
      afterAll(() => ctx.close?.())
      body(ctx, store)
    })
  })
}

/** Adds a person to a site's roster directly in the store (what the admin API does). */
export async function addPerson(
  store: Store,
  siteId: string,
  input: { name?: string; staffNo?: string; role?: Role; pin?: string; manages?: string[] } = {},
) {
  return savePerson(
    store,
    {
      siteId,
      name: input.name ?? '测试员',
      staffNo: input.staffNo ?? `S${randomBytes(4).toString('hex')}`,
      role: input.role ?? 'supervisor',
      ...(input.pin ? { pin: input.pin } : {}),
      manages: input.manages ?? [],
    },
    undefined,
    new Date().toISOString(),
    TEST_PIN_ITERATIONS,
  )
}

let siteCounter = 0
/** A site name no other test in the file uses, so tests do not see each other's records. */
export function uniqueSiteName(label = 'hall'): string {
  siteCounter += 1
  return `${label} ${siteCounter} ${randomBytes(3).toString('hex')}`
}

export async function enroll(
  app: FastifyInstance,
  code: string,
  siteName: string,
  deviceName = 'tablet',
  role: Role = 'supervisor',
): Promise<TestDevice> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/devices/enroll',
    payload: { siteName, enrollmentCode: code, deviceName },
  })
  if (res.statusCode !== 201) throw new Error(`enroll failed: ${res.statusCode} ${res.body}`)
  const device = EnrollResponseSchema.parse(res.json())
  const store = appStores.get(app)
  if (!store) throw new Error('enroll needs an app made by buildTestApp (to add the signed-in person)')
  const person = await addPerson(store, device.siteId, { name: `${deviceName} 值班员`, role })
  return { ...device, personId: person.id, personName: person.name, role }
}

const T0 = '2026-11-28T08:00:00.000+08:00'

/** A valid call record made by `device`, with any field overridden. */
export function callRecord(device: Pick<TestDevice, 'siteId' | 'deviceId' | 'personName' | 'personId'>, overrides: Partial<RecordEnvelope> = {}): RecordEnvelope {
  return {
    id: newId(),
    kind: 'callRecord',
    siteId: device.siteId,
    deviceId: device.deviceId,
    author: device.personName,
    personId: device.personId,
    createdAt: T0,
    updatedAt: T0,
    serverSeq: null,
    data: {
      calledAt: T0,
      callerPhone: '13800138000',
      callerName: '王先生',
      request: '营业厅系统故障，无法缴费',
      callbackNeeded: true,
      callbackNumber: '',
    },
    ...overrides,
  }
}

/** `record.create` mutations numbered from `firstId`. */
export function creates(firstId: number, records: unknown[]): Mutation[] {
  return records.map((args, i) => ({ mutationId: firstId + i, name: 'record.create', args, createdAt: T0 }))
}

export function post(app: FastifyInstance, url: string, token: string | undefined, payload: unknown) {
  return app.inject({
    method: 'POST',
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    payload: payload as Record<string, unknown>,
  })
}

export async function push(app: FastifyInstance, device: TestDevice, clientId: string, mutations: Mutation[]) {
  const res = await post(app, '/api/sync/push', device.token, { clientId, mutations })
  return { status: res.statusCode, body: res.json() as PushResponse & { code?: string; expectedMutationId?: number } }
}

export async function pull(app: FastifyInstance, device: TestDevice, clientId: string, cursor: number, limit?: number) {
  const res = await post(app, '/api/sync/pull', device.token, { clientId, cursor, ...(limit ? { limit } : {}) })
  return { status: res.statusCode, body: res.json() as PullResponse & { code?: string } }
}

/** Every record of the device's site, following the pages. */
export async function pullAll(app: FastifyInstance, device: TestDevice, clientId: string): Promise<PullResponse['records']> {
  const all: PullResponse['records'] = []
  let cursor = 0
  for (;;) {
    const { status, body } = await pull(app, device, clientId, cursor)
    if (status !== 200) throw new Error(`pull failed: ${status} ${JSON.stringify(body)}`)
    all.push(...body.records)
    cursor = body.cursor
    if (!body.hasMore) return all
  }
}

/**
 * SQLite and PostgreSQL, for suites that run against both. Locally a machine without PostgreSQL
 * still runs the SQLite half (the PostgreSQL half is skipped with this reason); under CI=true
 * PostgreSQL is required: its half then runs and fails in beforeAll when it cannot connect.
 */
export async function storeFactories(): Promise<StoreFactory[]> {
  const reachable = await postgresReachable()
  return [
    { name: 'sqlite', skipReason: undefined, open: openSqliteTestStore },
    {
      name: 'postgres',
      skipReason:
        !reachable && process.env.CI !== 'true'
          ? 'PostgreSQL not reachable at DATABASE_URL (or the default test URL) and CI is not true'
          : undefined,
      open: openPostgresTestStore,
    },
  ]
}

/** A site's records without its roster (the person records `enroll` adds). */
export async function countWork(store: Store, siteId: string): Promise<number> {
  const roster = await store.queryRecords({ kinds: ['person', 'siteSettings'], siteIds: [siteId], limit: 1_000_000 })
  return (await store.countRecords(siteId)) - roster.length
}
