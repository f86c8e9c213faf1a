import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import {
  CONSOLE_COLUMN_LABELS,
  CONSOLE_COMMON_COLUMNS,
  CONSOLE_KIND_COLUMNS,
  ConsoleNowSchema,
  ConsoleRecordsSchema,
  DrillsSchema,
  FollowThroughSchema,
  signInFailure,
} from '../../src/shared/console'
import { hlcToString } from '../../src/shared/hlc'
import { newId } from '../../src/shared/ids'
import type { Role } from '../../src/shared/people'
import type { Playbook } from '../../src/shared/playbook'
import { DEFAULT_CONTACTS, SHIPPED_PLAYBOOKS } from '../../src/shared/playbooks'
import type { RecordEnvelope, RecordKind } from '../../src/shared/records'
import { hashToken, newDeviceToken } from '../../src/server/tokens'
import {
  addPerson,
  describeOnStores,
  callRecord,
  creates,
  enroll,
  pull,
  push,
  storeFactories,
  uniqueSiteName,
  type TestDevice,
} from './helpers'

const STORES = await storeFactories()

const ALL_ROLES: Role[] = ['agent', 'shiftLeader', 'supervisor', 'security', 'opsSpecialist', 'centerManager', 'admin']
/** Written out here, not imported: the test must fail if the code's lists drift. */
const CONSOLE: Role[] = ['supervisor', 'centerManager', 'admin']
const ADMIN: Role[] = ['admin']
const PIN = '2468'
const MIN = 60_000
const DAY = 86_400_000

/** 2026-11-28 08:00 in China: the console's clock in these tests (buildApp's `now`). */
const NOW = Date.parse('2026-11-28T00:00:00.000Z')
const at = (ms: number) => new Date(ms).toISOString()

