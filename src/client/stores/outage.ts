import { defineStore } from 'pinia'
import { computed, shallowRef, type Ref, type ShallowRef } from 'vue'
import { useNow } from '@vueuse/core'
import { db } from '../db/db'
import type { LocalRecord } from '../db/AppDB'
import { getRecord } from '../db/records-repository'
import {
  addLogEntry,
  appendCallbackEvent,
  appendFaultEvent,
  callbackEventsOf,
  countChildrenOfKind,
  countLog,
  createFault as storeFault,
  listCallbacks,
  listChildrenOfKind,
  listFaults,
  listLog,
  type AutoLogLine,
} from '../db/outage-repository'
import { useLiveQuery } from '../composables/useLiveQuery'
import { useOperatorStore } from './operator'
import { useSyncStore } from './sync'
import { CallbackEventDataSchema, deriveCallback, type CallbackAction, type CallbackEvent, type CallbackEventData, type CallbackSummary } from '../../shared/callback'
import {
  FaultDataSchema,
  FaultEventDataSchema,
  deriveFaultState,
  notifyStatus,
  type FaultData,
  type FaultEvent,
  type FaultEventData,
  type FaultState,
  type NotifyItem,
} from '../../shared/fault'
import { newId } from '../../shared/ids'
import { LogEntryDataSchema, type LogBook, type LogEntryData } from '../../shared/log'
import { callExportRow, type CallExportItem, type CallExportRow } from '../../shared/outage-export'

export type { AutoLogLine } from '../db/outage-repository'

/** A fault with what the screens show about it, derived from its events. */
export interface FaultView {
  id: string
  record: LocalRecord
  data: FaultData
  state: FaultState
}

export interface CallbackEntry {
  record: LocalRecord
  summary: CallbackSummary
}

function toFaultEvent(record: LocalRecord): FaultEvent {
  return { ...(record.data as FaultEventData), id: record.id, createdAt: record.createdAt, author: record.author }
}

function toCallbackEvent(record: LocalRecord): CallbackEvent {
  return { ...(record.data as CallbackEventData), id: record.id, createdAt: record.createdAt, author: record.author }
}

function faultView(record: LocalRecord, events: LocalRecord[]): FaultView {
  const data = record.data as FaultData
  return { id: record.id, record, data, state: deriveFaultState(data, events.map(toFaultEvent)) }
}

export const FAULT_PAGE = 20

/** Log lines written with a fault's records: trimmed and cut to the schema's length, like any entry. */
function logLine(line: AutoLogLine): AutoLogLine {
  return { ...line, text: line.text.trim().slice(0, 4000) }
}

/**
 * The outage desk: faults (the system failure handling form) and their events, the callback
 * worklist after recovery, and the floor's log books. Every change is one new append-only record;
 * state is derived from records, so it is the same on every tablet after a sync.
 */
