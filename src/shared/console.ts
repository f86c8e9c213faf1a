import { z } from 'zod'
import { SessionResponseSchema } from './admin'
import { CALL_EXPORT_COLUMNS } from './outage-export'
import { FAULT_SCOPES, NOTIFY_ROLES } from './fault'
import { UUID_RE } from './ids'
import { INCIDENT_EVENT_TYPES } from './incident'
import { LocaleSchema, LocalizedTextSchema, PLAYBOOK_ID_RE, PlaybookCategorySchema, type Locale, type LocalizedText } from './playbook'

/**
 * The central console's wire format (issue 7): what `/api/console/*` answers, parsed by the
 * console pages with these same schemas. Every view covers only the sites the signed-in person's
 * console view covers (their own, the ones they manage, or all for a center manager or admin).
 */

const iso = z.string()
const localizedOrNull = LocalizedTextSchema.nullable()

export const ConsoleSiteSchema = z.object({ id: z.string(), name: z.string() })
export type ConsoleSite = z.infer<typeof ConsoleSiteSchema>

/** `GET /api/session`: the session without its token (the console already holds it). */
export const SessionInfoSchema = SessionResponseSchema.omit({ token: true })
export type SessionInfo = z.infer<typeof SessionInfoSchema>

// ---------------------------------------------------------------------------------------------
// Now

export const ConsoleClockSchema = z.object({
  /** `step:<id>` or `level:<id>`, as on the tablets. */
  key: z.string(),
  label: LocalizedTextSchema,
  kind: z.enum(['within', 'escalateAfter']),
  status: z.enum(['waiting', 'running', 'dueSoon', 'overdue', 'done', 'doneLate', 'notNeeded']),
  dueAt: iso,
  /** How long past due (negative: time left). */
  overdueMs: z.number(),
  acknowledged: z.object({ at: iso, by: z.string() }).nullable(),
})
export type ConsoleClock = z.infer<typeof ConsoleClockSchema>

export const ConsoleEventSchema = z.object({
  id: z.string(),
  type: z.enum(INCIDENT_EVENT_TYPES),
  at: iso,
  /** The author's name, from the record's envelope. */
  author: z.string(),
  stepId: z.string().nullable(),
  /** The step's text in the plan version the incident runs, when the event is about a step. */
  stepText: localizedOrNull,
  levelTitle: localizedOrNull,
  /** For an alarm acknowledgement: the clock's label. */
  clockLabel: localizedOrNull,
  note: z.string(),
})
export type ConsoleEvent = z.infer<typeof ConsoleEventSchema>

export const ConsoleIncidentSchema = z.object({
  id: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  playbookId: z.string(),
  playbookVersion: z.number(),
  /** Null when the server holds no copy of that plan (the incident is still shown). */
  title: localizedOrNull,
  drill: z.boolean(),
  startedAt: iso,
  startedBy: z.string(),
  elapsedMs: z.number(),
  stepsDone: z.number(),
  stepsTotal: z.number(),
  /** Escalation clocks past their deadline, acknowledged or not. */
  overdue: z.array(ConsoleClockSchema),
  /** The clock that falls due next (running or due soon). */
  next: ConsoleClockSchema.nullable(),
  /** Newest first. */
  latestEvents: z.array(ConsoleEventSchema),
})
export type ConsoleIncident = z.infer<typeof ConsoleIncidentSchema>

export const ConsoleFaultSchema = z.object({
  id: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  system: z.string(),
  symptom: z.string(),
  scope: z.enum(FAULT_SCOPES),
  startedAt: iso,
  recordedBy: z.string(),
  elapsedMs: z.number(),
  incidentId: z.string().nullable(),
  /** Roles the plans say must have been told by now and were not (C1, C2). */
  overdueNotify: z.array(z.enum(NOTIFY_ROLES)),
})
export type ConsoleFault = z.infer<typeof ConsoleFaultSchema>

export const ConsoleCallbacksSchema = z.object({
  siteId: z.string(),
  siteName: z.string(),
  /** Call records needing a callback whose state is not resolved or re-entered. */
  outstanding: z.number(),
  toCall: z.number(),
  noAnswer: z.number(),
})
export type ConsoleCallbacks = z.infer<typeof ConsoleCallbacksSchema>

