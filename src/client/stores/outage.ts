import { defineStore } from 'pinia'
import { computed, shallowRef, type Ref, type ShallowRef } from 'vue'
import { useNow } from '@vueuse/core'
import { db } from '../db/db'
import { DESK_ANY, toCallbackEvent, toFaultEvent, type DeskState } from '../db/outage-index'
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
  listChildrenOfKind,
  listFaults,
  listLog,
  listOpenFaults,
  readWorklist,
  type AutoLogLine,
  type WorklistRow,
  type WorklistView,
} from '../db/outage-repository'
import { useLiveQuery } from '../composables/useLiveQuery'
import { useOperatorStore } from './operator'
import { useSyncStore } from './sync'
import { deriveCallback, type CallbackAction, type CallbackState, type CallbackSummary } from '../../shared/callback-state'
import type { FaultData, FaultEventData } from '../../shared/fault'
import { deriveFaultState, notifyAlarms, notifyStatus, type FaultState, type NotifyItem } from '../../shared/fault-state'
import { newId } from '../../shared/ids'
import type { LogBook, LogEntryData } from '../../shared/log'
import { schemas } from '../schemas'
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

/** A fault and its events as the screens show it (also for the faults an incident lists). */
export function faultView(record: LocalRecord, events: LocalRecord[]): FaultView {
  const data = record.data as FaultData
  return { id: record.id, record, data, state: deriveFaultState(data, events.map(toFaultEvent)) }
}

export const FAULT_PAGE = 20
/** Worklist entries per page. */
export const WORKLIST_PAGE = 50
/** The worklist's entries in one callback state, or all of them. */
export type WorklistFilter = CallbackState | 'all'

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

  const { value: rows, ready: faultsReady } = useLiveQuery(
    async () => {
      const faults = await listFaults(db, faultLimit.value)
      return Promise.all(faults.map(async (record) => ({ record, events: await listChildrenOfKind(db, record.id, 'faultEvent') })))
    },
    { initial: [] as { record: LocalRecord; events: LocalRecord[] }[], deps: faultLimit },
  )
  const faults = computed<FaultView[]>(() => rows.value.map(({ record, events }) => faultView(record, events)))
  // Every open fault, however many newer ones there are: from the desk index, not from the page above.
  const { value: openRows, ready: openReady } = useLiveQuery(
    async () => {
      const records = await listOpenFaults(db)
      return Promise.all(records.map(async (record) => ({ record, events: await listChildrenOfKind(db, record.id, 'faultEvent') })))
    },
    { initial: [] as { record: LocalRecord; events: LocalRecord[] }[] },
  )
  const open = computed(() => openRows.value.map(({ record, events }) => faultView(record, events)).filter((f) => !f.state.recovered))
  const ready = computed(() => faultsReady.value && openReady.value)

  function showMoreFaults() {
    faultLimit.value += FAULT_PAGE
  }

  /**
   * The fault's own notification deadlines at `now`. None for a fault recorded from an incident:
   * the incident's clocks are its clocks (one set, counted from the incident's start), and telling
   * someone is ticking the incident's step.
   */
  function notifyItems(fault: FaultView): NotifyItem[] {
    if (fault.data.incidentId) return []
    return notifyStatus(fault.data, fault.state, now.value.getTime())
  }

  /**
   * The alarms of the ongoing faults on their own clocks (the list's faults, newest first): an
   * overdue notification, until a person acknowledges it (an `alarmAck` fault event). A fault of
   * an incident rings through its incident, once.
   */
  const alarms = computed(() => open.value.flatMap((fault) => notifyAlarms(notifyItems(fault)).map((item) => ({ fault, item }))))

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
    const { FaultDataSchema } = await schemas()
    await storeFault(db, await operator.who(), id, FaultDataSchema.parse(data), lines.map(logLine), new Date())
    sync.notifyWrite()
    return id
  }

  /**
   * Records an event of a fault. Its `at` is when it happened, which a person may give ("told at
   * 14:06", "recovered at 14:20"): never later than now, as for an incident's step (incidents.ts `tick`).
   */
  async function recordFaultEvent(data: FaultEventData, lines: AutoLogLine[] = []): Promise<void> {
    if (!(Date.parse(data.at) <= Date.now())) throw new RangeError(`at ${data.at} is not a past time`)
    const { FaultEventDataSchema } = await schemas()
    await appendFaultEvent(db, await operator.who(), FaultEventDataSchema.parse(data), lines.map(logLine), new Date())
    sync.notifyWrite()
  }

  /**
   * An outage's callback worklist screen, live: the fault (undefined when there is none), a page
   * of its worklist (its calls that need a callback), oldest call first, in one state or all,
   * searched by number or name prefix, `limit` growing with "show more"; `matches` counts the
   * entries of the state and search, `counts` each state's entries. One live query, one
   * read-only transaction for all of it (`readWorklist`): the screen paints once, whole.
   */
  function watchWorklist(faultId: Ref<string>, options: { state?: Ref<WorklistFilter>; query?: Ref<string>; limit?: Ref<number> } = {}) {
    const state = (): DeskState => {
      const chosen = options.state?.value ?? 'all'
      return chosen === 'all' ? DESK_ANY : chosen
    }
    const query = () => options.query?.value ?? ''
    const limit = () => options.limit?.value ?? WORKLIST_PAGE
    const { value, ready: loaded } = useLiveQuery(() => readWorklist(db, faultId.value, { state: state(), query: query(), limit: limit() }), {
      initial: { rows: [] as WorklistRow[], counts: { [DESK_ANY]: 0, toCall: 0, noAnswer: 0, resolved: 0, reentered: 0 } } as WorklistView,
      deps: () => [faultId.value, state(), query(), limit()],
    })
    const fault = computed(() => {
      const found = value.value.fault
      return found ? faultView(found.record, found.events) : undefined
    })
    const counts = computed<Record<WorklistFilter, number>>(() => {
      const { [DESK_ANY]: all, ...states } = value.value.counts
      return { all, ...states }
    })
    const entries = computed<CallbackEntry[]>(() =>
      value.value.rows.map(({ record, events }) => ({ record, summary: deriveCallback(events.map(toCallbackEvent)) })),
    )
    // a search counts its matches; otherwise the state's count is the number of entries
    const matches = computed(() => value.value.matches ?? counts.value[options.state?.value ?? 'all'])
    return { fault, entries, matches, counts, ready: loaded }
  }

  async function markCallback(callRecordId: string, action: CallbackAction, note = ''): Promise<void> {
    const { CallbackEventDataSchema } = await schemas()
    const data = CallbackEventDataSchema.parse({ callRecordId, state: action, note, at: new Date().toISOString() })
    await appendCallbackEvent(db, await operator.who(), data, new Date())
    sync.notifyWrite()
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
    const { LogEntryDataSchema } = await schemas()
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
    alarms,
    watchFault,
    createFault,
    recordFaultEvent,
    watchWorklist,
    markCallback,
    exportItems,
    watchLog,
    addLog,
  }
})
