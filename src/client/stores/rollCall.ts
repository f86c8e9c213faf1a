import { defineStore } from 'pinia'
import { computed, type Ref } from 'vue'
import { db } from '../db/db'
import type { LocalRecord } from '../db/AppDB'
import { getEnrollment } from '../db/meta-repository'
import { listRoster } from '../db/people-repository'
import { addRollCallMarks, listRollCallMarks, listRollCalls } from '../db/roll-call-repository'
import { useLiveQuery } from '../composables/useLiveQuery'
import { useOperatorStore } from './operator'
import { useSyncStore } from './sync'
import { useUnsavedWorkStore } from './unsavedWork'
import { newId } from '../../shared/ids'
import type { PersonRecordData } from '../../shared/people'
import {
  RollCallMarkDataSchema,
  rollCallOrder,
  rollCallState,
  type RollCallData,
  type RollCallMark,
  type RollCallMarkData,
  type RollCallPerson,
  type RollCallState,
  type RollCallStatus,
} from '../../shared/roll-call'

/** A roll-call as the page shows it: whether one has started, its state, and the people in page order. */
export interface RollCallView {
  started: boolean
  rollCallId?: string
  state: RollCallState
  /** Unmarked first, then missing, injured, safe, absent. */
  ordered: RollCallPerson[]
}

interface Rows {
  roster: PersonRecordData[]
  rollCalls: LocalRecord[]
  marks: LocalRecord[]
}

function toMark(record: LocalRecord): RollCallMark {
  return { ...(record.data as RollCallMarkData), id: record.id, createdAt: record.createdAt, author: record.author }
}

function view(rows: Rows): RollCallView {
  const first = rows.rollCalls[0]
  const startedAt = first ? (first.data as RollCallData).startedAt : ''
  const roster = rows.roster.map((p) => ({ id: p.id, name: p.name, staffNo: p.staffNo }))
  const state = rollCallState({ startedAt }, rows.marks.map(toMark), roster)
  return { started: !!first, ...(first ? { rollCallId: first.id } : {}), state, ordered: rollCallOrder(state.people) }
}

/**
 * The evacuation roll-call of an incident. Every tap is one new append-only mark (saved at once,
 * with strict durability, and queued for the server); the state is derived from the marks, so it
 * is the same on every tablet after a sync and survives a reload, a crash or a power cut. The
 * staff list is the site's roster as it came down by pull, plus the people added by name.
 */
export const useRollCallStore = defineStore('rollCall', () => {
  const sync = useSyncStore()
  const operator = useOperatorStore()
  const unsaved = useUnsavedWorkStore()
  // One tap after the other: a customer count of 7 is never overtaken on disk by the 6 before it.
  let writes: Promise<unknown> = Promise.resolve()

  /** The roll-call of an incident, live (this tablet's marks, the ones pulled, the roster). */
  function watchRollCall(incidentId: Ref<string>) {
    const { value, ready, error } = useLiveQuery<Rows>(
      async () => {
        const enrollment = await getEnrollment(db)
        const roster = enrollment ? await listRoster(db, enrollment.siteId) : []
        const rollCalls = await listRollCalls(db, incidentId.value)
        const marks = await listRollCallMarks(db, rollCalls.map((r) => r.id))
        return { roster, rollCalls, marks }
      },
      { initial: { roster: [], rollCalls: [], marks: [] }, deps: incidentId },
    )
    return { rollCall: computed(() => view(value.value)), ready, error }
  }

  function write(incidentId: string, marks: Omit<RollCallMarkData, 'rollCallId'>[]): Promise<void> {
    const run = writes.then(async () => {
      // Parsed here as the server will. The roll-call's id is only known inside the repository's
      // transaction (it may start the roll-call), so the incident's id stands in for the check.
      const parsed = marks.map((m) => {
        const { rollCallId: _, ...rest } = RollCallMarkDataSchema.parse({ ...m, rollCallId: incidentId })
        return rest
      })
      await addRollCallMarks(db, await operator.who(), incidentId, parsed, new Date())
      sync.notifyWrite()
    })
    writes = run.catch(() => undefined)
    // reported per person (or per count): a later tap on the same one supersedes a failed one
    return unsaved.track(run, `rollCall:${incidentId}:${marks.map((m) => m.personId ?? m.type).join(',')}`)
  }

  function mark(incidentId: string, person: Pick<RollCallPerson, 'personId' | 'name'>, status: RollCallStatus, note = ''): Promise<void> {
    return write(incidentId, [{ type: 'status', personId: person.personId, name: person.name.slice(0, 50), status, note, at: new Date().toISOString() }])
  }

  /** Adds someone who is not on the roster (temporary staff, a visitor helping), optionally marked at once. */
  async function addPerson(incidentId: string, name: string, status?: RollCallStatus): Promise<string> {
    const personId = newId()
    const at = new Date().toISOString()
    const trimmed = name.trim().slice(0, 50)
    await write(incidentId, [
      { type: 'addPerson', personId, name: trimmed, note: '', at },
      ...(status ? [{ type: 'status' as const, personId, name: trimmed, status, note: '', at }] : []),
    ])
    return personId
  }

  function setCustomers(incidentId: string, count: number): Promise<void> {
    return write(incidentId, [{ type: 'customers', count: Math.max(0, Math.round(count)), name: '', note: '', at: new Date().toISOString() }])
  }

  function complete(incidentId: string): Promise<void> {
    return write(incidentId, [{ type: 'complete', name: '', note: '', at: new Date().toISOString() }])
  }

  /** Resolves when every tap so far is on disk. */
  function flush(): Promise<unknown> {
    return writes
  }

  return { watchRollCall, mark, addPerson, setCustomers, complete, flush }
})
