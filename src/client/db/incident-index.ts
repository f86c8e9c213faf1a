import type { LocalRecord } from './AppDB'
import { sortableInstant, type Derivation } from './derived-fields'
import type { IncidentEvent, IncidentEventData } from '../../shared/incident'
import { deriveIncidentState } from '../../shared/incident-state'

/**
 * The incident archive's index. Every incident record carries `archiveKeys` (local only, never
 * sent), indexed multi-entry as `*archiveKeys`: one key per combination of the archive's filters,
 * each a prefix `<plan>|<state>|<mode>|` (`*` for "any") followed by the start time as UTC ISO, so
 *
 *   `*|open|*|…`            every open incident, whatever its age (the live set of the store);
 *   `H4|closed|drill|2026-…` the closed H4 drills, newest first, a page at a time, counted natively;
 *
 * any combination of plan, state, real/drill and a start-time range is ONE key range of one
 * index: no children read, no filtering in memory, with 10,000 incidents as with 10.
 *
 * The state comes from the incident's `close` and `reopen` events (another tablet's included),
 * which arrive after the incident, before it (a pull page), or in the same batch. Beside the keys,
 * `paperwork` says whether a report and a review exist (the archive's row chips), so that a page
 * of the archive reads its 50 incidents and nothing else. Both are derived fields
 * (`ARCHIVE_DERIVATION` below, derived-fields.ts): rederived on every write of an incident, and
 * for the incident whenever one of its close or reopen events, reports or reviews is written, in
 * the SAME transaction, whichever path writes it: they can never disagree with the records on the
 * tablet.
 */
const ARCHIVE_ANY = '*'

/** The filters an archive key answers; an absent one matches any incident. */
export interface IncidentFacets {
  playbookId?: string
  state?: 'open' | 'closed'
  mode?: 'real' | 'drill'
}

/** The part of the keys that a query fixes; a start-time range follows it. */
export function archivePrefix(facets: IncidentFacets): string {
  return `${facets.playbookId || ARCHIVE_ANY}|${facets.state ?? ARCHIVE_ANY}|${facets.mode ?? ARCHIVE_ANY}|`
}

/** The archive keys of an incident: its 8 combinations of plan, state and mode (each or "any"). */
export function incidentArchiveKeys(record: Pick<LocalRecord, 'createdAt' | 'data'>, closed: boolean): string[] {
  // the start time as UTC ISO, which sorts (its `createdAt` if unreadable)
  const start = sortableInstant(record.data.startedAt, record.createdAt)
  const playbookId = typeof record.data.playbookId === 'string' ? record.data.playbookId : undefined
  const state = closed ? 'closed' : 'open'
  const mode = record.data.drill === true ? 'drill' : 'real'
  const keys: string[] = []
  for (const p of [playbookId, undefined])
    for (const s of [state, undefined] as const)
      for (const m of [mode, undefined] as const) keys.push(archivePrefix({ playbookId: p, state: s, mode: m }) + start)
  return keys
}

/** Whether the index holds the incident as closed (an incident without keys counts as open). */
export function isArchivedClosed(record: Pick<LocalRecord, 'archiveKeys'>): boolean {
  return record.archiveKeys?.some((key) => key.startsWith(archivePrefix({ state: 'closed' }))) ?? false
}

/** An event that can change whether its incident is closed. */
function isLifecycleEvent(record: { kind?: unknown; data?: { type?: unknown } } | undefined): boolean {
  return record?.kind === 'incidentEvent' && (record.data?.type === 'close' || record.data?.type === 'reopen')
}

/** The records under an incident whose presence the archive's rows show. */
const PAPERWORK_KINDS = ['incidentReport', 'incidentReview'] as const
export type PaperworkKind = (typeof PAPERWORK_KINDS)[number]

const isPaperwork = (record: { kind?: unknown } | undefined): boolean => PAPERWORK_KINDS.includes(record?.kind as PaperworkKind)

/** A record whose writing changes what the archive says about its incident. */
function archiveChildOf(record: LocalRecord | undefined): string | undefined {
  if (!isLifecycleEvent(record) && !isPaperwork(record)) return undefined
  const incidentId = record?.data.incidentId
  return typeof incidentId === 'string' ? incidentId : undefined
}

/** Which paperwork kinds these records hold, in PAPERWORK_KINDS order. */
function paperworkOf(records: readonly Pick<LocalRecord, 'kind'>[]): PaperworkKind[] {
  return PAPERWORK_KINDS.filter((kind) => records.some((r) => r.kind === kind))
}

const HLC_RE = /^\d{15}-\d{5}-.+$/

/** An incident event as the shared rules take it (`deriveIncidentState`). */
export function toIncidentEvent(record: LocalRecord): IncidentEvent {
  return { ...(record.data as IncidentEventData), id: record.id, author: record.author, deviceId: record.deviceId }
}

/** Closed or not by these events: the same rule as the incident screen (`deriveIncidentState`). */
function closedByEvents(events: readonly LocalRecord[]): boolean {
  const lifecycle = events.filter((e) => isLifecycleEvent(e) && typeof e.data.hlc === 'string' && HLC_RE.test(e.data.hlc)).map(toIncidentEvent)
  return deriveIncidentState(lifecycle).closed !== undefined
}

/**
 * An incident's archive fields from its events and at most one report and one review (presence is
 * enough), kept by the derived-fields middleware (derived-fields.ts), registered by AppDB.
 */
export const ARCHIVE_DERIVATION: Derivation = {
  kind: 'incident',
  fields: ['archiveKeys', 'paperwork'],
  children: [{ kind: 'incidentEvent' }, ...PAPERWORK_KINDS.map((kind) => ({ kind, limit: 1 }))],
  parentOf: archiveChildOf,
  derive: (incident, children) => ({ archiveKeys: incidentArchiveKeys(incident, closedByEvents(children)), paperwork: paperworkOf(children) }),
}
