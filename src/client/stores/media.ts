import { defineStore } from 'pinia'
import { computed, toRaw, type Ref } from 'vue'
import { db } from '../db/db'
import type { Draft, LocalRecord } from '../db/AppDB'
import { draftQueue, getDraft, listDrafts } from '../db/drafts-repository'
import { countMediaContacts, createMediaContact, createMediaWording, listMediaContacts, listMediaWordings } from '../db/media-repository'
import { getEnrollment } from '../db/meta-repository'
import { useLiveQuery } from '../composables/useLiveQuery'
import { useOperatorStore } from './operator'
import { useSyncStore } from './sync'
import { useUnsavedWorkStore } from './unsavedWork'
import { newId } from '../../shared/ids'
import {
  MediaContactDataSchema,
  MediaWordingDataSchema,
  byContactTimeDesc,
  currentWordings,
  nextWordingVersion,
  type MediaChannel,
  type MediaContactData,
  type MediaContactView,
  type MediaWording,
  type MediaWordingData,
  type MediaWordingRecord,
} from '../../shared/media'
import type { LocalizedText } from '../../shared/playbook'

/** The form's values as typed, before validation. Kept in the draft on every change. */
export interface MediaFormValues {
  at: string
  channel: MediaChannel
  outlet: string
  reporterName: string
  asked: string
  filmingAttempted: boolean
  filmingAction: string
  /** '' until a response is chosen. */
  responseType: '' | 'wording' | 'spokesperson'
  wordingId: string
  wordingVersion: number
  /** The wording's text in the language it was given in (what was said). */
  wordingText: string
  informed: { who: string; at: string }[]
  spokesperson: string
  /** The incident this was opened from; '' for none. */
  incidentId: string
}

export type MediaFormField = keyof MediaFormValues | 'response'
export type MediaFormErrors = Partial<Record<MediaFormField, 'required' | 'invalid' | 'tooLong'>>

export function emptyMediaForm(now: Date = new Date(), incidentId = ''): MediaFormValues {
  return {
    at: now.toISOString(),
    channel: 'door',
    outlet: '',
    reporterName: '',
    asked: '',
    filmingAttempted: false,
    filmingAction: '',
    responseType: '',
    wordingId: '',
    wordingVersion: 0,
    wordingText: '',
    informed: [],
    spokesperson: '',
    incidentId,
  }
}

/** True while nothing has been typed (a fresh form may be re-filed under another incident). */
export function isBlankMediaForm(v: MediaFormValues): boolean {
  return !v.outlet.trim() && !v.reporterName.trim() && !v.asked.trim() && !v.filmingAttempted && !v.responseType && v.informed.length === 0 && !v.spokesperson.trim()
}

/** Checks the typed values against the shared schema and names each field's problem. */
export function validateMediaForm(values: MediaFormValues): { ok: true; data: MediaContactData } | { ok: false; errors: MediaFormErrors } {
  const response =
    values.responseType === 'spokesperson'
      ? { type: 'spokesperson' }
      : values.responseType === 'wording'
        ? { type: 'wording', wordingId: values.wordingId, wordingVersion: values.wordingVersion, text: values.wordingText }
        : undefined
  const input = {
    outlet: values.outlet,
    reporterName: values.reporterName,
    at: values.at,
    channel: values.channel,
    asked: values.asked,
    filmingAttempted: values.filmingAttempted,
    filmingAction: values.filmingAttempted ? values.filmingAction : '',
    response,
    // A row left empty is not a person informed.
    informed: values.informed.filter((i) => i.who.trim()),
    spokesperson: values.spokesperson,
    ...(values.incidentId ? { incidentId: values.incidentId } : {}),
  }
  const parsed = MediaContactDataSchema.safeParse(input)
  if (parsed.success) return { ok: true, data: parsed.data }
  const errors: MediaFormErrors = {}
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as MediaFormField
    if (errors[field]) continue
    if (field === 'response' || issue.message === 'filming_action_required') errors[field] = 'required'
    else if (issue.code === 'too_big') errors[field] = 'tooLong'
    else if (issue.code === 'too_small') errors[field] = 'required'
    else errors[field] = 'invalid'
  }
  return { ok: false, errors }
}

function toContact(record: LocalRecord): MediaContactView {
  return { ...(record.data as MediaContactData), id: record.id, createdAt: record.createdAt, author: record.author }
}

function toWordingRecord(record: LocalRecord): MediaWordingRecord | undefined {
  const parsed = MediaWordingDataSchema.safeParse(record.data)
  return parsed.success ? { id: record.id, createdAt: record.createdAt, author: record.author, data: parsed.data } : undefined
}

/**
 * Media inquiries (plans H10, C9): the log of contacts with the press, the form's draft, and the
 * site's agreed wordings. The form is a draft on disk from before the first keystroke, written on
 * every change one write after the other, and becomes the record (same id) in one transaction.
 */
