import { defineStore } from 'pinia'
import { computed, toRaw, type Ref } from 'vue'
import { useNow } from '@vueuse/core'
import { db } from '../db/db'
import type { Draft, LocalRecord } from '../db/AppDB'
import { deleteDraft, getDraft, listDrafts, saveDraft } from '../db/drafts-repository'
import { getRecord } from '../db/records-repository'
import { appendLostItemEvent, countLostItems, createLostItem, listLostItemEvents, listLostItems, lostItemEventsOf } from '../db/lost-found-repository'
import { useLiveQuery } from '../composables/useLiveQuery'
import { useOperatorStore } from './operator'
import { useSyncStore } from './sync'
import { useAttachmentsStore } from './attachments'
import { useUnsavedWorkStore } from './unsavedWork'
import { newId } from '../../shared/ids'
import type { AttachmentRef } from '../../shared/attachments'
import {
  LostItemDataSchema,
  LostItemEventDataSchema,
  canAppend,
  lostItemStart,
  lostItemState,
  registerOrder,
  type AmendableField,
  type CloseReason,
  type IdDocType,
  type LostItem,
  type LostItemData,
  type LostItemEvent,
  type LostItemEventData,
  type LostItemEventType,
  type LostItemMode,
  type LostItemState,
  type RefusalReason,
  type VehicleHappening,
} from '../../shared/lost-found'

// ---------------------------------------------------------------------------------------------
// The registration form

export interface WitnessFormValues {
  name: string
  /** Set when the name was chosen from the roster; '' for someone typed in. */
  personId: string
  signature: AttachmentRef | null
  countedAt: string
}

/**
 * The registration form's values as typed, for all three modes at once: switching mode never
 * loses what was typed for another. Kept in the draft on every change.
 */
export interface LostItemFormValues {
  mode: LostItemMode
  description: string
  // found
  whereFound: string
  foundAt: string
  foundBy: string
  photos: AttachmentRef[]
  witnesses: [WitnessFormValues, WitnessFormValues]
  cctvCamera: string
  cctvTime: string
  keptAt: string
  // reported
  lostAt: string
  whereLost: string
  contactName: string
  contactPhone: string
  advisedPolice: boolean
  note: string
  // vehicle
  happened: VehicleHappening
  at: string
  details: string
  /** null until someone answers: it decides how a claim is handled, so it is never assumed. */
  guardAssigned: boolean | null
  agreed: string
  /** The H9 incident it was registered from; '' for none. */
  incidentId: string
}

export type LostItemFormField =
  | Exclude<keyof LostItemFormValues, 'witnesses'>
  | 'witness0Name'
  | 'witness0Signature'
  | 'witness1Name'
  | 'witness1Signature'
export type FormError = 'required' | 'invalid' | 'tooLong' | 'signature' | 'distinct' | 'choose'
export type LostItemFormErrors = Partial<Record<LostItemFormField, FormError>>

const emptyWitness = (now: Date, name = '', personId = ''): WitnessFormValues => ({ name, personId, signature: null, countedAt: now.toISOString() })

export function emptyLostItemForm(now: Date = new Date(), options: { mode?: LostItemMode; incidentId?: string; me?: { name: string; id: string } } = {}): LostItemFormValues {
  const stamp = now.toISOString()
  return {
    mode: options.mode ?? 'found',
    description: '',
    whereFound: '',
    foundAt: stamp,
    foundBy: options.me?.name ?? '',
    photos: [],
    witnesses: [emptyWitness(now, options.me?.name, options.me?.id), emptyWitness(now)],
    cctvCamera: '',
    cctvTime: stamp,
    keptAt: '',
    lostAt: stamp,
    whereLost: '',
    contactName: '',
    contactPhone: '',
    advisedPolice: false,
    note: '',
    happened: 'lost',
    at: stamp,
    details: '',
    guardAssigned: null,
    agreed: '',
    incidentId: options.incidentId ?? '',
  }
}

function codeOf(issue: { code: string; message: string }): FormError {
  if (issue.code === 'too_big') return 'tooLong'
  if (issue.code === 'too_small') return 'required'
  return 'invalid'
}

