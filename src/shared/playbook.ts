import { z } from 'zod'

/**
 * The playbook format: the center's emergency plans as data, so that the app can show them step by
 * step, run them as an incident or a drill, start escalation clocks and open the right forms.
 * Shipped plans live in `./playbooks`; the center can edit them and add its own (complaint
 * escalation, abnormal calls, urgent work orders have no plan in the source), so every rule that
 * keeps a plan usable is checked here and not only in the shipped data.
 */

/** Ids of steps, variants, levels and contacts: lower-case kebab, stable across versions. */
export const KEBAB_ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
/** A playbook id: the source's numbering (H1 to H10, C1 to C9) or a kebab id for the center's own. */
export const PLAYBOOK_ID_RE = /^(?:[HC][1-9][0-9]?|[a-z0-9]+(?:-[a-z0-9]+)*)$/

const kebabId = z.string().regex(KEBAB_ID_RE, 'id must be lower-case kebab-case').max(60)
/** Text a person reads: never empty, never only spaces, in every language. */
const text = z.string().trim().min(1).max(2000)

/** The languages every text exists in. Chinese first: it is what staff read on the floor. */
export const LOCALES = ['zh-CN', 'en'] as const
export const LocaleSchema = z.enum(LOCALES)
export type Locale = z.infer<typeof LocaleSchema>

/** One text in both languages; a missing or blank translation is an error, not a fallback. */
export const LocalizedTextSchema = z.object({ 'zh-CN': text, en: text })
export type LocalizedText = z.infer<typeof LocalizedTextSchema>

export const PlaybookCategorySchema = z.enum(['serviceHall', 'callCenter'])
export type PlaybookCategory = z.infer<typeof PlaybookCategorySchema>

/**
 * Who does a step. `supervisor` is the supervisor of the category's floor (呼叫中心主管 in the call
 * center, 大厅主管 in the hall); `hallHead` is the person in charge of the hall (大厅负责人 /
 * 部门负责人); `hallStaff` are the hall's counter staff (客服人员), who are not call center agents.
 */
export const RoleSchema = z.enum([
  'agent',
  'hallStaff',
  'shiftLeader',
  'supervisor',
  'hallHead',
  'opsSpecialist',
  'operationsSupervisor',
  'centerManager',
  'security',
  'spokesperson',
  'leadershipGroup',
  'allStaff',
])
export type Role = z.infer<typeof RoleSchema>

/** Role names for the UI, in the glossary's words. */
export const ROLE_LABELS: Record<Role, LocalizedText> = {
  agent: { 'zh-CN': '座席员', en: 'Agent' },
  hallStaff: { 'zh-CN': '大厅客服人员', en: 'Hall staff' },
  shiftLeader: { 'zh-CN': '值班组长', en: 'Shift leader' },
  supervisor: { 'zh-CN': '主管', en: 'Supervisor' },
  hallHead: { 'zh-CN': '大厅负责人', en: 'Head of the hall' },
  opsSpecialist: { 'zh-CN': '系统运维专员', en: 'Ops specialist' },
  operationsSupervisor: { 'zh-CN': '运营主管', en: 'Operations supervisor' },
  centerManager: { 'zh-CN': '中心经理', en: 'Center manager' },
  security: { 'zh-CN': '安保人员', en: 'Security' },
  spokesperson: { 'zh-CN': '发言人', en: 'Spokesperson' },
  leadershipGroup: { 'zh-CN': '应急处理领导小组', en: 'Emergency leadership group' },
  allStaff: { 'zh-CN': '全体人员', en: 'All staff' },
}

/**
 * The forms a plan asks for. A step lists the ones it opens; the playbook lists all of them so the
 * app can offer them from the incident screen too.
 */
export const RecordFormIdSchema = z.enum([
  'callRecord',
  'faultRecord',
  'shiftLeaderLog',
  'agentLog',
  'callbackList',
  'incidentReport',
  'lostAndFound',
  'mediaContact',
  'rollCall',
  'drillRecord',
  'cctvNote',
])
export type RecordFormId = z.infer<typeof RecordFormIdSchema>

/** The forms the outage desk keeps (C1, C2, C7): a running incident offers them together. */
export const OUTAGE_FORMS: readonly RecordFormId[] = ['faultRecord', 'callRecord', 'shiftLeaderLog', 'agentLog', 'callbackList']

