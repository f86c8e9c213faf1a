import { describe, expect, it } from 'vitest'
import { rotateClientId } from '../../src/client/db/identity-repository'
import { markAttachmentUploaded, putAttachment } from '../../src/client/db/attachments-repository'
import { createRecord } from '../../src/client/db/records-repository'
import { callRecord, freshDb, enrollTablet } from './builders'

describe('a new sync identity after the server lost our numbering', () => {
  it("queues again this device's synced records, oldest first before the waiting ones, and its images", async () => {
    const db = await freshDb()
    await enrollTablet(db, { siteName: '大厅' })
    const older = await createRecord(db, callRecord({ createdAt: '2026-11-29T08:00:00.000Z' }))
    const newer = await createRecord(db, callRecord({ createdAt: '2026-11-29T09:00:00.000Z' }))
    // both acknowledged by the server (as applyPushResult leaves them), and one pulled from another tablet
    await db.outbox.clear()
    await db.records.where('id').anyOf([older.id, newer.id]).modify({ syncState: 'synced', serverSeq: 7 })
    await db.records.put({ ...callRecord({ deviceId: '0192f0c4-3333-7000-8000-000000000003' }), serverSeq: 8, syncState: 'synced' })
    const waiting = await createRecord(db, callRecord({ createdAt: '2026-11-29T10:00:00.000Z' }))
    const photo = await putAttachment(db, new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], { type: 'image/jpeg' }))
    await markAttachmentUploaded(db, photo.sha256)

    const before = (await db.meta.get('clientId'))?.value
    const clientId = await rotateClientId(db)
    expect(clientId).not.toBe(before)
    const outbox = await db.outbox.orderBy('mutationId').toArray()
    expect(outbox.map((e) => [e.mutationId, e.recordId])).toEqual([
      [1, older.id],
      [2, newer.id],
      [3, waiting.id],
    ])
    // sent as it was made: no local fields, no server sequence
    expect(outbox[0]?.args).toMatchObject({ id: older.id, serverSeq: null })
    expect(Object.keys(outbox[0]?.args as object)).not.toContain('syncState')
    expect((await db.meta.get('nextMutationId'))?.value).toBe(4)
    expect((await db.attachments.get(photo.sha256))?.uploadState).toBe('pending')
  })
})