/** Checks the typed values against the shared schema and names each field's problem in the form's terms. */
export function validateLostItemForm(v: LostItemFormValues): { ok: true; data: LostItemData } | { ok: false; errors: LostItemFormErrors } {
  const errors: LostItemFormErrors = {}
  const incident = v.incidentId ? { incidentId: v.incidentId } : {}
  let input: Record<string, unknown>
  if (v.mode === 'found') {
    input = {
      mode: 'found',
      description: v.description,
      whereFound: v.whereFound,
      foundAt: v.foundAt,
      foundBy: v.foundBy,
      photos: v.photos,
      witnesses: v.witnesses.map((w) => ({
        name: w.name,
        ...(w.personId ? { personId: w.personId } : {}),
        ...(w.signature ? { signature: w.signature } : {}),
        countedAt: w.countedAt,
      })),
      cctv: { camera: v.cctvCamera, time: v.cctvTime },
      keptAt: v.keptAt,
      ...incident,
    }
  } else if (v.mode === 'reported') {
    input = {
      mode: 'reported',
      description: v.description,
      lostAt: v.lostAt,
      whereLost: v.whereLost,
      contactName: v.contactName,
      contactPhone: v.contactPhone,
      advisedPolice: v.advisedPolice,
      note: v.note,
      ...incident,
    }
  } else {
    if (v.guardAssigned === null) errors.guardAssigned = 'choose'
    input = {
      mode: 'vehicle',
      description: v.description,
      happened: v.happened,
      at: v.at,
      details: v.details,
      guardAssigned: v.guardAssigned ?? false,
      agreed: v.agreed,
      contactName: v.contactName,
      contactPhone: v.contactPhone,
      ...incident,
    }
  }
  const parsed = LostItemDataSchema.safeParse(input)
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, data: parsed.data }
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const [head, index, sub] = issue.path
    let field: LostItemFormField
    if (head === 'witnesses') {
      const i = typeof index === 'number' && index < 2 ? index : 0
      field = sub === 'signature' ? `witness${i as 0 | 1}Signature` : `witness${i as 0 | 1}Name`
      if (issue.message === 'witnesses_distinct') {
        errors[field] ??= 'distinct'
        continue
      }
      if (sub === 'signature') {
        errors[field] ??= 'signature'
        continue
      }
    } else if (head === 'cctv') field = index === 'time' ? 'cctvTime' : 'cctvCamera'
    else field = head as LostItemFormField
    errors[field] ??= codeOf(issue)
  }
  return { ok: false, errors }
}

/** True while nothing has been typed (such a draft is not worth listing as unfinished). */
export function isBlankLostItemForm(v: LostItemFormValues): boolean {
  return (
    !v.description.trim() &&
    !v.whereFound.trim() &&
    !v.whereLost.trim() &&
    !v.details.trim() &&
    !v.keptAt.trim() &&
    !v.contactName.trim() &&
    v.photos.length === 0 &&
    v.witnesses.every((w) => !w.signature)
  )
}

// ---------------------------------------------------------------------------------------------
// The step form (what is done with an entry)

export interface StepFormValues {
  itemId: string
  type: LostItemEventType
  at: string
  note: string
  /** ownerIdentified: 'cctv' | 'contents' | 'other'; ownerContacted: 'phone' | 'sms' | 'inPerson' | 'other'. */
  how: string
  // searched
  where: string
  by: string
  result: '' | 'found' | 'notFound'
  // returned
  claimantName: string
  idType: '' | IdDocType
  idLast4: string
  claimantSignature: AttachmentRef | null
  returnedByName: string
  returnedByPersonId: string
  // amendment
  field: '' | AmendableField
  before: string
  after: string
  reason: string
  // closed
  closeReason: '' | CloseReason
}

export type StepFormField = Exclude<keyof StepFormValues, 'itemId' | 'type'>
export type StepFormErrors = Partial<Record<StepFormField, FormError | 'idLast4' | 'unchanged'>>

export function emptyStepForm(itemId: string, type: LostItemEventType, now: Date = new Date(), me?: { name: string; id: string }): StepFormValues {
  return {
    itemId,
    type,
    at: now.toISOString(),
    note: '',
    how: '',
    where: '',
    by: me?.name ?? '',
    result: '',
    claimantName: '',
    idType: '',
    idLast4: '',
    claimantSignature: null,
    returnedByName: me?.name ?? '',
    returnedByPersonId: me?.id ?? '',
    field: '',
    before: '',
    after: '',
    reason: '',
    closeReason: '',
  }
}