export const ConsoleNowSchema = z.object({
  generatedAt: iso,
  sites: z.array(ConsoleSiteSchema),
  incidents: z.array(ConsoleIncidentSchema),
  faults: z.array(ConsoleFaultSchema),
  callbacks: z.array(ConsoleCallbacksSchema),
  /** True when a bounded read was full: the view may miss something old. */
  partial: z.boolean(),
})
export type ConsoleNow = z.infer<typeof ConsoleNowSchema>

// ---------------------------------------------------------------------------------------------
// Records

/**
 * The registers the Records view lists. `drillRecord` is the drill record (participants,
 * evaluation); drills themselves are incidents with `drill: true`.
 */
export const CONSOLE_RECORD_KINDS = [
  'incident',
  'callRecord',
  'fault',
  'logEntry',
  'drillRecord',
  'lostItem',
  'mediaContact',
  'rollCall',
] as const
export type ConsoleRecordKind = (typeof CONSOLE_RECORD_KINDS)[number]

/** A date (`2026-11-28`, a UTC day) or an ISO time with its offset (what the console sends). */
const dateOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })])

/**
 * An incident's state as an incident row's `status` says it: running, or closed (a `close` event
 * not followed by a `reopen`). The same two as the tablet's archive filter.
 */
export const CONSOLE_INCIDENT_STATES = ['open', 'closed'] as const
export type ConsoleIncidentState = (typeof CONSOLE_INCIDENT_STATES)[number]

/** Real records or drills (a row's `drill`): a drill never counts in real statistics. */
export const CONSOLE_RECORD_MODES = ['real', 'drill'] as const
export type ConsoleRecordMode = (typeof CONSOLE_RECORD_MODES)[number]

/**
 * The kinds each incident filter of the Records view applies to. `state` is an incident's own;
 * `plan` and `mode` also reach what belongs to an incident of that plan (its drill record, its
 * roll-call). A row of another kind never matches `state` or `plan`; for `mode`, every row of
 * another kind is real (it is never a drill).
 */
export const CONSOLE_FILTER_KINDS: Record<'state' | 'plan' | 'mode', readonly ConsoleRecordKind[]> = {
  state: ['incident'],
  plan: ['incident', 'drillRecord', 'rollCall'],
  mode: ['incident', 'drillRecord', 'rollCall'],
}

export const ConsoleRecordsQuerySchema = z
  .object({
    kind: z.enum(CONSOLE_RECORD_KINDS).optional(),
    siteId: z.string().regex(UUID_RE, 'siteId must be a UUID').optional(),
    /** Inclusive; a bare date is the start of that UTC day. */
    from: dateOrTime.optional(),
    /** Exclusive; a bare date includes that whole UTC day. */
    to: dateOrTime.optional(),
    /**
     * Incidents in this state only. Without `kind`, only incidents are listed; with a kind other
     * than `incident` the request is refused (it could only ever list nothing).
     */
    state: z.enum(CONSOLE_INCIDENT_STATES).optional(),
    /**
     * One plan's incidents, drill records and roll-calls (a playbook id, `H4`). Without `kind`,
     * only those three kinds are listed; with another kind the request is refused. An id the
     * server holds no plan of is not refused: an incident may run a plan the server has no copy of.
     */
    plan: z.string().max(60).regex(PLAYBOOK_ID_RE, 'plan must be a plan id such as H4 or C2').optional(),
    /**
     * Real rows or drills only (by the row's `drill`). Rows of kinds that are never drills are
     * real; `drill` without `kind` lists only the kinds that can be drills (CONSOLE_FILTER_KINDS).
     */
    mode: z.enum(CONSOLE_RECORD_MODES).optional(),
    format: z.enum(['json', 'csv']).default('json'),
    /** The language of titles, labels and CSV headers. @default 'zh-CN' */
    lang: LocaleSchema.default('zh-CN'),
    /**
     * The console's offset from UTC in minutes (`-new Date().getTimezoneOffset()`): the CSV writes
     * times as wall time there. Absent: times stay ISO as recorded.
     */
    tzOffset: z.coerce.number().int().min(-840).max(840).optional(),
  })
  .superRefine((q, ctx) => {
    for (const filter of ['state', 'plan'] as const) {
      if (q[filter] === undefined || q.kind === undefined || CONSOLE_FILTER_KINDS[filter].includes(q.kind)) continue
      const kinds = CONSOLE_FILTER_KINDS[filter].join(', ')
      ctx.addIssue({ code: 'custom', path: [filter], message: `${filter} applies to kind ${kinds} only, not ${q.kind}: leave kind out or pick one of those` })
    }
  })