export const useMediaStore = defineStore('media', () => {
  const sync = useSyncStore()
  const operator = useOperatorStore()
  const unsaved = useUnsavedWorkStore()
  const draftWrites = draftQueue(db, unsaved.track)

  const { value: wordingRows } = useLiveQuery<LocalRecord[]>(
    async () => {
      const enrollment = await getEnrollment(db)
      return enrollment ? listMediaWordings(db, enrollment.siteId) : []
    },
    { initial: [] },
  )
  /** A version the server refused (e.g. not a supervisor) is not what other tablets show: left out. */
  const wordings = computed<MediaWording[]>(() =>
    currentWordings(wordingRows.value.filter((r) => r.syncState !== 'rejected').flatMap((r) => toWordingRecord(r) ?? [])),
  )
  const active = computed(() => wordings.value.filter((w) => w.active))
  const rejectedWordings = computed(() => wordingRows.value.filter((r) => r.syncState === 'rejected'))

  function watchContacts(limit: Ref<number>) {
    const { value, ready } = useLiveQuery(
      async () => ({ records: await listMediaContacts(db, limit.value), total: await countMediaContacts(db) }),
      { initial: { records: [] as LocalRecord[], total: 0 }, deps: limit },
    )
    const contacts = computed(() =>
      value.value.records.map((record) => ({ record, contact: toContact(record) })).sort((a, b) => byContactTimeDesc(a.contact, b.contact)),
    )
    return { contacts, total: computed(() => value.value.total), ready }
  }

  /**
   * The form to fill in: the newest unsaved draft (a reload, a crash or a tap elsewhere loses
   * nothing), else a new one, on disk before the first keystroke. A blank draft takes the incident
   * it is opened from.
   */
  async function openDraft(incidentId = ''): Promise<{ id: string; values: MediaFormValues; createdAt: string }> {
    await draftWrites.settled()
    const [newest] = await listDrafts(db, 'mediaContact')
    if (newest) {
      const values = { ...emptyMediaForm(new Date(newest.createdAt)), ...(newest.values as Partial<MediaFormValues>) }
      if (incidentId && !values.incidentId && isBlankMediaForm(values)) values.incidentId = incidentId
      return { id: newest.id, values, createdAt: newest.createdAt }
    }
    const now = new Date()
    const draft: Draft = { id: newId(), kind: 'mediaContact', values: { ...emptyMediaForm(now, incidentId) }, createdAt: now.toISOString(), updatedAt: now.toISOString() }
    await draftWrites.save(draft)
    return { id: draft.id, values: draft.values as unknown as MediaFormValues, createdAt: draft.createdAt }
  }

  /** Queues the draft write; resolves when this version is durable. */
  function updateDraft(id: string, values: MediaFormValues, createdAt: string): Promise<unknown> {
    const raw = toRaw(values)
    const draft: Draft = {
      id,
      kind: 'mediaContact',
      values: { ...raw, informed: raw.informed.map((i) => ({ ...toRaw(i) })) },
      createdAt,
      updatedAt: new Date().toISOString(),
    }
    return draftWrites.save(draft)
  }

  async function discardDraft(id: string): Promise<void> {
    await draftWrites.discard(id)
  }

  /** The draft becomes the record (validated); field errors instead when the values are not acceptable. */
  async function saveContact(id: string, values: MediaFormValues) {
    const valid = validateMediaForm(values)
    if (!valid.ok) return { ok: false as const, errors: valid.errors }
    const who = await operator.whoIfEnrolled()
    if (!who) return { ok: false as const, notEnrolled: true as const, errors: {} }
    await draftWrites.settled()
    const record = await unsaved.track(createMediaContact(db, who, id, valid.data, new Date()), id)
    sync.notifyWrite()
    return { ok: true as const, record }
  }

  /** Whether a draft is still on disk (it is gone once saved). */
  async function hasDraft(id: string): Promise<boolean> {
    await draftWrites.settled()
    return !!(await getDraft(db, id))
  }

  /**
   * A wording's next version (an edit, or retiring / restoring it), or a new wording when
   * `current` is undefined. Returns the data stored.
   */
  async function saveWording(current: Pick<MediaWordingData, 'id' | 'version'> | undefined, change: { text: LocalizedText; active: boolean }): Promise<MediaWordingData> {
    const data = current ? nextWordingVersion(current, change) : MediaWordingDataSchema.parse({ id: newId(), version: 1, ...change })
    await createMediaWording(db, await operator.who(), newId(), data, new Date())
    sync.notifyWrite()
    return data
  }

  return { wordings, active, rejectedWordings, watchContacts, openDraft, updateDraft, discardDraft, saveContact, hasDraft, saveWording }
})