/** Form names for the UI, in the glossary's words. */
export const RECORD_FORM_LABELS: Record<RecordFormId, LocalizedText> = {
  callRecord: { 'zh-CN': '手工记录表', en: 'Manual record form' },
  faultRecord: { 'zh-CN': '系统故障情况处理表', en: 'System failure handling form' },
  shiftLeaderLog: { 'zh-CN': '组长日志', en: 'Shift leader log' },
  agentLog: { 'zh-CN': '员工日志', en: 'Agent log' },
  callbackList: { 'zh-CN': '回访名单', en: 'Follow-up list' },
  incidentReport: { 'zh-CN': '突发事件报告', en: 'Incident report' },
  lostAndFound: { 'zh-CN': '失物登记表', en: 'Lost-and-found register' },
  mediaContact: { 'zh-CN': '媒体接触记录', en: 'Media contact note' },
  rollCall: { 'zh-CN': '人员清点表', en: 'Roll call' },
  drillRecord: { 'zh-CN': '演练记录', en: 'Drill record' },
  cctvNote: { 'zh-CN': '监控录像保存记录', en: 'CCTV footage note' },
}

/**
 * `emergency`: public numbers (110, 119, 120), fixed. `internal`: people of the organisation.
 * `external`: partners and suppliers.
 */
export const ContactKindSchema = z.enum(['emergency', 'internal', 'external'])
export type ContactKind = z.infer<typeof ContactKindSchema>

/** The place a contact holds in the emergency leadership group, if any. */
export const LeadershipGroupRoleSchema = z.enum(['leader', 'deputy', 'member'])
export type LeadershipGroupRole = z.infer<typeof LeadershipGroupRoleSchema>

/**
 * One entry of the contact list. Steps refer to contacts by id, so the center can fill in or
 * change a number once and every plan's tap-to-call link follows. The phone may be empty until
 * the center fills it in (internal and partner numbers are not in the source); an emergency
 * number never is.
 */
export const ContactSchema = z
  .object({
    id: kebabId,
    name: LocalizedTextSchema,
    /** The contact's role in the plans, e.g. "deputy leader of the emergency leadership group". */
    title: LocalizedTextSchema,
    phone: z
      .string()
      .trim()
      .max(40)
      .regex(/^[0-9+\-()#*,; ]*$/, 'phone may hold only digits, spaces and + - ( ) # * , ;'),
    kind: ContactKindSchema,
    leadershipGroup: LeadershipGroupRoleSchema.optional(),
  })
  .superRefine((contact, ctx) => {
    if (contact.kind === 'emergency' && contact.phone.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['phone'], message: 'emergency_phone_required' })
    }
  })
export type Contact = z.infer<typeof ContactSchema>
export type ContactInput = z.input<typeof ContactSchema>

/** What an escalation clock counts from. */
export const DeadlineAnchorSchema = z.discriminatedUnion('type', [
  /** The moment the incident (or drill) was started: the fault's start for a system failure. */
  z.object({ type: z.literal('incidentStart') }),
  /** The moment the named step was ticked. */
  z.object({ type: z.literal('step'), stepId: kebabId }),
  /** The moment the named escalation level was started. */
  z.object({ type: z.literal('level'), levelId: kebabId }),
])
export type DeadlineAnchor = z.infer<typeof DeadlineAnchorSchema>

/**
 * An escalation clock. The source has two kinds and the UI must treat them differently:
 * `within`: do this within N minutes (the clock runs out, the step is overdue), e.g. the shift
 * leader reports to the supervisor within 5 min;
 * `escalateAfter`: if the situation is still not resolved after N minutes, this becomes due,
 * e.g. call the vendor after 60 min. It may be done earlier when it is clear it will not resolve,
 * and is skipped when the incident ends first.
 */
export const DeadlineSchema = z.object({
  minutes: z.number().int().positive().max(24 * 60),
  from: DeadlineAnchorSchema,
  kind: z.enum(['within', 'escalateAfter']),
  /** The clock's caption, e.g. "Report within 5 min". */
  label: LocalizedTextSchema,
})
export type Deadline = z.infer<typeof DeadlineSchema>

