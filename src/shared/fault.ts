import { z } from 'zod'
import { UUID_RE } from './ids'
import { FAULT_EVENT_TYPES, FAULT_SCOPES, NOTIFY_ROLES } from './fault-state'

/**
 * A fault record (系统故障情况处理表, the system failure handling form) and what happens to it.
 * The fault itself is created once and never edited; who was told, actions, the vendor, a spare
 * seat and the recovery are `faultEvent`s, so tablets that worked offline merge by union and the
 * current state is derived from the events, the same on every tablet.
 */

const isoDateTime = z.iso.datetime({ offset: true })

export const FaultDataSchema = z.object({
  /** The system or application that failed (CRM, telephony platform, network, …). */
  system: z.string().trim().min(1).max(200),
  symptom: z.string().trim().min(1).max(4000),
  scope: z.enum(FAULT_SCOPES),
  /** When it started (often set back: "the CRM went at 14:02"). Deadlines and the duration count from it. */
  startedAt: isoDateTime,
  /** For a one-seat fault (plan C1): the seat that failed. */
  seat: z.string().trim().max(60).default(''),
  /**
   * The incident (plan C2) running for this fault, when there is one: its escalation clocks are
   * the deadlines for telling people. Optional, so that a fault can be recorded with no incident.
   */
  incidentId: z.string().regex(UUID_RE).optional(),
})
export type FaultData = z.infer<typeof FaultDataSchema>

export const FaultEventDataSchema = z
  .object({
    faultId: z.string().regex(UUID_RE),
    type: z.enum(FAULT_EVENT_TYPES),
    /** When it happened (what people read; editable: "told the supervisor at 14:06"). */
    at: isoDateTime,
    /** `notified`: which role was told; `alarmAck`: whose overdue notification was acknowledged. */
    role: z.enum(NOTIFY_ROLES).optional(),
    /** `notified`: the person told; `vendorContacted`: the vendor and contact; `spareSeat`: the spare seat. */
    who: z.string().trim().max(200).default(''),
    note: z.string().trim().max(4000).default(''),
  })
  .superRefine((e, ctx) => {
    if ((e.type === 'notified' || e.type === 'alarmAck') && !e.role) {
      ctx.addIssue({ code: 'custom', path: ['role'], message: `role is required for ${e.type}` })
    }
    if ((e.type === 'vendorContacted' || e.type === 'spareSeat') && !e.who) {
      ctx.addIssue({ code: 'custom', path: ['who'], message: `who is required for ${e.type}` })
    }
    if (e.type === 'action' && !e.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'note is required for action' })
  })
export type FaultEventData = z.infer<typeof FaultEventDataSchema>

/** A fault event as the derivation sees it: its data plus its envelope's order and author. */
export interface FaultEvent extends FaultEventData {
  id: string
  createdAt: string
  author: string
}

// The constants and derivations (state, who to tell by when) need no schema: a module of their
// own, on the start path without zod.
export * from './fault-state'
