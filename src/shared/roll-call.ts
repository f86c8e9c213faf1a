import { z } from 'zod'
import { UUID_RE } from './ids'

/**
 * The evacuation roll-call of a fire or a robbery (plans H3, H4, C5): who of the staff is safe,
 * missing or injured, how many customers were brought out, and when the count was complete.
 *
 * A `rollCall` is started once for an incident and never edited; everything after is a
 * `rollCallMark`, one small append-only record per tap, so several tablets can mark offline at the
 * assembly point and their work merges by union. The state is derived from the marks: for each
 * person the newest mark wins (by the record's creation time, then its id: the same answer on every
 * tablet whatever order the marks arrived in).
 */

const isoDateTime = z.iso.datetime({ offset: true })
const uuid = z.string().regex(UUID_RE)

export const RollCallDataSchema = z.object({
  incidentId: uuid,
  startedAt: isoDateTime,
})
export type RollCallData = z.infer<typeof RollCallDataSchema>

/**
 * What a person is marked: safe, missing (not accounted for: the one the firefighters must hear
 * about), injured, or absent (on the roster but not in the building today, so they are not counted
 * as unmarked for ever).
 */
export const ROLL_CALL_STATUSES = ['safe', 'missing', 'injured', 'absent'] as const
export type RollCallStatus = (typeof ROLL_CALL_STATUSES)[number]

/**
 * `status`: a person marked; `addPerson`: someone not on the roster added by name (temporary staff,
 * a visitor helping); `customers`: the number of customers evacuated, as counted now (the newest
 * count wins: it is a count, not an increment); `complete`: the roll-call declared complete.
 */
export const ROLL_CALL_MARK_TYPES = ['status', 'addPerson', 'customers', 'complete'] as const
export type RollCallMarkType = (typeof ROLL_CALL_MARK_TYPES)[number]

export const ROLL_CALL_NOTE_MAX = 200
export const ROLL_CALL_CUSTOMERS_MAX = 100_000

export const RollCallMarkDataSchema = z
  .object({
    rollCallId: uuid,
    type: z.enum(ROLL_CALL_MARK_TYPES),
    /**
     * `status`, `addPerson`: the person marked: their id on the site's roster, or the id made for
     * a person added by name. (Not the author: the envelope's `personId` says who marked.)
     */
    personId: uuid.optional(),
    /** `status`: the person's name as shown when marked (readable without the roster); `addPerson`: the name. */
    name: z.string().trim().max(50).default(''),
    status: z.enum(ROLL_CALL_STATUSES).optional(),
    /** `status`: a short note, e.g. where an injured person is, or where a missing one was last seen. */
    note: z.string().trim().max(ROLL_CALL_NOTE_MAX).default(''),
    /** `customers`: how many customers are out. */
    count: z.number().int().min(0).max(ROLL_CALL_CUSTOMERS_MAX).optional(),
    /** When it was marked, on the device (what people read). */
    at: isoDateTime,
  })
  .superRefine((m, ctx) => {
    const need = (field: 'personId' | 'status' | 'count' | 'name') =>
      ctx.addIssue({ code: 'custom', path: [field], message: `${field} is required for ${m.type}` })
    if ((m.type === 'status' || m.type === 'addPerson') && !m.personId) need('personId')
    if (m.type === 'status' && !m.status) need('status')
    if (m.type === 'addPerson' && !m.name) need('name')
    if (m.type === 'customers' && m.count === undefined) need('count')
  })
export type RollCallMarkData = z.infer<typeof RollCallMarkDataSchema>

/** A mark as the derivation sees it: its data plus its envelope's order and author. */
export interface RollCallMark extends RollCallMarkData {
  id: string
  createdAt: string
  author: string
}

/** Someone of the site's roster, as far as the roll-call needs them. */
export interface RollCallRosterEntry {
  id: string
  name: string
  staffNo?: string
}

