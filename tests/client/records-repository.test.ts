import { describe, expect, it } from 'vitest'
import { AppDB } from '../../src/client/db/AppDB'
import { createRecord } from '../../src/client/db/records-repository'
import { getClientId } from '../../src/client/db/meta-repository'
import { saveDraft } from '../../src/client/db/drafts-repository'
import { newId } from '../../src/shared/ids'
import { callRecord, freshDb } from './builders'

describe('local store', () => {
  it('makes the clientId inside the database on first open and keeps it', async () => {
    const name = `test-${newId()}`
    const first = new AppDB(name)
    const id = await getClientId(first)
    first.close()
    const again = new AppDB(name)
    expect(await getClientId(again)).toBe(id)
    again.close()
    await new AppDB(name).delete()
    const wiped = new AppDB(name)
    expect(await getClientId(wiped)).not.toBe(id)
  })

  it('writes the record, its outbox mutation and the counter in one transaction', async () => {
    const db = await freshDb()
    const a = await createRecord(db, callRecord())
    const b = await createRecord(db, callRecord())
    expect(a.syncState).toBe('pending')
    const outbox = await db.outbox.orderBy('mutationId').toArray()
    expect(outbox.map((m) => [m.mutationId, m.recordId])).toEqual([
      [1, a.id],
      [2, b.id],
    ])
    expect((await db.meta.get('nextMutationId'))?.value).toBe(3)
  })

  it('stores nothing when the outbox write fails (no record without its mutation)', async () => {
    const db = await freshDb()
    // A stale outbox row under the next number makes the outbox insert fail inside the transaction.
    await db.outbox.add({ mutationId: 1, name: 'record.create', args: {}, createdAt: '2026-11-28T08:00:00Z', recordId: 'x' })
    const record = callRecord()
    await expect(createRecord(db, record)).rejects.toThrow()
    expect(await db.records.get(record.id)).toBeUndefined()
    expect((await db.meta.get('nextMutationId'))?.value).toBe(1)
  })

  it('removes the draft the record came from in the same transaction', async () => {
    const db = await freshDb()
    const record = callRecord()
    await saveDraft(db, { id: record.id, kind: 'callRecord', values: { request: 'x' }, createdAt: record.createdAt, updatedAt: record.createdAt })
    await createRecord(db, record)
    expect(await db.drafts.get(record.id)).toBeUndefined()
  })
})
