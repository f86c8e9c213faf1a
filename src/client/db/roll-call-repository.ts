import type { AppDB, LocalRecord } from './AppDB'
import { createRecord, newEnvelope, type RecordAuthor } from './records-repository'
import { newId } from '../../shared/ids'
import type { RollCallMarkData } from '../../shared/roll-call'

const MAX = '\uffff'

/** The roll-calls of an incident, oldest first (usually one; two if two tablets started one offline). */
export function listRollCalls(db: AppDB, incidentId: string): Promise<LocalRecord[]> {
  return db.records.where('[parentId+kind+createdAt]').between([incidentId, 'rollCall', ''], [incidentId, 'rollCall', MAX]).toArray()
}

/** Every mark of these roll-calls, in one indexed read. */
export function listRollCallMarks(db: AppDB, rollCallIds: string[]): Promise<LocalRecord[]> {
  if (rollCallIds.length === 0) return Promise.resolve([])
  const ranges = [...rollCallIds].sort().map((id): [unknown[], unknown[]] => [[id, 'rollCallMark', ''], [id, 'rollCallMark', MAX]])
  return db.records.where('[parentId+kind+createdAt]').inAnyRange(ranges, { includeUppers: true }).toArray()
}

/**
 * Stores marks of an incident's roll-call, starting the roll-call first if this tablet has none
 * for the incident, all in ONE transaction: a mark is never stored without the roll-call it
 * names. The oldest roll-call the tablet knows is the one marked; another tablet that started its
 * own while offline is merged on every screen (see `rollCallState`), so nothing is lost either way.
 * Each record still gets its own outbox mutation, in order (createRecord joins the transaction).
 */
export function addRollCallMarks(
  db: AppDB,
  who: RecordAuthor,
  incidentId: string,
  marks: Omit<RollCallMarkData, 'rollCallId'>[],
  now: Date,
): Promise<{ rollCallId: string; started: boolean }> {
  return db.transaction('rw', [db.records, db.outbox, db.meta, db.drafts], async () => {
    const existing = (await listRollCalls(db, incidentId))[0]
    let rollCallId = existing?.id
    if (!rollCallId) {
      rollCallId = newId()
      await createRecord(db, newEnvelope(who, 'rollCall', rollCallId, { incidentId, startedAt: now.toISOString() }, now))
    }
    for (const mark of marks) {
      await createRecord(db, newEnvelope(who, 'rollCallMark', newId(), { ...mark, rollCallId }, now))
    }
    return { rollCallId, started: !existing }
  })
}
