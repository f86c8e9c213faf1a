import type { FaultData, FaultEvent } from './fault'

/**
 * A fault's vocabulary and what is derived from its events: its state and who must be told by when
 * (src/shared/fault.ts holds the records' schemas and re-exports all of this). No schema library
 * here: the outage desk and the alarm bar use these at start, before zod is loaded.
 */

export const FAULT_SCOPES = ['seat', 'allSeats', 'application', 'network', 'power'] as const
export type FaultScope = (typeof FAULT_SCOPES)[number]

/** Who the plans say must be told (C1, C2). */
export const NOTIFY_ROLES = ['shiftLeader', 'opsSpecialist', 'supervisor', 'opsSupervisor', 'centerManager', 'leaders', 'vendor', 'other'] as const
export type NotifyRole = (typeof NOTIFY_ROLES)[number]

/**
 * `alarmAck`: a person acknowledged the alarm of an overdue notification (`role`) of a fault that
 * runs on its own clocks (no incident): recorded like an incident's acknowledgement.
 */
export const FAULT_EVENT_TYPES = ['notified', 'action', 'vendorContacted', 'spareSeat', 'recovered', 'reopened', 'alarmAck'] as const
export type FaultEventType = (typeof FAULT_EVENT_TYPES)[number]

export interface FaultState {
  recovered: boolean
  recoveredAt?: string
  recoveredBy?: string
  /** From start to recovery (ms), or undefined while the fault lasts. */
  durationMs?: number
  notified: FaultEvent[]
  actions: FaultEvent[]
  vendors: FaultEvent[]
  spareSeats: FaultEvent[]
  /** The first acknowledgement of each role's overdue alarm. */
  acknowledged: Map<NotifyRole, FaultEvent>
  /** Every event in the order it was recorded. */
  timeline: FaultEvent[]
}

/** The deterministic order of events on every tablet: recorded time, then id. */
export function byRecordedOrder<T extends { createdAt: string; id: string }>(a: T, b: T): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

export function deriveFaultState(fault: Pick<FaultData, 'startedAt'>, events: FaultEvent[]): FaultState {
  const timeline = [...events].sort(byRecordedOrder)
  const state: FaultState = { recovered: false, notified: [], actions: [], vendors: [], spareSeats: [], acknowledged: new Map(), timeline }
  for (const e of timeline) {
    switch (e.type) {
      case 'notified':
        state.notified.push(e)
        break
      case 'action':
        state.actions.push(e)
        break
      case 'vendorContacted':
        state.vendors.push(e)
        break
      case 'spareSeat':
        state.spareSeats.push(e)
        break
      case 'recovered':
        state.recovered = true
        state.recoveredAt = e.at
        state.recoveredBy = e.author
        break
      case 'reopened':
        state.recovered = false
        state.recoveredAt = undefined
        state.recoveredBy = undefined
        break
      case 'alarmAck':
        if (e.role && !state.acknowledged.has(e.role)) state.acknowledged.set(e.role, e)
        break
    }
  }
  if (state.recoveredAt) state.durationMs = Math.max(0, Date.parse(state.recoveredAt) - Date.parse(fault.startedAt))
  return state
}

/**
 * Who must be told and by when, after plans C1 and C2: the ops specialist at once; for a fault
 * beyond one seat the call center supervisor within 5 minutes, the operations supervisor and the
 * center manager if it lasts 10, and management (the vendor) if it lasts 60. These are the clocks
 * of a fault recorded on its own. A fault recorded from an incident (`incidentId`) has none: the
 * incident's clocks are its clocks, and telling someone is ticking the incident's step.
 */
export interface NotifyDeadline {
  role: NotifyRole
  /** Minutes after the start; 0 = at once. */
  afterMin: number
  /** Only owed if the fault is still there at that time. */
  onlyIfOngoing: boolean
}

export function notifyPlan(scope: FaultScope): NotifyDeadline[] {
  if (scope === 'seat') {
    return [
      { role: 'shiftLeader', afterMin: 0, onlyIfOngoing: false },
      { role: 'opsSpecialist', afterMin: 0, onlyIfOngoing: false },
    ]
  }
  return [
    { role: 'opsSpecialist', afterMin: 0, onlyIfOngoing: false },
    { role: 'supervisor', afterMin: 5, onlyIfOngoing: false },
    { role: 'opsSupervisor', afterMin: 10, onlyIfOngoing: true },
    { role: 'centerManager', afterMin: 10, onlyIfOngoing: true },
    { role: 'vendor', afterMin: 60, onlyIfOngoing: true },
  ]
}

