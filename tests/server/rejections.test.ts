import { expect, it } from 'vitest'
import { newId } from '../../src/shared/ids'
import type { Playbook } from '../../src/shared/playbook'
import { SHIPPED_PLAYBOOKS } from '../../src/shared/playbooks'
import type { RecordEnvelope } from '../../src/shared/records'
import {
  parseRejection,
  PushResponseSchema,
  REJECTION_CODES,
  type RejectionCode,
  type RejectionParams,
} from '../../src/shared/sync'
import { savePerson } from '../../src/server/people'
import {
  addPerson,
  callRecord,
  creates,
  enroll,
  describeOnStores,
  push,
  storeFactories,
  TEST_PIN_ITERATIONS,
  uniqueSiteName,
  type TestDevice,
  type TestStore,
} from './helpers'

const STORES = await storeFactories()

const T0 = '2026-11-28T08:00:00.000+08:00'

function playbookRecord(device: TestDevice, version: number, personId: string | undefined = device.personId): RecordEnvelope {
  const p = structuredClone(SHIPPED_PLAYBOOKS.find((x) => x.id === 'C7')) as Playbook
  p.version = version
  return {
    id: newId(),
    kind: 'playbook',
    siteId: device.siteId,
    deviceId: device.deviceId,
    author: device.personName,
    ...(personId ? { personId } : {}),
    createdAt: T0,
    updatedAt: T0,
    serverSeq: null,
    data: p as unknown as Record<string, unknown>,
  }
}

interface Ctx {
  t: TestStore
  newDevice: (role?: TestDevice['role']) => Promise<TestDevice>
}

/**
 * One case per rejection code: what is pushed first (accepted), the record the server refuses, and
 * the params it must name. A Record over the codes: a code added without a case does not compile.
 */
const CASES: Record<RejectionCode, (ctx: Ctx) => Promise<{ device: TestDevice; first?: RecordEnvelope[]; refused: unknown; params: RejectionParams }>> = {
  invalid_record: async ({ newDevice }) => {
    const device = await newDevice()
    const record = callRecord(device)
    return { device, refused: { ...record, data: { ...record.data, request: '' } }, params: { field: 'data.request' } }
  },
  unstorable_text: async ({ newDevice }) => {
    const device = await newDevice()
    return { device, refused: callRecord(device, { author: 'nul\u0000byte' }), params: {} }
  },
  wrong_site: async ({ newDevice }) => {
    const [device, other] = [await newDevice(), await newDevice()]
    return { device, refused: callRecord(device, { siteId: other.siteId }), params: { siteId: other.siteId, deviceSiteId: device.siteId } }
  },
  wrong_device: async ({ newDevice }) => {
    const [device, other] = [await newDevice(), await newDevice()]
    return { device, refused: callRecord(device, { deviceId: other.deviceId }), params: { deviceId: other.deviceId, expectedDeviceId: device.deviceId } }
  },
  server_only_kind: async ({ newDevice }) => {
    const device = await newDevice()
    const person = {
      id: newId(),
      version: 1,
      siteId: device.siteId,
      name: '李四',
      staffNo: `P${newId().slice(-6)}`,
      role: 'agent',
      phone: '',
      pin: null,
      active: true,
      manages: [],
    }
    return { device, refused: callRecord(device, { kind: 'person', data: person }), params: { kind: 'person' } }
  },
  no_person: async ({ newDevice }) => {
    const device = await newDevice()
    const { personId: _p, ...anonymous } = callRecord(device)
    return { device, refused: anonymous, params: { kind: 'callRecord' } }
  },
  person_unknown: async ({ newDevice }) => {
    const device = await newDevice()
    const stranger = newId()
    return { device, refused: callRecord(device, { personId: stranger }), params: { personId: stranger } }
  },
  person_inactive: async ({ t, newDevice }) => {
    const device = await newDevice()
    const staffNo = `I${newId().slice(-6)}`
    const person = await addPerson(t.store, device.siteId, { name: '王五', staffNo, role: 'supervisor' })
    await savePerson(t.store, { personId: person.id, active: false }, undefined, new Date().toISOString(), TEST_PIN_ITERATIONS)
    return { device, refused: callRecord(device, { personId: person.id, author: '王五' }), params: { name: '王五', staffNo } }
  },
  role_not_allowed: async ({ t, newDevice }) => {
    const device = await newDevice()
    const staffNo = `A${newId().slice(-6)}`
    const agent = await addPerson(t.store, device.siteId, { name: '张三', staffNo, role: 'agent' })
    return {
      device,
      refused: playbookRecord(device, 90, agent.id),
      params: { name: '张三', staffNo, role: 'agent', kind: 'playbook' },
    }
  },
  stale_version: async ({ newDevice }) => {
    const device = await newDevice('supervisor')
    return {
      device,
      first: [playbookRecord(device, 50)],
      refused: playbookRecord(device, 50),
      params: { kind: 'playbook', id: 'C7', version: 50, held: 50 },
    }
  },
  id_taken: async ({ newDevice }) => {
    const device = await newDevice()
    const record = callRecord(device)
    return {
      device,
      first: [record],
      refused: { ...record, data: { ...record.data, request: 'something else' } },
      params: { id: record.id },
    }
  },
}

