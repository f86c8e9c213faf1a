import type { DBCore, DBCoreIndex, DBCoreKeyRange, DBCoreMutateRequest, DBCoreTable, Middleware, Transaction } from 'dexie'
import type { LocalRecord } from './AppDB'
import { deriveIncidentState, type IncidentEvent, type IncidentEventData } from '../../shared/incident'

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
 * of the archive reads its 50 incidents and nothing else. The middleware below derives both on
 * every write of an incident, and again for the incident whenever one of its close or reopen
 * events, reports or reviews is written, in the SAME transaction, whichever path writes it (a
 * local save, a pull, an upgrade): they can never disagree with the records on the tablet.
 */
export const ARCHIVE_ANY = '*'

/** A start time that sorts: the incident's `startedAt` as UTC ISO (its `createdAt` if unreadable). */
export function archiveStartOf(record: Pick<LocalRecord, 'createdAt' | 'data'>): string {
  const started = Date.parse(String(record.data.startedAt))
  return new Date(Number.isNaN(started) ? Date.parse(record.createdAt) : started).toISOString()
}

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
  const start = archiveStartOf(record)
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
export function isLifecycleEvent(record: { kind?: unknown; data?: { type?: unknown } } | undefined): boolean {
  return record?.kind === 'incidentEvent' && (record.data?.type === 'close' || record.data?.type === 'reopen')
}

/** The records under an incident whose presence the archive's rows show. */
export const PAPERWORK_KINDS = ['incidentReport', 'incidentReview'] as const
export type PaperworkKind = (typeof PAPERWORK_KINDS)[number]

const isPaperwork = (record: { kind?: unknown } | undefined): boolean => PAPERWORK_KINDS.includes(record?.kind as PaperworkKind)

/** A record whose writing changes what the archive says about its incident. */
function archiveChildOf(record: LocalRecord | undefined): string | undefined {
  if (!isLifecycleEvent(record) && !isPaperwork(record)) return undefined
  const incidentId = record?.data.incidentId
  return typeof incidentId === 'string' ? incidentId : undefined
}

/** Which paperwork kinds these records hold, in PAPERWORK_KINDS order. */
export function paperworkOf(records: readonly Pick<LocalRecord, 'kind'>[]): PaperworkKind[] {
  return PAPERWORK_KINDS.filter((kind) => records.some((r) => r.kind === kind))
}

const HLC_RE = /^\d{15}-\d{5}-.+$/

/** Closed or not by these events: the same rule as the incident screen (`deriveIncidentState`). */
export function closedByEvents(events: readonly LocalRecord[]): boolean {
  const lifecycle: IncidentEvent[] = events
    .filter((e) => isLifecycleEvent(e) && typeof e.data.hlc === 'string' && HLC_RE.test(e.data.hlc))
    .map((e) => ({ ...(e.data as IncidentEventData), id: e.id, author: e.author, deviceId: e.deviceId }))
  return deriveIncidentState(lifecycle).closed !== undefined
}

const MAX = '\uffff'

/** What the archive derives from an incident's records: its keys and its paperwork. */
type ArchiveFields = Pick<LocalRecord, 'archiveKeys' | 'paperwork'>

/** An incident's archive fields from its records (its events, reports and reviews among them). */
export function archiveFieldsOf(incident: Pick<LocalRecord, 'createdAt' | 'data'>, children: readonly LocalRecord[]): Required<ArchiveFields> {
  return { archiveKeys: incidentArchiveKeys(incident, closedByEvents(children)), paperwork: paperworkOf(children) }
}

/**
 * The records of one incident that the archive looks at, from `[parentId+kind+createdAt]` inside
 * the caller's transaction: its events, and at most one report and one review (presence is enough).
 */
async function archiveChildren(table: DBCoreTable, index: DBCoreIndex, trans: DBCoreMutateRequest['trans'], incidentId: string): Promise<LocalRecord[]> {
  const ofKind = async (kind: string, limit?: number) => {
    const range = { type: 2 as DBCoreKeyRange['type'], lower: [incidentId, kind, ''], upper: [incidentId, kind, MAX] }
    const { result } = await table.query({ trans, values: true, query: { index, range }, ...(limit ? { limit } : {}) })
    return result as LocalRecord[]
  }
  const found = await Promise.all([ofKind('incidentEvent'), ...PAPERWORK_KINDS.map((kind) => ofKind(kind, 1))])
  return found.flat()
}

