import type { DBCore, DBCoreTable, Middleware } from 'dexie'
import { AppDB, type Draft } from '../../src/client/db/AppDB'
import { saveEnrollment } from '../../src/client/db/meta-repository'
import { newId } from '../../src/shared/ids'
import type { RecordEnvelope } from '../../src/shared/records'
import type { PersonRecordData, Role } from '../../src/shared/people'
import { hashPin, type Pbkdf2Subtle } from '../../src/shared/pin'

export const SITE_ID = '0192f0c4-1111-7000-8000-000000000001'
export const DEVICE_ID = '0192f0c4-2222-7000-8000-000000000002'

/** A test's spy on the `records` table: a DBCore middleware replacing some of its methods (`wrap` gets the table below). */
export function spyOnRecords(name: string, wrap: (table: DBCoreTable) => Partial<DBCoreTable>, level?: number): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name,
    ...(level !== undefined ? { level } : {}),
    create: (down) => ({
      ...down,
      table: (tableName) => {
        const table = down.table(tableName)
        return tableName === 'records' ? { ...table, ...wrap(table) } : table
      },
    }),
  }
}

/**
 * A fresh database per test, on the fake IndexedDB that tests/client/setup.ts installs; `spies`
 * (DBCore middlewares that count what reaches the store) are added before it opens.
 */
export async function freshDb(...spies: Middleware<DBCore>[]): Promise<AppDB> {
  const db = new AppDB(`test-${newId()}`)
  for (const spy of spies) db.use(spy)
  await db.open()
  return db
}

export function callRecord(overrides: Partial<RecordEnvelope> = {}): RecordEnvelope {
  const now = '2026-11-28T08:00:00.000Z'
  return {
    id: newId(),
    kind: 'callRecord',
    siteId: SITE_ID,
    deviceId: DEVICE_ID,
    author: '一号台',
    createdAt: now,
    updatedAt: now,
    serverSeq: null,
    data: {
      calledAt: now,
      callerPhone: '13812345678',
      callerName: '王先生',
      request: '宽带无法使用，要求报修',
      callbackNeeded: true,
      callbackNumber: '',
    },
    ...overrides,
  }
}

export const TEST_PIN = '2468'

/**
 * A person of the site's roster as it comes down by pull (a synced `person` record), with the
 * PIN hashed by the same code the server uses (PBKDF2 at the schema's floor, to keep tests fast).
 */
export async function addRosterPerson(
  db: AppDB,
  input: { name?: string; role?: Role; pin?: string; active?: boolean; id?: string; version?: number } = {},
): Promise<PersonRecordData> {
  const data: PersonRecordData = {
    id: input.id ?? newId(),
    version: input.version ?? 1,
    siteId: SITE_ID,
    name: input.name ?? '张三',
    staffNo: `S${Math.random().toString(36).slice(2, 8)}`,
    role: input.role ?? 'agent',
    phone: '',
    pin: await hashPin(crypto.subtle as unknown as Pbkdf2Subtle, (n) => crypto.getRandomValues(new Uint8Array(n)), input.pin ?? TEST_PIN, 10_000),
    active: input.active ?? true,
    manages: [],
  }
  const now = new Date().toISOString()
  await db.records.put({
    id: newId(),
    kind: 'person',
    siteId: SITE_ID,
    deviceId: '00000000-0000-7000-8000-000000000001',
    author: 'Steadyline',
    createdAt: now,
    updatedAt: now,
    serverSeq: 1,
    data,
    syncState: 'synced',
  })
  return data
}

/** A person on the roster and signed in on this tablet, as after the sign-in screen. */
export async function signedInPerson(db: AppDB, input: { name?: string; role?: Role } = {}): Promise<PersonRecordData> {
  const person = await addRosterPerson(db, { role: 'supervisor', ...input })
  await db.meta.put({ key: 'signedIn', value: { personId: person.id, at: new Date().toISOString() } })
  return person
}

/** An enrolled tablet of SITE_ID (what the enrollment screen leaves in the local store). */
export function enrollTablet(db: AppDB, names: { deviceName?: string; siteName?: string } = {}): Promise<unknown> {
  return saveEnrollment(db, {
    deviceId: DEVICE_ID,
    deviceName: names.deviceName ?? '一号台',
    siteId: SITE_ID,
    siteName: names.siteName ?? '第一服务大厅',
    token: 'x'.repeat(43),
    enrolledAt: '2026-11-28T08:00:00Z',
  })
}

/** A call form's draft holding only its request text, as a keystroke saves it (updated now). */
export const callDraft = (id: string, request: string): Draft => ({
  id,
  kind: 'callRecord',
  values: { request },
  createdAt: '2026-11-29T08:00:00.000Z',
  updatedAt: new Date().toISOString(),
})
