import { hlcCompare, hlcParse } from './hlc'
import type { IncidentData, IncidentEvent } from './incident'
import type { Deadline, Playbook, Step } from './playbook'

/**
 * An incident's state and escalation clocks, derived from its events (src/shared/incident.ts holds
 * the records' schemas and re-exports all of this). No schema library here: the home screen and the
 * alarm bar use these at start, before zod is loaded.
 */

/** Events of all tablets in one order: by hybrid logical clock, then id (total and stable). */
export function sortEvents<E extends Pick<IncidentEvent, 'hlc' | 'id'>>(events: readonly E[]): E[] {
  return [...events].sort((a, b) => hlcCompare(hlcParse(a.hlc), hlcParse(b.hlc)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

export interface StepState {
  done: boolean
  /** When the step was done, if it is: the time a person gave (`doneAt`), else when it was ticked. */
  at?: string
  by?: string
  /** When the tick was recorded, if that is not `at` (a time corrected after the fact). */
  recordedAt?: string
  /** What the person added to the tick ("by phone, Mr Wang"). */
  note?: string
}

export interface IncidentState {
  /** Every event, merged and ordered: the timeline. */
  timeline: IncidentEvent[]
  steps: Map<string, StepState>
  /**
   * Levels started, with when (the time a person gave, else when it was recorded). A level never
   * stops: there is no event for it, so no tablet can silently take back a level another one saw.
   */
  levels: Map<string, { at: string; by: string }>
  acknowledged: Map<string, { at: string; by: string }>
  closed: { at: string; by: string } | undefined
}

/**
 * The incident's state from its events, whatever order they arrived in: the same set of events
 * always gives the same state (the last event by clock wins for a step, a level starts at its
 * earliest start, an alarm is acknowledged by its first acknowledgement).
 */
export function deriveIncidentState(events: readonly IncidentEvent[]): IncidentState {
  const timeline = sortEvents(events)
  const steps = new Map<string, StepState>()
  const levels = new Map<string, { at: string; by: string }>()
  const acknowledged = new Map<string, { at: string; by: string }>()
  let closed: IncidentState['closed']
  for (const e of timeline) {
    if (e.type === 'tick' && e.stepId) {
      steps.set(e.stepId, {
        done: true,
        at: e.doneAt ?? e.at,
        by: e.author,
        ...(e.doneAt !== undefined && e.doneAt !== e.at ? { recordedAt: e.at } : {}),
        ...(e.note ? { note: e.note } : {}),
      })
    }
    if (e.type === 'untick' && e.stepId) steps.set(e.stepId, { done: false })
    if (e.type === 'levelStart' && e.levelId) {
      // Two tablets may both start a level (offline, or a step and the button): the earliest
      // start counts, a tie goes to the first by clock, so every tablet derives the same time.
      const at = e.doneAt ?? e.at
      const known = levels.get(e.levelId)
      if (!known || Date.parse(at) < Date.parse(known.at)) levels.set(e.levelId, { at, by: e.author })
    }
    if (e.type === 'alarmAck' && e.alarmKey && !acknowledged.has(e.alarmKey)) acknowledged.set(e.alarmKey, { at: e.at, by: e.author })
    if (e.type === 'close') closed = { at: e.at, by: e.author }
    if (e.type === 'reopen') closed = undefined
  }
  return { timeline, steps, levels, acknowledged, closed }
}

/** The steps that apply to the incident's branch: common steps and the chosen variant's. */
export function stepsForVariant(playbook: Playbook, variantId: string | undefined): Step[] {
  return playbook.steps.filter((s) => !s.variantIds || (variantId !== undefined && s.variantIds.includes(variantId)))
}

/** How long before a deadline it counts as "due soon" (amber). */
export const CLOCK_DUE_SOON_MS = 2 * 60_000

export type ClockStatus =
  /** Its anchor (a step, a level) has not happened yet: the clock has not started. */
  | 'waiting'
  | 'running'
  | 'dueSoon'
  /** The deadline passed and the step is not done: alarm. */
  | 'overdue'
  | 'done'
  | 'doneLate'
  /** An "escalate after" that was not needed: the incident ended first. */
  | 'notNeeded'

export interface ClockState {
  /** Identifies the alarm across tablets: `step:<id>` or `level:<id>`. */
  key: string
  deadline: Deadline
  stepId?: string
  levelId?: string
  status: ClockStatus
  /** When the clock started and when it falls due (ms since epoch), once it has started. */
  startsAt?: number
  dueAt?: number
  /** Milliseconds left (negative when overdue), once started. */
  remainingMs?: number
  /** Set once a person acknowledged the alarm. */
  acknowledged?: { at: string; by: string }
}

/** What else, besides its events, the clocks of an incident depend on. */
export interface ClockContext {
  /**
   * When the situation ended before the incident was closed: for an incident that recorded faults,
   * the moment the last of them recovered (`outageEndedAt` in fault.ts). An "escalate after" clock
   * that falls due later is not needed, exactly as when the incident is closed first.
   */
  endedAt?: string
}

/**
 * Every escalation clock of an incident at time `now`. Derived from stored times only (the
 * incident's start, tick times, level starts), never from a running timer: after a reload, a crash
 * or a power cut the clocks are exactly where they would have been.
 */
export function incidentClocks(
  playbook: Playbook,
  incident: Pick<IncidentData, 'startedAt' | 'variantId'>,
  state: IncidentState,
  now: number,
  context: ClockContext = {},
): ClockState[] {
  const startedAt = Date.parse(incident.startedAt)
  const anchorTime = (deadline: Deadline): number | undefined => {
    const from = deadline.from
    if (from.type === 'incidentStart') return startedAt
    if (from.type === 'step') {
      const step = state.steps.get(from.stepId)
      return step?.done && step.at ? Date.parse(step.at) : undefined
    }
    const level = state.levels.get(from.levelId)
    return level ? Date.parse(level.at) : undefined
  }
  const ends = [state.closed?.at, context.endedAt].filter((t): t is string => t !== undefined).map((t) => Date.parse(t))
  // the incident closed, or its outage ended: whichever came first
  const endedAt = ends.length > 0 ? Math.min(...ends) : undefined

  const clock = (key: string, deadline: Deadline, doneAt: number | undefined, ids: Pick<ClockState, 'stepId' | 'levelId'>): ClockState => {
    const base: ClockState = { key, deadline, ...ids, status: 'waiting' }
    const ack = state.acknowledged.get(key)
    if (ack) base.acknowledged = ack
    const startsAt = anchorTime(deadline)
    if (startsAt === undefined) return base
    const dueAt = startsAt + deadline.minutes * 60_000
    const result: ClockState = { ...base, startsAt, dueAt, remainingMs: dueAt - now }
    if (doneAt !== undefined) return { ...result, status: doneAt <= dueAt ? 'done' : 'doneLate' }
    if (deadline.kind === 'escalateAfter' && endedAt !== undefined && endedAt < dueAt) return { ...result, status: 'notNeeded' }
    if (now >= dueAt) return { ...result, status: 'overdue' }
    return { ...result, status: dueAt - now <= CLOCK_DUE_SOON_MS ? 'dueSoon' : 'running' }
  }

  const clocks: ClockState[] = []
  for (const step of stepsForVariant(playbook, incident.variantId)) {
    if (!step.deadline) continue
    const done = state.steps.get(step.id)
    clocks.push(clock(`step:${step.id}`, step.deadline, done?.done && done.at ? Date.parse(done.at) : undefined, { stepId: step.id }))
  }
  for (const level of playbook.levels ?? []) {
    if (!level.deadline) continue
    const started = state.levels.get(level.id)
    clocks.push(clock(`level:${level.id}`, level.deadline, started ? Date.parse(started.at) : undefined, { levelId: level.id }))
  }
  return clocks
}

/** Clocks that need a person now: overdue and not yet acknowledged. */
export function dueAlarms(clocks: readonly ClockState[]): ClockState[] {
  return clocks.filter((c) => c.status === 'overdue' && !c.acknowledged)
}

/**
 * The steps of an incident that tell someone or run against a clock (a contact to call, or a
 * deadline): what "who was told and when" means for a fault recorded from the incident. Ticking
 * one is recording that the person was told.
 */
export function tellingSteps(playbook: Playbook, variantId: string | undefined): Step[] {
  return stepsForVariant(playbook, variantId).filter((s) => s.contactId !== undefined || s.deadline !== undefined)
}

/**
 * The step of the incident's branch that carries out a level (its `levelId`), if the plan has
 * one: ticking that step starts the level, so the level has no button of its own.
 */
export function levelStep(playbook: Playbook, variantId: string | undefined, levelId: string): Step | undefined {
  return stepsForVariant(playbook, variantId).find((s) => s.levelId === levelId)
}
