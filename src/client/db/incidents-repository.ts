import type { AppDB, LocalRecord } from './AppDB'
import { createRecord, listChildren, newEnvelope } from './records-repository'
import { hlcParse, hlcReceive, hlcTick, hlcToString, type Hlc } from '../../shared/hlc'
import type { IncidentData, IncidentEventData } from '../../shared/incident'
import type { RecordEnvelope } from '../../shared/records'
import { archivePrefix, type IncidentFacets } from './incident-index'

export interface Author {
  siteId: string
  deviceId: string
  author: string
  personId?: string
}

const MAX = '\uffff'

/**
 * What the archive asks for: the facets of `archiveKeys` (incident-index.ts) and a range of start
 * times, `from` included and `to` excluded (UTC ISO instants; absent: unbounded).
 */
export interface IncidentArchiveQuery extends IncidentFacets {
  from?: string
  to?: string
}

/** The one key range of `*archiveKeys` that holds exactly the incidents the query asks for. */
function archiveRange(db: AppDB, query: IncidentArchiveQuery) {
  const prefix = archivePrefix(query)
  return db.records.where('archiveKeys').between(prefix + (query.from ?? ''), prefix + (query.to ?? MAX), true, false)
}

/** A page of the archive: matching incidents by start time, newest first (no children read). */
export function listIncidentArchive(db: AppDB, query: IncidentArchiveQuery, limit: number): Promise<LocalRecord[]> {
  return archiveRange(db, query).reverse().limit(limit).toArray()
}

/** How many incidents match, counted by the index (no record read). */
export function countIncidentArchive(db: AppDB, query: IncidentArchiveQuery): Promise<number> {
  return archiveRange(db, query).count()
}

/** One incident by id (undefined when the tablet does not hold it, or the id is not an incident's). */
export async function getIncident(db: AppDB, id: string): Promise<LocalRecord | undefined> {
  if (!id) return undefined
  const record = await db.records.get(id)
  return record?.kind === 'incident' ? record : undefined
}

/** Everything recorded under an incident: its events, reports, review, drill record, the faults recorded from it. */
export function listIncidentChildren(db: AppDB, incidentId: string): Promise<LocalRecord[]> {
  return listChildren(db, incidentId)
}

/**
 * The events of an incident's faults (whether each is recovered), in one indexed read for all of
 * them; oldest first. Read with the incident, so that its clocks know when its outage ended.
 */
export async function listFaultEventsOf(db: AppDB, faultIds: readonly string[]): Promise<LocalRecord[]> {
  if (faultIds.length === 0) return []
  const ranges = [...faultIds].sort().map((id): [unknown[], unknown[]] => [[id, 'faultEvent', ''], [id, 'faultEvent', MAX]])
  const events = await db.records.where('[parentId+kind+createdAt]').inAnyRange(ranges, { includeUppers: true }).toArray()
  return events.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
}

/** Stores a record that belongs to an incident (a report, a review…), like any other record. */
export function addIncidentRecord(
  db: AppDB,
  who: Author,
  kind: 'incidentReport' | 'incidentReview' | 'rectificationDone' | 'drillRecord',
  id: string,
  data: Record<string, unknown>,
  now: Date,
): Promise<LocalRecord> {
  return createRecord(db, newEnvelope(who, kind, id, data, now))
}

/** Starts an incident: one record (and its outbox mutation), like every other record. */
export function startIncident(db: AppDB, who: Author, id: string, data: IncidentData, now: Date): Promise<LocalRecord> {
  return createRecord(db, newEnvelope(who, 'incident', id, data, now))
}

/**
 * Appends events to an incident, in one transaction and in the order given: what one tap does (a
 * step that starts a level is a tick and a level start) is stored whole or not at all. Their hybrid
 * logical clocks are taken, in the same transaction that stores them, from this device's clock
 * after it has seen every event of the incident already on the tablet (its own and those pulled
 * from other tablets), each after the one before: a new event sorts after everything its author
 * could see, whatever the device clocks say.
 */
export async function appendIncidentEvents(
  db: AppDB,
  who: Author,
  events: readonly { id: string; event: Omit<IncidentEventData, 'hlc' | 'at'> }[],
  now: Date,
): Promise<LocalRecord[]> {
  const incidentIds = new Set(events.map((e) => e.event.incidentId))
  if (incidentIds.size > 1) throw new RangeError('events of one incident only')
  const [incidentId] = incidentIds
  if (incidentId === undefined) return []
  return db.transaction('rw', [db.records, db.outbox, db.meta, db.drafts], async () => {
    const clientId = String((await db.meta.get('clientId'))?.value)
    const stored = (await db.meta.get('hlc'))?.value
    let clock: Hlc = typeof stored === 'string' ? hlcParse(stored) : { millis: 0, counter: 0, node: clientId }
    for (const seen of await listChildren(db, incidentId)) {
      if (seen.kind !== 'incidentEvent') continue
      const hlc = seen.data.hlc
      if (typeof hlc === 'string') clock = hlcReceive(clock, hlcParse(hlc), now.getTime())
    }
    const stamp = now.toISOString()
    const saved: LocalRecord[] = []
    for (const { id, event } of events) {
      clock = hlcTick(clock, now.getTime())
      const record: RecordEnvelope = {
        id,
        kind: 'incidentEvent',
        ...who,
        createdAt: stamp,
        updatedAt: stamp,
        serverSeq: null,
        data: { ...event, hlc: hlcToString(clock), at: stamp },
      }
      saved.push(await createRecord(db, record))
    }
    await db.meta.put({ key: 'hlc', value: hlcToString(clock) })
    return saved
  })
}
