import { z } from 'zod'
import { UUID_RE } from './ids'
import { CALLBACK_ACTIONS } from './callback-state'

/**
 * The callback worklist after recovery. A call record that needs a callback starts as "to call"
 * once its outage is recovered; every step a person takes is an append-only `callbackEvent`, and
 * the entry's state is derived from its events in recorded order (then id), the same on every
 * tablet. A step that does not apply to the state it meets (two tablets acting offline on the
 * same entry) is kept in the history, marked as not applied, and changes nothing.
 */

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

// The states and the derivation need no schema: a module of their own, on the start path without zod.
export * from './callback-state'
