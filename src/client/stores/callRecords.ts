import { defineStore } from 'pinia'
import { toRaw, type Ref } from 'vue'
import { db } from '../db/db'
import type { Draft, LocalRecord } from '../db/AppDB'
import { draftQueue, getDraft, listDrafts } from '../db/drafts-repository'
import { createRecord, listRecords } from '../db/records-repository'
import { callsFromSince, listChildrenOfKind, searchCalls } from '../db/outage-repository'
import { useLiveQuery } from '../composables/useLiveQuery'
import { useSyncStore } from './sync'
import { useOperatorStore } from './operator'
import { useUnsavedWorkStore } from './unsavedWork'
import type { CallCategory, CallPriority, CallRecordData } from '../../shared/call-record'
import { schemas } from '../schemas'
import { newId } from '../../shared/ids'
import { checkPhone, type PhoneProblem } from '../../shared/phone'

/** The form's values as typed: strings, choices and a checkbox, before validation. */
export interface CallFormValues {
  calledAt: string
  callerPhone: string
  callerName: string
  customerNumber: string
  category: CallCategory
  request: string
  answer: string
  priority: CallPriority
  callbackNeeded: boolean
  callbackNumber: string
  callbackTime: string
  /** The outage the call belongs to; '' for none. */
  faultId: string
}

export type CallFormErrors = Partial<Record<keyof CallFormValues, 'required' | 'callbackNumber' | 'invalid' | 'tooLong'>>
/** Numbers that are not a valid Chinese number: said clearly, but never in the way of saving. */
export type PhoneWarnings = Partial<Record<'callerPhone' | 'callbackNumber', PhoneProblem>>

export function emptyCallForm(now: Date = new Date(), faultId = ''): CallFormValues {
  return {
    calledAt: now.toISOString(),
    callerPhone: '',
    callerName: '',
    customerNumber: '',
    category: 'inquiry',
    request: '',
    answer: '',
    priority: 'normal',
    callbackNeeded: false,
    callbackNumber: '',
    callbackTime: '',
    faultId,
  }
}

/** What each phone field says about its number, as the agent types. */
export function phoneWarnings(values: Pick<CallFormValues, 'callerPhone' | 'callbackNumber' | 'callbackNeeded'>): PhoneWarnings {
  const warnings: PhoneWarnings = {}
  const caller = checkPhone(values.callerPhone)
  if (caller.problem) warnings.callerPhone = caller.problem
  const callback = values.callbackNeeded ? checkPhone(values.callbackNumber) : undefined
  if (callback?.problem) warnings.callbackNumber = callback.problem
  return warnings
}

/**
 * Checks typed values against the shared schema and names each field's problem. Valid numbers are
 * stored normalised (`010-12345678`), withheld ones as '' marked `withheld`, and any other number
 * as typed, marked `unverified`. Asynchronous: the schema loads on the first save (schemas.ts).
 */
export async function validateCallForm(values: CallFormValues): Promise<
  { ok: true; data: CallRecordData; warnings: PhoneWarnings } | { ok: false; errors: CallFormErrors; warnings: PhoneWarnings }
> {
  const warnings = phoneWarnings(values)
  const caller = checkPhone(values.callerPhone)
  const callback = values.callbackNeeded ? checkPhone(values.callbackNumber) : undefined
  const { faultId, ...rest } = values
  const input = {
    ...rest,
    callerPhone: caller.normalized,
    ...(caller.status !== 'empty' ? { callerPhoneStatus: caller.status } : {}),
    callbackNumber: callback?.normalized ?? '',
    ...(callback && callback.status !== 'empty' ? { callbackNumberStatus: callback.status } : {}),
    callbackTime: values.callbackNeeded ? values.callbackTime : '',
    ...(faultId ? { faultId } : {}),
  }
  const { CallRecordDataSchema } = await schemas()
  const parsed = CallRecordDataSchema.safeParse(input)
  if (parsed.success) return { ok: true, data: parsed.data, warnings }
  const errors: CallFormErrors = {}
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as keyof CallFormValues
    if (errors[field]) continue
    if (issue.message === 'callback_number_required') errors[field] = 'callbackNumber'
    else if (issue.code === 'too_big') errors[field] = 'tooLong'
    else if (issue.code === 'too_small') errors[field] = 'required'
    else errors[field] = 'invalid'
  }
  return { ok: false, errors, warnings }
}

/**
 * Manual call records and their drafts. Draft writes are chained, one after the other, so the
 * last keystroke is always the one on disk, and `flush()` says when everything typed is stored.
 * Several drafts can be open at once (overlapping calls): each has its own id and address.
 */
