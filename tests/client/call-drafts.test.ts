import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { db } from '../../src/client/db/db'
import { emptyCallForm, useCallRecordsStore, type CallFormValues } from '../../src/client/stores/callRecords'
import { useOperatorStore } from '../../src/client/stores/operator'
import { addRosterPerson, TEST_PIN, enrollTablet } from './builders'

/** A fresh Pinia is what a reload gives: nothing in memory, only what is on disk. */
function freshStore() {
  setActivePinia(createPinia())
  return useCallRecordsStore()
}

async function enroll() {
  await enrollTablet(db, { deviceName: '一号台平板', siteName: '呼叫中心' })
}

/** What the form emits while someone types `text` into `field`, one keystroke at a time. */
function keystrokes(values: CallFormValues, field: 'request' | 'callerName' | 'callerPhone', text: string): CallFormValues[] {
  return [...text].map((_, i) => ({ ...values, [field]: text.slice(0, i + 1) }))
}

describe('call record drafts', () => {
  beforeEach(async () => {
    await db.delete()
    await db.open()
  })

  it('has the draft on disk before the first keystroke, and every keystroke after it, in order', async () => {
    const calls = freshStore()
    const id = await calls.startDraft(new Date('2026-11-28T08:00:00Z'))
    expect((await db.drafts.get(id))?.values).toMatchObject({ request: '', calledAt: '2026-11-28T08:00:00.000Z' })
    const typed = keystrokes(emptyCallForm(new Date('2026-11-28T08:00:00Z')), 'request', '停电后营业厅何时恢复？')
    // Keystrokes are not awaited one by one (the form does not wait): the writes are chained.
    const writes = typed.map((values) => calls.updateDraft(id, values, '2026-11-28T08:00:00.000Z'))
    await writes[writes.length - 1]
    expect((await db.drafts.get(id))?.values.request).toBe('停电后营业厅何时恢复？')
  })

  it('gives back the last character after a reload, with the time the call started', async () => {
    const calls = freshStore()
    const id = await calls.startDraft(new Date('2026-11-28T08:00:00Z'))
    for (const values of keystrokes({ ...emptyCallForm(new Date('2026-11-28T08:00:00Z')), callerName: '周女士' }, 'callerPhone', '13800138000')) {
      void calls.updateDraft(id, values, '2026-11-28T08:00:00.000Z')
    }
    await calls.flush()
    const reloaded = freshStore()
    const draft = await reloaded.loadDraft(id)
    expect(draft?.values).toMatchObject({ callerName: '周女士', callerPhone: '13800138000' })
    expect(draft?.createdAt).toBe('2026-11-28T08:00:00.000Z')
  })

  it('keeps several drafts apart when calls overlap', async () => {
    const calls = freshStore()
    const first = await calls.startDraft()
    const second = await calls.startDraft()
    const a = keystrokes(emptyCallForm(), 'callerName', '王先生')
    const b = keystrokes(emptyCallForm(), 'callerName', '李女士')
    for (let i = 0; i < 3; i++) {
      void calls.updateDraft(first, a[i]!, '2026-11-28T08:00:00.000Z')
      void calls.updateDraft(second, b[i]!, '2026-11-28T08:00:01.000Z')
    }
    await calls.flush()
    expect((await calls.loadDraft(first))?.values.callerName).toBe('王先生')
    expect((await calls.loadDraft(second))?.values.callerName).toBe('李女士')
    expect(await db.drafts.count()).toBe(2)
  })

  it('saves the draft as a record by the person at the tablet, with numbers checked, and removes the draft', async () => {
    await enroll()
    const calls = freshStore()
    const person = await addRosterPerson(db, { name: '张三' })
    expect(await useOperatorStore().signIn(person.id, TEST_PIN)).toEqual({ ok: true })
    const id = await calls.startDraft()
    const values: CallFormValues = { ...emptyCallForm(), callerPhone: '(010) 1234 5678', callerName: '王先生', request: '报修', callbackNeeded: true, callbackNumber: '12345', callbackTime: '下午' }
    await calls.updateDraft(id, values, new Date().toISOString())
    const result = await calls.saveRecord(id, values)
    expect(result.ok).toBe(true)
    const record = await db.records.get(id)
    expect(record?.author).toBe('张三')
    expect(record?.personId).toBe(person.id)
    // A valid number is stored normalised; a wrong one as typed, marked unverified, never lost.
    expect(record?.data).toMatchObject({ callerPhone: '010-12345678', callerPhoneStatus: 'landline', callbackNumber: '12345', callbackNumberStatus: 'unverified', callbackTime: '下午' })
    expect(record?.phoneKey).toBe('01012345678')
    expect(await db.drafts.get(id)).toBeUndefined()
    expect(await db.outbox.where('recordId').equals(id).count()).toBe(1)
  })

  it('keeps the draft when the record cannot be saved yet', async () => {
    const calls = freshStore()
    const id = await calls.startDraft()
    const values = { ...emptyCallForm(), request: '咨询' }
    await calls.updateDraft(id, values, new Date().toISOString())
    expect(await calls.saveRecord(id, values)).toMatchObject({ ok: false, notEnrolled: true })
    expect(await db.drafts.get(id)).toBeDefined()
  })
})