export type ConsoleRecordsQuery = z.infer<typeof ConsoleRecordsQuerySchema>

export const CellSchema = z.union([z.string(), z.number(), z.boolean()])
export type Cell = z.infer<typeof CellSchema>

export const ConsoleRecordRowSchema = z.object({
  id: z.string(),
  kind: z.enum(CONSOLE_RECORD_KINDS),
  siteId: z.string(),
  siteName: z.string(),
  /** When it happened (the call, the start, the line's time), not when it was saved. */
  at: iso,
  author: z.string(),
  createdAt: iso,
  /** One line, in the requested language. */
  summary: z.string(),
  /** A stable code (`open`, `closed`, `ongoing`, `recovered`, a callback state, a rating…) or ''. */
  status: z.string(),
  drill: z.boolean(),
  /** The kind's own columns (see CONSOLE_KIND_COLUMNS), flat, as in the CSV. */
  columns: z.record(z.string(), CellSchema),
  /** The record's data as stored. */
  data: z.record(z.string(), z.unknown()),
  /** What belongs to it: an incident's newest report and review, done items, events… */
  related: z.record(z.string(), z.unknown()),
})
export type ConsoleRecordRow = z.infer<typeof ConsoleRecordRowSchema>

/** A plan the Records view can filter by: the current version's title. */
export const ConsolePlanSchema = z.object({ id: z.string(), title: LocalizedTextSchema, category: PlaybookCategorySchema })
export type ConsolePlan = z.infer<typeof ConsolePlanSchema>

export const ConsoleRecordsSchema = z.object({
  generatedAt: iso,
  kind: z.enum(CONSOLE_RECORD_KINDS).nullable(),
  siteIds: z.array(z.string()),
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** The incident filters applied (null: none). */
  state: z.enum(CONSOLE_INCIDENT_STATES).nullable(),
  plan: z.string().nullable(),
  mode: z.enum(CONSOLE_RECORD_MODES).nullable(),
  /**
   * True when a bounded read was full: narrow the dates to see everything. The filters above are
   * applied after the reads, so a filtered view of a full read is still marked.
   */
  truncated: z.boolean(),
  rows: z.array(ConsoleRecordRowSchema),
  /** Every plan the server holds (its current version), in the catalog's order: the plan filter's choices. */
  plans: z.array(ConsolePlanSchema),
})
export type ConsoleRecords = z.infer<typeof ConsoleRecordsSchema>

/** Columns every row has, first in every CSV. */
export const CONSOLE_COMMON_COLUMNS = ['recordId', 'kind', 'site', 'at', 'author', 'summary', 'status'] as const

const CALL_COLUMNS = CALL_EXPORT_COLUMNS.filter((c) => c !== 'recordId' && c !== 'agent')

/** Each kind's own columns, after the common ones, when the export is of one kind. */
export const CONSOLE_KIND_COLUMNS: Record<ConsoleRecordKind, readonly string[]> = {
  incident: [
    'playbookId', 'plan', 'drill', 'variantId', 'startedAt', 'closedAt', 'closedBy', 'stepsDone', 'stepsTotal',
    'report', 'incidentType', 'location', 'propertyLoss', 'casualties', 'scope', 'measures', 'control', 'development', 'other', 'reportBy', 'reportAt',
    'review', 'reviewCause', 'reviewCourse', 'reviewMeasures', 'reviewAddressedTo', 'rectifications', 'rectificationsOpen', 'reviewBy', 'reviewAt',
  ],
  callRecord: CALL_COLUMNS,
  fault: ['system', 'symptom', 'scope', 'seat', 'startedAt', 'recoveredAt', 'recoveredBy', 'durationMinutes', 'notified', 'actions', 'incidentId'],
  logEntry: ['log', 'type', 'text', 'faultId'],
  drillRecord: ['incidentId', 'playbookId', 'plan', 'drillAt', 'participantCount', 'participants', 'rating', 'evaluation'],
  lostItem: [
    'mode', 'description', 'where', 'foundBy', 'witnesses', 'cctv', 'keptAt', 'contact', 'details',
    'ownerContactedAt', 'returnedTo', 'returnedBy', 'returnedAt', 'closedAt', 'ageDays', 'amendments', 'incidentId',
  ],
  mediaContact: ['outlet', 'reporterName', 'channel', 'asked', 'filmingAttempted', 'filmingAction', 'response', 'informed', 'spokesperson', 'incidentId'],
  rollCall: ['incidentId', 'startedAt', 'safe', 'missing', 'injured', 'absent', 'unmarked', 'customersEvacuated', 'completedAt', 'completedBy'],
}