export interface RollCallPerson {
  personId: string
  name: string
  staffNo?: string
  /** False for someone added by name during the roll-call. */
  onRoster: boolean
  /** The person's newest `status` mark: their status, with when and by whom. */
  mark?: RollCallMark
  /** Every status mark of the person, oldest first. */
  history: RollCallMark[]
}

export interface RollCallCounts {
  safe: number
  missing: number
  injured: number
  absent: number
  unmarked: number
}

export interface RollCallState {
  startedAt: string
  people: RollCallPerson[]
  counts: RollCallCounts
  customersEvacuated: number
  /** The newest customer count (who counted and when). */
  customersMark?: RollCallMark
  /** When the roll-call was first declared complete, and by whom. Marks made later still count. */
  completedAt?: string
  completedBy?: string
  /** Every mark in the order that decides. */
  timeline: RollCallMark[]
}

/** The deterministic order of marks on every tablet: created time, then id. */
export function byMarkOrder(a: Pick<RollCallMark, 'createdAt' | 'id'>, b: Pick<RollCallMark, 'createdAt' | 'id'>): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * The roll-call as it stands from its marks: the roster's people (in the roster's order), then the
 * people added by name or marked on another tablet whose roster this one does not have (in the
 * order they first appear). `marks` may hold the marks of several roll-calls of one incident (two
 * tablets that started one each while offline): a person is one person whichever roll-call their
 * mark went to.
 */
export function rollCallState(
  rollCall: Pick<RollCallData, 'startedAt'>,
  marks: readonly RollCallMark[],
  roster: readonly RollCallRosterEntry[] = [],
): RollCallState {
  const timeline = [...marks].sort(byMarkOrder)
  const people = new Map<string, RollCallPerson>()
  for (const p of roster) {
    if (!people.has(p.id)) people.set(p.id, { personId: p.id, name: p.name, ...(p.staffNo ? { staffNo: p.staffNo } : {}), onRoster: true, history: [] })
  }
  const person = (id: string, name: string): RollCallPerson => {
    let held = people.get(id)
    if (!held) {
      held = { personId: id, name, onRoster: false, history: [] }
      people.set(id, held)
    }
    return held
  }

  let customersMark: RollCallMark | undefined
  let completed: RollCallMark | undefined
  for (const m of timeline) {
    switch (m.type) {
      case 'addPerson':
        if (m.personId) {
          const p = person(m.personId, m.name)
          if (!p.onRoster && m.name) p.name = m.name
        }
        break
      case 'status':
        if (m.personId && m.status) {
          const p = person(m.personId, m.name)
          if (!p.name && m.name) p.name = m.name
          p.history.push(m)
          p.mark = m
        }
        break
      case 'customers':
        if (m.count !== undefined) customersMark = m
        break
      case 'complete':
        completed ??= m
        break
    }
  }

  const counts: RollCallCounts = { safe: 0, missing: 0, injured: 0, absent: 0, unmarked: 0 }
  for (const p of people.values()) {
    if (p.mark?.status) counts[p.mark.status]++
    else counts.unmarked++
  }
  return {
    startedAt: rollCall.startedAt,
    people: [...people.values()],
    counts,
    customersEvacuated: customersMark?.count ?? 0,
    ...(customersMark ? { customersMark } : {}),
    ...(completed ? { completedAt: completed.at, completedBy: completed.author } : {}),
    timeline,
  }
}

/**
 * The order of the page: people nobody has marked first (the ones to look for), then missing,
 * injured, safe, and absent last; within a group the roster's order.
 */
const GROUP_ORDER: Record<RollCallStatus | 'unmarked', number> = { unmarked: 0, missing: 1, injured: 2, safe: 3, absent: 4 }

export function rollCallOrder(people: readonly RollCallPerson[]): RollCallPerson[] {
  return people
    .map((p, i) => ({ p, i }))
    .sort((a, b) => GROUP_ORDER[a.p.mark?.status ?? 'unmarked'] - GROUP_ORDER[b.p.mark?.status ?? 'unmarked'] || a.i - b.i)
    .map(({ p }) => p)
}