/** One action, for one role. Short enough to read at arm's length; the rest goes in `detail`. */
export const StepSchema = z.object({
  /** Stable within the playbook: tick times of past incidents refer to it. */
  id: kebabId,
  text: LocalizedTextSchema,
  detail: LocalizedTextSchema.optional(),
  role: RoleSchema,
  /** A contact of the contact list to call from this step (tap-to-call). */
  contactId: kebabId.optional(),
  deadline: DeadlineSchema.optional(),
  /** The branches this step belongs to; absent means every branch. */
  variantIds: z.array(kebabId).min(1).optional(),
  /** The escalation level this step carries out; absent means it is not tied to a level. */
  levelId: kebabId.optional(),
  /** Forms to open from this step. */
  records: z.array(RecordFormIdSchema).min(1).optional(),
  /** Safety-critical: shown first and loudest. */
  critical: z.boolean().optional(),
})
export type Step = z.infer<typeof StepSchema>
export type StepInput = z.input<typeof StepSchema>

/** A branch of a plan (robbery: firearm, explosive, tear gas). Staff pick one when they start. */
export const VariantSchema = z.object({
  id: kebabId,
  title: LocalizedTextSchema,
  description: LocalizedTextSchema.optional(),
})
export type Variant = z.infer<typeof VariantSchema>

/**
 * A level of escalating support (call surge: level 1, 2, 3). A level's deadline says when the
 * next level is due if the previous one has not brought things under control.
 */
export const EscalationLevelSchema = z.object({
  id: kebabId,
  level: z.number().int().positive(),
  title: LocalizedTextSchema,
  text: LocalizedTextSchema,
  deadline: DeadlineSchema.optional(),
})
export type EscalationLevel = z.infer<typeof EscalationLevelSchema>

/** Search words per language; not every Chinese keyword has Chinese characters (UPS, 110). */
export const KeywordsSchema = z.object({
  'zh-CN': z.array(text),
  en: z.array(text),
})
export type Keywords = z.infer<typeof KeywordsSchema>

function duplicates(values: readonly string[]): Set<string> {
  const seen = new Set<string>()
  const dup = new Set<string>()
  for (const v of values) {
    if (seen.has(v)) dup.add(v)
    seen.add(v)
  }
  return dup
}

/**
 * A whole plan. The checks below are the ones the center's own editing could break and that
 * would make a plan fail in the middle of an incident: a clock that can never start, a step no
 * branch shows, a form or role the plan does not declare. Whether `contactId`s exist is checked
 * against the contact list by whoever holds it (the list is data, not part of the format).
 */
