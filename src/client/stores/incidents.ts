import { defineStore } from 'pinia'
import { computed, type ComputedRef, type Ref, type ShallowRef } from 'vue'
import { useNow } from '@vueuse/core'
import { db } from '../db/db'
import { isArchivedClosed, toIncidentEvent } from '../db/incident-index'
import type { LocalRecord } from '../db/AppDB'
import {
  addIncidentRecord,
  appendIncidentEvents,
  countIncidentArchive,
  getIncident,
  listFaultEventsOf,
  listIncidentChildren,
  listIncidentArchive,
  startIncident,
  type IncidentArchiveQuery,
} from '../db/incidents-repository'
import { useOperatorStore } from './operator'
import { useLiveQuery } from '../composables/useLiveQuery'
import { usePlaybooksStore } from './playbooks'
import { useSyncStore } from './sync'
import { faultView, type FaultView } from './outage'
import { outageEndedAt } from '../../shared/fault-state'
import { newId } from '../../shared/ids'
import type { IncidentData, IncidentEventData } from '../../shared/incident'
import { deriveIncidentState, dueAlarms, incidentClocks, levelStep, type ClockState, type IncidentState } from '../../shared/incident-state'
import type { Playbook } from '../../shared/playbook'
import type {
  DrillRecordData,
  IncidentReportData,
  IncidentReviewData,
  RectificationDoneData,
} from '../../shared/incident-report'

/** An incident with everything the screens show about it, derived from its records. */
export interface IncidentView {
  id: string
  record: LocalRecord
  data: IncidentData
  playbook: Playbook | undefined
  state: IncidentState
  clocks: ClockState[]
  alarms: ClockState[]
  /** The clock that falls due next (running or due soon), if any. */
  next: ClockState | undefined
  /** The newest report submitted for it (a correction is a newer report). */
  report: LocalRecord | undefined
  review: LocalRecord | undefined
  /** Rectification items of the review that are done, by item id. */
  rectificationsDone: Map<string, LocalRecord>
  drillRecord: LocalRecord | undefined
  /**
   * The faults recorded from this incident (C1, C2), oldest first, each with its state. Their
   * recovery ends the outage: "escalate after" clocks that fall due later are not needed.
   */
  faults: FaultView[]
  /** When the last of its faults recovered, once all have (`outageEndedAt` in fault-state.ts). */
  outageEndedAt: string | undefined
}

/**
 * The archive's filters as a person sets them: a plan, open or closed, real or drill, and a range
 * of start days (YYYY-MM-DD, both included, in the tablet's time zone); '' is "any".
 */
export interface IncidentArchiveFilter {
  playbookId: string
  state: '' | 'open' | 'closed'
  mode: '' | 'real' | 'drill'
  from: string
  to: string
}

/** A row of the archive: the incident, its state from the index, and whether it has its paperwork. */
export interface IncidentArchiveRow {
  id: string
  record: LocalRecord
  data: IncidentData
  playbook: Playbook | undefined
  closed: boolean
  report: boolean
  review: boolean
}

/** Local midnight of a YYYY-MM-DD day, `days` later, as a UTC instant ('' for no day). */
function dayStart(day: string, days = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!match) return undefined
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days).toISOString()
}

