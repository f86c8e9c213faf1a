import { defineStore } from 'pinia'
import { computed, type ShallowRef } from 'vue'
import { useNow } from '@vueuse/core'
import { db } from '../db/db'
import type { LocalRecord } from '../db/AppDB'
import {
  addIncidentRecord,
  appendIncidentEvent,
  listIncidentChildren,
  listIncidents,
  startIncident,
} from '../db/incidents-repository'
import { useOperatorStore } from './operator'
import { useLiveQuery } from '../composables/useLiveQuery'
import { usePlaybooksStore } from './playbooks'
import { useSyncStore } from './sync'
import { newId } from '../../shared/ids'
import {
  deriveIncidentState,
  dueAlarms,
  incidentClocks,
  type ClockState,
  type IncidentData,
  type IncidentEvent,
  type IncidentEventData,
  type IncidentState,
} from '../../shared/incident'
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
}

const newest = (records: LocalRecord[]) => records.reduce<LocalRecord | undefined>((a, b) => (!a || b.createdAt >= a.createdAt ? b : a), undefined)

function toEvent(record: LocalRecord): IncidentEvent {
  return { ...(record.data as IncidentEventData), id: record.id, author: record.author, deviceId: record.deviceId }
}

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

  const { value: rows, ready } = useLiveQuery(
    async () => {
      const incidents = await listIncidents(db)
      return Promise.all(incidents.map(async (record) => ({ record, children: await listIncidentChildren(db, record.id) })))
    },
    { initial: [] as { record: LocalRecord; children: LocalRecord[] }[] },
  )

  // What the records say, recomputed only when they change (the merge sorts every event).
  const derived = computed(() =>
    rows.value.map(({ record, children }) => {
      const data = record.data as IncidentData
      const playbook = playbooks.byIdVersion(data.playbookId, data.playbookVersion) ?? playbooks.byId(data.playbookId)
      const ofKind = (kind: LocalRecord['kind']) => children.filter((c) => c.kind === kind)
      return {
        id: record.id,
        record,
        data,
        playbook,
        state: deriveIncidentState(ofKind('incidentEvent').map(toEvent)),
        report: newest(ofKind('incidentReport')),
        review: newest(ofKind('incidentReview')),
        rectificationsDone: new Map(ofKind('rectificationDone').map((r) => [(r.data as RectificationDoneData).itemId, r])),
        drillRecord: newest(ofKind('drillRecord')),
      }
    }),
  )

  // The clocks on top, once a second: cheap arithmetic over the derived state.
  const incidents = computed<IncidentView[]>(() =>
    derived.value.map((incident) => {
      const clocks = incident.playbook ? incidentClocks(incident.playbook, incident.data, incident.state, now.value.getTime()) : []
      const upcoming = clocks
        .filter((c) => c.status === 'running' || c.status === 'dueSoon')
        .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0))
      return { ...incident, clocks, alarms: incident.state.closed ? [] : dueAlarms(clocks), next: upcoming[0] }
    }),
  )
  const open = computed(() => incidents.value.filter((i) => !i.state.closed))
  const alarms = computed(() => open.value.flatMap((i) => i.alarms.map((alarm) => ({ incident: i, alarm }))))

  function byId(id: string): IncidentView | undefined {
    return incidents.value.find((i) => i.id === id)
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

  async function record(incidentId: string, event: Omit<IncidentEventData, 'hlc' | 'at' | 'incidentId'>): Promise<void> {
    await appendIncidentEvent(db, await operator.who(), newId(), { ...event, incidentId }, new Date())
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

  const tick = (incidentId: string, stepId: string) => record(incidentId, { type: 'tick', stepId })
  const untick = (incidentId: string, stepId: string) => record(incidentId, { type: 'untick', stepId })
  const acknowledge = (incidentId: string, alarmKey: string) => record(incidentId, { type: 'alarmAck', alarmKey })
  const startLevel = (incidentId: string, levelId: string) => record(incidentId, { type: 'levelStart', levelId })
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
