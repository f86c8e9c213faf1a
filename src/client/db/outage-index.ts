import type { LocalRecord } from './AppDB'
import { sortableInstant, type Derivation, type DerivedFields } from './derived-fields'
import { nameSearchKey } from './record-index'
import type { CallbackEvent, CallbackEventData } from '../../shared/callback'
import { deriveCallback, type CallbackState } from '../../shared/callback-state'
import type { FaultEvent, FaultEventData } from '../../shared/fault'
import { deriveFaultState } from '../../shared/fault-state'
import { checkPhone } from '../../shared/phone'

/**
 * The outage desk's index. Faults and the call records that need a callback carry `deskKeys`
 * (local only, never sent), indexed multi-entry as `*deskKeys`:
 *
 *   `fault|open|<createdAt>`                     a fault not recovered: every open one, whatever its age;
 *   `cb|<faultId>|<state>|<calledAt>`            the outage's callback worklist by state, oldest call first,
 *   `cb|<faultId>|*|<calledAt>`                  …and whatever the state: a page read, a state counted natively;
 *   `cbtel|<faultId>|<state>|<digits>|<calledAt>` the worklist searched by number prefix (caller and callback
 *   `cbname|<faultId>|<state>|<name>|<calledAt>`  number) or name prefix, within a state or `*`.
 *
 * Whether a fault is open comes from its `recovered`/`reopened` events, and a callback's state from
 * its steps: records that arrive after the one they name, before it (a pull page) or in the same
 * batch, from any tablet. As in incident-index.ts, the keys are derived fields (`DESK_DERIVATIONS`
 * below, derived-fields.ts): rederived on every write of a fault or a call record, and for the
 * record whenever one of its events is written, in the SAME transaction, whichever path writes it:
 * the index can never disagree with the events on the tablet.
 */
export const DESK_ANY = '*'
export const DESK_OPEN_FAULTS = 'fault|open|'

/** A worklist state, or `*` for every state. */
export type DeskState = CallbackState | typeof DESK_ANY

/** What worklist keys can be searched by: number digits or folded name. */
export type DeskSearchField = 'tel' | 'name'

/** The prefix of an outage's worklist keys in one state (or `*`); the call time follows it. */
export function worklistPrefix(faultId: string, state: DeskState = DESK_ANY): string {
  return `cb|${faultId}|${state}|`
}

/** The prefix of the worklist's search keys that start with `key` (digits or a folded name). */
export function worklistSearchPrefix(faultId: string, state: DeskState, field: DeskSearchField, key: string): string {
  return `cb${field}|${faultId}|${state}|${key}`
}

/** The call time at the end of a worklist key (every key ends with one, 24 characters). */
export function deskKeyTime(key: string): string {
  return key.slice(-24)
}

/** A fault event as the shared rules take it (`deriveFaultState`). */
export function toFaultEvent(record: LocalRecord): FaultEvent {
  return { ...(record.data as FaultEventData), id: record.id, createdAt: record.createdAt, author: record.author }
}

/** A callback step as the shared rules take it (`deriveCallback`). */
export function toCallbackEvent(record: LocalRecord): CallbackEvent {
  return { ...(record.data as CallbackEventData), id: record.id, createdAt: record.createdAt, author: record.author }
}

/** The desk keys of a fault: one while it is not recovered (the same rule as the fault screen). */
export function faultDeskKeys(fault: Pick<LocalRecord, 'createdAt' | 'data'>, events: readonly LocalRecord[]): string[] {
  const startedAt = typeof fault.data.startedAt === 'string' ? fault.data.startedAt : fault.createdAt
  return deriveFaultState({ startedAt }, events.map(toFaultEvent)).recovered ? [] : [DESK_OPEN_FAULTS + fault.createdAt]
}

/** Whether a call record is on an outage's callback worklist at all. */
function onWorklist(call: Pick<LocalRecord, 'kind' | 'data'>): call is Pick<LocalRecord, 'kind' | 'data'> & { data: { faultId: string } } {
  return call.kind === 'callRecord' && call.data.callbackNeeded === true && typeof call.data.faultId === 'string' && call.data.faultId !== ''
}

/** The desk keys of a call record: none unless it needs a callback within an outage (see above). */
export function callbackDeskKeys(call: Pick<LocalRecord, 'kind' | 'createdAt' | 'data' | 'phoneKey' | 'nameKey'>, events: readonly LocalRecord[]): string[] {
  if (!onWorklist(call)) return []
  const faultId = call.data.faultId
  const at = sortableInstant(call.data.calledAt, call.createdAt)
  const state = deriveCallback(events.map(toCallbackEvent)).state
  const phone = (value: unknown) => (typeof value === 'string' ? checkPhone(value).key : '')
  // the caller's number and name keys as the record's local index has them (record-index.ts), when it has
  const digits = [...new Set([call.phoneKey ?? phone(call.data.callerPhone), phone(call.data.callbackNumber)].filter(Boolean))]
  const name = call.nameKey ?? (typeof call.data.callerName === 'string' ? nameSearchKey(call.data.callerName) : '')
  const keys: string[] = []
  for (const s of [state, DESK_ANY] as const) {
    keys.push(worklistPrefix(faultId, s) + at)
    for (const d of digits) keys.push(`${worklistSearchPrefix(faultId, s, 'tel', d)}|${at}`)
    if (name) keys.push(`${worklistSearchPrefix(faultId, s, 'name', name)}|${at}`)
  }
  return keys
}

const deskFields = (keys: string[]): DerivedFields => ({ deskKeys: keys.length > 0 ? keys : undefined })

/**
 * The desk keys of faults and callback calls, from their events, kept by the derived-fields
 * middleware (derived-fields.ts), registered by AppDB.
 */
export const DESK_DERIVATIONS: readonly Derivation[] = [
  {
    kind: 'fault',
    fields: ['deskKeys'],
    children: [{ kind: 'faultEvent' }],
    parentOf: (e) =>
      e.kind === 'faultEvent' && (e.data.type === 'recovered' || e.data.type === 'reopened') && typeof e.data.faultId === 'string' ? e.data.faultId : undefined,
    derive: (fault, events) => deskFields(faultDeskKeys(fault, events)),
  },
  {
    kind: 'callRecord',
    fields: ['deskKeys'],
    children: [{ kind: 'callbackEvent' }],
    parentOf: (e) => (e.kind === 'callbackEvent' && typeof e.data.callRecordId === 'string' ? e.data.callRecordId : undefined),
    readsChildren: onWorklist,
    derive: (call, events) => deskFields(callbackDeskKeys(call, events)),
  },
]
