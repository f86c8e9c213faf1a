import type { FastifyInstance } from 'fastify'
import { SessionRequestSchema, type SessionResponse } from '../../shared/admin'
import { CONSOLE_ROLES } from '../../shared/roles'
import { authenticatePerson, SESSION_TTL_MS } from '../auth'
import { ApiHttpError, parseBody } from '../errors'
import { afterWrongPin, pinWaiting, type PinFailures } from '../../shared/pin'
import { checkPin, readPeople, visibleSiteIds, type Person } from '../people'
import type { Store } from '../store'
import { hashToken, newDeviceToken } from '../tokens'

/** Failed PINs per staff number before that number is refused for a while. */
const MAX_FAILURES = 5
const LOCKOUT_MS = 5 * 60_000

async function sitesOf(store: Store, ids: string[]) {
  const names = new Map((await store.listSites()).map((s) => [s.id, s.name]))
  return ids.map((id) => ({ id, name: names.get(id) ?? id }))
}

/**
 * The console's sign-in. Staff number and PIN are checked against the same slow hash the tablets
 * check offline; five wrong PINs lock that staff number for five minutes (in this process: a
 * restart forgets, which an attacker at the keypad cannot cause).
 */
export async function sessionRoutes(app: FastifyInstance, { store, now }: { store: Store; now: () => Date }): Promise<void> {
  const failures = new Map<string, PinFailures>()

  app.post('/api/session', async (request, reply): Promise<SessionResponse> => {
    const body = parseBody(SessionRequestSchema, request.body)
    const at = now().getTime()
    if (pinWaiting(failures.get(body.staffNo), at)) {
      throw new ApiHttpError(429, 'too_many_attempts', 'Too many wrong PINs for this staff number: wait five minutes')
    }
    const candidates = (await readPeople((q) => store.queryRecords(q))).filter((p) => p.active && p.staffNo === body.staffNo)
    let person: Person | undefined
    for (const p of candidates) if (p.pin && (await checkPin(body.pin, p.pin))) person = p
    if (!person) {
      failures.set(body.staffNo, afterWrongPin(failures.get(body.staffNo), at, MAX_FAILURES, LOCKOUT_MS))
      throw new ApiHttpError(401, 'unauthorized', 'Wrong staff number or PIN')
    }
    failures.delete(body.staffNo)
    if (!CONSOLE_ROLES.includes(person.role)) {
      throw new ApiHttpError(403, 'forbidden', 'The central console is for supervisors, managers and administrators')
    }
    const token = newDeviceToken()
    const expiresAt = new Date(at + SESSION_TTL_MS).toISOString()
    await store.createSession({
      tokenHash: hashToken(token),
      personId: person.id,
      siteId: person.siteId,
      createdAt: new Date(at).toISOString(),
      expiresAt,
      revokedAt: null,
    })
    request.log.info({ personId: person.id }, 'console sign-in')
    reply.code(201)
    const siteIds = await visibleSiteIds(store, person)
    return {
      token,
      expiresAt,
      person: { id: person.id, name: person.name, staffNo: person.staffNo, role: person.role, siteId: person.siteId },
      sites: await sitesOf(store, siteIds),
    }
  })

  app.get('/api/session', async (request) => {
    const { person, session, siteIds } = await authenticatePerson(store, request, now(), CONSOLE_ROLES)
    return {
      expiresAt: session.expiresAt,
      person: { id: person.id, name: person.name, staffNo: person.staffNo, role: person.role, siteId: person.siteId },
      sites: await sitesOf(store, siteIds),
    }
  })

  app.delete('/api/session', async (request, reply) => {
    const { session } = await authenticatePerson(store, request, now(), CONSOLE_ROLES)
    await store.revokeSession(session.tokenHash, now().toISOString())
    reply.code(204)
  })
}
