import type { AppDB, LocalRecord } from './AppDB'
import { createRecord, listChildren, newEnvelope } from './records-repository'
import { hlcParse, hlcReceive, hlcTick, hlcToString, type Hlc } from '../../shared/hlc'
import type { IncidentData, IncidentEventData } from '../../shared/incident'
import type { RecordEnvelope } from '../../shared/records'

export interface Author {
  siteId: string
  deviceId: string
  author: string
  personId?: string
}

/** The newest incidents first (open and closed; the caller derives which are open). */
export function listIncidents(db: AppDB, limit = 50): Promise<LocalRecord[]> {
  return db.records.where('[kind+createdAt]').between(['incident', ''], ['incident', '\uffff']).reverse().limit(limit).toArray()
}

/** Everything recorded under an incident: its events, reports, review, drill record. */
export function listIncidentChildren(db: AppDB, incidentId: string): Promise<LocalRecord[]> {
  return listChildren(db, incidentId)
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
 * Appends an event to an incident. Its hybrid logical clock is taken, in the same transaction
 * that stores the event, from this device's clock after it has seen every event of the incident
 * already on the tablet (its own and those pulled from other tablets): the new event sorts after
 * everything its author could see, whatever the device clocks say.
 */
export async function appendIncidentEvent(
  db: AppDB,
  who: Author,
  id: string,
  event: Omit<IncidentEventData, 'hlc' | 'at'>,
  now: Date,
): Promise<LocalRecord> {
  return db.transaction('rw', [db.records, db.outbox, db.meta, db.drafts], async () => {
    const clientId = String((await db.meta.get('clientId'))?.value)
    const stored = (await db.meta.get('hlc'))?.value
    let clock: Hlc = typeof stored === 'string' ? hlcParse(stored) : { millis: 0, counter: 0, node: clientId }
    for (const seen of await listChildren(db, event.incidentId)) {
      if (seen.kind !== 'incidentEvent') continue
      const hlc = seen.data.hlc
      if (typeof hlc === 'string') clock = hlcReceive(clock, hlcParse(hlc), now.getTime())
    }
    clock = hlcTick(clock, now.getTime())
    await db.meta.put({ key: 'hlc', value: hlcToString(clock) })
    const stamp = now.toISOString()
    const record: RecordEnvelope = {
      id,
      kind: 'incidentEvent',
      ...who,
      createdAt: stamp,
      updatedAt: stamp,
      serverSeq: null,
      data: { ...event, hlc: hlcToString(clock), at: stamp },
    }
    return createRecord(db, record)
  })
}
