import { z } from 'zod'
import { UUID_RE } from './ids'
import { PinSchema, RoleSchema } from './people'

/** The console's sign-in: a staff number and PIN, checked by the server against the roster. */
export const SessionRequestSchema = z.object({
  staffNo: z.string().trim().min(1).max(30),
  pin: PinSchema,
})
export type SessionRequest = z.infer<typeof SessionRequestSchema>

export const SessionPersonSchema = z.object({
  id: z.string(),
  name: z.string(),
  staffNo: z.string(),
  role: RoleSchema,
  siteId: z.string(),
})
export type SessionPerson = z.infer<typeof SessionPersonSchema>

export const SessionResponseSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  person: SessionPersonSchema,
  /** The sites this person's console view covers. */
  sites: z.array(z.object({ id: z.string(), name: z.string() })),
})
export type SessionResponse = z.infer<typeof SessionResponseSchema>

const siteId = z.string().regex(UUID_RE)

export const SiteCreateSchema = z.object({
  name: z.string().trim().min(1).max(100),
  location: z.string().trim().max(200).default(''),
  idleLockMinutes: z.number().int().min(1).max(240).default(5),
})
export const SiteUpdateSchema = SiteCreateSchema.partial()

export const PersonCreateSchema = z.object({
  siteId,
  name: z.string().trim().min(1).max(50),
  staffNo: z.string().trim().min(1).max(30),
  role: RoleSchema,
  phone: z.string().trim().max(40).default(''),
  pin: PinSchema.optional(),
  manages: z.array(siteId).max(200).default([]),
})
export const PersonUpdateSchema = z
  .object({
    siteId,
    name: z.string().trim().min(1).max(50),
    staffNo: z.string().trim().min(1).max(30),
    role: RoleSchema,
    phone: z.string().trim().max(40),
    pin: PinSchema,
    active: z.boolean(),
    manages: z.array(siteId).max(200),
  })
  .partial()

export const DeviceRenameSchema = z.object({ name: z.string().trim().min(1).max(100) })

/** A person as the admin API shows them: never the PIN's hash, only whether one is set. */
export const AdminPersonSchema = z.object({
  id: z.string(),
  version: z.number(),
  siteId: z.string(),
  name: z.string(),
  staffNo: z.string(),
  role: RoleSchema,
  phone: z.string(),
  hasPin: z.boolean(),
  active: z.boolean(),
  manages: z.array(z.string()),
})
export type AdminPerson = z.infer<typeof AdminPersonSchema>
