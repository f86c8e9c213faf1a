// The cold start's reads (tests/bench/profile-cold.ts): the router's sign-in check, the operator
// store and each new record's author read who is at the tablet in one IndexedDB transaction, with
// the same answers as reading each thing on its own.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { DBCore, Middleware } from 'dexie'
import { createPinia, setActivePinia } from 'pinia'
import { until } from '@vueuse/core'
import { db } from '../../src/client/db/db'
import { readOperatorState } from '../../src/client/db/people-repository'
import { signInState, useOperatorStore } from '../../src/client/stores/operator'
import { useDeviceStore } from '../../src/client/stores/device'
import { useSyncStore } from '../../src/client/stores/sync'
import { addRosterPerson, callRecord, enrollTablet, signedInPerson, SITE_ID } from './builders'
import { DEFAULT_IDLE_LOCK_MINUTES } from '../../src/shared/pin'

/** Counts the IndexedDB transactions `fn` opens (a DBCore middleware sees each one Dexie makes). */
async function transactionsOf<T>(fn: () => Promise<T>): Promise<{ result: T; count: number }> {
  let count = 0
  const counter: Middleware<DBCore> = {
    stack: 'dbcore',
    name: 'count-transactions',
    create: (down) => ({
      ...down,
      transaction: (...args) => {
        count += 1
        return down.transaction(...args)
      },
    }),
  }
  db.use(counter)
  db.close()
  await db.open()
  try {
    return { result: await fn(), count }
  } finally {
    db.unuse({ stack: 'dbcore', name: counter.name! })
    db.close()
    await db.open()
  }
}

describe('start-up reads', () => {
  beforeEach(async () => {
    await db.delete()
    await db.open()
    setActivePinia(createPinia())
  })
  afterEach(() => vi.restoreAllMocks())

  it('reads the sign-in state in one transaction', async () => {
    await enrollTablet(db)
    const person = await signedInPerson(db, { name: '张三' })
    const { result, count } = await transactionsOf(() => signInState())
    expect(result).toEqual({ enrolled: true, signedIn: true })
    expect(count).toBe(1)
    const state = await readOperatorState<{ personId: string }>(db, 'signedIn')
    expect(state.enrollment?.siteId).toBe(SITE_ID)
    expect(state.signedIn?.personId).toBe(person.id)
    expect(state.roster.map((p) => p.name)).toEqual(['张三'])
  })

  it('tells a tablet not enrolled, nobody signed in, and a person who left', async () => {
    expect(await signInState()).toEqual({ enrolled: false, signedIn: false })
    await enrollTablet(db)
    expect(await signInState()).toEqual({ enrolled: true, signedIn: false })
    const person = await signedInPerson(db)
    expect(await signInState()).toEqual({ enrolled: true, signedIn: true })
    await addRosterPerson(db, { id: person.id, name: person.name, version: 2, active: false })
    expect(await signInState()).toEqual({ enrolled: true, signedIn: false })
  })

  it('keeps the operator, device and sync stores live on their one query each', async () => {
    await enrollTablet(db)
    const operator = useOperatorStore()
    const device = useDeviceStore()
    const sync = useSyncStore()
    await until(() => operator.ready && device.ready).toBe(true)
    expect(device.isEnrolled).toBe(true)
    expect(operator.signedIn).toBe(false)
    expect(sync.pendingCount).toBe(0)
    const person = await signedInPerson(db, { name: '李四' })
    await until(() => operator.person?.id).toBe(person.id)
    expect(operator.roster.map((p) => p.name)).toEqual(['李四'])
    await db.meta.put({ key: 'storeLostAt', value: '2026-11-28T08:00:00.000Z' })
    await until(() => device.storeLost).toBe('2026-11-28T08:00:00.000Z')
    await db.meta.put({ key: 'storeLostSeen', value: true })
    await until(() => device.storeLost).toBe(undefined)
    await db.meta.put({ key: 'lastSyncAt', value: '2026-11-28T09:00:00.000Z' })
    await until(() => sync.lastSyncAt).toBe('2026-11-28T09:00:00.000Z')
    await db.outbox.add({ mutationId: 1, name: 'record.create', args: {}, createdAt: '2026-11-28T09:00:00Z', recordId: 'x' })
    await until(() => sync.pendingCount).toBe(1)
    expect(operator.idleLockMinutes).toBe(DEFAULT_IDLE_LOCK_MINUTES)
    const settings = { id: SITE_ID, version: 1, name: '第一服务大厅', location: '', idleLockMinutes: 15 }
    const at = new Date().toISOString()
    await db.records.put({ ...callRecord({ kind: 'siteSettings', data: settings, createdAt: at, updatedAt: at }), syncState: 'synced' })
    await until(() => operator.idleLockMinutes).toBe(15)
  })

  it('names the author of a new record in one transaction', async () => {
    await enrollTablet(db)
    const person = await signedInPerson(db, { name: '王五' })
    const operator = useOperatorStore()
    await until(() => operator.signedIn).toBe(true) // the store's own live queries are done
    const { result, count } = await transactionsOf(() => operator.who())
    expect(result).toMatchObject({ siteId: SITE_ID, author: '王五', personId: person.id })
    expect(count).toBe(1)
  })
})