const L = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en })

/** CSV headers, in both languages. A column without a label here shows its id. */
export const CONSOLE_COLUMN_LABELS: Record<string, LocalizedText> = {
  recordId: L('记录编号', 'Record id'),
  kind: L('类型', 'Type'),
  site: L('网点', 'Site'),
  at: L('时间', 'Time'),
  author: L('记录人', 'Recorded by'),
  summary: L('摘要', 'Summary'),
  status: L('状态', 'Status'),
  playbookId: L('预案编号', 'Plan id'),
  plan: L('预案', 'Plan'),
  drill: L('演练', 'Drill'),
  variantId: L('情形', 'Situation'),
  startedAt: L('开始时间', 'Started'),
  closedAt: L('结束时间', 'Closed'),
  closedBy: L('结束人', 'Closed by'),
  stepsDone: L('已完成步骤', 'Steps done'),
  stepsTotal: L('步骤总数', 'Steps'),
  report: L('事件报告', 'Report'),
  incidentType: L('事件类型', 'Event type'),
  location: L('地点', 'Location'),
  propertyLoss: L('财产损失', 'Property loss'),
  casualties: L('人员伤亡', 'Casualties'),
  scope: L('影响范围', 'Scope'),
  measures: L('已采取措施', 'Measures taken'),
  control: L('控制情况', 'Under control'),
  development: L('发展趋势', 'Development'),
  other: L('其他', 'Other'),
  reportBy: L('报告人', 'Report by'),
  reportAt: L('报告时间', 'Report at'),
  review: L('分析总结', 'Review'),
  reviewCause: L('原因', 'Cause'),
  reviewCourse: L('经过', 'Course'),
  reviewMeasures: L('处置措施', 'Measures'),
  reviewAddressedTo: L('报送', 'Addressed to'),
  rectifications: L('整改项', 'Rectification items'),
  rectificationsOpen: L('未完成整改项', 'Items open'),
  reviewBy: L('总结人', 'Review by'),
  reviewAt: L('总结时间', 'Review at'),
  calledAt: L('来电时间', 'Called at'),
  callerPhone: L('来电号码', 'Caller phone'),
  callerPhoneStatus: L('号码核验', 'Phone check'),
  callerName: L('来电人', 'Caller'),
  customerNumber: L('客户编号', 'Customer number'),
  category: L('类别', 'Category'),
  priority: L('优先级', 'Priority'),
  request: L('诉求', 'Request'),
  answer: L('答复', 'Answer'),
  callbackNeeded: L('需回访', 'Callback needed'),
  callbackNumber: L('回访号码', 'Callback number'),
  callbackTime: L('方便回访时间', 'Preferred callback time'),
  callbackState: L('回访状态', 'Callback state'),
  callbackAttempts: L('未接通次数', 'Unanswered attempts'),
  callbackLastBy: L('最近处理人', 'Last step by'),
  callbackLastAt: L('最近处理时间', 'Last step at'),
  reenteredBy: L('补录人', 'Re-entered by'),
  reenteredAt: L('补录时间', 'Re-entered at'),
  faultId: L('故障编号', 'Fault id'),
  system: L('故障系统', 'System'),
  symptom: L('故障现象', 'Symptom'),
  seat: L('座席', 'Seat'),
  recoveredAt: L('恢复时间', 'Recovered'),
  recoveredBy: L('恢复确认人', 'Recovered by'),
  durationMinutes: L('持续分钟', 'Minutes'),
  notified: L('已通知', 'Notified'),
  actions: L('处置记录', 'Actions'),
  incidentId: L('事件编号', 'Incident id'),
  log: L('日志', 'Log'),
  type: L('条目类型', 'Entry type'),
  text: L('内容', 'Text'),
  drillAt: L('演练时间', 'Drill time'),
  participantCount: L('参与人数', 'Participants'),
  participants: L('参与人员', 'Participant names'),
  rating: L('评价等级', 'Rating'),
  evaluation: L('效果评价', 'Evaluation'),
  description: L('物品', 'Item'),
  details: L('详情', 'Details'),
  mode: L('登记类别', 'Entry type'),
  where: L('地点', 'Where'),
  foundBy: L('拾获人', 'Found by'),
  witnesses: L('清点见证人', 'Witnesses'),
  cctv: L('监控录像', 'CCTV'),
  keptAt: L('保管位置', 'Kept at'),
  contact: L('联系人', 'Contact'),
  ownerContactedAt: L('联系失主时间', 'Owner contacted'),
  returnedTo: L('领取人', 'Returned to'),
  returnedBy: L('经办人', 'Returned by'),
  returnedAt: L('归还时间', 'Returned at'),
  ageDays: L('天数', 'Days'),
  amendments: L('更正记录', 'Amendments'),
  outlet: L('媒体', 'Outlet'),
  reporterName: L('记者', 'Reporter'),
  channel: L('接触方式', 'Channel'),
  asked: L('询问内容', 'Asked'),
  filmingAttempted: L('试图拍摄', 'Filming attempted'),
  filmingAction: L('处置', 'What staff did'),
  response: L('答复口径', 'Answer given'),
  informed: L('已报告', 'Informed'),
  spokesperson: L('发言人', 'Spokesperson'),
  safe: L('安全', 'Safe'),
  missing: L('失联', 'Missing'),
  injured: L('受伤', 'Injured'),
  absent: L('不在岗', 'Absent'),
  unmarked: L('未清点', 'Unmarked'),
  customersEvacuated: L('疏散客户数', 'Customers evacuated'),
  completedAt: L('清点完成时间', 'Completed'),
  completedBy: L('确认人', 'Completed by'),
}

