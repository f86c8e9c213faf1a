import { z } from 'zod'
import { UUID_RE } from './ids'

/**
 * The event types the plans name for the incident report (service hall plan, section 3, item 3:
 * 事件的类型), plus the call center's own. Stable ids; the words are in the UI's messages.
 */
export const INCIDENT_TYPES = [
  'volumeSurge',
  'systemFailure',
  'robbery',
  'fire',
  'besieged',
  'disorder',
  'customerIllness',
  'customerInjury',
  'lostProperty',
  'media',
  'powerCut',
  'staffAccident',
  'other',
] as const
export const IncidentTypeSchema = z.enum(INCIDENT_TYPES)
export type IncidentType = z.infer<typeof IncidentTypeSchema>

/** The usual type of each shipped plan: the report starts with it, a person can change it. */
export const PLAYBOOK_INCIDENT_TYPES: Record<string, IncidentType> = {
  H1: 'volumeSurge',
  H2: 'systemFailure',
  H3: 'robbery',
  H4: 'fire',
  H5: 'besieged',
  H6: 'disorder',
  H7: 'customerIllness',
  H8: 'customerInjury',
  H9: 'lostProperty',
  H10: 'media',
  C1: 'systemFailure',
  C2: 'systemFailure',
  C3: 'powerCut',
  C4: 'other',
  C5: 'fire',
  C6: 'staffAccident',
  C7: 'systemFailure',
  C8: 'volumeSurge',
  C9: 'media',
}

const required = z.string().trim().min(1, 'required').max(4000)

/**
 * The incident report (突发事件报告) with the seven contents the plans require. Every content is
 * required: "none" must be written as such, so that a report can never go up with a gap nobody
 * noticed. A corrected report is a new record for the same incident; the newest one counts.
 */
export const IncidentReportDataSchema = z.object({
  incidentId: z.string().regex(UUID_RE),
  /** 1. Name and location of the hall (or center). */
  siteName: required,
  location: required,
  /** 2. When it happened. */
  occurredAt: z.iso.datetime({ offset: true }),
  /** 3. Type of event. */
  incidentType: IncidentTypeSchema,
  /** 4. Impact and harm: property, funds and vouchers lost; casualties; scope of impact. */
  propertyLoss: required,
  casualties: required,
  scope: required,
  /** 5. Measures already taken, and how far the event is under control. */
  measures: required,
  control: required,
  /** 6. Likely development, potential losses, further measures planned. */
  development: required,
  /** 7. Anything else relevant. */
  other: required,
})
export type IncidentReportData = z.infer<typeof IncidentReportDataSchema>
export type IncidentReportField = Exclude<keyof IncidentReportData, 'incidentId'>

/** The report's fields in the order of the seven contents, grouped by content number. */
export const REPORT_CONTENTS: { n: number; fields: IncidentReportField[] }[] = [
  { n: 1, fields: ['siteName', 'location'] },
  { n: 2, fields: ['occurredAt'] },
  { n: 3, fields: ['incidentType'] },
  { n: 4, fields: ['propertyLoss', 'casualties', 'scope'] },
  { n: 5, fields: ['measures', 'control'] },
  { n: 6, fields: ['development'] },
  { n: 7, fields: ['other'] },
]

export const RectificationItemSchema = z.object({
  id: z.string().min(1).max(60),
  text: required,
  owner: required,
  due: z.iso.date(),
})
export type RectificationItem = z.infer<typeof RectificationItemSchema>

/**
 * Analysis and summary after the event (分析总结): cause, course and measures, with the
 * rectification items for the problems and loopholes found. It goes to the manager of the
 * security supervision department. Items are marked done by `rectificationDone` records.
 */
export const IncidentReviewDataSchema = z.object({
  incidentId: z.string().regex(UUID_RE),
  cause: required,
  course: required,
  measures: required,
  rectifications: z.array(RectificationItemSchema).max(50),
  addressedTo: required,
})
export type IncidentReviewData = z.infer<typeof IncidentReviewDataSchema>

/** One rectification item done (append-only; the review itself is never edited). */
export const RectificationDoneDataSchema = z.object({
  incidentId: z.string().regex(UUID_RE),
  reviewId: z.string().regex(UUID_RE),
  itemId: z.string().min(1).max(60),
  note: z.string().trim().max(2000).default(''),
})
export type RectificationDoneData = z.infer<typeof RectificationDoneDataSchema>

/** The drill record the plans require: time, content (the plan), participants, evaluation. */
export const DrillRecordDataSchema = z.object({
  incidentId: z.string().regex(UUID_RE),
  participants: z.array(z.string().trim().min(1).max(100)).min(1).max(200),
  evaluation: required,
  rating: z.enum(['good', 'adequate', 'needsWork']),
})
export type DrillRecordData = z.infer<typeof DrillRecordDataSchema>

/** Field errors of a form as `field → issue code` (the first issue per field). */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '')
    if (!(field in errors)) errors[field] = issue.message === 'required' || issue.code === 'too_small' ? 'required' : 'invalid'
  }
  return errors
}
