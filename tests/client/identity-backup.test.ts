import { describe, expect, it } from 'vitest'
import { AppDB } from '../../src/client/db/AppDB'
import { backupIdentity, checkStore, IDENTITY_BACKUP_KEY } from '../../src/client/db/identity-backup'
import { getEnrollment, getMeta, saveEnrollment } from '../../src/client/db/meta-repository'
import { journalDraft, journaledIds, journalRecord } from '../../src/client/db/journal'
import { createRecord } from '../../src/client/db/records-repository'
import { saveDraft } from '../../src/client/db/drafts-repository'
import { applyPushResult } from '../../src/client/db/sync-repository'
import { newId } from '../../src/shared/ids'
import { callRecord, DEVICE_ID, SITE_ID } from './builders'
import { useMemoryCaches } from './memory-caches'

function memoryStorage() {
  const items = new Map<string, string>()
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items }
}

const enrollment = {
  deviceId: DEVICE_ID,
  deviceName: '一号台',
  siteId: SITE_ID,
  siteName: '第一服务大厅',
  token: 't'.repeat(43),
  enrolledAt: '2026-11-28T08:00:00Z',
}

describe('identity backup', () => {
  it('sees nothing wrong on a new tablet nor on a normal restart', async () => {
    const name = `test-${newId()}`
    const storage = memoryStorage()
    const db = new AppDB(name)
    expect(await checkStore(db, storage)).toMatchObject({ storeLost: false, enrollmentRestored: false })
    db.close()
    const again = new AppDB(name)
    expect(await checkStore(again, storage)).toMatchObject({ storeLost: false, enrollmentRestored: false })
    expect(await getMeta(again, 'storeLostAt')).toBeUndefined()
  })

  it('notices a store the browser recreated, and restores the enrollment so the tablet syncs again', async () => {
    const name = `test-${newId()}`
    const storage = memoryStorage()
    const db = new AppDB(name)
    await saveEnrollment(db, enrollment)
    await backupIdentity(db, storage)
    expect(JSON.parse(storage.items.get(IDENTITY_BACKUP_KEY)!)).toMatchObject({ enrollment: { deviceId: DEVICE_ID } })
    await db.delete() // what Chromium does to a backing store it finds corrupt
    const fresh = new AppDB(name)
    await new Promise((r) => setTimeout(r, 2)) // a later populate time
    expect(await checkStore(fresh, storage)).toMatchObject({ storeLost: true, enrollmentRestored: true })
    expect(await getEnrollment(fresh)).toMatchObject({ deviceId: DEVICE_ID, token: enrollment.token })
    expect(await getMeta(fresh, 'storeLostAt')).toEqual(expect.any(String))
    // and the next start is normal again
    expect(await checkStore(fresh, storage)).toMatchObject({ storeLost: false, enrollmentRestored: false })
  })
})

describe('the journal at a normal start', () => {
  useMemoryCaches()

  it('keeps the copies of unsynced records and open drafts, and drops the others', async () => {
    const storage = memoryStorage()
    const db = new AppDB(`test-${newId()}`)
    await backupIdentity(db, storage)
    const [pending, synced, refused, neverStored] = [callRecord(), callRecord(), callRecord(), callRecord()]
    for (const record of [pending, synced, refused]) await createRecord(db, record)
    // answered, but the copies not dropped yet (the app closed before the sync engine got to it)
    const sent = (await db.outbox.toArray()).filter((e) => e.recordId !== pending.id)
    const answers = sent.map((e) => (e.recordId === synced.id ? { mutationId: e.mutationId, status: 'accepted' as const } : { mutationId: e.mutationId, status: 'rejected' as const, reason: 'no' }))
    await applyPushResult(db, sent, { lastMutationId: Math.max(...sent.map((e) => e.mutationId)), results: answers }, new Date().toISOString())
    // a copy whose IndexedDB write never happened
    await journalRecord(neverStored)
    const now = new Date().toISOString()
    const open = { id: newId(), kind: 'callRecord' as const, values: { callerName: '王' }, createdAt: now, updatedAt: now }
    await saveDraft(db, open)
    await journalDraft({ ...open, id: newId() }) // a draft discarded since, or never stored
    expect((await journaledIds()).records).toHaveLength(4)
    expect((await journaledIds()).drafts).toHaveLength(2)

    expect(await checkStore(db, storage)).toMatchObject({ storeLost: false })
    const kept = await journaledIds()
    expect(kept.records.sort()).toEqual([pending.id, refused.id].sort())
    expect(kept.drafts).toEqual([open.id])
  })
})