/** How long before a deadline it shows as due soon (and the grace of an "at once" one). */
export const DUE_SOON_MS = 2 * 60_000

/** `doneLate`: told, but after the deadline (judged by the time told, which a person may correct). */
export type NotifyStatus = 'done' | 'doneLate' | 'overdue' | 'dueSoon' | 'pending' | 'notNeeded'

export interface NotifyItem extends NotifyDeadline {
  dueAt: number
  status: NotifyStatus
  /** The `notified` event for this role that says the earliest time told (two tablets may both record it). */
  done?: FaultEvent
  /** Who acknowledged the alarm of this deadline, once it was overdue. */
  acknowledged?: FaultEvent
}

/** The event with the earliest `at`; at equal times the first recorded (events come in recorded order). */
function earliest(events: readonly FaultEvent[]): FaultEvent | undefined {
  return events.reduce<FaultEvent | undefined>((a, b) => (!a || Date.parse(b.at) < Date.parse(a.at) ? b : a), undefined)
}

/**
 * Each deadline's status at `now`: done in time or late (judged by the event's `at`, the time the
 * person was told as recorded, corrections included), overdue, due within 2 min, pending, or not needed.
 */
export function notifyStatus(fault: Pick<FaultData, 'scope' | 'startedAt'>, state: FaultState, now: number): NotifyItem[] {
  const start = Date.parse(fault.startedAt)
  const recoveredAt = state.recoveredAt ? Date.parse(state.recoveredAt) : undefined
  return notifyPlan(fault.scope).map((deadline) => {
    const dueAt = start + deadline.afterMin * 60_000
    // "At once" is not late the second the fault is recorded: it has the same short grace as "due soon".
    const lateAfter = dueAt + (deadline.afterMin === 0 ? DUE_SOON_MS : 0)
    const done = earliest(state.notified.filter((e) => e.role === deadline.role)) ??
      (deadline.role === 'vendor' ? earliest(state.vendors) : undefined)
    const acknowledged = state.acknowledged.get(deadline.role)
    let status: NotifyStatus
    if (done) status = Date.parse(done.at) <= lateAfter ? 'done' : 'doneLate'
    else if (deadline.onlyIfOngoing && recoveredAt !== undefined && recoveredAt < dueAt) status = 'notNeeded'
    else if (now >= lateAfter) status = 'overdue'
    else if (deadline.afterMin === 0) status = 'dueSoon'
    else if (dueAt - now <= DUE_SOON_MS) status = 'dueSoon'
    else status = 'pending'
    return { ...deadline, dueAt, status, ...(done ? { done } : {}), ...(acknowledged ? { acknowledged } : {}) }
  })
}

/** The notifications of a fault on its own clocks that need a person now: overdue and not acknowledged. */
export function notifyAlarms(items: readonly NotifyItem[]): NotifyItem[] {
  return items.filter((i) => i.status === 'overdue' && !i.acknowledged)
}

/**
 * When the outage of an incident ended: the latest recovery once every fault recorded for it is
 * recovered; undefined while one is still down, or when it has none. An incident's "escalate after"
 * clocks (C2: 10 and 60 minutes) are not needed once it ended first.
 */
export function outageEndedAt(faults: readonly Pick<FaultState, 'recovered' | 'recoveredAt'>[]): string | undefined {
  if (faults.length === 0 || faults.some((f) => !f.recovered || !f.recoveredAt)) return undefined
  return faults.map((f) => f.recoveredAt!).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a))
}

/**
 * The scope a fault recorded from a running plan most likely has, first the likeliest, after the
 * plans' triggers: C1 one seat; C2 an application, the network or every seat; C3 the power; C7 the
 * network or an information system. A plan the center added suggests nothing (the form's default).
 */
export const FAULT_SCOPE_SUGGESTIONS: Readonly<Record<string, readonly FaultScope[]>> = {
  C1: ['seat'],
  C2: ['application', 'network', 'allSeats'],
  C3: ['power'],
  C7: ['network', 'application'],
}

export function suggestedFaultScopes(playbookId: string | undefined): readonly FaultScope[] {
  return (playbookId !== undefined && FAULT_SCOPE_SUGGESTIONS[playbookId]) || []
}