function sameFields(record: ArchiveFields, fields: Required<ArchiveFields>): boolean {
  const same = (a: readonly string[] | undefined, b: readonly string[]) => (a ?? []).length === b.length && b.every((key, i) => key === a?.[i])
  return !!record.archiveKeys && same(record.archiveKeys, fields.archiveKeys) && same(record.paperwork, fields.paperwork)
}

async function mutateRecords(table: DBCoreTable, req: DBCoreMutateRequest) {
  if (req.type !== 'add' && req.type !== 'put') return table.mutate(req)
  const incidentsInBatch = new Map<string, number>()
  const childrenInBatch = new Map<string, LocalRecord[]>()
  req.values.forEach((value: LocalRecord, i) => {
    if (value?.kind === 'incident') incidentsInBatch.set(value.id, i)
    const incidentId = archiveChildOf(value)
    if (incidentId) childrenInBatch.set(incidentId, [...(childrenInBatch.get(incidentId) ?? []), value])
  })
  if (incidentsInBatch.size === 0 && childrenInBatch.size === 0) return table.mutate(req)
  const index = table.schema.getIndexByKeyPath(['parentId', 'kind', 'createdAt'])
  // a schema before version 3, during an upgrade: version 5's upgrade derives every incident's fields
  if (!index) return table.mutate(req)

  // incidents written now: from their records on the tablet plus those of this batch
  const values = [...req.values] as LocalRecord[]
  await Promise.all(
    [...incidentsInBatch].map(async ([id, i]) => {
      const stored = await archiveChildren(table, index, req.trans, id)
      const batch = (childrenInBatch.get(id) ?? []).filter((c) => !stored.some((s) => s.id === c.id))
      const record = values[i]!
      values[i] = { ...record, ...archiveFieldsOf(record, [...stored, ...batch]) }
    }),
  )
  const response = await table.mutate({ ...req, values })

  // incidents already on the tablet that this batch closed, reopened, reported or reviewed
  const others = [...childrenInBatch.keys()].filter((id) => !incidentsInBatch.has(id))
  if (others.length > 0) {
    const stored = (await table.getMany({ trans: req.trans, keys: others })) as (LocalRecord | undefined)[]
    const changed: LocalRecord[] = []
    await Promise.all(
      stored.map(async (incident) => {
        if (incident?.kind !== 'incident') return
        const fields = archiveFieldsOf(incident, await archiveChildren(table, index, req.trans, incident.id))
        if (!sameFields(incident, fields)) changed.push({ ...incident, ...fields })
      }),
    )
    if (changed.length > 0) {
      const written = await table.mutate({ type: 'put', trans: req.trans, values: changed })
      if (written.numFailures > 0) throw written.failures[0] ?? new Error('archive fields not written')
    }
  }
  return response
}

/** Keeps every incident's `archiveKeys` true to its events (see above); registered by AppDB. */
export const incidentArchiveMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'incidentArchiveKeys',
  create: (down) => ({
    ...down,
    table: (name) => {
      const table = down.table(name)
      return name === 'records' ? { ...table, mutate: (req) => mutateRecords(table, req) } : table
    },
  }),
}

/**
 * Version 5's upgrade: the archive fields of the incidents already on the tablet, from one read of
 * their close and reopen events, reports and reviews (the middleware derives them too as each is
 * rewritten; this does not depend on it).
 */
export async function fillArchiveKeys(tx: Transaction): Promise<void> {
  const records = tx.table<LocalRecord, string>('records')
  const children = new Map<string, LocalRecord[]>()
  for (const kind of ['incidentEvent', ...PAPERWORK_KINDS]) {
    await records
      .where('[kind+createdAt]')
      .between([kind, ''], [kind, MAX])
      .each((child) => {
        const incidentId = archiveChildOf(child)
        if (incidentId) children.set(incidentId, [...(children.get(incidentId) ?? []), child])
      })
  }
  await records
    .where('[kind+createdAt]')
    .between(['incident', ''], ['incident', MAX])
    .modify((incident) => {
      Object.assign(incident, archiveFieldsOf(incident, children.get(incident.id) ?? []))
    })
}
