import type { AppDB, LocalRecord } from './AppDB'
import { createRecord, newEnvelope, type RecordAuthor } from './records-repository'
import type { LostItemData, LostItemEventData } from '../../shared/lost-found'

const MAX = '\uffff'

/** The register, newest registered first, a page at a time (the screen orders open entries first). */
export function listLostItems(db: AppDB, limit: number): Promise<LocalRecord[]> {
  return db.records.where('[kind+createdAt]').between(['lostItem', ''], ['lostItem', MAX]).reverse().limit(limit).toArray()
}

export function countLostItems(db: AppDB): Promise<number> {
  return db.records.where('[kind+createdAt]').between(['lostItem', ''], ['lostItem', MAX]).count()
}

/** Every event of these entries, in one indexed read (not one per entry). */
export async function lostItemEventsOf(db: AppDB, itemIds: string[]): Promise<Map<string, LocalRecord[]>> {
  const byItem = new Map<string, LocalRecord[]>(itemIds.map((id) => [id, []]))
  if (itemIds.length === 0) return byItem
  const ranges = [...itemIds].sort().map((id): [unknown[], unknown[]] => [[id, 'lostItemEvent', ''], [id, 'lostItemEvent', MAX]])
  const events = await db.records.where('[parentId+kind+createdAt]').inAnyRange(ranges, { includeUppers: true }).toArray()
  for (const event of events) byItem.get(event.parentId ?? '')?.push(event)
  return byItem
}

/** One entry's events, oldest first. */
export function listLostItemEvents(db: AppDB, itemId: string): Promise<LocalRecord[]> {
  return db.records.where('[parentId+kind+createdAt]').between([itemId, 'lostItemEvent', ''], [itemId, 'lostItemEvent', MAX]).toArray()
}

/**
 * Turns the registration form's draft into the entry (same id), in ONE transaction with its
 * outbox mutation and the draft's removal (createRecord). The photos and signatures it names are
 * already on disk (stored when taken), so the entry never names an image the tablet does not hold.
 */
export function createLostItem(db: AppDB, who: RecordAuthor, id: string, data: LostItemData, now: Date): Promise<LocalRecord> {
  return createRecord(db, newEnvelope(who, 'lostItem', id, { ...data }, now))
}

/**
 * A step on an entry (owner identified, returned, an amendment…): a new record naming the entry,
 * never a change of it, so two tablets that act offline both keep what they did; the state is
 * derived from all of them (see `lostItemState`). The step's draft (same id) goes with it.
 */
export function appendLostItemEvent(db: AppDB, who: RecordAuthor, id: string, data: LostItemEventData, now: Date): Promise<LocalRecord> {
  return createRecord(db, newEnvelope(who, 'lostItemEvent', id, { ...data }, now))
}