function stepInput(v: StepFormValues): Record<string, unknown> {
  const base = { itemId: v.itemId, type: v.type, at: v.at }
  switch (v.type) {
    case 'ownerIdentified':
    case 'ownerContacted':
      return { ...base, how: v.how || undefined, note: v.note }
    case 'searched':
      return { ...base, where: v.where, by: v.by, result: v.result || undefined, note: v.note }
    case 'returned':
      return {
        ...base,
        claimantName: v.claimantName,
        idType: v.idType || undefined,
        idLast4: v.idLast4,
        ...(v.claimantSignature ? { claimantSignature: v.claimantSignature } : {}),
        returnedBy: { name: v.returnedByName, ...(v.returnedByPersonId ? { personId: v.returnedByPersonId } : {}) },
        note: v.note,
      }
    case 'amendment':
      return { ...base, field: v.field || undefined, before: v.before, after: v.after, reason: v.reason }
    case 'closed':
      return { ...base, reason: v.closeReason || undefined, note: v.note }
  }
}

/**
 * Checks a step against the shared schema and the entry's state: field errors in the form's terms,
 * and the state's refusals (e.g. the witnesses did not sign) said apart.
 */
export function validateStepForm(
  v: StepFormValues,
  state: Pick<LostItemState, 'status' | 'mode' | 'witnessesSigned' | 'foundBySearch'>,
): { ok: true; data: LostItemEventData } | { ok: false; errors: StepFormErrors; refused: RefusalReason[] } {
  const errors: StepFormErrors = {}
  const parsed = LostItemEventDataSchema.safeParse(stepInput(v))
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head, sub] = issue.path
      let field: StepFormField =
        head === 'returnedBy' ? 'returnedByName' : head === 'reason' && v.type === 'closed' ? 'closeReason' : (head as StepFormField)
      if (head === 'returnedBy' && sub === 'personId') field = 'returnedByName'
      if (errors[field]) continue
      if (issue.message === 'id_last4_only') errors[field] = 'idLast4'
      else if (issue.message === 'amendment_unchanged') errors[field] = 'unchanged'
      else if (issue.message === 'note_required') errors[field] = 'required'
      else if (head === 'claimantSignature') errors[field] = 'signature'
      else if (issue.code === 'invalid_value' || issue.code === 'invalid_union' || (issue.code === 'invalid_type' && ['how', 'result', 'idType', 'field', 'reason'].includes(String(head))))
        errors[field] = 'choose'
      else errors[field] = codeOf(issue)
    }
  }
  const check = canAppend(state, parsed.success ? parsed.data : { ...(stepInput(v) as { type: LostItemEventType }) })
  // The return's own checks are reported on their fields above; the state's refusals stand apart.
  const refused = check.ok ? [] : check.reasons.filter((r) => r !== 'identityCheck' && r !== 'claimantSignature')
  if (!check.ok && check.reasons.includes('claimantSignature')) errors.claimantSignature ??= 'signature'
  if (!check.ok && check.reasons.includes('identityCheck')) {
    if (!v.idType) errors.idType ??= 'choose'
    else errors.idLast4 ??= 'idLast4'
  }
  if (parsed.success && check.ok) return { ok: true, data: parsed.data }
  return { ok: false, errors, refused }
}

// ---------------------------------------------------------------------------------------------
// Views

export interface LostItemView {
  id: string
  record: LocalRecord
  item: LostItem
  events: LocalRecord[]
  state: LostItemState
  /** When the entry's clock starts (the find, the loss, the incident at the door), as amended. */
  start: string
  finished: boolean
}

function toItem(record: LocalRecord): LostItem {
  return { ...(record.data as LostItemData), id: record.id, createdAt: record.createdAt, author: record.author }
}

function toEvent(record: LocalRecord): LostItemEvent {
  return { ...(record.data as LostItemEventData), id: record.id, createdAt: record.createdAt, author: record.author }
}

function itemView(record: LocalRecord, events: LocalRecord[], now: number): LostItemView {
  const item = toItem(record)
  const state = lostItemState(item, events.map(toEvent), now)
  const startField: AmendableField = item.mode === 'found' ? 'foundAt' : item.mode === 'reported' ? 'lostAt' : 'at'
  return {
    id: record.id,
    record,
    item,
    events,
    state,
    start: state.current[startField] ?? lostItemStart(item),
    finished: state.status === 'returned' || state.status === 'closed',
  }
}

export const LOST_FOUND_PAGE = 200

/** Draft values as stored, completed with defaults (a draft written by an older version lacks new fields). */
function itemFormOf(draft: Draft): LostItemFormValues {
  const stored = draft.values as Partial<LostItemFormValues>
  const empty = emptyLostItemForm(new Date(draft.createdAt))
  const witnesses = (stored.witnesses ?? empty.witnesses).map((w, i) => ({ ...empty.witnesses[i as 0 | 1], ...w })) as LostItemFormValues['witnesses']
  return { ...empty, ...stored, witnesses: witnesses.length === 2 ? witnesses : empty.witnesses }
}

