import type { z } from 'zod'

/** The message keys under `editor.issues`, one per problem a person can fix in the editor. */
export type EditorIssueKey =
  | 'required'
  | 'tooLong'
  | 'tooFew'
  | 'tooFewTwo'
  | 'badId'
  | 'badPlaybookId'
  | 'badPhone'
  | 'badNumber'
  | 'invalid'
  | 'idTaken'
  | CustomIssueCode

/** The codes PlaybookSchema and ContactSchema raise as the message of a custom issue. */
export const CUSTOM_ISSUE_CODES = [
  'duplicate_step_id',
  'duplicate_variant_id',
  'duplicate_level_id',
  'levels_must_be_numbered_in_order',
  'duplicate_role',
  'duplicate_record',
  'unknown_step',
  'unknown_level',
  'unknown_variant',
  'role_not_listed',
  'record_not_listed',
  'level_anchor_must_be_earlier',
  'variant_without_steps',
  'deadline_cycle',
  'emergency_phone_required',
] as const
type CustomIssueCode = (typeof CUSTOM_ISSUE_CODES)[number]

/** A field's path as the editor names it: `steps.2.text.en`. */
export const pathKey = (path: readonly PropertyKey[]): string => path.map(String).join('.')

/** Maps one schema issue to what the person reads, by its code and where it is. */
export function issueKey(issue: z.core.$ZodIssue): EditorIssueKey {
  if (issue.code === 'custom') {
    return (CUSTOM_ISSUE_CODES as readonly string[]).includes(issue.message) ? (issue.message as CustomIssueCode) : 'invalid'
  }
  const last = issue.path.at(-1)
  if (issue.code === 'too_small') {
    // variants and levels: one alone is not a choice, nor an escalation
    if (issue.origin === 'array') return Number(issue.minimum) >= 2 ? 'tooFewTwo' : 'tooFew'
    if (issue.origin === 'number' || issue.origin === 'int') return 'badNumber'
    return 'required'
  }
  if (issue.code === 'too_big') return issue.origin === 'number' || issue.origin === 'int' ? 'badNumber' : 'tooLong'
  if (issue.code === 'invalid_format') {
    if (last === 'phone') return 'badPhone'
    if (issue.path.length === 1 && last === 'id') return 'badPlaybookId'
    return 'badId'
  }
  if (issue.code === 'invalid_type') return issue.expected === 'number' || issue.expected === 'int' ? 'badNumber' : 'required'
  return 'invalid'
}

/** Every problem of a parse, by field path, each field with its distinct message keys. */
export function issuesByPath(error: z.ZodError | undefined): Map<string, EditorIssueKey[]> {
  const byPath = new Map<string, EditorIssueKey[]>()
  for (const issue of error?.issues ?? []) {
    const key = pathKey(issue.path)
    const list = byPath.get(key) ?? []
    const code = issueKey(issue)
    if (!list.includes(code)) list.push(code)
    byPath.set(key, list)
  }
  return byPath
}