export const PlaybookSchema = z
  .object({
    id: z.string().regex(PLAYBOOK_ID_RE, 'id must be H1…H10, C1…C9 or lower-case kebab-case').max(60),
    /** Grows by one on every edit; a device keeps the highest version it has seen. */
    version: z.number().int().positive(),
    category: PlaybookCategorySchema,
    title: LocalizedTextSchema,
    summary: LocalizedTextSchema,
    /** When to open this plan. */
    trigger: LocalizedTextSchema,
    keywords: KeywordsSchema,
    /** Every role the steps name (a plan may list more, e.g. roles it informs). */
    roles: z.array(RoleSchema).min(1),
    /** What must be in place before any incident (extinguishers known, weekly backups...). */
    preparedness: z.array(LocalizedTextSchema).min(1).optional(),
    variants: z.array(VariantSchema).min(2).optional(),
    levels: z.array(EscalationLevelSchema).min(2).optional(),
    steps: z.array(StepSchema).min(1),
    /** Every form the plan asks for. */
    records: z.array(RecordFormIdSchema),
  })
  .superRefine((pb, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message })

    const stepIds = new Set(pb.steps.map((s) => s.id))
    const variantIds = new Set((pb.variants ?? []).map((v) => v.id))
    const levels = pb.levels ?? []
    const levelById = new Map(levels.map((l) => [l.id, l]))
    const roles = new Set(pb.roles)
    const records = new Set(pb.records)

    const dupSteps = duplicates(pb.steps.map((s) => s.id))
    pb.steps.forEach((s, i) => {
      if (dupSteps.has(s.id)) issue(['steps', i, 'id'], 'duplicate_step_id')
    })
    const dupVariants = duplicates((pb.variants ?? []).map((v) => v.id))
    ;(pb.variants ?? []).forEach((v, i) => {
      if (dupVariants.has(v.id)) issue(['variants', i, 'id'], 'duplicate_variant_id')
    })
    const dupLevels = duplicates(levels.map((l) => l.id))
    levels.forEach((l, i) => {
      if (dupLevels.has(l.id)) issue(['levels', i, 'id'], 'duplicate_level_id')
      // Levels are numbered 1, 2, 3... in order: the UI escalates to the next one in the list.
      if (l.level !== i + 1) issue(['levels', i, 'level'], 'levels_must_be_numbered_in_order')
    })
    if (duplicates(pb.roles).size > 0) issue(['roles'], 'duplicate_role')
    if (duplicates(pb.records).size > 0) issue(['records'], 'duplicate_record')

    const checkAnchor = (deadline: Deadline | undefined, path: (string | number)[]) => {
      if (!deadline) return
      const from = deadline.from
      if (from.type === 'step' && !stepIds.has(from.stepId)) issue([...path, 'from', 'stepId'], 'unknown_step')
      if (from.type === 'level' && !levelById.has(from.levelId)) {
        issue([...path, 'from', 'levelId'], 'unknown_level')
      }
    }

    pb.steps.forEach((s, i) => {
      if (!roles.has(s.role)) issue(['steps', i, 'role'], 'role_not_listed')
      for (const r of s.records ?? []) if (!records.has(r)) issue(['steps', i, 'records'], 'record_not_listed')
      for (const v of s.variantIds ?? []) if (!variantIds.has(v)) issue(['steps', i, 'variantIds'], 'unknown_variant')
      if (s.levelId !== undefined && !levelById.has(s.levelId)) issue(['steps', i, 'levelId'], 'unknown_level')
      checkAnchor(s.deadline, ['steps', i, 'deadline'])
    })
    levels.forEach((l, i) => {
      checkAnchor(l.deadline, ['levels', i, 'deadline'])
      // A level's clock runs from an earlier level: otherwise it could never start in time.
      const from = l.deadline?.from
      if (from?.type === 'level' && (levelById.get(from.levelId)?.level ?? 0) >= l.level) {
        issue(['levels', i, 'deadline', 'from', 'levelId'], 'level_anchor_must_be_earlier')
      }
    })

    // A variant nobody can follow is a mistake: each needs at least one step of its own.
    ;(pb.variants ?? []).forEach((v, i) => {
      if (!pb.steps.some((s) => s.variantIds?.includes(v.id))) issue(['variants', i], 'variant_without_steps')
    })

    // A clock counting from a step whose own clock counts (eventually) from the first one never
    // starts. Each node has at most one anchor, so following anchors finds any cycle.
    const anchorOf = new Map<string, string>()
    for (const s of pb.steps) {
      const f = s.deadline?.from
      if (f?.type === 'step') anchorOf.set(`step:${s.id}`, `step:${f.stepId}`)
      if (f?.type === 'level') anchorOf.set(`step:${s.id}`, `level:${f.levelId}`)
    }
    for (const l of levels) {
      const f = l.deadline?.from
      if (f?.type === 'step') anchorOf.set(`level:${l.id}`, `step:${f.stepId}`)
      if (f?.type === 'level') anchorOf.set(`level:${l.id}`, `level:${f.levelId}`)
    }
    const nodes: [string, (string | number)[]][] = [
      ...pb.steps.map((s, i): [string, (string | number)[]] => [`step:${s.id}`, ['steps', i, 'deadline', 'from']]),
      ...levels.map((l, i): [string, (string | number)[]] => [`level:${l.id}`, ['levels', i, 'deadline', 'from']]),
    ]
    for (const [start, path] of nodes) {
      const visited = new Set<string>()
      let node: string | undefined = start
      while (node !== undefined && !visited.has(node)) {
        visited.add(node)
        node = anchorOf.get(node)
      }
      if (node === start) issue(path, 'deadline_cycle')
    }
  })

/** A validated playbook. */
export type Playbook = z.infer<typeof PlaybookSchema>
/** What a playbook literal must satisfy before parsing (the shipped plans are written as this). */
export type PlaybookInput = z.input<typeof PlaybookSchema>
