import { z } from 'zod'
import { UUID_RE } from './ids'
import { LocalizedTextSchema, type LocalizedText } from './playbook'

/**
 * Media inquiries (plans H10 and C9). Every contact with the press is one `mediaContact` record,
 * written once and never edited: what matters later is what was said and who knew, at the time.
 * The answers staff may give are the site's agreed wordings (`mediaWording`), which a supervisor
 * maintains; the contact keeps the exact text that was given, so a later edit of a wording never
 * rewrites history.
 */

const isoDateTime = z.iso.datetime({ offset: true })

/** How the reporter reached us: at the door of the hall, by phone, or some other way. */
export const MEDIA_CHANNELS = ['door', 'phone', 'other'] as const
export type MediaChannel = (typeof MEDIA_CHANNELS)[number]

/**
 * A wording's id: a UUID for the site's own, a kebab id for the ones shipped in code
 * (`DEFAULT_MEDIA_WORDINGS`), which a supervisor may edit or retire like any other.
 */
export const WordingIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/i, 'not a wording id')

export const MEDIA_RESPONSE_TYPES = ['wording', 'spokesperson'] as const
export type MediaResponseType = (typeof MEDIA_RESPONSE_TYPES)[number]

/**
 * The answer given: one of the agreed wordings (its id, the version shown and the very text said),
 * or "referred to the spokesperson" (plan C9: one appointed spokesperson, nobody else speaks).
 */
export const MediaResponseSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('wording'),
    wordingId: WordingIdSchema,
    wordingVersion: z.number().int().positive(),
    text: z.string().trim().min(1).max(2000),
  }),
  z.object({ type: z.literal('spokesperson') }),
])
export type MediaResponse = z.infer<typeof MediaResponseSchema>

/** Someone told about the contact (plan C9: the center's leaders at once), and when. */
export const InformedSchema = z.object({
  who: z.string().trim().min(1).max(100),
  at: isoDateTime,
})
export type Informed = z.infer<typeof InformedSchema>

export const MediaContactDataSchema = z
  .object({
    /** The newspaper, station or site the reporter said they work for. */
    outlet: z.string().trim().min(1).max(200),
    reporterName: z.string().trim().max(100).default(''),
    /** When they came or called (what people read; may be set back a little). */
    at: isoDateTime,
    channel: z.enum(MEDIA_CHANNELS),
    /** What they asked about. */
    asked: z.string().trim().min(1).max(4000),
    filmingAttempted: z.boolean(),
    /** When filming was attempted: what staff did (declined politely, asked them to stop…). */
    filmingAction: z.string().trim().max(1000).default(''),
    response: MediaResponseSchema,
    informed: z.array(InformedSchema).max(20).default([]),
    /** The spokesperson appointed by the leaders, if any. */
    spokesperson: z.string().trim().max(100).default(''),
    /** The incident (H10, C9) this was recorded from, when it was opened from one. */
    incidentId: z.string().regex(UUID_RE).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.filmingAttempted && !c.filmingAction) {
      ctx.addIssue({ code: 'custom', path: ['filmingAction'], message: 'filming_action_required' })
    }
  })
export type MediaContactData = z.infer<typeof MediaContactDataSchema>
export type MediaContactInput = z.input<typeof MediaContactDataSchema>

/**
 * An agreed wording of a site, versioned like contacts: an edit is a new record with the same `id`
 * and the next `version`; retiring one is a new version with `active: false` (kept, because past
 * contacts name it).
 */
export const MediaWordingDataSchema = z.object({
  id: WordingIdSchema,
  version: z.number().int().positive(),
  text: LocalizedTextSchema,
  active: z.boolean(),
})
export type MediaWordingData = z.infer<typeof MediaWordingDataSchema>

/** A wording as the screens see it: its current version, and whether it is still the shipped text. */
export interface MediaWording extends MediaWordingData {
  /** True while no record of the site has changed this shipped wording. */
  shipped: boolean
  /** Who made the current version and when (absent for a shipped wording). */
  author?: string
  createdAt?: string
}

/** A `mediaWording` record as `currentWordings` needs it. */
export interface MediaWordingRecord {
  id: string
  createdAt: string
  author: string
  data: MediaWordingData
}

const wording = (id: string, zh: string, en: string): MediaWordingData => ({ id, version: 1, text: { 'zh-CN': zh, en }, active: true })