describeOnStores(STORES, 'central console', (ctx) => {
  const clock = NOW
  const nextMutation = new Map<string, { clientId: string; next: number }>()

  beforeAll(async () => {
    await ctx.t.store.seed({ playbooks: SHIPPED_PLAYBOOKS, contacts: DEFAULT_CONTACTS, now: at(NOW - 30 * DAY) })
  })

  /** A record of `kind` made by the device's person, created at `createdAt`. */
  function rec(device: TestDevice, kind: RecordKind, data: Record<string, unknown>, createdAt = at(clock)): RecordEnvelope {
    return { id: newId(), kind, siteId: device.siteId, deviceId: device.deviceId, author: device.personName, personId: device.personId, createdAt, updatedAt: createdAt, serverSeq: null, data }
  }

  /** Pushes records in order from the device, continuing its mutation ids; all must be accepted. */
  async function send(device: TestDevice, ...records: RecordEnvelope[]) {
    const held = nextMutation.get(device.deviceId) ?? { clientId: newId(), next: 1 }
    nextMutation.set(device.deviceId, held)
    const res = await push(ctx.app, device, held.clientId, creates(held.next, records))
    held.next += records.length
    expect(res.status).toBe(200)
    expect(res.body.results.map((r) => r.reason ?? r.status)).toEqual(records.map(() => 'accepted'))
  }

  const hlc = (ms: number, device: TestDevice) => hlcToString({ millis: ms, counter: 0, node: device.deviceId })
  const incident = (device: TestDevice, playbookId: string, startedAt: number, extra: Record<string, unknown> = {}) =>
    rec(device, 'incident', { playbookId, playbookVersion: 1, startedAt: at(startedAt), drill: false, note: '', ...extra }, at(startedAt))
  const event = (device: TestDevice, incidentId: string, ms: number, data: Record<string, unknown>) =>
    rec(device, 'incidentEvent', { incidentId, hlc: hlc(ms, device), at: at(ms), ...data }, at(ms))

  /** A console session of a new person of `role` on `siteId`, made in the store as a sign-in would. */
  async function sessionFor(siteId: string, role: Role, manages: string[] = []) {
    const person = await addPerson(ctx.t.store, siteId, { role, manages, name: `${role} 某某` })
    const token = newDeviceToken()
    await ctx.t.store.createSession({ tokenHash: hashToken(token), personId: person.id, siteId, createdAt: at(clock), expiresAt: at(clock + DAY), revokedAt: null })
    return token
  }

  /** Signs in on the console with staff number and PIN, as the sign-in page does. */
  async function signIn(siteId: string, role: Role, manages: string[] = []) {
    const person = await addPerson(ctx.t.store, siteId, { role, manages, pin: PIN, name: `${role} 主管` })
    const res = await ctx.app.inject({ method: 'POST', url: '/api/session', payload: { staffNo: person.staffNo, pin: PIN } })
    expect(res.statusCode).toBe(201)
    return { token: (res.json() as { token: string }).token, person }
  }

  const get = (url: string, token: string | undefined) =>
    ctx.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} })

  const now = async (token: string, query = '') => {
    const res = await get(`/api/console/now${query}`, token)
    expect(res.statusCode, res.body).toBe(200)
    return ConsoleNowSchema.parse(res.json())
  }

  describe('who may call what: every console, session and admin route × every role', () => {
    let siteA: string
    let spare: TestDevice
    let target: string

    beforeAll(async () => {
      spare = await enroll(ctx.app, ctx.code, uniqueSiteName('roles'), 'spare', 'shiftLeader')
      siteA = spare.siteId
      target = (await addPerson(ctx.t.store, siteA, { role: 'agent', name: '被修改的人' })).id
    })

    interface Route {
      name: string
      allowed: Role[]
      ok: number
      request: () => Promise<InjectOptions>
    }
    const r = (name: string, allowed: Role[], ok: number, request: () => InjectOptions | Promise<InjectOptions>): Route => ({
      name,
      allowed,
      ok,
      request: async () => request(),
    })
    const routes: Route[] = [
      r('GET /api/console/now', CONSOLE, 200, () => ({ method: 'GET', url: '/api/console/now' })),
      r('GET /api/console/records', CONSOLE, 200, () => ({ method: 'GET', url: '/api/console/records?kind=incident' })),
      r('GET /api/console/records csv', CONSOLE, 200, () => ({ method: 'GET', url: '/api/console/records?kind=callRecord&format=csv' })),
      r('GET /api/console/follow-through', CONSOLE, 200, () => ({ method: 'GET', url: '/api/console/follow-through' })),
      r('GET /api/console/drills', CONSOLE, 200, () => ({ method: 'GET', url: '/api/console/drills?months=6' })),
      r('GET /api/session', CONSOLE, 200, () => ({ method: 'GET', url: '/api/session' })),
      r('DELETE /api/session', CONSOLE, 204, () => ({ method: 'DELETE', url: '/api/session' })),
      r('GET /api/admin/sites', ADMIN, 200, () => ({ method: 'GET', url: '/api/admin/sites' })),
      r('POST /api/admin/sites', ADMIN, 201, () => ({ method: 'POST', url: '/api/admin/sites', payload: { name: uniqueSiteName('new'), location: '一楼', idleLockMinutes: 10 } })),
      r('PATCH /api/admin/sites/:id', ADMIN, 200, () => ({ method: 'PATCH', url: `/api/admin/sites/${siteA}`, payload: { location: '二楼' } })),
      r('GET /api/admin/people', ADMIN, 200, () => ({ method: 'GET', url: `/api/admin/people?siteId=${siteA}` })),
      r('POST /api/admin/people', ADMIN, 201, () => ({ method: 'POST', url: '/api/admin/people', payload: { siteId: siteA, name: '新人', staffNo: `N${newId().slice(-8)}`, role: 'agent' } })),
      r('PATCH /api/admin/people/:id', ADMIN, 200, () => ({ method: 'PATCH', url: `/api/admin/people/${target}`, payload: { phone: '13800138000' } })),
      r('GET /api/admin/devices', ADMIN, 200, () => ({ method: 'GET', url: '/api/admin/devices' })),
      r('PATCH /api/admin/devices/:id', ADMIN, 200, () => ({ method: 'PATCH', url: `/api/admin/devices/${spare.deviceId}`, payload: { name: '备用平板' } })),
      r('POST /api/admin/devices/:id/revoke', ADMIN, 200, async () => {
        // a device of its own for every call that may revoke it
        const victim = await enroll(ctx.app, ctx.code, uniqueSiteName('victim'), 'victim', 'agent')
        return { method: 'POST', url: `/api/admin/devices/${victim.deviceId}/revoke` }
      }),
    ]

    type Caller = { name: string; token: () => Promise<string | undefined>; role?: Role }
    const callers: Caller[] = [
      ...ALL_ROLES.map((role): Caller => ({ name: role, role, token: () => sessionFor(siteA, role) })),
      { name: 'no token', token: async () => undefined },
      { name: 'a device token', token: async () => spare.token },
    ]

    it.each(routes)('$name', async (route) => {
      const seen: Record<string, number> = {}
      const expected: Record<string, number> = {}
      for (const caller of callers) {
        const token = await caller.token()
        const options = await route.request()
        const res = await ctx.app.inject({ ...options, headers: token ? { authorization: `Bearer ${token}` } : {} })
        seen[caller.name] = res.statusCode
        expected[caller.name] = caller.role === undefined ? 401 : route.allowed.includes(caller.role) ? route.ok : 403
        if (res.statusCode >= 400) expect((res.json() as { code: string }).code).toBe(res.statusCode === 401 ? 'unauthorized' : 'forbidden')
      }
      expect(seen).toEqual(expected)
    })

    it('POST /api/session signs in console roles only, and says why it refuses', async () => {
      const seen: Record<string, number> = {}
      for (const role of ALL_ROLES) {
        const person = await addPerson(ctx.t.store, siteA, { role, pin: PIN })
        const res = await ctx.app.inject({ method: 'POST', url: '/api/session', payload: { staffNo: person.staffNo, pin: PIN } })
        seen[role] = res.statusCode
        if (res.statusCode === 403) expect(signInFailure(403)).toBe('notConsoleRole')
      }
      expect(seen).toEqual(Object.fromEntries(ALL_ROLES.map((role) => [role, CONSOLE.includes(role) ? 201 : 403])))

      const person = await addPerson(ctx.t.store, siteA, { role: 'supervisor', pin: PIN })
      const wrong = () => ctx.app.inject({ method: 'POST', url: '/api/session', payload: { staffNo: person.staffNo, pin: '1111' } })
      for (let i = 0; i < 5; i++) {
        const res = await wrong()
        expect(res.statusCode).toBe(401)
        expect(signInFailure(401)).toBe('wrongPin')
      }
      const locked = await ctx.app.inject({ method: 'POST', url: '/api/session', payload: { staffNo: person.staffNo, pin: PIN } })
      expect(locked.statusCode).toBe(429)
      expect(locked.json()).toMatchObject({ code: 'too_many_attempts' })
      expect(signInFailure(429)).toBe('locked')
    })
  })

  it("shows a supervisor their own site's incident and not another's; a managed site too; 403 outside", async () => {
    const a = await enroll(ctx.app, ctx.code, uniqueSiteName('A'), 'a', 'shiftLeader')
    const b = await enroll(ctx.app, ctx.code, uniqueSiteName('B'), 'b', 'shiftLeader')
    const ia = incident(a, 'H4', clock - 3 * MIN)
    const ib = incident(b, 'H4', clock - 3 * MIN)
    await send(a, ia)
    await send(b, ib)
    const supA = await sessionFor(a.siteId, 'supervisor')
    const supAB = await sessionFor(a.siteId, 'supervisor', [b.siteId])
    const manager = await sessionFor(b.siteId, 'centerManager')

    const ids = async (token: string, query = '') => (await now(token, query)).incidents.map((i) => i.id)
    const recordIds = async (token: string, query = '') => {
      const res = await get(`/api/console/records?kind=incident${query}`, token)
      expect(res.statusCode).toBe(200)
      return ConsoleRecordsSchema.parse(res.json()).rows.map((r) => r.id)
    }
    expect(await ids(supA)).toContain(ia.id)
    expect(await ids(supA)).not.toContain(ib.id)
    expect(await recordIds(supA)).toContain(ia.id)
    expect(await recordIds(supA)).not.toContain(ib.id)
    for (const url of ['/api/console/now', '/api/console/records', '/api/console/follow-through', '/api/console/drills']) {
      const res = await get(`${url}?siteId=${b.siteId}`, supA)
      expect(res.statusCode, url).toBe(403)
      expect(res.json()).toMatchObject({ code: 'forbidden' })
    }
    expect(await ids(supAB)).toEqual(expect.arrayContaining([ia.id, ib.id]))
    expect(await ids(supAB, `?siteId=${b.siteId}`)).toEqual(expect.arrayContaining([ib.id]))
    expect(await ids(supAB, `?siteId=${b.siteId}`)).not.toContain(ia.id)
    expect(await recordIds(supAB)).toEqual(expect.arrayContaining([ia.id, ib.id]))
    expect(await ids(manager)).toEqual(expect.arrayContaining([ia.id, ib.id]))
    // the session says which sites the view covers
    const session = await get('/api/session', supAB)
    expect((session.json() as { sites: { id: string }[] }).sites.map((s) => s.id).sort()).toEqual([a.siteId, b.siteId].sort())
    // a malformed site id is a bad request, not a silent "everything"
    expect((await get('/api/console/now?siteId=nope', supA)).statusCode).toBe(400)
  })

  it('gives a revoked device 401 on push and pull at once (admin revoke route)', async () => {
    const device = await enroll(ctx.app, ctx.code, uniqueSiteName('revoke'), 'old', 'agent')
    const clientId = newId()
    expect((await push(ctx.app, device, clientId, creates(1, [callRecord(device)]))).status).toBe(200)
    const { token: admin } = await signIn(device.siteId, 'admin')
    const res = await ctx.app.inject({ method: 'POST', url: `/api/admin/devices/${device.deviceId}/revoke`, headers: { authorization: `Bearer ${admin}` } })
    expect(res.statusCode).toBe(200)
    expect((res.json() as { revokedAt: string | null }).revokedAt).not.toBeNull()
    expect((await push(ctx.app, device, clientId, creates(2, [callRecord(device)]))).status).toBe(401)
    expect((await pull(ctx.app, device, clientId, 0)).status).toBe(401)
  })

  it('shows an open incident with its overdue clock (in the plan version it started with) and the latest events by name', async () => {
    const lead = await enroll(ctx.app, ctx.code, uniqueSiteName('now'), 'lead', 'shiftLeader')
    // a second person of the same site, on the same tablet
    const second = { ...lead, personId: (await addPerson(ctx.t.store, lead.siteId, { role: 'agent', name: '李四' })).id, personName: '李四' }
    const start = clock - 7 * MIN
    const c2 = incident(lead, 'C2', start)
    await send(lead, c2)
    await send(lead, event(lead, c2.id, start + MIN, { type: 'tick', stepId: 'tell-leader' }))
    await send(second, event(second, c2.id, start + 2 * MIN, { type: 'note', note: '正在排查' }))

    // a supervisor's edit of C2 (version 2: report within 3 minutes) applies to incidents started with it
    const c2v2 = structuredClone(SHIPPED_PLAYBOOKS.find((p) => p.id === 'C2')) as Playbook
    c2v2.version = 2
    const step = c2v2.steps.find((s) => s.id === 'report-supervisor')!
    step.deadline = { ...step.deadline!, minutes: 3 }
    const editor = await enroll(ctx.app, ctx.code, uniqueSiteName('editor'), 'editor', 'supervisor')
    await send(editor, rec(editor, 'playbook', c2v2 as unknown as Record<string, unknown>))
    const onV1 = incident(lead, 'C2', clock - 4 * MIN)
    const onV2 = incident(lead, 'C2', clock - 4 * MIN, { playbookVersion: 2 })
    const closed = incident(lead, 'H1', clock - 60 * MIN)
    await send(lead, onV1, onV2, closed, event(lead, closed.id, clock - 30 * MIN, { type: 'close' }))

    const sup = await sessionFor(lead.siteId, 'supervisor')
    const view = await now(sup)
    const shown = view.incidents.find((i) => i.id === c2.id)!
    expect(shown).toBeDefined()
    expect(shown.siteName).toBe(view.sites.find((s) => s.id === lead.siteId)?.name)
    expect(shown.title?.['zh-CN']).toBeTruthy()
    expect(shown.elapsedMs).toBe(7 * MIN)
    expect(shown.overdue.map((c) => c.key)).toEqual(['step:report-supervisor'])
    expect(shown.overdue[0]!.overdueMs).toBe(2 * MIN)
    expect(shown.overdue[0]!.acknowledged).toBeNull()
    expect(shown.next?.key).toBe('step:notify-operations-supervisor')
    expect(shown.latestEvents.map((e) => [e.type, e.author])).toEqual([
      ['note', '李四'],
      ['tick', lead.personName],
    ])
    expect(shown.latestEvents[1]!.stepText?.['zh-CN']).toBeTruthy()
    expect(shown.stepsDone).toBe(1)
    // overdue first
    expect(view.incidents.findIndex((i) => i.id === c2.id)).toBeLessThan(view.incidents.findIndex((i) => i.id === onV1.id))
    expect(view.incidents.find((i) => i.id === onV1.id)?.overdue).toEqual([])
    expect(view.incidents.find((i) => i.id === onV2.id)?.overdue.map((c) => c.key)).toEqual(['step:report-supervisor'])
    expect(view.incidents.some((i) => i.id === closed.id)).toBe(false)

    // once the step is ticked (late), the clock is no longer overdue
    await send(lead, event(lead, c2.id, clock - 10_000, { type: 'tick', stepId: 'report-supervisor' }))
    expect((await now(sup)).incidents.find((i) => i.id === c2.id)?.overdue).toEqual([])
  })

  it('shows open faults with their elapsed time and the callbacks still owed per site', async () => {
    const lead = await enroll(ctx.app, ctx.code, uniqueSiteName('faults'), 'lead', 'shiftLeader')
    const openFault = rec(lead, 'fault', { system: 'CRM', symptom: '无法登录', scope: 'allSeats', startedAt: at(clock - 20 * MIN), seat: '' })
    const recovered = rec(lead, 'fault', { system: '电话平台', symptom: '无声', scope: 'application', startedAt: at(clock - 90 * MIN), seat: '' })
    const calls = [callRecord(lead), callRecord(lead), callRecord(lead), callRecord(lead, { data: { ...callRecord(lead).data, callbackNeeded: false } })]
    await send(
      lead,
      openFault,
      recovered,
      rec(lead, 'faultEvent', { faultId: recovered.id, type: 'recovered', at: at(clock - 30 * MIN), who: '', note: '' }),
      ...calls.map((c) => ({ ...c, createdAt: at(clock - 10 * MIN), updatedAt: at(clock - 10 * MIN) })),
      rec(lead, 'callbackEvent', { callRecordId: calls[0]!.id, state: 'resolved', note: '', at: at(clock - MIN) }),
      rec(lead, 'callbackEvent', { callRecordId: calls[1]!.id, state: 'noAnswer', note: '', at: at(clock - MIN) }),
    )
    const view = await now(await sessionFor(lead.siteId, 'supervisor'))
    const fault = view.faults.find((f) => f.id === openFault.id)
    expect(fault).toMatchObject({ system: 'CRM', elapsedMs: 20 * MIN, recordedBy: lead.personName })
    // told nobody in 20 minutes: the ops specialist, the supervisor, the center manager… are overdue
    expect(fault?.overdueNotify).toEqual(expect.arrayContaining(['opsSpecialist', 'supervisor']))
    expect(view.faults.some((f) => f.id === recovered.id)).toBe(false)
    expect(view.callbacks.find((c) => c.siteId === lead.siteId)).toMatchObject({ outstanding: 2, toCall: 1, noAnswer: 1 })
  })

  it("runs a fault recorded from an incident on the incident's clocks, which its recovery stops", async () => {
    const lead = await enroll(ctx.app, ctx.code, uniqueSiteName('tied'), 'lead', 'shiftLeader')
    // A: the CRM came back 8 minutes in, before the 10- and 60-minute escalations fell due
    const a = incident(lead, 'C2', clock - 30 * MIN)
    const aFault = rec(lead, 'fault', { system: 'CRM', symptom: '无法登录', scope: 'application', startedAt: at(clock - 30 * MIN), seat: '', incidentId: a.id })
    // B: still down after 20 minutes; the supervisor was told 3 minutes in, ticked only now
    const b = incident(lead, 'C2', clock - 20 * MIN)
    const bFault = rec(lead, 'fault', { system: '话务平台', symptom: '无法外呼', scope: 'allSeats', startedAt: at(clock - 20 * MIN), seat: '', incidentId: b.id })
    await send(
      lead,
      a,
      aFault,
      rec(lead, 'faultEvent', { faultId: aFault.id, type: 'recovered', at: at(clock - 22 * MIN), who: '', note: '' }),
      b,
      bFault,
      event(lead, b.id, clock - MIN, { type: 'tick', stepId: 'report-supervisor', doneAt: at(clock - 17 * MIN), note: '电话通知王主管' }),
    )
    const view = await now(await sessionFor(lead.siteId, 'supervisor'))
    expect(view.incidents.find((i) => i.id === a.id)?.overdue.map((c) => c.key)).toEqual(['step:report-supervisor'])
    expect(view.incidents.find((i) => i.id === b.id)?.overdue.map((c) => c.key)).toEqual(['step:notify-operations-supervisor', 'step:notify-center-manager'])
    // the fault has no clocks of its own: nothing owed is counted twice
    expect(view.faults.find((f) => f.id === bFault.id)).toMatchObject({ incidentId: b.id, overdueNotify: [] })
  })

  it('flags an overdue rectification item across halls, by owner and due date', async () => {
    const lead = await enroll(ctx.app, ctx.code, uniqueSiteName('follow'), 'lead', 'supervisor')
    const inc = incident(lead, 'H3', clock - 20 * DAY)
    const review = rec(lead, 'incidentReview', {
      incidentId: inc.id,
      cause: '门禁失灵',
      course: '见报告',
      measures: '报警',
      addressedTo: '安全监察部经理',
      rectifications: [
        { id: 'r1', text: '更换门禁', owner: '王五', due: '2026-11-20' },
        { id: 'r2', text: '培训保安', owner: '王五', due: '2026-11-25' },
        { id: 'r3', text: '修订预案', owner: '赵六', due: '2026-12-31' },
      ],
    })
    await send(lead, inc, review, rec(lead, 'rectificationDone', { incidentId: inc.id, reviewId: review.id, itemId: 'r2', note: '已培训' }))
    const sup = await sessionFor(lead.siteId, 'supervisor')
    const res = await get(`/api/console/follow-through?siteId=${lead.siteId}&today=2026-11-28`, sup)
    expect(res.statusCode).toBe(200)
    const view = FollowThroughSchema.parse(res.json())
    expect(view.items.map((i) => [i.owner, i.itemId, i.overdue, i.done?.by ?? null])).toEqual([
      ['王五', 'r1', true, null],
      ['王五', 'r2', false, lead.personName],
      ['赵六', 'r3', false, null],
    ])
    expect(view.items[0]).toMatchObject({ playbookId: 'H3', siteId: lead.siteId, due: '2026-11-20' })
    // measured against the server's date when the console sends none: 2026-11-28 too
    const byServer = FollowThroughSchema.parse((await get(`/api/console/follow-through?siteId=${lead.siteId}`, sup)).json())
    expect(byServer.today).toBe('2026-11-28')
    expect(byServer.items.filter((i) => i.overdue).map((i) => i.itemId)).toEqual(['r1'])
  })

  it('flags the plans a hall has not drilled in the last N months', async () => {
    const lead = await enroll(ctx.app, ctx.code, uniqueSiteName('drills'), 'lead', 'supervisor')
    const recent = incident(lead, 'H4', clock - 60 * DAY, { drill: true })
    const old = incident(lead, 'H3', clock - 400 * DAY, { drill: true })
    const timed = incident(lead, 'H7', clock - 30 * DAY, { drill: true })
    const step = (stepId: string, outcome: string, deadline: boolean) => ({
      stepId,
      text: { 'zh-CN': '步骤', en: 'Step' },
      deadline: deadline ? { label: { 'zh-CN': '时限', en: 'Deadline' }, minutes: 5, kind: 'within', dueAt: at(clock - 30 * DAY + 5 * MIN) } : null,
      doneAt: outcome === 'notDone' ? null : at(clock - 30 * DAY + 4 * MIN),
      outcome,
      ...(outcome === 'late' ? { lateMs: 60_000 } : {}),
    })
    await send(
      lead,
      recent,
      old,
      timed,
      rec(lead, 'drillRecord', { incidentId: recent.id, participants: ['张三', '李四'], evaluation: '疏散用时 3 分钟', rating: 'good' }),
      rec(lead, 'drillRecord', {
        incidentId: timed.id,
        participants: ['张三'],
        evaluation: '呼叫120晚了一分钟',
        rating: 'adequate',
        // kept by the tablet from the drill's timeline: two of three deadlines met, one step with none
        stepTimes: [step('a', 'onTime', true), step('b', 'late', true), step('c', 'onTime', true), step('d', 'done', false)],
      }),
    )
    const sup = await sessionFor(lead.siteId, 'supervisor')
    const drills = async (months?: number) => {
      const res = await get(`/api/console/drills?siteId=${lead.siteId}${months ? `&months=${months}` : ''}`, sup)
      expect(res.statusCode).toBe(200)
      const site = DrillsSchema.parse(res.json()).sites.find((s) => s.siteId === lead.siteId)!
      return { site, plan: (id: string) => site.plans.find((p) => p.playbookId === id)! }
    }
    const { site, plan } = await drills()
    // a service hall: its plans only
    expect(site.categories).toEqual(['serviceHall'])
    expect(site.plans.every((p) => p.playbookId.startsWith('H'))).toBe(true)
    expect(plan('H4')).toMatchObject({ notDrilled: false, lastDrilledAt: recent.data.startedAt })
    expect(plan('H4').drills[0]?.record).toMatchObject({ rating: 'good', evaluation: '疏散用时 3 分钟', participants: ['张三', '李四'], onTime: null, timed: null })
    expect(plan('H7').drills[0]?.record).toMatchObject({ rating: 'adequate', onTime: 2, timed: 3 })
    expect(plan('H3')).toMatchObject({ notDrilled: true, lastDrilledAt: old.data.startedAt })
    expect(plan('H1')).toMatchObject({ notDrilled: true, lastDrilledAt: null })
    expect((await drills(24)).plan('H3').notDrilled).toBe(false)
    expect((await drills(1)).plan('H4').notDrilled).toBe(true)
    expect((await get('/api/console/drills?months=0', sup)).statusCode).toBe(400)
  })

  it('exports records as CSV with a BOM and the right columns, and as JSON, filtered by date', async () => {
    const lead = await enroll(ctx.app, ctx.code, uniqueSiteName('export'), 'lead', 'supervisor')
    const inWindow = callRecord(lead, { data: { ...callRecord(lead).data, calledAt: '2026-11-27T09:30:00.000+08:00', callerPhone: '13912345678', request: '查询账单, "加急"' } })
    const before = callRecord(lead, { data: { ...callRecord(lead).data, calledAt: '2026-11-20T09:30:00.000+08:00' } })
    await send(lead, inWindow, before)
    const sup = await sessionFor(lead.siteId, 'supervisor')
    const window = `siteId=${lead.siteId}&from=2026-11-26T16:00:00.000Z&to=2026-11-27T16:00:00.000Z`

    const csv = await get(`/api/console/records?kind=callRecord&format=csv&${window}&tzOffset=480`, sup)
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/)
    expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = csv.body.replace(/^\ufeff/, '').split('\r\n').filter(Boolean)
    const columns = [...CONSOLE_COMMON_COLUMNS, ...CONSOLE_KIND_COLUMNS.callRecord]
    expect(lines[0]).toBe(columns.map((c) => CONSOLE_COLUMN_LABELS[c]!['zh-CN']).join(','))
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain(inWindow.id)
    expect(lines[1]).toContain('来电记录')
    expect(lines[1]).toContain('2026-11-27 09:30')
    expect(lines[1]).toContain('13912345678')
    expect(lines[1]).toContain('"王先生: 查询账单, ""加急"""')
    expect(lines[1]).toContain('待回访')

    const english = await get(`/api/console/records?kind=callRecord&format=csv&${window}&lang=en`, sup)
    expect(english.body.split('\r\n')[0]).toContain('Called at')

    const json = await get(`/api/console/records?kind=callRecord&${window}`, sup)
    const body = ConsoleRecordsSchema.parse(json.json())
    expect(body.rows.map((r) => r.id)).toEqual([inWindow.id])
    expect(body.rows[0]).toMatchObject({ kind: 'callRecord', status: 'toCall', author: lead.personName })
    expect(body.truncated).toBe(false)
    const all = ConsoleRecordsSchema.parse((await get(`/api/console/records?siteId=${lead.siteId}`, sup)).json())
    expect(all.rows.map((r) => r.id)).toEqual(expect.arrayContaining([inWindow.id, before.id]))
  })

  it("lists the hall's registers: lost and found with its state, media contacts", async () => {
    const hall = await enroll(ctx.app, ctx.code, uniqueSiteName('registers'), 'hall', 'agent')
    const lost = rec(hall, 'lostItem', {
      mode: 'reported', description: '黑色钱包', lostAt: at(clock - 3 * 60 * MIN), whereLost: '二号窗口', contactName: '钱女士', contactPhone: '13700001111', advisedPolice: true, note: '',
    })
    const media = rec(hall, 'mediaContact', {
      outlet: '晚报', reporterName: '', at: at(clock - 30 * MIN), channel: 'door', asked: '昨天发生了什么？', filmingAttempted: false, filmingAction: '',
      response: { type: 'spokesperson' }, informed: [], spokesperson: '',
    })
    await send(hall, lost, media, rec(hall, 'lostItemEvent', { itemId: lost.id, type: 'ownerContacted', how: 'phone', note: '', at: at(clock - 60 * MIN) }))
    const sup = await sessionFor(hall.siteId, 'supervisor')
    const rows = ConsoleRecordsSchema.parse((await get(`/api/console/records?siteId=${hall.siteId}`, sup)).json()).rows
    expect(rows.find((r) => r.id === lost.id)).toMatchObject({ kind: 'lostItem', status: 'ownerContacted', summary: '黑色钱包', author: hall.personName })
    expect(rows.find((r) => r.id === media.id)).toMatchObject({ kind: 'mediaContact', summary: '晚报: 昨天发生了什么？' })
    const csv = await get(`/api/console/records?kind=lostItem&format=csv&siteId=${hall.siteId}`, sup)
    const [header, line] = csv.body.replace(/^\ufeff/, '').split('\r\n')
    expect(header).toContain('领取人')
    expect(line).toContain('客户报失')
    expect(line).toContain('已联系失主')
    expect(line).toContain('钱女士 13700001111')
  })

  it('lists an incident with its report and review in the records export', async () => {
    const lead = await enroll(ctx.app, ctx.code, uniqueSiteName('report'), 'lead', 'supervisor')
    const inc = incident(lead, 'H7', clock - 2 * DAY)
    const report = rec(lead, 'incidentReport', {
      incidentId: inc.id, siteName: '第一营业厅', location: '一楼', occurredAt: inc.data.startedAt, incidentType: 'customerIllness',
      propertyLoss: '无', casualties: '一名客户晕倒，已送医', scope: '大厅', measures: '拨打 120', control: '已控制', development: '无', other: '无',
    })
    const review = rec(lead, 'incidentReview', { incidentId: inc.id, cause: '天气炎热', course: '见报告', measures: '急救', addressedTo: '经理', rectifications: [{ id: 'x', text: '备药箱', owner: '王五', due: '2026-12-01' }] })
    await send(lead, inc, report, review)
    const sup = await sessionFor(lead.siteId, 'supervisor')
    const json = ConsoleRecordsSchema.parse((await get(`/api/console/records?kind=incident&siteId=${lead.siteId}`, sup)).json())
    const row = json.rows.find((r) => r.id === inc.id)!
    expect(row.columns).toMatchObject({ playbookId: 'H7', report: 'submitted', casualties: '一名客户晕倒，已送医', review: 'submitted', rectifications: 1, rectificationsOpen: 1 })
    expect((row.related.report as { id: string }).id).toBe(report.id)
    const csv = await get(`/api/console/records?kind=incident&format=csv&siteId=${lead.siteId}`, sup)
    const [header, line] = csv.body.replace(/^\ufeff/, '').split('\r\n')
    expect(header).toContain('人员伤亡')
    expect(line).toContain('客户突发疾病')
    expect(line).toContain('一名客户晕倒，已送医')
  })

  describe('filters incidents by state, plan and real or drill', () => {
    let a: TestDevice
    let b: TestDevice
    let sup: string
    const ids: Record<string, string> = {}
    const records = async (query: string) => {
      const res = await get(`/api/console/records?${query}`, sup)
      expect(res.statusCode, res.body).toBe(200)
      return ConsoleRecordsSchema.parse(res.json())
    }
    const rowIds = async (query: string) => (await records(query)).rows.map((r) => r.id).sort()
    const these = (...names: string[]) => names.map((n) => ids[n]!).sort()

    beforeAll(async () => {
      a = await enroll(ctx.app, ctx.code, uniqueSiteName('filter-a'), 'lead', 'shiftLeader')
      b = await enroll(ctx.app, ctx.code, uniqueSiteName('filter-b'), 'lead', 'shiftLeader')
      const closeAt = (i: RecordEnvelope, device: TestDevice) => event(device, i.id, Date.parse(i.data.startedAt as string) + 30 * MIN, { type: 'close' })
      const h4Closed = incident(a, 'H4', clock - 2 * DAY)
      const h4Open = incident(a, 'H4', clock - 1 * DAY)
      const h7Closed = incident(a, 'H7', clock - 2 * DAY)
      const h4Drill = incident(a, 'H4', clock - 2 * DAY + 60 * MIN, { drill: true })
      const h4Old = incident(a, 'H4', clock - 20 * DAY)
      // closed, then reopened: open again
      const h4Reopened = incident(a, 'H4', clock - 2 * DAY + 120 * MIN)
      const h4OtherHall = incident(b, 'H4', clock - 2 * DAY)
      const drillRecord = rec(a, 'drillRecord', { incidentId: h4Drill.id, participants: ['张三'], evaluation: '疏散顺利', rating: 'good' })
      // other registers of the hall: never an incident's state or plan (a lost item is "open" too)
      const call = callRecord(a)
      const lost = rec(a, 'lostItem', {
        mode: 'reported', description: '雨伞', lostAt: at(clock - DAY), whereLost: '门口', contactName: '孙先生', contactPhone: '13700002222', advisedPolice: false, note: '',
      })
      await send(a, h4Closed, h4Open, h7Closed, h4Drill, h4Old, h4Reopened, drillRecord, call, lost)
      await send(
        a,
        closeAt(h4Closed, a),
        closeAt(h7Closed, a),
        closeAt(h4Drill, a),
        closeAt(h4Old, a),
        closeAt(h4Reopened, a),
        event(a, h4Reopened.id, clock - 2 * DAY + 180 * MIN, { type: 'reopen' }),
      )
      await send(b, h4OtherHall, closeAt(h4OtherHall, b))
      Object.assign(ids, {
        h4Closed: h4Closed.id, h4Open: h4Open.id, h7Closed: h7Closed.id, h4Drill: h4Drill.id, h4Old: h4Old.id, h4Reopened: h4Reopened.id,
        h4OtherHall: h4OtherHall.id, drillRecord: drillRecord.id, call: call.id, lost: lost.id,
      })
      sup = await sessionFor(a.siteId, 'supervisor', [b.siteId])
    })

    it('by state: closed or open as the events say (a reopened incident is open)', async () => {
      const site = `siteId=${a.siteId}`
      expect(await rowIds(`kind=incident&${site}&state=closed`)).toEqual(these('h4Closed', 'h7Closed', 'h4Drill', 'h4Old'))
      expect(await rowIds(`kind=incident&${site}&state=open`)).toEqual(these('h4Open', 'h4Reopened'))
      const body = await records(`kind=incident&${site}&state=open`)
      expect(body.rows.every((r) => r.status === 'open')).toBe(true)
      expect(body).toMatchObject({ state: 'open', plan: null, mode: null, truncated: false })
      // under "all types", a state lists incidents only: not the call, not the lost item (whose own state is "open")
      expect(await rowIds(`${site}&state=open`)).toEqual(these('h4Open', 'h4Reopened'))
      expect(await rowIds(site)).toEqual(expect.arrayContaining(these('call', 'lost', 'drillRecord')))
    })

    it('by plan, with drill records of that plan, and by real or drill', async () => {
      const site = `siteId=${a.siteId}`
      expect(await rowIds(`kind=incident&${site}&plan=H7`)).toEqual(these('h7Closed'))
      expect(await rowIds(`${site}&plan=H4`)).toEqual(these('h4Closed', 'h4Open', 'h4Drill', 'h4Old', 'h4Reopened', 'drillRecord'))
      expect(await rowIds(`${site}&plan=H4&mode=drill`)).toEqual(these('h4Drill', 'drillRecord'))
      expect(await rowIds(`kind=incident&${site}&plan=H4&mode=real`)).toEqual(these('h4Closed', 'h4Open', 'h4Old', 'h4Reopened'))
      // what is never a drill is real: "real" keeps the other registers, "drill" drops them
      expect(await rowIds(`${site}&mode=real`)).toEqual(expect.arrayContaining(these('call', 'lost', 'h7Closed')))
      expect(await rowIds(`${site}&mode=drill`)).toEqual(these('h4Drill', 'drillRecord'))
      // a well-formed plan the server holds none of lists nothing (an incident may run one)
      expect((await records(`kind=incident&${site}&plan=H99`)).rows).toEqual([])
      // the plan filter's choices come with the records, titles in both languages
      const plans = (await records(`kind=incident&${site}`)).plans
      expect(plans.find((p) => p.id === 'H4')?.title['zh-CN']).toBe(SHIPPED_PLAYBOOKS.find((p) => p.id === 'H4')!.title['zh-CN'])
      expect(plans.map((p) => p.id)).toEqual(expect.arrayContaining(SHIPPED_PLAYBOOKS.map((p) => p.id)))
    })

    it('reads only the kinds whose rows can match, so rows that never could cannot mark the view truncated', async () => {
      const kindsRead = async (query: string) => {
        const read = vi.spyOn(ctx.t.store, 'queryRecords')
        try {
          await records(`siteId=${a.siteId}&${query}`)
          return new Set(read.mock.calls.flatMap(([q]) => q.kinds))
        } finally {
          read.mockRestore()
        }
      }
      const registers = ['callRecord', 'fault', 'logEntry', 'lostItem', 'mediaContact']
      for (const query of ['state=open', 'plan=H4', 'mode=drill']) {
        const read = await kindsRead(query)
        for (const kind of registers) expect(read.has(kind), `${query} reads ${kind}`).toBe(false)
      }
      expect([...(await kindsRead('state=open'))]).not.toContain('rollCall')
      // every row can be real
      const real = await kindsRead('mode=real')
      for (const kind of registers) expect(real.has(kind), `mode=real reads ${kind}`).toBe(true)
    })

    it('combined with the hall and the dates', async () => {
      const window = `from=${at(clock - 3 * DAY)}&to=${at(clock)}`
      // both halls of the supervisor's view, then one
      expect(await rowIds(`kind=incident&plan=H4&state=closed&${window}`)).toEqual(these('h4Closed', 'h4Drill', 'h4OtherHall'))
      expect(await rowIds(`kind=incident&plan=H4&state=closed&mode=real&${window}`)).toEqual(these('h4Closed', 'h4OtherHall'))
      expect(await rowIds(`kind=incident&siteId=${b.siteId}&plan=H4&state=closed&${window}`)).toEqual(these('h4OtherHall'))
      expect(await rowIds(`kind=incident&siteId=${a.siteId}&plan=H4&state=closed&mode=real&${window}`)).toEqual(these('h4Closed'))
      // a bare date range (UTC days)
      expect(await rowIds(`kind=incident&siteId=${a.siteId}&state=open&from=${at(clock - DAY).slice(0, 10)}&to=${at(clock).slice(0, 10)}`)).toEqual(these('h4Open'))
    })

    it('the CSV export honours the same filters', async () => {
      const lines = async (query: string) => {
        const res = await get(`/api/console/records?format=csv&${query}`, sup)
        expect(res.statusCode, res.body).toBe(200)
        return res.body.replace(/^\ufeff/, '').split('\r\n').filter(Boolean)
      }
      const csv = await lines(`kind=incident&siteId=${a.siteId}&plan=H4&state=closed&mode=real`)
      expect(csv).toHaveLength(3)
      expect(csv.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(these('h4Closed', 'h4Old'))
      expect(csv.slice(1).every((l) => l.includes('已结束'))).toBe(true)
      // a state under "all types" lists incidents only, so the CSV has the incident columns
      const all = await lines(`siteId=${a.siteId}&state=open&tzOffset=480`)
      expect(all[0]).toBe([...CONSOLE_COMMON_COLUMNS, ...CONSOLE_KIND_COLUMNS.incident].map((c) => CONSOLE_COLUMN_LABELS[c]!['zh-CN']).join(','))
      expect(all.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(these('h4Open', 'h4Reopened'))
      expect(await lines(`siteId=${a.siteId}&plan=H4&mode=drill`)).toHaveLength(3)
    })

    it('refuses a bad value, or a state or plan with a kind they never apply to, with a readable 400', async () => {
      const refused = async (query: string, says: RegExp) => {
        for (const format of ['json', 'csv']) {
          const res = await get(`/api/console/records?format=${format}&${query}`, sup)
          expect(res.statusCode, query).toBe(400)
          const body = res.json() as { code: string; message: string }
          expect(body.code).toBe('bad_request')
          expect(body.message).toMatch(says)
        }
      }
      await refused('kind=incident&state=reviewed', /state/)
      await refused('kind=incident&state=reviewed', /"open"\|"closed"/)
      await refused('kind=incident&mode=practice', /mode/)
      await refused('plan=H%204', /plan must be a plan id such as H4 or C2/)
      await refused(`plan=${'x'.repeat(61)}`, /plan/)
      await refused('kind=callRecord&state=open', /state applies to kind incident only, not callRecord/)
      await refused('kind=fault&plan=H4', /plan applies to kind incident, drillRecord, rollCall only, not fault/)
      // real or drill is every row's: a call record is real
      expect((await records(`kind=callRecord&siteId=${a.siteId}&mode=real`)).rows.map((r) => r.id)).toEqual([ids.call])
      expect((await records(`kind=callRecord&siteId=${a.siteId}&mode=drill`)).rows).toEqual([])
    })
  })
}, { now: () => new Date(NOW) })
