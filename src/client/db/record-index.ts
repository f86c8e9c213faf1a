import type { RecordEnvelope, RecordKind } from '../../shared/records'

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
}

export function parentIdOf(record: Pick<RecordEnvelope, 'kind' | 'data'>): string | undefined {
  const field = PARENT_FIELDS[record.kind]
  const value = field ? record.data[field] : undefined
  return typeof value === 'string' ? value : undefined
}
