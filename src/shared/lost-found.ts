import { z } from 'zod'
import { AttachmentRefSchema } from './attachment-ref'
import { SHA256_HEX_RE } from './attachments'
import { UUID_RE } from './ids'

/**
 * The lost-and-found register of a service hall (plan H9, 失物登记). Three kinds of entry:
 *
 * - `found`: the hall found something it could not hand back at once. Two staff count it together
 *   in view of a CCTV camera, each signing on the screen; it is photographed and kept somewhere
 *   named. Later the owner is identified (from the footage, from the contents), contacted, and the
 *   item is returned against an identity check (document type and ONLY the last four characters
 *   of its number) and the claimant's signature.
 * - `reported`: a customer reports a loss; staff search, and advise a police report.
 * - `vehicle`: a customer's vehicle is lost or damaged at the door. Whether the hall had assigned
 *   a guard decides how a claim is handled (negotiate, or decline and suggest the police).
 *
 * A `lostItem` is written once and never edited. Everything after is a `lostItemEvent` naming it
 * (`itemId`), so tablets working offline merge by union, and the entry's state is derived from
 * its events in recorded order (then id), the same on every tablet. An event that does not apply
 * to the state it meets (two tablets returning the same item offline) is kept in the history,
 * marked as not applied, and changes nothing. After a return (or a close) the only change allowed
 * is an `amendment`, which names the field, the value before and after, and why: the original
 * record stays as it was, and the history shows both.
 *
 * The server checks each record against these schemas; the state rules (`canAppend`) are applied
 * on the tablets, which refuse a step before it is written and ignore one that arrives too late.
 */

const isoDateTime = z.iso.datetime({ offset: true })
const uuid = z.string().regex(UUID_RE)
const text = (max: number) => z.string().trim().min(1).max(max)
const optionalText = (max: number) => z.string().trim().max(max).default('')

export const LOST_ITEM_MODES = ['found', 'reported', 'vehicle'] as const
export type LostItemMode = (typeof LOST_ITEM_MODES)[number]

/** How many photos one entry may carry (each capped by MAX_ATTACHMENT_BYTES). */
export const LOST_ITEM_MAX_PHOTOS = 6

/** A member of staff as the register names them: by name, and by roster id when chosen from it. */
export const StaffRefSchema = z.object({
  name: text(50),
  personId: uuid.optional(),
})
export type StaffRef = z.infer<typeof StaffRefSchema>

/** One of the two staff who counted a found item together, with their signature on the screen. */
export const WitnessSchema = StaffRefSchema.extend({
  signature: AttachmentRefSchema,
  /** When they counted it (and signed). */
  countedAt: isoDateTime,
})
export type Witness = z.infer<typeof WitnessSchema>

/** Where the counting can be seen on the recordings: which camera, at what time. */
export const CctvRefSchema = z.object({
  camera: text(100),
  time: isoDateTime,
})
export type CctvRef = z.infer<typeof CctvRefSchema>

/** Two witnesses are two people: different names (and roster ids), different signature images. */
function sameName(a: string, b: string): boolean {
  return a.normalize('NFKC').replace(/\s+/g, '').toLowerCase() === b.normalize('NFKC').replace(/\s+/g, '').toLowerCase()
}

const FoundItemSchema = z.object({
  mode: z.literal('found'),
  /** What it is, and what it holds as counted ("black wallet: ID card, 2 bank cards, 350 yuan"). */
  description: text(2000),
  whereFound: text(200),
  foundAt: isoDateTime,
  /** Who found it: a member of staff, or a customer who handed it in. */
  foundBy: text(100),
  photos: z.array(AttachmentRefSchema).max(LOST_ITEM_MAX_PHOTOS).default([]),
  /** Exactly two staff who counted it together (plan H9), each with their signature. */
  witnesses: z.array(WitnessSchema).length(2, 'two_witnesses'),
  cctv: CctvRefSchema,
  /** Where it is kept until claimed (the hall's safe, the duty desk's locked drawer…). */
  keptAt: text(200),
  incidentId: uuid.optional(),
})

const ReportedItemSchema = z.object({
  mode: z.literal('reported'),
  /** What the customer lost. */
  description: text(2000),
  /** When they think they lost it. */
  lostAt: isoDateTime,
  whereLost: text(200),
  contactName: text(50),
  contactPhone: text(40),
  /** Plan H9: suggest a police report. */
  advisedPolice: z.boolean(),
  note: optionalText(2000),
  incidentId: uuid.optional(),
})

