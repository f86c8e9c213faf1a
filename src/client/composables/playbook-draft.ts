import type { Deadline, DeadlineAnchor, LocalizedText, Playbook, PlaybookInput, Step } from '../../shared/playbook'

/**
 * The playbook editor's draft logic, apart from the page so that it can be tested without
 * mounting it: what gets saved from a draft, which parts of a plan use a variant or a level, and
 * new ids. The draft is a `Playbook` that may be invalid; PlaybookSchema decides.
 */

export const emptyText = (): LocalizedText => ({ 'zh-CN': '', en: '' })

const isBlank = (text: LocalizedText | undefined) => !text || (!text['zh-CN'].trim() && !text.en.trim())

/** Splits a keyword line on the commas and list marks either language uses. */
export const splitWords = (text: string) => text.split(/[,，、;；]/).map((w) => w.trim()).filter(Boolean)

/**
 * `${prefix}-${n}` for the first n from `from` that no id of `taken` has. Pass the ids of the
 * version being edited too: a past incident's timeline refers to them, so a new variant or level
 * must not take the id of one removed in this edit.
 */
export function freeId(prefix: string, taken: Iterable<string>, from = 1): string {
  const used = new Set(taken)
  let n = from
  while (used.has(`${prefix}-${n}`)) n += 1
  return `${prefix}-${n}`
}

/** The deadline anchor as one `<select>` value: `incidentStart`, `step:<id>` or `level:<id>`. */
export const anchorValue = (from: DeadlineAnchor): string =>
  from.type === 'incidentStart' ? 'incidentStart' : from.type === 'step' ? `step:${from.stepId}` : `level:${from.levelId}`

export function parseAnchor(value: string): DeadlineAnchor {
  const [type, ref] = value.split(':')
  if (type === 'step' && ref) return { type: 'step', stepId: ref }
  if (type === 'level' && ref) return { type: 'level', levelId: ref }
  return { type: 'incidentStart' }
}

/** A new clock: `within` 5 min of the incident's start for a step; 30 min after the level before for a level. */
export function newDeadline(from: DeadlineAnchor = { type: 'incidentStart' }, kind: Deadline['kind'] = 'within', minutes = 5): Deadline {
  return { minutes, kind, from, label: emptyText() }
}

/** Indexes of the steps that belong to the variant: removing it would leave them pointing nowhere. */
export function variantUsers(steps: readonly Step[], variantId: string): number[] {
  return steps.flatMap((s, i) => (s.variantIds?.includes(variantId) ? [i] : []))
}

/**
 * What refers to a level: steps that carry it out or count a deadline from it, and levels whose
 * clock counts from it. Removing a level any of these use would leave a clock that never starts.
 */
export function levelUsers(pb: Pick<Playbook, 'steps' | 'levels'>, levelId: string): { steps: number[]; levels: number[] } {
  const anchored = (d: Deadline | undefined) => d?.from.type === 'level' && d.from.levelId === levelId
  return {
    steps: pb.steps.flatMap((s, i) => (s.levelId === levelId || anchored(s.deadline) ? [i] : [])),
    levels: (pb.levels ?? []).flatMap((l, i) => (l.id !== levelId && anchored(l.deadline) ? [i] : [])),
  }
}

/** Moves item `i` of `list` by one place; nothing at either end. */
export function moveItem<T>(list: T[], i: number, by: -1 | 1): void {
  const j = i + by
  if (j < 0 || j >= list.length) return
  const [item] = list.splice(i, 1)
  if (item !== undefined) list.splice(j, 0, item)
}

/**
 * What would be saved: the draft with its empty optional fields dropped, the keywords split, the
 * levels numbered in order, and every role and form the steps name listed (the schema wants them
 * listed; the editor does it rather than ask the person to). Nothing is dropped from a list, so an
 * issue's index is the draft's index; a step's empty variant list stays, for the schema to refuse
 * (absent means every variant, which the person did not choose).
 */
export function draftToInput(draft: Playbook, keywordText: Record<'zh-CN' | 'en', string>): PlaybookInput {
  const steps: Step[] = draft.steps.map((s) => {
    const step: Step = { ...s }
    if (!step.contactId) delete step.contactId
    if (isBlank(step.detail)) delete step.detail
    if (!step.critical) delete step.critical
    if (!step.levelId) delete step.levelId
    if (!step.records?.length) delete step.records
    return step
  })
  const input: PlaybookInput = {
    ...draft,
    keywords: { 'zh-CN': splitWords(keywordText['zh-CN']), en: splitWords(keywordText.en) },
    roles: [...new Set([...draft.roles, ...steps.map((s) => s.role)])],
    records: [...new Set([...draft.records, ...steps.flatMap((s) => s.records ?? [])])],
    steps,
  }
  if (draft.variants?.length) {
    input.variants = draft.variants.map((v) => {
      const variant = { ...v }
      if (isBlank(variant.description)) delete variant.description
      return variant
    })
  } else delete input.variants
  if (draft.levels?.length) input.levels = draft.levels.map((l, i) => ({ ...l, level: i + 1 }))
  else delete input.levels
  if (!draft.preparedness?.length) delete input.preparedness
  return input
}
