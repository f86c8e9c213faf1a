import { describe, expect, it } from 'vitest'
import { draftJournalSettled, draftQueue } from '../../src/client/db/drafts-repository'
import { createRecord } from '../../src/client/db/records-repository'
import { journaledDrafts } from '../../src/client/db/journal'
import { newId } from '../../src/shared/ids'
import { callDraft, callRecord, freshDb } from './builders'
import { useMemoryCaches } from './memory-caches'

useMemoryCaches()


describe("drafts' journal copies", () => {
  it('follow the strict commit: the newest version of each draft ends in the journal, and settled() waits for it', async () => {
    const db = await freshDb()
    const queue = draftQueue(db)
    const a = newId()
    const b = newId()
    // typed fast: writes pile up while a copy is in flight
    const typed = ['张', '张三', '张三报', '张三报修', '张三报修宽带']
    await Promise.all([...typed.map((text) => queue.save(callDraft(a, text))), queue.save(callDraft(b, '李四'))])
    expect((await db.drafts.get(a))?.values).toEqual({ request: '张三报修宽带' })
    await queue.settled()
    const copies = new Map((await journaledDrafts()).map((d) => [d.id, d.values]))
    expect(copies.get(a)).toEqual({ request: '张三报修宽带' })
    expect(copies.get(b)).toEqual({ request: '李四' })
    db.close()
  })

  it('never outlive their draft: a discard or the record it became removes the copy after any still on its way', async () => {
    const db = await freshDb()
    const queue = draftQueue(db)
    const discarded = newId()
    void queue.save(callDraft(discarded, '打错了'))
    await queue.discard(discarded)
    const saved = newId()
    await queue.save(callDraft(saved, '停电'))
    // the draft becomes a record before its journal copy is made
    await createRecord(db, { ...callRecord(), id: saved })
    await draftJournalSettled()
    const ids = (await journaledDrafts()).map((d) => d.id)
    expect(ids).not.toContain(discarded)
    expect(ids).not.toContain(saved)
    expect(await db.drafts.count()).toBe(0)
    db.close()
  })
})