function stepFormOf(draft: Draft): StepFormValues {
  const stored = draft.values as Partial<StepFormValues> & { itemId: string; type: LostItemEventType }
  return { ...emptyStepForm(stored.itemId, stored.type, new Date(draft.createdAt)), ...stored }
}

/** A plain copy for IndexedDB and the journal (no Vue proxies). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(toRaw(value))) as T
}

/**
 * The lost-and-found register (plan H9): entries, their steps, and the drafts of both. Every form
 * is a draft on disk before the first keystroke and after every change (one write after the
 * other), and becomes its record (same id) in one transaction. Photos and signatures are stored
 * as attachments when taken, so a draft names only images already on the tablet.
 */
export const useLostFoundStore = defineStore('lostFound', () => {
  const sync = useSyncStore()
  const operator = useOperatorStore()
  const attachments = useAttachmentsStore()
  const now = useNow({ interval: 60_000 })
  const unsaved = useUnsavedWorkStore()
  let writes: Promise<unknown> = Promise.resolve()

  /** One write after the other, reported under the draft's id (the record it becomes has the same id). */
  function queue<T>(id: string, task: () => Promise<T>): Promise<T> {
    const run = writes.then(task)
    writes = run.catch(() => undefined)
    return unsaved.track(run, id)
  }

  /** The signed-in person, as a form's default for "found by", the first witness, "returned by". */
  function me(): { name: string; id: string } | undefined {
    const person = operator.person
    return person ? { name: person.name, id: person.id } : undefined
  }

  /** The register, live: open entries first (longest unclaimed on top), then finished ones. */
  function watchRegister(limit: Ref<number>) {
    const { value, ready, error } = useLiveQuery(
      async () => {
        const records = await listLostItems(db, limit.value)
        const events = await lostItemEventsOf(db, records.map((r) => r.id))
        return { rows: records.map((record) => ({ record, events: events.get(record.id) ?? [] })), total: await countLostItems(db) }
      },
      { initial: { rows: [] as { record: LocalRecord; events: LocalRecord[] }[], total: 0 }, deps: limit },
    )
    const items = computed<LostItemView[]>(() => value.value.rows.map((r) => itemView(r.record, r.events, now.value.getTime())).sort(registerOrder))
    return { items, total: computed(() => value.value.total), ready, error }
  }

  /** One entry with its events, live. */
  function watchItem(id: Ref<string>) {
    const { value, ready, error } = useLiveQuery(
      async () => {
        const record = await getRecord(db, id.value)
        if (!record || record.kind !== 'lostItem') return undefined
        return { record, events: await listLostItemEvents(db, record.id) }
      },
      { initial: undefined, deps: id },
    )
    const view = computed(() => (value.value ? itemView(value.value.record, value.value.events, now.value.getTime()) : undefined))
    return { view, ready, error }
  }

  /** Unfinished registrations on this tablet, newest first. */
  const { value: itemDrafts } = useLiveQuery(
    async () =>
      (await listDrafts(db, 'lostItem')).map((d) => ({ id: d.id, updatedAt: d.updatedAt, values: itemFormOf(d) })).filter((d) => !isBlankLostItemForm(d.values)),
    {
      initial: [] as { id: string; updatedAt: string; values: LostItemFormValues }[],
    },
  )

  /**
   * A photo (already downscaled) or a signature, stored on the tablet and queued for the server
   * before any draft or record names it. Throws an AttachmentError or a QuotaExceededError.
   */
  function storeImage(blob: Blob): Promise<AttachmentRef> {
    return attachments.save(blob)
  }

  // --- registration drafts

  /**
   * A new registration: on disk before the first keystroke, under its own address. A draft left
   * blank (opened, nothing typed) is taken up again instead of piling up.
   */
  async function startDraft(options: { mode?: LostItemMode; incidentId?: string } = {}): Promise<string> {
    await writes
    const blank = (await listDrafts(db, 'lostItem')).find((d) => isBlankLostItemForm(itemFormOf(d)))
    if (blank) {
      const values = { ...itemFormOf(blank), ...(options.mode ? { mode: options.mode } : {}), incidentId: options.incidentId ?? '' }
      await updateDraft(blank.id, values, blank.createdAt)
      return blank.id
    }
    const when = new Date()
    const id = newId()
    const values = emptyLostItemForm(when, { ...options, me: me() })
    const draft: Draft = { id, kind: 'lostItem', values: plain(values) as unknown as Record<string, unknown>, createdAt: when.toISOString(), updatedAt: when.toISOString() }
    return queue(id, () => saveDraft(db, draft)).then(() => id)
  }

  async function loadDraft(id: string): Promise<{ values: LostItemFormValues; createdAt: string } | undefined> {
    await writes
    const draft = await getDraft(db, id)
    if (!draft || draft.kind !== 'lostItem') return undefined
    return { values: itemFormOf(draft), createdAt: draft.createdAt }
  }

  /** Queues the draft write; resolves when this version is durable. */
  function updateDraft(id: string, values: LostItemFormValues, createdAt: string): Promise<unknown> {
    const draft: Draft = { id, kind: 'lostItem', values: plain(values) as unknown as Record<string, unknown>, createdAt, updatedAt: new Date().toISOString() }
    return queue(id, () => saveDraft(db, draft))
  }

  function discardDraft(id: string): Promise<void> {
    return queue(id, () => deleteDraft(db, id))
  }

  /** The draft becomes the entry (validated); field errors instead when the values are not acceptable. */
  async function saveItem(id: string, values: LostItemFormValues) {
    const valid = validateLostItemForm(values)
    if (!valid.ok) return { ok: false as const, errors: valid.errors }
    const who = await operator.whoIfEnrolled()
    if (!who) return { ok: false as const, notEnrolled: true as const, errors: {} }
    const record = await queue(id, () => createLostItem(db, who, id, valid.data, new Date()))
    sync.notifyWrite()
    return { ok: true as const, record }
  }

  // --- step drafts (one open step per entry)

  /** The step being written on this entry, if one was started (a reload brings it back as it was). */
  async function findStepDraft(itemId: string): Promise<{ id: string; values: StepFormValues; createdAt: string } | undefined> {
    await writes
    const drafts = await listDrafts(db, 'lostItemEvent')
    const draft = drafts.find((d) => d.values.itemId === itemId)
    return draft ? { id: draft.id, values: stepFormOf(draft), createdAt: draft.createdAt } : undefined
  }

  /** Starts a step: its draft is on disk before the first keystroke; an amendment starts from the field's value. */
  async function startStep(itemId: string, type: LostItemEventType): Promise<{ id: string; values: StepFormValues; createdAt: string }> {
    const open = await findStepDraft(itemId)
    if (open) await queue(open.id, () => deleteDraft(db, open.id))
    const when = new Date()
    const values = emptyStepForm(itemId, type, when, me())
    const id = newId()
    const draft: Draft = { id, kind: 'lostItemEvent', values: plain(values) as unknown as Record<string, unknown>, createdAt: when.toISOString(), updatedAt: when.toISOString() }
    await queue(id, () => saveDraft(db, draft))
    return { id, values, createdAt: draft.createdAt }
  }

  function updateStep(id: string, values: StepFormValues, createdAt: string): Promise<unknown> {
    const draft: Draft = { id, kind: 'lostItemEvent', values: plain(values) as unknown as Record<string, unknown>, createdAt, updatedAt: new Date().toISOString() }
    return queue(id, () => saveDraft(db, draft))
  }

  function discardStep(id: string): Promise<void> {
    return queue(id, () => deleteDraft(db, id))
  }

  /** The step's draft becomes the event (same id), if the schema and the entry's state allow it. */
  async function saveStep(id: string, values: StepFormValues, state: LostItemState) {
    const valid = validateStepForm(values, state)
    if (!valid.ok) return { ok: false as const, errors: valid.errors, refused: valid.refused }
    const who = await operator.whoIfEnrolled()
    if (!who) return { ok: false as const, notEnrolled: true as const, errors: {}, refused: [] }
    const record = await queue(id, () => appendLostItemEvent(db, who, id, valid.data, new Date()))
    sync.notifyWrite()
    return { ok: true as const, record }
  }

  /** Resolves when every write so far is on disk. */
  function flush(): Promise<unknown> {
    return writes
  }

  return {
    now,
    itemDrafts,
    watchRegister,
    watchItem,
    storeImage,
    startDraft,
    loadDraft,
    updateDraft,
    discardDraft,
    saveItem,
    findStepDraft,
    startStep,
    updateStep,
    discardStep,
    saveStep,
    flush,
  }
})
