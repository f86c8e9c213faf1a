import { defineStore } from 'pinia'
import { toRaw } from 'vue'
import { db } from '../db/db'
import type { Draft, LocalRecord } from '../db/AppDB'
import { deleteDraft, getDraft, listDrafts, saveDraft } from '../db/drafts-repository'
import { getEnrollment } from '../db/meta-repository'
import { createRecord, listRecords } from '../db/records-repository'
import { useLiveQuery } from '../composables/useLiveQuery'
import { useSyncStore } from './sync'
import { CallRecordDataSchema } from '../../shared/call-record'
import { newId } from '../../shared/ids'

/** The form's values as typed: strings and a checkbox, before validation. */
export interface CallFormValues {
  calledAt: string
  callerPhone: string
  callerName: string
  request: string
  callbackNeeded: boolean
  callbackNumber: string
}

export type CallFormErrors = Partial<Record<keyof CallFormValues, 'required' | 'callbackNumber' | 'invalid' | 'tooLong'>>

export function emptyCallForm(now: Date = new Date()): CallFormValues {
  return { calledAt: now.toISOString(), callerPhone: '', callerName: '', request: '', callbackNeeded: false, callbackNumber: '' }
}

/** Checks typed values against the shared schema and names each field's problem. */
export function validateCallForm(values: CallFormValues) {
  const parsed = CallRecordDataSchema.safeParse(values)
  if (parsed.success) return { ok: true as const, data: parsed.data }
  const errors: CallFormErrors = {}
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as keyof CallFormValues
    if (errors[field]) continue
    if (issue.message === 'callback_number_required') errors[field] = 'callbackNumber'
    else if (issue.code === 'too_big') errors[field] = 'tooLong'
    else if (issue.code === 'too_small') errors[field] = 'required'
    else errors[field] = 'invalid'
  }
  return { ok: false as const, errors }
}

/**
 * Manual call records and their drafts. Draft writes are chained, one after the other, so the
 * last keystroke is always the one on disk, and `flush()` says when everything typed is stored.
 */
export const useCallRecordsStore = defineStore('callRecords', () => {
  const sync = useSyncStore()
  const { value: records } = useLiveQuery<LocalRecord[]>(() => listRecords(db, 'callRecord', 100), { initial: [] })
  const { value: drafts } = useLiveQuery<Draft[]>(() => listDrafts(db, 'callRecord'), { initial: [] })
  let writes: Promise<unknown> = Promise.resolve()

  /** Makes a new draft on disk before the first keystroke, so even an empty form survives a reload. */
  async function startDraft(now: Date = new Date()): Promise<string> {
    const id = newId()
    const stamp = now.toISOString()
    const draft: Draft = { id, kind: 'callRecord', values: { ...emptyCallForm(now) }, createdAt: stamp, updatedAt: stamp }
    writes = writes.then(() => saveDraft(db, draft))
    await writes
    return id
  }

  async function loadDraft(id: string): Promise<CallFormValues | undefined> {
    await writes
    const draft = await getDraft(db, id)
    return draft ? { ...emptyCallForm(), ...(draft.values as Partial<CallFormValues>) } : undefined
  }

  /** Queues the draft write; resolves when this version is durable. */
  function updateDraft(id: string, values: CallFormValues, createdAt: string): Promise<unknown> {
    const draft: Draft = {
      id,
      kind: 'callRecord',
      values: { ...toRaw(values) },
      createdAt,
      updatedAt: new Date().toISOString(),
    }
    const write = writes.then(() => saveDraft(db, draft))
    writes = write.catch(() => undefined)
    return write
  }

  function flush(): Promise<unknown> {
    return writes
  }

  async function discardDraft(id: string): Promise<void> {
    await writes
    await deleteDraft(db, id)
  }

  /**
   * Turns the draft into a record: validated, then record + outbox mutation + draft removal in
   * one transaction. Returns field errors instead when the values are not acceptable.
   */
  async function saveRecord(id: string, values: CallFormValues) {
    const valid = validateCallForm(values)
    if (!valid.ok) return { ok: false as const, errors: valid.errors }
    const enrollment = await getEnrollment(db)
    if (!enrollment) return { ok: false as const, notEnrolled: true as const, errors: {} }
    await writes
    const draft = await getDraft(db, id)
    const now = new Date().toISOString()
    const record = await createRecord(db, {
      id,
      kind: 'callRecord',
      siteId: enrollment.siteId,
      deviceId: enrollment.deviceId,
      author: enrollment.deviceName,
      createdAt: draft?.createdAt ?? now,
      updatedAt: now,
      serverSeq: null,
      data: valid.data,
    })
    sync.notifyWrite()
    return { ok: true as const, record }
  }

  return { records, drafts, startDraft, loadDraft, updateDraft, flush, discardDraft, saveRecord }
})
