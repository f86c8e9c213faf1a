import { z } from 'zod'
import { CallRecordDataSchema } from './call-record'
import { CallbackEventDataSchema } from './callback'
import { FaultDataSchema, FaultEventDataSchema } from './fault'
import { LogEntryDataSchema } from './log'
import { MediaContactDataSchema, MediaWordingDataSchema } from './media'
import { RollCallDataSchema, RollCallMarkDataSchema } from './roll-call'
import { LostItemDataSchema, LostItemEventDataSchema } from './lost-found'
import { UUID_RE, UUID_V7_RE } from './ids'
import { IncidentDataSchema, IncidentEventDataSchema } from './incident'
import { ContactRecordDataSchema } from './org-records'
import { PersonRecordDataSchema, SiteSettingsDataSchema } from './people'
import { PlaybookSchema } from './playbook'
import {
  DrillRecordDataSchema,
  IncidentReportDataSchema,
  IncidentReviewDataSchema,
  RectificationDoneDataSchema,
} from './incident-report'

/**
 * The kinds of record a device can create, each with the schema of its `data`.
 * A kind added here is accepted by the server and stored by the client with no other change.
 */
export const RECORD_DATA_SCHEMAS = {
  callRecord: CallRecordDataSchema,
  callbackEvent: CallbackEventDataSchema,
  fault: FaultDataSchema,
  faultEvent: FaultEventDataSchema,
  logEntry: LogEntryDataSchema,
  /** Hall registers (issue 5): media inquiries and their agreed wordings (media.ts), the evacuation roll-call (roll-call.ts). */
  mediaContact: MediaContactDataSchema,
  mediaWording: MediaWordingDataSchema,
  rollCall: RollCallDataSchema,
  rollCallMark: RollCallMarkDataSchema,
  /** The lost-and-found register (plan H9, lost-found.ts): an entry, then append-only events naming it. */
  lostItem: LostItemDataSchema,
  lostItemEvent: LostItemEventDataSchema,
  incident: IncidentDataSchema,
  incidentEvent: IncidentEventDataSchema,
  incidentReport: IncidentReportDataSchema,
  incidentReview: IncidentReviewDataSchema,
  rectificationDone: RectificationDoneDataSchema,
  drillRecord: DrillRecordDataSchema,
  /** Organisation-wide (see org-records.ts): an edit is a new record with the next version. */
  playbook: PlaybookSchema,
  contact: ContactRecordDataSchema,
  /** A site's roster and settings (people.ts): written by the server's admin API, pulled by the site. */
  person: PersonRecordDataSchema,
  siteSettings: SiteSettingsDataSchema,
} as const

export type RecordKind = keyof typeof RECORD_DATA_SCHEMAS
export const RECORD_KINDS = Object.keys(RECORD_DATA_SCHEMAS) as [RecordKind, ...RecordKind[]]
export const RecordKindSchema = z.enum(RECORD_KINDS)

const isoDateTime = z.iso.datetime({ offset: true })

/**
 * The envelope every record travels in. The id is made on the device (UUID v7), so the same
 * record pushed twice is recognisably the same; `serverSeq` is set by the server when it stores
 * the record and is the pull cursor's unit.
 */
export const RecordEnvelopeSchema = z.object({
  id: z.string().regex(UUID_V7_RE, 'id must be a UUID v7'),
  kind: RecordKindSchema,
  siteId: z.string().regex(UUID_RE),
  deviceId: z.string().regex(UUID_RE),
  /** Who made it, by name as shown (the signed-in person's name; the device's for older records). */
  author: z.string().trim().min(1).max(100),
  /** The signed-in person of the site's roster who made it; the server checks their role. */
  personId: z.string().regex(UUID_RE).optional(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  serverSeq: z.number().int().positive().nullable(),
  data: z.record(z.string(), z.unknown()),
})

export type RecordEnvelope = z.infer<typeof RecordEnvelopeSchema>

/** The dotted path of an error's first issue ('' when it is about the whole value). */
function firstPath(error: z.ZodError, prefix: string[] = []): string {
  return [...prefix, ...(error.issues[0]?.path ?? []).map(String)].join('.')
}

/**
 * Validates an envelope and its `data` against the schema of its kind. `path` is where the first
 * problem is (`data.request`, `siteId`…), for a rejection a person can act on.
 */
export function parseRecord(input: unknown):
  | { success: true; record: RecordEnvelope }
  | { success: false; message: string; path: string } {
  const envelope = RecordEnvelopeSchema.safeParse(input)
  if (!envelope.success) return { success: false, message: z.prettifyError(envelope.error), path: firstPath(envelope.error) }
  const data = RECORD_DATA_SCHEMAS[envelope.data.kind].safeParse(envelope.data.data)
  if (!data.success) return { success: false, message: z.prettifyError(data.error), path: firstPath(data.error, ['data']) }
  return { success: true, record: { ...envelope.data, data: data.data } }
}
