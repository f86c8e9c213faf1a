import { z } from 'zod'
import { UUID_RE } from './ids'
import { stepsForVariant, type ClockState, type IncidentState } from './incident'
import { LocalizedTextSchema, type Playbook } from './playbook'

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

/**
 * How a step of a drill went against its deadline:
 * `onTime`, `late` (by `lateMs`), `notDone` (its deadline passed and it was not done),
 * `notDue` (not done, and its deadline had not come when the record was made),
 * `notNeeded` (an "escalate after" that the drill ended before), `done` (a step with no deadline,
 * done). A step with no deadline that was not done is `notDone`.
 */
export const DRILL_STEP_OUTCOMES = ['onTime', 'late', 'notDone', 'notDue', 'notNeeded', 'done'] as const
export type DrillStepOutcome = (typeof DRILL_STEP_OUTCOMES)[number]

const isoTime = z.iso.datetime({ offset: true })

/**
 * One step of a drill, timed, as the drill record keeps it for the evaluation. The texts are those
 * of the plan version the drill ran, so the record reads the same in the console and the archive
 * after the plan is edited. A level whose clock no step of the branch carries is a row of its own
 * (`levelId` without `stepId`).
 */
export const DrillStepTimeSchema = z.object({
  stepId: z.string().max(60).optional(),
  levelId: z.string().max(60).optional(),
  text: LocalizedTextSchema,
  /** The clock it ran against, if any; `dueAt` is null when the clock never started. */
  deadline: z
    .object({
      label: LocalizedTextSchema,
      minutes: z.number().int().positive(),
      kind: z.enum(['within', 'escalateAfter']),
      dueAt: isoTime.nullable(),
    })
    .nullable(),
  /** When it was done, from the timeline (the time a person gave, else the tick); null: not done. */
  doneAt: isoTime.nullable(),
  outcome: z.enum(DRILL_STEP_OUTCOMES),
  /** How late, for `late`. */
  lateMs: z.number().int().nonnegative().optional(),
})
export type DrillStepTime = z.infer<typeof DrillStepTimeSchema>

/** The drill record the plans require: time, content (the plan), participants, evaluation. */
export const DrillRecordDataSchema = z.object({
  incidentId: z.string().regex(UUID_RE),
  participants: z.array(z.string().trim().min(1).max(100)).min(1).max(200),
  evaluation: required,
  rating: z.enum(['good', 'adequate', 'needsWork']),
  /**
   * Each step against its deadline, computed from the drill's events when the record was made.
   * Absent in records made before it was kept.
   */
  stepTimes: z.array(DrillStepTimeSchema).max(200).optional(),
})
export type DrillRecordData = z.infer<typeof DrillRecordDataSchema>

function outcomeOf(clock: ClockState): DrillStepOutcome {
  switch (clock.status) {
    case 'done':
      return 'onTime'
    case 'doneLate':
      return 'late'
    case 'overdue':
      return 'notDone'
    case 'notNeeded':
      return 'notNeeded'
    default:
      // waiting, running, due soon: not done, and not late yet
      return clock.dueAt === undefined ? 'notDone' : 'notDue'
  }
}

const isoOf = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString())

/**
 * Every step of a drill's branch against its deadline, from its state and its clocks at the moment
 * the record is made (`clocks` as `incidentClocks` gives them). A step that carries out a level
 * (C8) is judged by that level's clock: starting level 2 in time is the step done in time.
 */
export function drillStepTimes(playbook: Playbook, variantId: string | undefined, state: IncidentState, clocks: readonly ClockState[]): DrillStepTime[] {
  const rows: DrillStepTime[] = []
  const timed = (clock: ClockState | undefined, doneAt: string | undefined): Pick<DrillStepTime, 'deadline' | 'doneAt' | 'outcome' | 'lateMs'> => {
    if (!clock) return { deadline: null, doneAt: doneAt ?? null, outcome: doneAt ? 'done' : 'notDone' }
    const { label, minutes, kind } = clock.deadline
    const outcome = outcomeOf(clock)
    const late = outcome === 'late' && doneAt !== undefined && clock.dueAt !== undefined ? Date.parse(doneAt) - clock.dueAt : undefined
    return {
      deadline: { label, minutes, kind, dueAt: isoOf(clock.dueAt) },
      doneAt: doneAt ?? null,
      outcome,
      ...(late !== undefined ? { lateMs: Math.max(0, late) } : {}),
    }
  }
  const levelsCarried = new Set<string>()
  for (const step of stepsForVariant(playbook, variantId)) {
    const own = clocks.find((c) => c.stepId === step.id)
    const level = !own && step.levelId ? clocks.find((c) => c.levelId === step.levelId) : undefined
    if (level && step.levelId) levelsCarried.add(step.levelId)
    const done = state.steps.get(step.id)
    // a level's clock is met by the level's start, whichever way it was started
    const doneAt = level && step.levelId ? state.levels.get(step.levelId)?.at : done?.done ? done.at : undefined
    rows.push({ stepId: step.id, text: step.text, ...timed(own ?? level, doneAt) })
  }
  for (const level of playbook.levels ?? []) {
    const clock = clocks.find((c) => c.levelId === level.id)
    if (!clock || levelsCarried.has(level.id)) continue
    rows.push({ levelId: level.id, text: level.title, ...timed(clock, state.levels.get(level.id)?.at) })
  }
  return rows
}

/** The rows of a drill record that ran against a deadline and counted: on time, late or not done. */
export function drillOnTime(stepTimes: readonly DrillStepTime[]): { onTime: number; timed: number } {
  const counted = stepTimes.filter((s) => s.deadline !== null && (s.outcome === 'onTime' || s.outcome === 'late' || s.outcome === 'notDone'))
  return { onTime: counted.filter((s) => s.outcome === 'onTime').length, timed: counted.length }
}

/** Field errors of a form as `field → issue code` (the first issue per field). */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '')
    if (!(field in errors)) errors[field] = issue.message === 'required' || issue.code === 'too_small' ? 'required' : 'invalid'
  }
  return errors
}
