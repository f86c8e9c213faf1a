import { z } from 'zod'
import { UUID_RE } from './ids'
import { byRecordedOrder } from './fault'

/**
 * The callback worklist after recovery. A call record that needs a callback starts as "to call"
 * once its outage is recovered; every step a person takes is an append-only `callbackEvent`, and
 * the entry's state is derived from its events in recorded order (then id), the same on every
 * tablet. A step that does not apply to the state it meets (two tablets acting offline on the
 * same entry) is kept in the history, marked as not applied, and changes nothing.
 */

export const CALLBACK_ACTIONS = ['resolved', 'noAnswer', 'reentered', 'reopened'] as const
export type CallbackAction = (typeof CALLBACK_ACTIONS)[number]

export const CALLBACK_STATES = ['toCall', 'noAnswer', 'resolved', 'reentered'] as const
export type CallbackState = (typeof CALLBACK_STATES)[number]

export const CallbackEventDataSchema = z.object({
  callRecordId: z.string().regex(UUID_RE),
  /** The step taken: called and resolved, no answer (retry later), re-entered into the CRM, or reopened. */
  state: z.enum(CALLBACK_ACTIONS),
  note: z.string().trim().max(4000).default(''),
  /** When it was done, on the device (what people read). */
  at: z.iso.datetime({ offset: true }),
})
export type CallbackEventData = z.infer<typeof CallbackEventDataSchema>

export interface CallbackEvent extends CallbackEventData {
  id: string
  createdAt: string
  author: string
}

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
