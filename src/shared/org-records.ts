import { z } from 'zod'
import { ContactSchema, type Contact } from './playbook'

/**
 * Organisation-wide records: the plans and the contact list are the same for every hall and call
 * center floor, so the server's pull returns them to every site's devices (a device's own site's
 * records come down as before). They are written by one site's device like any other record;
 * only who receives them differs.
 */
export const ORG_WIDE_KINDS = ['playbook', 'contact'] as const
export type OrgWideKind = (typeof ORG_WIDE_KINDS)[number]

export function isOrgWideKind(kind: string): kind is OrgWideKind {
  return (ORG_WIDE_KINDS as readonly string[]).includes(kind)
}

/**
 * A contact as a record: the contact plus a version. An edit is a new record with the same contact
 * id and the next version; the server refuses a version that is not higher than the one it holds,
 * so two supervisors editing the same entry offline get a visible rejection, not a silent overwrite
 * (the same rule as for playbooks, whose data already carries `version`).
 */
export const ContactRecordDataSchema = z.intersection(ContactSchema, z.object({ version: z.number().int().positive() }))
export type ContactRecordData = Contact & { version: number }

/**
 * The site and device that own what the server seeds (the shipped plans and contacts), created by
 * migration 2 of both dialects. The site's name is longer than an enrollment may give (100), so no
 * tablet can ever enroll into it; the device has no token and is revoked.
 */
export const SYSTEM_SITE_ID = '00000000-0000-7000-8000-000000000000'
export const SYSTEM_DEVICE_ID = '00000000-0000-7000-8000-000000000001'
export const SYSTEM_AUTHOR = 'Steadyline'

/** The (id, version) an org-wide record carries, or undefined when `data` has none. */
export function versionKeyOf(data: Record<string, unknown>): { id: string; version: number } | undefined {
  return typeof data.id === 'string' && typeof data.version === 'number' ? { id: data.id, version: data.version } : undefined
}