export const CONSOLE_KIND_LABELS: Record<ConsoleRecordKind, LocalizedText> = {
  incident: L('应急事件', 'Incident'),
  callRecord: L('来电记录', 'Call record'),
  fault: L('系统故障', 'Fault'),
  logEntry: L('日志', 'Log line'),
  drillRecord: L('演练记录', 'Drill record'),
  lostItem: L('失物登记', 'Lost and found'),
  mediaContact: L('媒体接待', 'Media contact'),
  rollCall: L('人员清点', 'Roll call'),
}

const labels = (entries: Record<string, [string, string]>): Record<string, LocalizedText> =>
  Object.fromEntries(Object.entries(entries).map(([k, [zh, en]]) => [k, L(zh, en)]))

const STATUS_LABELS = labels({
  open: ['进行中', 'Open'],
  closed: ['已结束', 'Closed'],
  ongoing: ['未恢复', 'Ongoing'],
  recovered: ['已恢复', 'Recovered'],
  toCall: ['待回访', 'To call'],
  noAnswer: ['未接通', 'No answer'],
  resolved: ['已解决', 'Resolved'],
  reentered: ['已补录', 'Re-entered'],
  good: ['良好', 'Good'],
  adequate: ['合格', 'Adequate'],
  needsWork: ['需改进', 'Needs work'],
  complete: ['已完成', 'Complete'],
  inProgress: ['进行中', 'In progress'],
  ownerIdentified: ['已确认失主', 'Owner identified'],
  ownerContacted: ['已联系失主', 'Owner contacted'],
  returned: ['已归还', 'Returned'],
  leader: ['组长日志', 'Shift leader log'],
  agent: ['员工日志', 'Agent log'],
})

/**
 * Labels of the coded values a CSV reader should not have to decode, per column (the same words
 * as the tablet's screens). A value without a label is written as it is.
 */
