import { z } from 'zod'
import { UUID_RE } from './ids'

/**
 * An incident (or a drill): one run of a playbook at one site. Created once and never edited:
 * everything that happens afterwards is an `incidentEvent`, so several tablets can run the same
 * incident offline and their work merges by union.
 */
export const IncidentDataSchema = z.object({
  playbookId: z.string().min(1).max(60),
  /** The version the incident started with: later edits of the plan do not change a running one. */
  playbookVersion: z.number().int().positive(),
  variantId: z.string().max(60).optional(),
  /** When it started (may be set back a little: "the power went at 14:02"). Clocks count from it. */
  startedAt: z.iso.datetime({ offset: true }),
  /** A drill never counts in real statistics and looks different everywhere. */
  drill: z.boolean(),
  note: z.string().trim().max(2000).default(''),
})
export type IncidentData = z.infer<typeof IncidentDataSchema>

export const INCIDENT_EVENT_TYPES = ['tick', 'untick', 'note', 'levelStart', 'alarmAck', 'close', 'reopen'] as const
export type IncidentEventType = (typeof INCIDENT_EVENT_TYPES)[number]

const hlcString = z.string().regex(/^\d{15}-\d{5}-.+$/, 'not a hybrid logical clock value').max(120)

/** One thing that happened in an incident, by one person on one tablet. Append-only. */
export const IncidentEventDataSchema = z
  .object({
    incidentId: z.string().regex(UUID_RE),
    type: z.enum(INCIDENT_EVENT_TYPES),
    stepId: z.string().max(60).optional(),
    levelId: z.string().max(60).optional(),
    /** Which alarm an `alarmAck` acknowledges (see `ClockState.key`). */
    alarmKey: z.string().max(130).optional(),
    note: z.string().trim().max(4000).optional(),
    /** Hybrid logical clock: orders events of several tablets consistently with what each had seen. */
    hlc: hlcString,
    /** Wall time on the device when it happened (what people read). */
    at: z.iso.datetime({ offset: true }),
    /**
     * A `tick` recorded after the fact: when the step was really done ("told the supervisor at
     * 10:05 by phone", ticked at 10:12). Never later than `at`. Clocks judge the step by it; `at`
     * stays the moment it was recorded, so the timeline shows both. A `levelStart` recorded with
     * such a tick (the step that starts the level) carries the same time: the next level's clock
     * counts from when the level really started.
     */
    doneAt: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((e, ctx) => {
    if (e.doneAt !== undefined) {
      if (e.type !== 'tick' && e.type !== 'levelStart') ctx.addIssue({ code: 'custom', path: ['doneAt'], message: 'doneAt is only for tick and levelStart' })
      else if (Date.parse(e.doneAt) > Date.parse(e.at)) ctx.addIssue({ code: 'custom', path: ['doneAt'], message: 'doneAt is later than at' })
    }
    const need = (field: 'stepId' | 'levelId' | 'alarmKey' | 'note') => {
      if (!e[field]) ctx.addIssue({ code: 'custom', path: [field], message: `${field} is required for ${e.type}` })
    }
    if (e.type === 'tick' || e.type === 'untick') need('stepId')
    if (e.type === 'levelStart') need('levelId')
    if (e.type === 'alarmAck') need('alarmKey')
    if (e.type === 'note') need('note')
  })
export type IncidentEventData = z.infer<typeof IncidentEventDataSchema>

/** An event as the merge sees it: its data plus who made it. */
export interface IncidentEvent extends IncidentEventData {
  id: string
  author: string
  deviceId: string
}

// The derivations (state, clocks) need no schema: a module of their own, on the start path without zod.
export * from './incident-state'