export const VEHICLE_HAPPENINGS = ['lost', 'damaged'] as const
export type VehicleHappening = (typeof VEHICLE_HAPPENINGS)[number]

const VehicleItemSchema = z.object({
  mode: z.literal('vehicle'),
  /** The vehicle: kind, colour, make, plate ("black electric scooter, Yadea, plate 沪A12345"). */
  description: text(500),
  happened: z.enum(VEHICLE_HAPPENINGS),
  /** When it happened, as far as known. */
  at: isoDateTime,
  /** What happened, in the customer's and the staff's words. */
  details: text(2000),
  /** Whether the hall had assigned someone to guard vehicles: decides how a claim is handled (see `vehicleClaimHandling`). */
  guardAssigned: z.boolean(),
  /** What was agreed with the customer. */
  agreed: optionalText(2000),
  contactName: optionalText(50),
  contactPhone: optionalText(40),
  incidentId: uuid.optional(),
})

export const LostItemDataSchema = z
  .discriminatedUnion('mode', [FoundItemSchema, ReportedItemSchema, VehicleItemSchema])
  .superRefine((item, ctx) => {
    if (item.mode !== 'found' || item.witnesses.length !== 2) return
    const [a, b] = item.witnesses as [Witness, Witness]
    if (sameName(a.name, b.name) || (a.personId !== undefined && a.personId === b.personId)) {
      ctx.addIssue({ code: 'custom', path: ['witnesses', 1, 'name'], message: 'witnesses_distinct' })
    }
    if (a.signature.sha256 === b.signature.sha256) {
      ctx.addIssue({ code: 'custom', path: ['witnesses', 1, 'signature'], message: 'witnesses_distinct' })
    }
  })
export type LostItemData = z.infer<typeof LostItemDataSchema>
export type FoundItemData = Extract<LostItemData, { mode: 'found' }>
export type ReportedItemData = Extract<LostItemData, { mode: 'reported' }>
export type VehicleItemData = Extract<LostItemData, { mode: 'vehicle' }>

/** The kind of entry each situation (variant) of plan H9 calls for, when the form is opened from an incident. */
export const H9_VARIANT_MODES: Readonly<Record<string, LostItemMode>> = { 'customer-reports': 'reported', 'hall-finds': 'found', vehicle: 'vehicle' }

/** Plan H9 for a vehicle: negotiate a claim only if the hall assigned a guard; else decline and suggest the police. */
export function vehicleClaimHandling(guardAssigned: boolean): 'negotiate' | 'declineSuggestPolice' {
  return guardAssigned ? 'negotiate' : 'declineSuggestPolice'
}

// ---------------------------------------------------------------------------------------------
// Events

export const LOST_ITEM_EVENT_TYPES = ['ownerIdentified', 'ownerContacted', 'searched', 'returned', 'amendment', 'closed'] as const
export type LostItemEventType = (typeof LOST_ITEM_EVENT_TYPES)[number]

export const OWNER_IDENTIFIED_HOW = ['cctv', 'contents', 'other'] as const
export const OWNER_CONTACTED_HOW = ['phone', 'sms', 'inPerson', 'other'] as const
export const SEARCH_RESULTS = ['found', 'notFound'] as const
/** Identity documents accepted at the counter. */
export const ID_DOC_TYPES = ['residentId', 'passport', 'hkMacaoPermit', 'other'] as const
export type IdDocType = (typeof ID_DOC_TYPES)[number]
export const CLOSE_REASONS = ['handedToPolice', 'retentionExpired', 'resolved', 'other'] as const
export type CloseReason = (typeof CLOSE_REASONS)[number]

/**
 * The only part of an identity number the register keeps: its last four characters (digits, or
 * the X of a resident ID). Anything longer is refused, never cut: a full number typed by mistake
 * must not be stored, and cutting it would store the wrong four.
 */
export const IdLast4Schema = z
  .string()
  .trim()
  .toUpperCase()
  .length(4, 'id_last4_only')
  .regex(/^[0-9A-Z]{4}$/, 'id_last4_only')

export function isIdLast4(value: unknown): boolean {
  return IdLast4Schema.safeParse(value).success
}

/**
 * The fields an amendment may correct, by entry mode, plus `other` (anything else, e.g. the
 * claimant's name on the return: before and after are then free text).
 */