export const CONSOLE_VALUE_LABELS: Record<string, Record<string, LocalizedText>> = {
  kind: CONSOLE_KIND_LABELS,
  status: STATUS_LABELS,
  callbackState: STATUS_LABELS,
  rating: STATUS_LABELS,
  log: STATUS_LABELS,
  report: labels({ submitted: ['已提交', 'Submitted'], missing: ['未提交', 'Missing'] }),
  review: labels({ submitted: ['已提交', 'Submitted'], missing: ['未提交', 'Missing'] }),
  incidentType: labels({
    volumeSurge: ['客流（业务）量急增', 'Surge of customers or business volume'],
    systemFailure: ['业务系统故障', 'Business system failure'],
    robbery: ['抢劫', 'Robbery'],
    fire: ['火灾', 'Fire'],
    besieged: ['服务大厅遭到围攻', 'Hall besieged'],
    disorder: ['扰乱秩序', 'Disorder'],
    customerIllness: ['客户突发疾病', 'Customer taken ill'],
    customerInjury: ['客户遭受意外人身伤害', 'Customer injured'],
    lostProperty: ['客户遗失物品', 'Customer lost property'],
    media: ['媒体报道', 'Media report'],
    powerCut: ['停电', 'Power cut'],
    staffAccident: ['人员意外', 'Staff accident'],
    other: ['其他', 'Other'],
  }),
  scope: labels({ seat: ['单个座席', 'One seat'], allSeats: ['全部座席', 'All seats'], application: ['单个应用', 'One application'], network: ['网络', 'Network'], power: ['电力', 'Power'] }),
  channel: labels({ door: ['到场', 'At the door'], phone: ['电话', 'Phone'], other: ['其他', 'Other'] }),
  type: labels({ note: ['记事', 'Note'], fault: ['故障', 'Fault'], staff: ['人员调动', 'Staff move'], notice: ['通知', 'Notice'] }),
  category: labels({ inquiry: ['咨询', 'Inquiry'], complaint: ['投诉', 'Complaint'], faultReport: ['故障报修', 'Fault report'], businessRequest: ['业务办理', 'Business request'], other: ['其他', 'Other'] }),
  priority: labels({ normal: ['一般', 'Normal'], high: ['较急', 'High'], urgent: ['紧急', 'Urgent'] }),
  callerPhoneStatus: labels({ mobile: ['手机', 'Mobile'], landline: ['固话', 'Landline'], withheld: ['号码未显示', 'Number withheld'], unverified: ['号码未核实', 'Number unverified'], empty: ['未留号码', 'No number'] }),
  mode: labels({ found: ['拾获物品', 'Found item'], reported: ['客户报失', 'Reported loss'], vehicle: ['车辆丢失或损坏', 'Vehicle lost or damaged'] }),
  response: labels({ spokesperson: ['已请其联系新闻发言人', 'Referred to the spokesperson'] }),
}

export const CONSOLE_BOOLEAN_LABELS: Record<'yes' | 'no', LocalizedText> = { yes: L('是', 'Yes'), no: L('否', 'No') }

/** Columns holding an ISO time: the CSV writes them as local wall time `YYYY-MM-DD HH:mm`. */
export const CONSOLE_TIME_COLUMNS: ReadonlySet<string> = new Set([
  'at', 'startedAt', 'closedAt', 'reportAt', 'reviewAt', 'calledAt', 'callbackLastAt', 'reenteredAt', 'recoveredAt', 'drillAt', 'completedAt',
  'ownerContactedAt', 'returnedAt',
])

export function labelOf(table: Record<string, LocalizedText> | undefined, key: string, lang: Locale): string {
  return table?.[key]?.[lang] ?? key
}

// ---------------------------------------------------------------------------------------------
// Follow-through

const siteIdParam = z.string().regex(UUID_RE, 'siteId must be a UUID').optional()

export const ConsoleNowQuerySchema = z.object({ siteId: siteIdParam })

export const FollowThroughQuerySchema = z.object({
  siteId: siteIdParam,
  /** The console's own date: an item is overdue once its due date is before this. @default the server's UTC date */
  today: z.iso.date().optional(),
})