/**
 * What staff may say when a site has not written its own: the plans' examples, in the polite,
 * non-committal register the plans ask for. A site's supervisor edits or retires them like their own.
 */
export const DEFAULT_MEDIA_WORDINGS: readonly MediaWordingData[] = [
  wording(
    'default-under-investigation',
    '此事正在调查中，如有进一步信息我们会通过官方渠道发布。',
    'The matter is under investigation; further information will be published through official channels.',
  ),
  wording(
    'default-spokesperson',
    '请联系我司新闻发言人，由发言人统一回复。',
    "Please contact our company's spokesperson, who answers all media questions.",
  ),
  wording(
    'default-no-interview',
    '抱歉，我们未获授权接受采访，感谢您的理解。',
    'Sorry, we are not authorised to give interviews. Thank you for understanding.',
  ),
  wording(
    'default-no-filming',
    '为保护客户隐私，营业场所内请勿拍摄，谢谢配合。',
    "To protect our customers' privacy, please do not film inside the service area. Thank you.",
  ),
  wording(
    'default-service-normal',
    '目前各项业务正常办理，感谢您的关注。',
    'All services are running normally. Thank you for your interest.',
  ),
]

/** The newer of two versions of a wording: higher version, then later record, then larger record id. */
function newer(a: MediaWordingRecord, b: MediaWordingRecord): MediaWordingRecord {
  if (a.data.version !== b.data.version) return a.data.version > b.data.version ? a : b
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt ? a : b
  return a.id > b.id ? a : b
}

/**
 * The site's wordings as they are now: for each id the newest version wins, over the shipped
 * defaults. Two supervisors who edit the same wording offline both make "version n+1"; the server
 * keeps both (site records have no version check), and every tablet picks the same one (the later
 * record, then the larger id), so the screens agree. Inactive ones are included (the editor shows
 * them); `activeWordings` is what a person can choose from. Shipped ones come first in their order,
 * then the site's own in the order they were first written.
 */
export function currentWordings(records: readonly MediaWordingRecord[]): MediaWording[] {
  const best = new Map<string, MediaWordingRecord>()
  const firstSeen = new Map<string, string>()
  for (const r of records) {
    const held = best.get(r.data.id)
    best.set(r.data.id, held ? newer(held, r) : r)
    const first = firstSeen.get(r.data.id)
    if (first === undefined || r.createdAt < first) firstSeen.set(r.data.id, r.createdAt)
  }
  const fromRecord = (r: MediaWordingRecord): MediaWording => ({ ...r.data, shipped: false, author: r.author, createdAt: r.createdAt })
  const shipped = DEFAULT_MEDIA_WORDINGS.map((d): MediaWording => {
    const r = best.get(d.id)
    return r && r.data.version > d.version ? fromRecord(r) : { ...d, shipped: true }
  })
  const shippedIds = new Set(DEFAULT_MEDIA_WORDINGS.map((d) => d.id))
  const own = [...best.values()]
    .filter((r) => !shippedIds.has(r.data.id))
    .sort((a, b) => {
      const fa = firstSeen.get(a.data.id) ?? ''
      const fb = firstSeen.get(b.data.id) ?? ''
      return fa < fb ? -1 : fa > fb ? 1 : a.data.id < b.data.id ? -1 : a.data.id > b.data.id ? 1 : 0
    })
    .map(fromRecord)
  return [...shipped, ...own]
}

export function activeWordings(records: readonly MediaWordingRecord[]): MediaWording[] {
  return currentWordings(records).filter((w) => w.active)
}

/** The data of the next version of a wording (an edit, or retiring / restoring it). */
export function nextWordingVersion(current: Pick<MediaWordingData, 'id' | 'version'>, change: { text: LocalizedText; active: boolean }): MediaWordingData {
  return MediaWordingDataSchema.parse({ id: current.id, version: current.version + 1, text: change.text, active: change.active })
}

/** A contact as the log shows it: its data and its envelope's author and order. */
export interface MediaContactView extends MediaContactData {
  id: string
  createdAt: string
  author: string
}

/** The log's order: newest contact first (by the time it happened, then by record). */
export function byContactTimeDesc(a: Pick<MediaContactView, 'at' | 'id'>, b: Pick<MediaContactView, 'at' | 'id'>): number {
  return a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0
}