export const AMENDABLE_FIELDS = {
  found: ['description', 'whereFound', 'foundAt', 'foundBy', 'keptAt', 'cctvCamera', 'cctvTime', 'other'],
  reported: ['description', 'lostAt', 'whereLost', 'contactName', 'contactPhone', 'note', 'other'],
  vehicle: ['description', 'at', 'details', 'agreed', 'contactName', 'contactPhone', 'other'],
} as const satisfies Record<LostItemMode, readonly string[]>
export const AMENDMENT_FIELDS = [
  ...new Set([...AMENDABLE_FIELDS.found, ...AMENDABLE_FIELDS.reported, ...AMENDABLE_FIELDS.vehicle]),
] as [AmendableField, ...AmendableField[]]
export type AmendableField = (typeof AMENDABLE_FIELDS)[LostItemMode][number]
/** Fields whose value is a time (ISO), shown and entered as such. */
export const TIME_FIELDS: readonly AmendableField[] = ['foundAt', 'cctvTime', 'lostAt', 'at']

const eventBase = {
  itemId: uuid,
  /** When it happened, on the device (what people read). */
  at: isoDateTime,
}

export const LostItemEventDataSchema = z
  .discriminatedUnion('type', [
    z.object({ ...eventBase, type: z.literal('ownerIdentified'), how: z.enum(OWNER_IDENTIFIED_HOW), note: optionalText(1000) }),
    z.object({ ...eventBase, type: z.literal('ownerContacted'), how: z.enum(OWNER_CONTACTED_HOW), note: optionalText(1000) }),
    z.object({ ...eventBase, type: z.literal('searched'), where: text(200), by: text(100), result: z.enum(SEARCH_RESULTS), note: optionalText(1000) }),
    z.object({
      ...eventBase,
      type: z.literal('returned'),
      claimantName: text(50),
      idType: z.enum(ID_DOC_TYPES),
      idLast4: IdLast4Schema,
      claimantSignature: AttachmentRefSchema,
      returnedBy: StaffRefSchema,
      note: optionalText(1000),
    }),
    z.object({
      ...eventBase,
      type: z.literal('amendment'),
      field: z.enum(AMENDMENT_FIELDS),
      before: z.string().trim().max(2000),
      after: text(2000),
      reason: text(500),
    }),
    z.object({ ...eventBase, type: z.literal('closed'), reason: z.enum(CLOSE_REASONS), note: optionalText(1000) }),
  ])
  .superRefine((e, ctx) => {
    if (e.type === 'amendment' && e.before === e.after) ctx.addIssue({ code: 'custom', path: ['after'], message: 'amendment_unchanged' })
    if (e.type === 'closed' && e.reason === 'other' && !e.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'note_required' })
  })
export type LostItemEventData = z.infer<typeof LostItemEventDataSchema>
export type LostItemEventInput = z.input<typeof LostItemEventDataSchema>
export type ReturnedEventData = Extract<LostItemEventData, { type: 'returned' }>
export type AmendmentEventData = Extract<LostItemEventData, { type: 'amendment' }>

// ---------------------------------------------------------------------------------------------
// State

/** An entry as the derivation sees it: its data plus its envelope's id, time and author. */
export type LostItem = LostItemData & { id: string; createdAt: string; author: string }
/** An event as the derivation sees it: its data plus its envelope's order and author. */
export type LostItemEvent = LostItemEventData & { id: string; createdAt: string; author: string }

export const LOST_ITEM_STATUSES = ['open', 'ownerIdentified', 'ownerContacted', 'returned', 'closed'] as const
export type LostItemStatus = (typeof LOST_ITEM_STATUSES)[number]

/** Why a step is refused in the state it meets. */
export type RefusalReason =
  /** The entry was returned or closed: only amendments from now on. */
  | 'finished'
  /** The step does not belong to this kind of entry (a search of a found item, a return of a vehicle). */
  | 'notForMode'
  /** A found item is returned only after both witnesses signed the entry. */
  | 'witnessSignatures'
  /** The claimant's identity was not checked: document type and the last four characters. */
  | 'identityCheck'
  | 'claimantSignature'
  /** A reported loss is handed back only once a search found it. */
  | 'notFoundYet'
  /** An amendment names a field this kind of entry does not have. */
  | 'fieldNotForMode'

export type AppendCheck = { ok: true } | { ok: false; reasons: RefusalReason[] }