/** The log's params column: JSON text in SQLite, jsonb (already parsed) in PostgreSQL. */
const paramsOf = (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : value)

describeOnStores(STORES, 'rejection codes', (ctx) => {
  const newDevice = (role: TestDevice['role'] = 'supervisor') => enroll(ctx.app, ctx.code, uniqueSiteName(), 'tablet', role)

  it('has a case for every code', () => {
    expect(Object.keys(CASES).sort()).toEqual([...REJECTION_CODES].sort())
  })

  it.each(REJECTION_CODES)('answers %s with its params, logs them, and answers a replay the same', async (rejectionCode) => {
    const { device, first = [], refused, params } = await CASES[rejectionCode]({ t: ctx.t, newDevice })
    const clientId = newId()
    const batch = creates(1, [...first, refused])
    const res = await push(ctx.app, device, clientId, batch)
    expect(res.status).toBe(200)
    const answer = PushResponseSchema.parse(res.body)
    expect(answer.results.map((r) => r.status)).toEqual([...first.map(() => 'accepted'), 'rejected'])
    const rejected = answer.results.at(-1)
    expect(rejected).toEqual({ mutationId: batch.length, status: 'rejected', code: rejectionCode, params, reason: expect.any(String) })
    expect(rejected?.reason?.length).toBeGreaterThan(10)
    // what the server sends, this app version reads: the tablet will show the translated sentence
    expect(parseRejection(rejected?.code, rejected?.params)).toEqual({ code: rejectionCode, params })

    const [log] = await ctx.t.query(
      `SELECT status, reason, code, params FROM mutation_log WHERE client_id = '${clientId}' AND mutation_id = ${batch.length}`,
    )
    expect(log).toMatchObject({ status: 'rejected', reason: rejected?.reason, code: rejectionCode })
    expect(paramsOf(log?.params)).toEqual(params)

    // the first answer was lost: the same batch again gets the same rejection, code and params included
    const replay = await push(ctx.app, device, clientId, batch)
    expect(replay.status).toBe(200)
    expect(replay.body.results).toEqual([...first.map((_, i) => ({ mutationId: i + 1, status: 'duplicate' })), rejected])
  })

  it('logs no code for an accepted mutation', async () => {
    const device = await newDevice()
    const clientId = newId()
    expect((await push(ctx.app, device, clientId, creates(1, [callRecord(device)]))).body.results).toEqual([
      { mutationId: 1, status: 'accepted' },
    ])
    const [log] = await ctx.t.query(`SELECT status, reason, code, params FROM mutation_log WHERE client_id = '${clientId}'`)
    expect(log).toEqual({ status: 'accepted', reason: null, code: null, params: null })
  })
})
