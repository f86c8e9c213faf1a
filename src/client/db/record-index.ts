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
  /** Only when the fault was recorded from a running incident (C1, C2): it is then one of its records. */
  fault: 'incidentId',
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
 * The lengths of the number prefixes whose calls are also indexed in time order (`*searchKeys`):
 * a number search reads the calls under the longest such prefix of what was typed, newest first,
 * so that a page of a prefix that matches thousands of numbers is a page of index entries, and a
 * prefix between two lengths finds at least about one match in ten of its bucket's entries. One
 * digit matches too many calls for a bucket to help. A name has one bucket, its first character
 * (the surname, mostly).
 */
export const SEARCH_PREFIX_LENGTHS = [7, 5, 3, 2] as const

/** The time-ordered bucket a number prefix (digits) is read from, or none below 2 digits (see above). */
export function phoneBucketOf(digits: string): string | undefined {
  const length = SEARCH_PREFIX_LENGTHS.find((n) => digits.length >= n)
  return length === undefined ? undefined : `t${digits.slice(0, length)}|`
}

/** The time-ordered bucket a name prefix (folded) is read from: its first character. */
export function nameBucketOf(name: string): string | undefined {
  const [first] = name
  return first === undefined ? undefined : `n${first}|`
}

/**
 * Local search keys of a call record: the caller's number as digits (area code included, no
 * extension) and the folded name, indexed as `[phoneKey+createdAt]` and `[nameKey+createdAt]`, so
 * that "called before" and prefix search read a few index entries even among 100,000 records; and
 * the buckets of the number and the name in time order, `<bucket>|<createdAt>|<digits or name>`,
 * indexed multi-entry as `*searchKeys` (see `phoneBucketOf`, `nameBucketOf`): five entries a call.
 * Derived on every local write and pull, never sent (the record's `data` stays as the agent typed).
 */
export function searchKeysOf(record: Pick<RecordEnvelope, 'kind' | 'data' | 'createdAt'>): { phoneKey?: string; nameKey?: string; searchKeys?: string[] } {
  if (record.kind !== 'callRecord') return {}
  const phone = typeof record.data.callerPhone === 'string' ? checkPhone(record.data.callerPhone).key : ''
  const name = typeof record.data.callerName === 'string' ? nameSearchKey(record.data.callerName) : ''
  const buckets = [
    ...SEARCH_PREFIX_LENGTHS.filter((n) => phone.length >= n).map((n) => `${phoneBucketOf(phone.slice(0, n))}${record.createdAt}|${phone}`),
    ...(name ? [`${nameBucketOf(name)}${record.createdAt}|${name}`] : []),
  ]
  return { ...(phone ? { phoneKey: phone } : {}), ...(name ? { nameKey: name } : {}), ...(buckets.length ? { searchKeys: buckets } : {}) }
}

/** Every local-only index field of a record (see `LocalRecord`). */
export function localIndexOf(
  record: Pick<RecordEnvelope, 'kind' | 'data' | 'createdAt'>,
): { parentId?: string; phoneKey?: string; nameKey?: string; searchKeys?: string[] } {
  const parentId = parentIdOf(record)
  return { ...(parentId ? { parentId } : {}), ...searchKeysOf(record) }
}