/** One line of the history: the entry's registration, then each event, who and when. */
export type HistoryEntry =
  | { kind: 'registered'; id: string; createdAt: string; author: string; applied: true }
  | { kind: 'event'; id: string; createdAt: string; author: string; applied: boolean; refused?: RefusalReason[]; event: LostItemEvent }

/** A field as amended: the original (as registered), the value now, and each amendment in order. */
export interface AmendedField {
  field: AmendableField
  original: string
  current: string
  amendments: LostItemEvent[]
}

export interface LostItemState {
  status: LostItemStatus
  /** Whole days from the find (or the loss, or the incident at the door) to the return or close, else to now. */
  ageDays: number
  /** Every line, oldest first, each with who and when; refused events are kept, marked. */
  history: HistoryEntry[]
  /** The entry's correctable fields as they read now (amendments applied); the record itself is never changed. */
  current: Partial<Record<AmendableField, string>>
  /** The fields amended, with their original and every amendment. */
  amended: AmendedField[]
  identified?: LostItemEvent
  contacted?: LostItemEvent
  searches: LostItemEvent[]
  returned?: LostItemEvent & ReturnedEventData
  closed?: LostItemEvent
  /** The item's mode-specific facts the rules need. */
  mode: LostItemMode
  witnessesSigned: boolean
  foundBySearch: boolean
}

const DAY_MS = 86_400_000

/** The deterministic order of events on every tablet: recorded time, then id. */
export function byRecordedOrder<T extends { createdAt: string; id: string }>(a: T, b: T): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** Both witnesses of a found item are on the entry, each with a valid signature image of their own. */
export function witnessesSigned(item: Pick<LostItemData, 'mode'> & { witnesses?: readonly Partial<Witness>[] }): boolean {
  if (item.mode !== 'found') return false
  const witnesses = item.witnesses ?? []
  if (witnesses.length !== 2) return false
  const hashes = witnesses.map((w) => w.signature?.sha256)
  if (!hashes.every((h) => typeof h === 'string' && SHA256_HEX_RE.test(h))) return false
  if (hashes[0] === hashes[1]) return false
  return witnesses.every((w) => typeof w.name === 'string' && w.name.trim().length > 0)
}

/** When the entry's clock starts: the find, the loss, or what happened at the door. */
export function lostItemStart(item: LostItemData): string {
  return item.mode === 'found' ? item.foundAt : item.mode === 'reported' ? item.lostAt : item.at
}

function originalValues(item: LostItemData): Partial<Record<AmendableField, string>> {
  switch (item.mode) {
    case 'found':
      return {
        description: item.description,
        whereFound: item.whereFound,
        foundAt: item.foundAt,
        foundBy: item.foundBy,
        keptAt: item.keptAt,
        cctvCamera: item.cctv.camera,
        cctvTime: item.cctv.time,
      }
    case 'reported':
      return {
        description: item.description,
        lostAt: item.lostAt,
        whereLost: item.whereLost,
        contactName: item.contactName,
        contactPhone: item.contactPhone,
        note: item.note,
      }
    case 'vehicle':
      return {
        description: item.description,
        at: item.at,
        details: item.details,
        agreed: item.agreed,
        contactName: item.contactName,
        contactPhone: item.contactPhone,
      }
  }
}

/** What a step needs to say about itself for `canAppend`: its type, and for a return its checks. */
export type AppendCandidate =
  | LostItemEventType
  | ({ type: LostItemEventType } & Partial<{
      idType: unknown
      idLast4: unknown
      claimantSignature: unknown
      field: unknown
    }>)

const STEPS_BY_MODE: Record<LostItemMode, readonly LostItemEventType[]> = {
  found: ['ownerIdentified', 'ownerContacted', 'returned', 'amendment', 'closed'],
  reported: ['searched', 'ownerContacted', 'returned', 'amendment', 'closed'],
  vehicle: ['ownerContacted', 'amendment', 'closed'],
}

/** The steps this kind of entry has at all (what the screen may ever offer). */
export function stepsForMode(mode: LostItemMode): readonly LostItemEventType[] {
  return STEPS_BY_MODE[mode]
}

/**
 * Whether a step may be added to an entry in the state it is in. A return needs both witness
 * signatures on a found item's entry (or a search that found a reported item), the identity check
 * (document type and exactly the last four characters) and the claimant's signature. Once
 * returned or closed, only amendments. Given only a type, the return's own checks are judged as
 * missing; pass the step's values to judge them.
 */
