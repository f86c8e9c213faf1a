import type { DBCore, DBCoreIndex, DBCoreKeyRange, DBCoreMutateRequest, DBCoreTable, Middleware, Transaction } from 'dexie'
import type { LocalRecord } from './AppDB'
import { nameSearchKey } from './record-index'
import { deriveCallback, type CallbackEvent, type CallbackEventData, type CallbackState } from '../../shared/callback'
import { deriveFaultState, type FaultEvent, type FaultEventData } from '../../shared/fault'
import { checkPhone } from '../../shared/phone'
import type { RecordKind } from '../../shared/records'

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
 * batch, from any tablet. As in incident-index.ts, the middleware below derives the keys on every
 * write of a fault or a call record, and again for the record whenever one of its events is
 * written, in the SAME transaction, whichever path writes it (a local save, a pull): the index can
 * never disagree with the events on the tablet. A schema upgrade derives them itself (`fillDeskKeys`).
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

/** A time that sorts: the ISO text as UTC (`fallback` when unreadable), 24 characters. */
function sortableTime(value: unknown, fallback: string): string {
  const at = Date.parse(String(value))
  return new Date(Number.isNaN(at) ? Date.parse(fallback) : at).toISOString()
}

/** The call time at the end of a worklist key (every key ends with one, 24 characters). */
export function deskKeyTime(key: string): string {
  return key.slice(-24)
}

function toFaultEvent(record: LocalRecord): FaultEvent {
  return { ...(record.data as FaultEventData), id: record.id, createdAt: record.createdAt, author: record.author }
}

