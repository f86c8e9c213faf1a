import type { RecordEnvelope, RecordKind } from '../../shared/records'
import { checkPhone } from '../../shared/phone'

/**
 * Which field of a kind's `data` names the record it belongs to. A kind that is added with a
 * parent (an incident event, a callback state change…) registers its field here, and its records
 * become reachable through the `[parentId+createdAt]` index.
 */
export const PARENT_FIELDS: Partial<Record<RecordKind, string>> = {
  incidentEvent: 'incidentId',
  incidentReport: 'incidentId',
  incidentReview: 'incidentId',
  rectificationDone: 'incidentId',
  drillRecord: 'incidentId',
  callRecord: 'faultId',
  callbackEvent: 'callRecordId',
  faultEvent: 'faultId',
  rollCall: 'incidentId',
  rollCallMark: 'rollCallId',
  /** Only when the contact was recorded from an incident (H10, C9); otherwise it has no parent. */
  mediaContact: 'incidentId',
  /** Only when the entry was registered from a running H9 incident. */
  lostItem: 'incidentId',
  lostItemEvent: 'itemId',
}

export function parentIdOf(record: Pick<RecordEnvelope, 'kind' | 'data'>): string | undefined {
  const field = PARENT_FIELDS[record.kind]
  const value = field ? record.data[field] : undefined
  return typeof value === 'string' ? value : undefined
}

/** Folds a name for prefix search: full-width to half-width, case, spaces. */
export function nameSearchKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, '')
}

/**
 * Local search keys of a call record: the caller's number as digits (area code included, no
 * extension) and the folded name, indexed as `[phoneKey+createdAt]` and `[nameKey+createdAt]`, so
 * that "called before" and prefix search read a few index entries even among 100,000 records.
 * Derived on every local write and pull, never sent (the record's `data` stays as the agent typed).
 */
export function searchKeysOf(record: Pick<RecordEnvelope, 'kind' | 'data'>): { phoneKey?: string; nameKey?: string } {
  if (record.kind !== 'callRecord') return {}
  const phone = typeof record.data.callerPhone === 'string' ? checkPhone(record.data.callerPhone).key : ''
  const name = typeof record.data.callerName === 'string' ? nameSearchKey(record.data.callerName) : ''
  return { ...(phone ? { phoneKey: phone } : {}), ...(name ? { nameKey: name } : {}) }
}

/** Every local-only index field of a record (see `LocalRecord`). */
export function localIndexOf(record: Pick<RecordEnvelope, 'kind' | 'data'>): { parentId?: string; phoneKey?: string; nameKey?: string } {
  const parentId = parentIdOf(record)
  return { ...(parentId ? { parentId } : {}), ...searchKeysOf(record) }
}