/** The repository's query for the archive's filters (the days become instants at local midnight). */
export function archiveQueryOf(filter: IncidentArchiveFilter): IncidentArchiveQuery {
  const from = dayStart(filter.from)
  const to = dayStart(filter.to, 1)
  return {
    ...(filter.playbookId ? { playbookId: filter.playbookId } : {}),
    ...(filter.state ? { state: filter.state } : {}),
    ...(filter.mode ? { mode: filter.mode } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  }
}

interface IncidentRows {
  record: LocalRecord
  children: LocalRecord[]
  /** The events of the faults among the children. */
  faultEvents: LocalRecord[]
}

const newest = (records: LocalRecord[]) => records.reduce<LocalRecord | undefined>((a, b) => (!a || b.createdAt >= a.createdAt ? b : a), undefined)

export class NotEnrolledError extends Error {
  constructor() {
    super('this tablet is not enrolled')
    this.name = 'NotEnrolledError'
  }
}

/**
 * Incidents and drills: starting them, their events, and their clocks. The clocks are computed
 * from stored times and `now` (one shared ticking ref), so they are right after any restart.
 */
export const useIncidentsStore = defineStore('incidents', () => {
  const sync = useSyncStore()
  const playbooks = usePlaybooksStore()
  const now = useNow({ interval: 1000 })

  /** What the records of one incident say, recomputed only when they change (the merge sorts every event). */
  function derive({ record, children, faultEvents }: IncidentRows) {
    const data = record.data as IncidentData
    const playbook = playbooks.byIdVersion(data.playbookId, data.playbookVersion) ?? playbooks.byId(data.playbookId)
    const ofKind = (kind: LocalRecord['kind']) => children.filter((c) => c.kind === kind)
    const faults = ofKind('fault').map((fault) => faultView(fault, faultEvents.filter((e) => e.parentId === fault.id)))
    return {
      id: record.id,
      record,
      data,
      playbook,
      state: deriveIncidentState(ofKind('incidentEvent').map(toIncidentEvent)),
      report: newest(ofKind('incidentReport')),
      review: newest(ofKind('incidentReview')),
      rectificationsDone: new Map(ofKind('rectificationDone').map((r) => [(r.data as RectificationDoneData).itemId, r])),
      drillRecord: newest(ofKind('drillRecord')),
      faults,
      // computed with the records, not every second with the clocks
      outageEndedAt: outageEndedAt(faults.map((f) => f.state)),
    }
  }

  /** The clocks on top, once a second: cheap arithmetic over the derived state. */
  function withClocks(incident: ReturnType<typeof derive>, at: number): IncidentView {
    const endedAt = incident.outageEndedAt
    const clocks = incident.playbook ? incidentClocks(incident.playbook, incident.data, incident.state, at, endedAt ? { endedAt } : {}) : []
    const upcoming = clocks
      .filter((c) => c.status === 'running' || c.status === 'dueSoon')
      .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0))
    return { ...incident, clocks, alarms: incident.state.closed ? [] : dueAlarms(clocks), next: upcoming[0] }
  }

  const withChildren = async (record: LocalRecord): Promise<IncidentRows> => {
    const children = await listIncidentChildren(db, record.id)
    const faultEvents = await listFaultEventsOf(db, children.filter((c) => c.kind === 'fault').map((c) => c.id))
    return { record, children, faultEvents }
  }

  // The live set: every open incident, however old, newest first, found by the archive's index
  // (not by reading every event). Clocks and alarms run for these, every second; a closed one is
  // read on its own by the screen that shows it (`watchIncident`), the archive a page at a time.
  // With no incident open, a write re-reads nothing (bar a new or reopened incident) and no clock runs.
  const { value: rows, ready } = useLiveQuery(
    async () => Promise.all((await listIncidentArchive(db, { state: 'open' }, Infinity)).map(withChildren)),
    { initial: [] as IncidentRows[] },
  )

  const derived = computed(() => rows.value.map(derive))
  const incidents = computed<IncidentView[]>(() => derived.value.map((incident) => withClocks(incident, now.value.getTime())))
  const open = computed(() => incidents.value.filter((i) => !i.state.closed))
  const alarms = computed(() => open.value.flatMap((i) => i.alarms.map((alarm) => ({ incident: i, alarm }))))

  /** An open incident (the live set); see `watchIncident` for any incident. */
  function byId(id: string): IncidentView | undefined {
    return incidents.value.find((i) => i.id === id)
  }

  /**
   * One incident by id, live, whether or not it is in the live set (an old one opened from the
   * archive): read directly with its records. `ready` is false until the first read came back.
   */
  function watchIncident(id: Ref<string>): { incident: ComputedRef<IncidentView | undefined>; ready: ShallowRef<boolean> } {
    const { value: own, ready: ownReady } = useLiveQuery(
      async () => {
        const record = await getIncident(db, id.value)
        return record ? withChildren(record) : undefined
      },
      { initial: undefined as IncidentRows | undefined, deps: id },
    )
    const ownDerived = computed(() => (own.value?.record.id === id.value ? derive(own.value) : undefined))
    const incident = computed(() => {
      const live = byId(id.value)
      if (live) return live
      return ownDerived.value ? withClocks(ownDerived.value, now.value.getTime()) : undefined
    })
    return { incident, ready: ownReady }
  }

  /**
   * A page of the archive: the `limit` newest incidents matching the filter, and how many match
   * in all, read from the archive index; each row's state and paperwork come with the incident
   * (incident-index.ts), no other record is read. The count comes in its own read (it walks every
   * match) and is `undefined` until it is the count of the filter shown: never a stale number
   * beside new rows.
   */
  function watchArchive(filter: Ref<IncidentArchiveFilter>, limit: Ref<number>) {
    const { value, ready, error } = useLiveQuery(() => listIncidentArchive(db, archiveQueryOf(filter.value), limit.value), {
      initial: [] as LocalRecord[],
      deps: () => [filter.value, limit.value],
    })
    const { value: counted } = useLiveQuery(
      async () => {
        const counting = filter.value
        return { filter: counting, total: await countIncidentArchive(db, archiveQueryOf(counting)) }
      },
      { initial: { filter: undefined as IncidentArchiveFilter | undefined, total: 0 }, deps: filter },
    )
    const rows = computed<IncidentArchiveRow[]>(() =>
      value.value.map((record) => {
        const data = record.data as IncidentData
        return {
          id: record.id,
          record,
          data,
          playbook: playbooks.byIdVersion(data.playbookId, data.playbookVersion) ?? playbooks.byId(data.playbookId),
          closed: isArchivedClosed(record),
          report: record.paperwork?.includes('incidentReport') ?? false,
          review: record.paperwork?.includes('incidentReview') ?? false,
        }
      }),
    )
    const total = computed(() => (counted.value.filter === filter.value ? counted.value.total : undefined))
    return { rows, total, ready, error }
  }

  // Every record names the signed-in person (who() throws when nobody is: the router keeps that from happening).
  const operator = useOperatorStore()

  async function start(playbook: Playbook, options: { variantId?: string; drill: boolean }): Promise<string> {
    const id = newId()
    const data: IncidentData = {
      playbookId: playbook.id,
      playbookVersion: playbook.version,
      startedAt: new Date().toISOString(),
      drill: options.drill,
      note: '',
      ...(options.variantId ? { variantId: options.variantId } : {}),
    }
    await startIncident(db, await operator.who(), id, data, new Date())
    sync.notifyWrite()
    return id
  }

  /** Stores what one tap did: one event, or several in one transaction. */
  async function record(incidentId: string, ...events: Omit<IncidentEventData, 'hlc' | 'at' | 'incidentId'>[]): Promise<void> {
    await appendIncidentEvents(db, await operator.who(), events.map((event) => ({ id: newId(), event: { ...event, incidentId } })), new Date())
    sync.notifyWrite()
  }

  async function submit<K extends 'incidentReport' | 'incidentReview' | 'rectificationDone' | 'drillRecord'>(
    kind: K,
    data: K extends 'incidentReport'
      ? IncidentReportData
      : K extends 'incidentReview'
        ? IncidentReviewData
        : K extends 'rectificationDone'
          ? RectificationDoneData
          : DrillRecordData,
  ): Promise<string> {
    const id = newId()
    await addIncidentRecord(db, await operator.who(), kind, id, { ...data }, new Date())
    sync.notifyWrite()
    return id
  }

  /**
   * Ticks a step. `doneAt`: when it was really done, if earlier than now ("told the supervisor at
   * 10:05"); the clocks judge the step by it. `note`: how, or whom ("by phone, Mr Wang").
   */
  async function tick(incidentId: string, stepId: string, options: { doneAt?: string; note?: string } = {}): Promise<void> {
    const note = options.note?.trim()
    const doneAt = options.doneAt
    if (doneAt !== undefined && !(Date.parse(doneAt) <= Date.now())) throw new RangeError(`doneAt ${doneAt} is not a past time`)
    const tickEvent = { type: 'tick', stepId, ...(doneAt ? { doneAt } : {}), ...(note ? { note } : {}) } as const
    // A step that carries out a level (C8: "start level 1") starts it: the level's start is an
    // event of its own, stored with the tick, so that every tablet's next-level clock runs from
    // it. Started already (the button, another tablet): the earliest start counts anyway, so a
    // second one recorded from an older view changes nothing.
    const incident = await incidentOf(incidentId)
    const levelId = incident?.playbook?.steps.find((s) => s.id === stepId)?.levelId
    if (levelId && !incident?.state.levels.has(levelId)) {
      await record(incidentId, tickEvent, { type: 'levelStart', levelId, ...(doneAt ? { doneAt } : {}) })
    } else {
      await record(incidentId, tickEvent)
    }
  }

  /** The incident as the screens see it: from the live set, else read once (an old one). */
  async function incidentOf(id: string): Promise<ReturnType<typeof derive> | undefined> {
    const live = derived.value.find((i) => i.id === id)
    if (live) return live
    const record = await getIncident(db, id)
    return record ? derive(await withChildren(record)) : undefined
  }

  /**
   * Unticks a step. A level the step started stays started: there is no "unstart" (see
   * `IncidentState.levels`); the screen says so before a person unticks such a step.
   */
  const untick = (incidentId: string, stepId: string) => record(incidentId, { type: 'untick', stepId })
  const acknowledge = (incidentId: string, alarmKey: string) => record(incidentId, { type: 'alarmAck', alarmKey })

  /**
   * Starts a level. A level carried out by a step of the incident's branch is started by ticking
   * that step (the step is then done too); one with no step is started on its own.
   */
  async function startLevel(incidentId: string, levelId: string): Promise<void> {
    const incident = await incidentOf(incidentId)
    const step = incident?.playbook ? levelStep(incident.playbook, incident.data.variantId, levelId) : undefined
    if (step && !incident?.state.steps.get(step.id)?.done) return tick(incidentId, step.id)
    await record(incidentId, { type: 'levelStart', levelId })
  }
  const addNote = (incidentId: string, note: string) => record(incidentId, { type: 'note', note })
  const close = (incidentId: string) => record(incidentId, { type: 'close' })
  const reopen = (incidentId: string) => record(incidentId, { type: 'reopen' })

  return {
    now: now as ShallowRef<Date>,
    /** False until the first read of the local database has come back. */
    ready,
    incidents,
    open,
    alarms,
    byId,
    watchIncident,
    watchArchive,
    start,
    tick,
    untick,
    acknowledge,
    startLevel,
    addNote,
    close,
    reopen,
    submit,
  }
})