export const useOutageStore = defineStore('outage', () => {
  const sync = useSyncStore()
  const operator = useOperatorStore()
  const now = useNow({ interval: 1000 })
  const faultLimit = shallowRef(FAULT_PAGE)

  const { value: rows, ready } = useLiveQuery(
    async () => {
      const faults = await listFaults(db, faultLimit.value)
      return Promise.all(faults.map(async (record) => ({ record, events: await listChildrenOfKind(db, record.id, 'faultEvent') })))
    },
    { initial: [] as { record: LocalRecord; events: LocalRecord[] }[], deps: faultLimit },
  )
  const faults = computed<FaultView[]>(() => rows.value.map(({ record, events }) => faultView(record, events)))
  const open = computed(() => faults.value.filter((f) => !f.state.recovered))

  function showMoreFaults() {
    faultLimit.value += FAULT_PAGE
  }

  function notifyItems(fault: FaultView): NotifyItem[] {
    return notifyStatus(fault.data, fault.state, now.value.getTime())
  }

  /** One fault, live, whether or not it is on the first page of the list. */
  function watchFault(id: Ref<string>) {
    const { value, ready: loaded } = useLiveQuery(
      async () => {
        const record = await getRecord(db, id.value)
        if (!record || record.kind !== 'fault') return undefined
        const [events, calls] = await Promise.all([
          listChildrenOfKind(db, record.id, 'faultEvent'),
          countChildrenOfKind(db, record.id, 'callRecord'),
        ])
        return { view: faultView(record, events), calls }
      },
      { initial: undefined, deps: id },
    )
    return { fault: computed(() => value.value?.view), calls: computed(() => value.value?.calls ?? 0), ready: loaded }
  }

  async function createFault(data: FaultData, lines: AutoLogLine[]): Promise<string> {
    const id = newId()
    // Parsed here as the server will: what is stored locally is exactly what a pull brings back.
    await storeFault(db, await operator.who(), id, FaultDataSchema.parse(data), lines.map(logLine), new Date())
    sync.notifyWrite()
    return id
  }

  async function recordFaultEvent(data: FaultEventData, lines: AutoLogLine[] = []): Promise<void> {
    await appendFaultEvent(db, await operator.who(), FaultEventDataSchema.parse(data), lines.map(logLine), new Date())
    sync.notifyWrite()
  }

  /** The callback entries of an outage (its calls that need a callback), live, oldest call first. */
  function watchWorklist(faultId: Ref<string>) {
    const { value, ready: loaded } = useLiveQuery(() => listCallbacks(db, faultId.value), {
      initial: [] as { record: LocalRecord; events: LocalRecord[] }[],
      deps: faultId,
    })
    const entries = computed<CallbackEntry[]>(() =>
      value.value
        .map(({ record, events }) => ({ record, summary: deriveCallback(events.map(toCallbackEvent)) }))
        .sort((a, b) => String(a.record.data.calledAt).localeCompare(String(b.record.data.calledAt))),
    )
    return { entries, ready: loaded }
  }

  async function markCallback(callRecordId: string, action: CallbackAction, note = ''): Promise<void> {
    const data = CallbackEventDataSchema.parse({ callRecordId, state: action, note, at: new Date().toISOString() })
    await appendCallbackEvent(db, await operator.who(), data, new Date())
    sync.notifyWrite()
  }

  /** The calls of an outage, newest first, a page at a time. */
  function watchOutageCalls(faultId: Ref<string>, limit: Ref<number>) {
    return useLiveQuery(() => listChildrenOfKind(db, faultId.value, 'callRecord', { limit: limit.value, newestFirst: true }), {
      initial: [] as LocalRecord[],
      deps: () => [faultId.value, limit.value],
    })
  }

  /** Every call record of the outage with its callback state, as exported for the CRM. */
  async function exportItems(faultId: string): Promise<{ items: CallExportItem[]; rows: CallExportRow[] }> {
    const calls = await listChildrenOfKind(db, faultId, 'callRecord')
    const events = await callbackEventsOf(db, calls.filter((c) => c.data.callbackNeeded === true).map((c) => c.id))
    const items = calls.map((record): CallExportItem => {
      const steps = events.get(record.id)
      return steps ? { record, callback: deriveCallback(steps.map(toCallbackEvent)) } : { record }
    })
    return { items, rows: items.map(callExportRow) }
  }

  function watchLog(book: Ref<LogBook>, limit: Ref<number>) {
    return useLiveQuery(
      async () => ({ entries: await listLog(db, book.value, limit.value), total: await countLog(db, book.value) }),
      { initial: { entries: [] as LocalRecord[], total: 0 }, deps: () => [book.value, limit.value] },
    )
  }

  async function addLog(data: LogEntryData): Promise<void> {
    await addLogEntry(db, await operator.who(), LogEntryDataSchema.parse(data), new Date())
    sync.notifyWrite()
  }

  return {
    now: now as ShallowRef<Date>,
    faults,
    open,
    ready,
    showMoreFaults,
    notifyItems,
    watchFault,
    createFault,
    recordFaultEvent,
    watchWorklist,
    markCallback,
    watchOutageCalls,
    exportItems,
    watchLog,
    addLog,
  }
})
