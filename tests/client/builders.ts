import { AppDB } from '../../src/client/db/AppDB'
import { newId } from '../../src/shared/ids'
import type { RecordEnvelope } from '../../src/shared/records'

export const SITE_ID = '0192f0c4-1111-7000-8000-000000000001'
export const DEVICE_ID = '0192f0c4-2222-7000-8000-000000000002'

/** A fresh database per test, on the fake IndexedDB that tests/client/setup.ts installs. */
export async function freshDb(): Promise<AppDB> {
  const db = new AppDB(`test-${newId()}`)
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