function toCallbackEvent(record: LocalRecord): CallbackEvent {
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
export function callbackDeskKeys(call: Pick<LocalRecord, 'kind' | 'createdAt' | 'data'>, events: readonly LocalRecord[]): string[] {
  if (!onWorklist(call)) return []
  const faultId = call.data.faultId
  const at = sortableTime(call.data.calledAt, call.createdAt)
  const state = deriveCallback(events.map(toCallbackEvent)).state
  const phone = (value: unknown) => (typeof value === 'string' ? checkPhone(value).key : '')
  const digits = [...new Set([phone(call.data.callerPhone), phone(call.data.callbackNumber)].filter(Boolean))]
  const name = typeof call.data.callerName === 'string' ? nameSearchKey(call.data.callerName) : ''
  const keys: string[] = []
  for (const s of [state, DESK_ANY] as const) {
    keys.push(worklistPrefix(faultId, s) + at)
    for (const d of digits) keys.push(`${worklistSearchPrefix(faultId, s, 'tel', d)}|${at}`)
    if (name) keys.push(`${worklistSearchPrefix(faultId, s, 'name', name)}|${at}`)
  }
  return keys
}

/** A kind whose records carry desk keys, derived from the records of its event kind. */
interface DeskDerivation {
  kind: RecordKind
  eventKind: RecordKind
  /** The record an event can change the keys of; undefined when it changes none. */
  targetOf(event: LocalRecord): string | undefined
  /** Whether the record can have keys at all (else no event is read). */
  applies(record: LocalRecord): boolean
  keysOf(record: LocalRecord, events: readonly LocalRecord[]): string[]
}

const DERIVATIONS: readonly DeskDerivation[] = [
  {
    kind: 'fault',
    eventKind: 'faultEvent',
    targetOf: (e) => (e.data.type === 'recovered' || e.data.type === 'reopened') && typeof e.data.faultId === 'string' ? e.data.faultId : undefined,
    applies: () => true,
    keysOf: faultDeskKeys,
  },
  {
    kind: 'callRecord',
    eventKind: 'callbackEvent',
    targetOf: (e) => (typeof e.data.callRecordId === 'string' ? e.data.callRecordId : undefined),
    applies: onWorklist,
    keysOf: callbackDeskKeys,
  },
]

const MAX = '\uffff'

/** The events of one kind of a record, from `[parentId+kind+createdAt]`, inside the caller's transaction. */
async function eventsOf(table: DBCoreTable, index: DBCoreIndex, trans: DBCoreMutateRequest['trans'], id: string, kind: RecordKind): Promise<LocalRecord[]> {
  const range = { type: 2 as DBCoreKeyRange['type'], lower: [id, kind, ''], upper: [id, kind, MAX] }
  const { result } = await table.query({ trans, values: true, query: { index, range } })
  return result as LocalRecord[]
}

function withKeys(record: LocalRecord, keys: string[]): LocalRecord {
  if (keys.length > 0) return { ...record, deskKeys: keys }
  if (record.deskKeys === undefined) return record
  const copy = { ...record }
  delete copy.deskKeys
  return copy
}

function sameKeys(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return (a ?? []).length === b.length && b.every((key, i) => a?.[i] === key)
}

async function mutateRecords(table: DBCoreTable, req: DBCoreMutateRequest) {
  if (req.type !== 'add' && req.type !== 'put') return table.mutate(req)
  // a schema upgrade writes keys it derived itself (fillDeskKeys), without one read per record
  if ((req.trans as unknown as IDBTransaction).mode === 'versionchange') return table.mutate(req)
  const own = new Map<number, DeskDerivation>()
  const named = new Map<string, { derivation: DeskDerivation; events: LocalRecord[] }>()
  req.values.forEach((value: LocalRecord | undefined, i) => {
    for (const derivation of DERIVATIONS) {
      if (value?.kind === derivation.kind) own.set(i, derivation)
      else if (value?.kind === derivation.eventKind) {
        const target = derivation.targetOf(value)
        if (!target) continue
        const entry = named.get(target)
        if (entry) entry.events.push(value)
        else named.set(target, { derivation, events: [value] })
      }
    }
  })
  if (own.size === 0 && named.size === 0) return table.mutate(req)
  const index = table.schema.getIndexByKeyPath(['parentId', 'kind', 'createdAt'])
  if (!index) return table.mutate(req)

  // faults and call records written now: from the events on the tablet plus those of this batch
  const values = [...req.values] as LocalRecord[]
  await Promise.all(
    [...own].map(async ([i, derivation]) => {
      const record = values[i]!
      if (!derivation.applies(record)) {
        values[i] = withKeys(record, [])
        return
      }
      const stored = await eventsOf(table, index, req.trans, record.id, derivation.eventKind)
      const batch = (named.get(record.id)?.events ?? []).filter((e) => !stored.some((s) => s.id === e.id))
      values[i] = withKeys(record, derivation.keysOf(record, [...stored, ...batch]))
    }),
  )
  const response = await table.mutate({ ...req, values })

  // records already on the tablet that one of this batch's events changes
  const written = new Set(values.map((v) => v?.id))
  const others = [...named].filter(([id]) => !written.has(id))
  if (others.length > 0) {
    const stored = (await table.getMany({ trans: req.trans, keys: others.map(([id]) => id) })) as (LocalRecord | undefined)[]
    const changed: LocalRecord[] = []
    await Promise.all(
      stored.map(async (record, i) => {
        const { derivation } = others[i]![1]
        if (record?.kind !== derivation.kind || !derivation.applies(record)) return
        const keys = derivation.keysOf(record, await eventsOf(table, index, req.trans, record.id, derivation.eventKind))
        if (!sameKeys(record.deskKeys, keys)) changed.push(withKeys(record, keys))
      }),
    )
    if (changed.length > 0) {
      const result = await table.mutate({ type: 'put', trans: req.trans, values: changed })
      if (result.numFailures > 0) throw result.failures[0] ?? new Error('desk keys not written')
    }
  }
  return response
}

/** Keeps every fault's and callback call's `deskKeys` true to their events (see above); registered by AppDB. */
export const outageDeskMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'outageDeskKeys',
  create: (down) => ({
    ...down,
    table: (name) => {
      const table = down.table(name)
      return name === 'records' ? { ...table, mutate: (req) => mutateRecords(table, req) } : table
    },
  }),
}

/**
 * Version 6's upgrade: the keys of the faults and callback calls already on the tablet, from one
 * read of each event kind (the middleware leaves upgrade writes alone).
 */
export async function fillDeskKeys(tx: Transaction): Promise<void> {
  const records = tx.table<LocalRecord, string>('records')
  for (const derivation of DERIVATIONS) {
    const events = new Map<string, LocalRecord[]>()
    await records
      .where('[kind+createdAt]')
      .between([derivation.eventKind, ''], [derivation.eventKind, MAX])
      .each((event) => {
        const target = derivation.targetOf(event)
        if (!target) return
        const list = events.get(target)
        if (list) list.push(event)
        else events.set(target, [event])
      })
    await records
      .where('[kind+createdAt]')
      .between([derivation.kind, ''], [derivation.kind, MAX])
      .modify((record) => {
        const keys = derivation.applies(record) ? derivation.keysOf(record, events.get(record.id) ?? []) : []
        if (sameKeys(record.deskKeys, keys)) return false
        if (keys.length > 0) record.deskKeys = keys
        else delete record.deskKeys
      })
  }
}