export function canAppend(state: Pick<LostItemState, 'status' | 'mode' | 'witnessesSigned' | 'foundBySearch'>, candidate: AppendCandidate): AppendCheck {
  const step = typeof candidate === 'string' ? { type: candidate } : candidate
  const reasons: RefusalReason[] = []
  if (!STEPS_BY_MODE[state.mode].includes(step.type)) return { ok: false, reasons: ['notForMode'] }
  if (step.type === 'amendment') {
    const field = (step as { field?: unknown }).field
    if (field !== undefined && !(AMENDABLE_FIELDS[state.mode] as readonly unknown[]).includes(field)) reasons.push('fieldNotForMode')
    return reasons.length ? { ok: false, reasons } : { ok: true }
  }
  if (state.status === 'returned' || state.status === 'closed') return { ok: false, reasons: ['finished'] }
  if (step.type === 'returned') {
    if (state.mode === 'found' && !state.witnessesSigned) reasons.push('witnessSignatures')
    if (state.mode === 'reported' && !state.foundBySearch) reasons.push('notFoundYet')
    const s = step as { idType?: unknown; idLast4?: unknown; claimantSignature?: unknown }
    if (!(ID_DOC_TYPES as readonly unknown[]).includes(s.idType) || !isIdLast4(s.idLast4)) reasons.push('identityCheck')
    if (!AttachmentRefSchema.safeParse(s.claimantSignature).success) reasons.push('claimantSignature')
  }
  return reasons.length ? { ok: false, reasons } : { ok: true }
}

/**
 * The entry as it stands from its events, at `now` (ms; passed in, so the age is testable and the
 * same for everyone reading at the same moment).
 */
export function lostItemState(item: LostItem, events: readonly LostItemEvent[], now: number): LostItemState {
  const original = originalValues(item)
  const state: LostItemState = {
    status: 'open',
    ageDays: 0,
    history: [{ kind: 'registered', id: item.id, createdAt: item.createdAt, author: item.author, applied: true }],
    current: { ...original },
    amended: [],
    searches: [],
    mode: item.mode,
    witnessesSigned: witnessesSigned(item),
    foundBySearch: false,
  }
  const amended = new Map<AmendableField, AmendedField>()
  let endedAt: string | undefined

  for (const e of [...events].filter((e) => e.itemId === item.id).sort(byRecordedOrder)) {
    const check = canAppend(state, e)
    if (!check.ok) {
      state.history.push({ kind: 'event', id: e.id, createdAt: e.createdAt, author: e.author, applied: false, refused: check.reasons, event: e })
      continue
    }
    state.history.push({ kind: 'event', id: e.id, createdAt: e.createdAt, author: e.author, applied: true, event: e })
    switch (e.type) {
      case 'ownerIdentified':
        state.identified ??= e
        if (state.status === 'open') state.status = 'ownerIdentified'
        break
      case 'ownerContacted':
        state.contacted = e
        state.status = 'ownerContacted'
        break
      case 'searched':
        state.searches.push(e)
        if (e.result === 'found') state.foundBySearch = true
        break
      case 'returned':
        state.returned = e
        state.status = 'returned'
        endedAt = e.at
        break
      case 'closed':
        state.closed = e
        state.status = 'closed'
        endedAt = e.at
        break
      case 'amendment': {
        let held = amended.get(e.field)
        if (!held) {
          held = { field: e.field, original: original[e.field] ?? e.before, current: e.after, amendments: [] }
          amended.set(e.field, held)
        }
        held.amendments.push(e)
        held.current = e.after
        state.current[e.field] = e.after
        break
      }
    }
  }
  state.amended = [...amended.values()]
  const start = Date.parse(state.current[TIME_START_FIELD[item.mode]] ?? lostItemStart(item))
  const end = endedAt ? Date.parse(endedAt) : now
  state.ageDays = Number.isNaN(start) ? 0 : Math.max(0, Math.floor((end - start) / DAY_MS))
  return state
}

const TIME_START_FIELD: Record<LostItemMode, AmendableField> = { found: 'foundAt', reported: 'lostAt', vehicle: 'at' }

/**
 * The register's order: entries still open first (oldest first: the longest unclaimed is the one
 * to act on), then returned and closed ones, newest first.
 */
export function registerOrder<T extends { id: string; start: string; finished: boolean }>(a: T, b: T): number {
  if (a.finished !== b.finished) return a.finished ? 1 : -1
  const order = a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
  return a.finished ? -order : order
}
