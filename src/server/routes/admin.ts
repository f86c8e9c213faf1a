import type { FastifyInstance, FastifyRequest } from 'fastify'
import {
  DeviceRenameSchema,
  PersonCreateSchema,
  PersonUpdateSchema,
  SiteCreateSchema,
  SiteUpdateSchema,
  type AdminPerson,
} from '../../shared/admin'
import { UUID_RE } from '../../shared/ids'
import { SYSTEM_SITE_ID } from '../../shared/org-records'
import { DEFAULT_IDLE_LOCK_MINUTES } from '../../shared/people'
import { ADMIN_ROLES } from '../../shared/roles'
import { authenticatePerson } from '../auth'
import { ApiHttpError, parseBody } from '../errors'
import { PeopleConflictError, readPeople, readSiteSettings, savePerson, saveSiteSettings, type Person } from '../people'
import type { Store } from '../store'

const toAdminPerson = (p: Person): AdminPerson => ({
  id: p.id,
  version: p.version,
  siteId: p.siteId,
  name: p.name,
  staffNo: p.staffNo,
  role: p.role,
  phone: p.phone,
  hasPin: p.pin !== null,
  active: p.active,
  manages: p.manages,
})

function idParam(request: FastifyRequest): string {
  const id = (request.params as { id?: string }).id ?? ''
  if (!UUID_RE.test(id)) throw new ApiHttpError(404, 'not_found', 'No such id')
  return id
}

function conflict(error: unknown): never {
  if (error instanceof PeopleConflictError) {
    throw error.reason === 'not_found'
      ? new ApiHttpError(404, 'not_found', error.message)
      : new ApiHttpError(409, 'conflict', error.message)
  }
  throw error
}

/**
 * Sites, people and devices, for administrators only (checked on every route). People and site
 * settings are stored as records of the site, so every change reaches the site's tablets by pull.
 */
export async function adminRoutes(app: FastifyInstance, { store, now }: { store: Store; now: () => Date }): Promise<void> {
  const admin = (request: FastifyRequest) => authenticatePerson(store, request, now(), ADMIN_ROLES)
  const read = (q: Parameters<Store['queryRecords']>[0]) => store.queryRecords(q)
  const knownSite = async (siteId: string) => {
    if (!(await store.listSites()).some((s) => s.id === siteId)) throw new ApiHttpError(404, 'not_found', `No site ${siteId}`)
  }

  app.get('/api/admin/sites', async (request) => {
    await admin(request)
    const settings = new Map((await readSiteSettings(read)).map((s) => [s.id, s]))
    return (await store.listSites()).map((site) => ({
      ...site,
      // a rename (PATCH) is a new settings version; the sites table keeps the enrolled name
      name: settings.get(site.id)?.name ?? site.name,
      location: settings.get(site.id)?.location ?? '',
      idleLockMinutes: settings.get(site.id)?.idleLockMinutes ?? DEFAULT_IDLE_LOCK_MINUTES,
    }))
  })

  app.post('/api/admin/sites', async (request, reply) => {
    const { person } = await admin(request)
    const body = parseBody(SiteCreateSchema, request.body)
    const at = now().toISOString()
    const site = await store.createSite(body.name, at)
    if (!site) throw new ApiHttpError(409, 'conflict', `A site named ${body.name} exists already`)
    const settings = await saveSiteSettings(store, { id: site.id, ...body }, person, at)
    reply.code(201)
    return { ...site, location: settings.location, idleLockMinutes: settings.idleLockMinutes }
  })

  app.patch('/api/admin/sites/:id', async (request) => {
    const { person } = await admin(request)
    const id = idParam(request)
    await knownSite(id)
    const body = parseBody(SiteUpdateSchema, request.body)
    const current = (await store.listSites()).find((s) => s.id === id)
    return saveSiteSettings(store, { id, name: current?.name, ...body }, person, now().toISOString())
  })

  app.get('/api/admin/people', async (request) => {
    await admin(request)
    const { siteId } = request.query as { siteId?: string }
    if (siteId !== undefined && !UUID_RE.test(siteId)) throw new ApiHttpError(400, 'bad_request', 'siteId must be a UUID')
    const people = await readPeople(read, siteId ? [siteId] : undefined)
    return people.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')).map(toAdminPerson)
  })

  app.post('/api/admin/people', async (request, reply) => {
    const { person: by } = await admin(request)
    const body = parseBody(PersonCreateSchema, request.body)
    if (body.siteId !== SYSTEM_SITE_ID) await knownSite(body.siteId)
    const saved = await savePerson(store, body, by, now().toISOString()).catch(conflict)
    reply.code(201)
    return toAdminPerson(saved)
  })

  app.patch('/api/admin/people/:id', async (request) => {
    const { person: by } = await admin(request)
    const personId = idParam(request)
    const body = parseBody(PersonUpdateSchema, request.body)
    if (body.siteId !== undefined && body.siteId !== SYSTEM_SITE_ID) await knownSite(body.siteId)
    if (personId === by.id && (body.active === false || (body.role !== undefined && body.role !== 'admin'))) {
      throw new ApiHttpError(409, 'conflict', 'An administrator cannot remove their own administrator access')
    }
    return toAdminPerson(await savePerson(store, { ...body, personId }, by, now().toISOString()).catch(conflict))
  })

  app.get('/api/admin/devices', async (request) => {
    await admin(request)
    const { siteId } = request.query as { siteId?: string }
    if (siteId !== undefined && !UUID_RE.test(siteId)) throw new ApiHttpError(400, 'bad_request', 'siteId must be a UUID')
    return store.listDevices(siteId ? [siteId] : undefined)
  })

  app.patch('/api/admin/devices/:id', async (request) => {
    await admin(request)
    const body = parseBody(DeviceRenameSchema, request.body)
    const device = await store.renameDevice(idParam(request), body.name)
    if (!device) throw new ApiHttpError(404, 'not_found', 'No such device')
    return device
  })

  app.post('/api/admin/devices/:id/revoke', async (request) => {
    const { person } = await admin(request)
    const device = await store.revokeDevice(idParam(request), now().toISOString())
    if (!device) throw new ApiHttpError(404, 'not_found', 'No such device')
    request.log.info({ deviceId: device.id, by: person.id }, 'device revoked')
    return device
  })
}