export const useCallRecordsStore = defineStore('callRecords', () => {
  const sync = useSyncStore()
  const operator = useOperatorStore()
  const { value: records } = useLiveQuery<LocalRecord[]>(() => listRecords(db, 'callRecord', 100), { initial: [] })
  const { value: drafts } = useLiveQuery<Draft[]>(() => listDrafts(db, 'callRecord'), { initial: [] })
  const unsaved = useUnsavedWorkStore()
  const draftWrites = draftQueue(db, unsaved.track)

  /** Makes a new draft on disk before the first keystroke, so even an empty form survives a reload. */
  async function startDraft(now: Date = new Date(), faultId = ''): Promise<string> {
    const id = newId()
    const stamp = now.toISOString()
    const draft: Draft = { id, kind: 'callRecord', values: { ...emptyCallForm(now, faultId) }, createdAt: stamp, updatedAt: stamp }
    await draftWrites.save(draft)
    return id
  }

  async function loadDraft(id: string): Promise<{ values: CallFormValues; createdAt: string } | undefined> {
    await draftWrites.settled()
    const draft = await getDraft(db, id)
    if (!draft) return undefined
    return { values: { ...emptyCallForm(new Date(draft.createdAt)), ...(draft.values as Partial<CallFormValues>) }, createdAt: draft.createdAt }
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
    return draftWrites.save(draft)
  }

  function flush(): Promise<unknown> {
    return draftWrites.settled()
  }

  async function discardDraft(id: string): Promise<void> {
    await draftWrites.discard(id)
  }

  /**
   * Turns the draft into a record: validated, then record + outbox mutation + draft removal in
   * one transaction. Returns field errors instead when the values are not acceptable.
   */
  async function saveRecord(id: string, values: CallFormValues) {
    const valid = await validateCallForm(values)
    if (!valid.ok) return { ok: false as const, errors: valid.errors }
    const who = await operator.whoIfEnrolled()
    if (!who) return { ok: false as const, notEnrolled: true as const, errors: {} }
    await draftWrites.settled()
    const draft = await getDraft(db, id)
    const now = new Date().toISOString()
    const write = createRecord(db, {
      id,
      kind: 'callRecord',
      ...who,
      createdAt: draft?.createdAt ?? now,
      updatedAt: now,
      serverSeq: null,
      data: valid.data,
    })
    // under the draft's id: the record now holds what an earlier failed draft write did not
    const record = await unsaved.track(write, id)
    sync.notifyWrite()
    return { ok: true as const, record }
  }

  /** Earlier calls from the same number within the last hour before `calledAt` (a hint, never a block). */
  function watchSameNumber(source: Ref<{ id: string; callerPhone: string; calledAt: string } | undefined>) {
    return useLiveQuery<LocalRecord[]>(
      async () => {
        const current = source.value
        const key = current ? checkPhone(current.callerPhone).key : ''
        if (!current || key.length < 7) return []
        const calledAt = Date.parse(current.calledAt) || Date.now()
        // createdAt can trail calledAt (a call logged late), so read two hours of index and filter on calledAt.
        const since = new Date(calledAt - 2 * 3600_000).toISOString()
        const rows = await callsFromSince(db, key, since)
        return rows.filter((r) => {
          const at = Date.parse(String(r.data.calledAt))
          return r.id !== current.id && at <= calledAt + 60_000 && calledAt - at <= 3600_000
        })
      },
      { initial: [], deps: () => [source.value?.id, source.value ? checkPhone(source.value.callerPhone).key : '', source.value?.calledAt] },
    )
  }

  /**
   * Search by number prefix or name prefix, newest first; `limit` grows with "show more". With
   * `faultId` (not ''), only that outage's calls: searched, or all of them when the query is empty.
   */
  function watchSearch(query: Ref<string>, limit: Ref<number>, options: { faultId?: Ref<string> } = {}) {
    const faultId = () => options.faultId?.value ?? ''
    return useLiveQuery<LocalRecord[]>(
      () => {
        if (query.value.trim()) return searchCalls(db, query.value, limit.value, faultId() ? { faultId: faultId() } : {})
        if (faultId()) return listChildrenOfKind(db, faultId(), 'callRecord', { limit: limit.value, newestFirst: true })
        return listRecords(db, 'callRecord', limit.value)
      },
      { initial: [], deps: () => [query.value, limit.value, faultId()] },
    )
  }

  return { records, drafts, startDraft, loadDraft, updateDraft, flush, discardDraft, saveRecord, watchSameNumber, watchSearch }
})
