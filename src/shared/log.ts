import { z } from 'zod'
import { UUID_RE } from './ids'

/**
 * The floor's logs (组长日志 / 员工日志): time-stamped lines, each with its author (the record's
 * `author`). Faults, staff moves and notices land here: the app writes a line itself when a fault
 * is recorded, recovered or a spare seat is assigned, in the same transaction as that record.
 */
export const LOG_BOOKS = ['leader', 'agent'] as const
export type LogBook = (typeof LOG_BOOKS)[number]

export const LOG_ENTRY_TYPES = ['note', 'fault', 'staff', 'notice'] as const
export type LogEntryType = (typeof LOG_ENTRY_TYPES)[number]

export const LogEntryDataSchema = z.object({
  log: z.enum(LOG_BOOKS),
  type: z.enum(LOG_ENTRY_TYPES),
  text: z.string().trim().min(1).max(4000),
  /** When it happened (editable: a line is often written a little after). */
  at: z.iso.datetime({ offset: true }),
  /** The fault the line is about, if any. */
  faultId: z.string().regex(UUID_RE).optional(),
})
export type LogEntryData = z.infer<typeof LogEntryDataSchema>