export const FollowThroughItemSchema = z.object({
  incidentId: z.string(),
  reviewId: z.string(),
  itemId: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  playbookId: z.string(),
  title: localizedOrNull,
  drill: z.boolean(),
  incidentStartedAt: iso,
  text: z.string(),
  owner: z.string(),
  /** A date, `2026-12-31`. */
  due: z.string(),
  done: z.object({ at: iso, by: z.string(), note: z.string() }).nullable(),
  /** Not done and its due date has passed. */
  overdue: z.boolean(),
})
export type FollowThroughItem = z.infer<typeof FollowThroughItemSchema>

export const FollowThroughSchema = z.object({
  generatedAt: iso,
  /** The day "overdue" is measured against (the console's own date when it sent one). */
  today: z.string(),
  /** By owner, then due date. */
  items: z.array(FollowThroughItemSchema),
  partial: z.boolean(),
})
export type FollowThrough = z.infer<typeof FollowThroughSchema>

// ---------------------------------------------------------------------------------------------
// Drills

export const DrillEntrySchema = z.object({
  incidentId: z.string(),
  startedAt: iso,
  startedBy: z.string(),
  /** The drill record (participants, evaluation), when one was written. */
  record: z
    .object({
      rating: z.enum(['good', 'adequate', 'needsWork']),
      evaluation: z.string(),
      participants: z.array(z.string()),
      recordedBy: z.string(),
      recordedAt: iso,
      /**
       * Of the steps that ran against a deadline and counted (on time, late, not done), how many
       * were on time; null for a record made before steps were timed.
       */
      onTime: z.number().int().nonnegative().nullable(),
      timed: z.number().int().nonnegative().nullable(),
    })
    .nullable(),
})
export type DrillEntry = z.infer<typeof DrillEntrySchema>

export const DrillPlanSchema = z.object({
  playbookId: z.string(),
  title: LocalizedTextSchema,
  category: PlaybookCategorySchema,
  lastDrilledAt: z.string().nullable(),
  /** Newest first. */
  drills: z.array(DrillEntrySchema),
  /** Not drilled in the last `months` months. */
  notDrilled: z.boolean(),
})
export type DrillPlan = z.infer<typeof DrillPlanSchema>

export const DrillSiteSchema = z.object({
  siteId: z.string(),
  siteName: z.string(),
  /** The plan categories this site runs (inferred from its incidents and drills; both when none). */
  categories: z.array(PlaybookCategorySchema),
  plans: z.array(DrillPlanSchema),
})

export const DrillsSchema = z.object({
  generatedAt: iso,
  months: z.number(),
  /** Drills before this time do not count as recent. */
  since: iso,
  sites: z.array(DrillSiteSchema),
  partial: z.boolean(),
})
export type Drills = z.infer<typeof DrillsSchema>

export const DRILL_MONTHS_DEFAULT = 12

export const DrillsQuerySchema = z.object({
  siteId: siteIdParam,
  /** A plan not drilled in this many months is flagged. @default 12 */
  months: z.coerce.number().int().min(1).max(120).default(DRILL_MONTHS_DEFAULT),
})

// ---------------------------------------------------------------------------------------------
// Admin API responses (the requests are in admin.ts)

export const AdminSiteSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  location: z.string(),
  idleLockMinutes: z.number(),
})
export type AdminSite = z.infer<typeof AdminSiteSchema>

export const AdminDeviceSchema = z.object({
  id: z.string(),
  siteId: z.string(),
  name: z.string(),
  lastSeenAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
})
export type AdminDevice = z.infer<typeof AdminDeviceSchema>

// ---------------------------------------------------------------------------------------------
// Sign-in errors

export type SignInFailure = 'wrongPin' | 'locked' | 'notConsoleRole' | 'invalid' | 'network' | 'server'

/**
 * Why `POST /api/session` failed, for the sign-in page's message: 401 a wrong staff number or
 * PIN, 429 a staff number waiting after five wrong PINs, 403 a person whose role has no console.
 */
export function signInFailure(status: number): SignInFailure {
  if (status === 0) return 'network'
  if (status === 400) return 'invalid'
  if (status === 401) return 'wrongPin'
  if (status === 429) return 'locked'
  if (status === 403) return 'notConsoleRole'
  return 'server'
}
