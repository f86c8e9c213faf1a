import type { CallbackEvent } from './callback'
import { byRecordedOrder } from './fault-state'

/**
 * A callback's steps and states and the derivation of an entry's state from its events
 * (src/shared/callback.ts holds the event's schema and re-exports all of this). No schema library
 * here: the outage desk uses these at start, before zod is loaded.
 */

export const CALLBACK_ACTIONS = ['resolved', 'noAnswer', 'reentered', 'reopened'] as const
export type CallbackAction = (typeof CALLBACK_ACTIONS)[number]

export const CALLBACK_STATES = ['toCall', 'noAnswer', 'resolved', 'reentered'] as const
export type CallbackState = (typeof CALLBACK_STATES)[number]

/**
 * Which steps each state allows, and where they lead. "Re-entered into the CRM" is confirmed by a
 * person and ends the entry (the CRM's own follow-up takes over); "reopened" undoes a mistake.
 */
const TRANSITIONS: Record<CallbackState, Partial<Record<CallbackAction, CallbackState>>> = {
  toCall: { resolved: 'resolved', noAnswer: 'noAnswer', reentered: 'reentered' },
  noAnswer: { resolved: 'resolved', noAnswer: 'noAnswer', reentered: 'reentered', reopened: 'toCall' },
  resolved: { reentered: 'reentered', reopened: 'toCall' },
  reentered: { reopened: 'toCall' },
}

export function nextCallbackState(state: CallbackState, action: CallbackAction): CallbackState | undefined {
  return TRANSITIONS[state][action]
}

export function allowedActions(state: CallbackState): CallbackAction[] {
  return CALLBACK_ACTIONS.filter((a) => TRANSITIONS[state][a] !== undefined)
}

export interface CallbackStep extends CallbackEvent {
  applied: boolean
}

export interface CallbackSummary {
  state: CallbackState
  /** Calls that were not answered. */
  attempts: number
  history: CallbackStep[]
  /** The last applied step (who and when). */
  last?: CallbackStep
  reentered?: CallbackStep
}

export function deriveCallback(events: CallbackEvent[]): CallbackSummary {
  let state: CallbackState = 'toCall'
  let attempts = 0
  let last: CallbackStep | undefined
  let reentered: CallbackStep | undefined
  const history = [...events].sort(byRecordedOrder).map((e): CallbackStep => {
    const next = nextCallbackState(state, e.state)
    if (next === undefined) return { ...e, applied: false }
    const step = { ...e, applied: true }
    if (e.state === 'noAnswer') attempts++
    if (e.state === 'reentered') reentered = step
    if (e.state === 'reopened') reentered = undefined
    state = next
    last = step
    return step
  })
  return { state, attempts, history, ...(last ? { last } : {}), ...(reentered ? { reentered } : {}) }
}
