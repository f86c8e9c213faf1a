import { describe, expect, it } from 'vitest'
import { newId, UUID_V7_RE } from '../../src/shared/ids'
import { parseRecord } from '../../src/shared/records'
import { PushRequestSchema } from '../../src/shared/sync'

const SITE = '0192f0c4-1111-7000-8000-000000000001'
const DEVICE = '0192f0c4-2222-7000-8000-000000000002'

function callRecord(overrides: Record<string, unknown> = {}, data: Record<string, unknown> = {}) {
  return {
    id: newId(),
    kind: 'callRecord',
    siteId: SITE,
    deviceId: DEVICE,
    author: '张三',
    createdAt: '2026-11-28T08:00:00.000Z',
    updatedAt: '2026-11-28T08:00:00.000Z',
    serverSeq: null,
    data: {
      calledAt: '2026-11-28T08:00:00+08:00',
      callerPhone: '13812345678',
      callerName: '李女士',
      request: '查询账单',
      callbackNeeded: false,
      ...data,
    },
    ...overrides,
  }
}

describe('ids', () => {
  it('makes time-ordered UUID v7 ids', () => {
    const a = newId()
    const b = newId()
    expect(a).toMatch(UUID_V7_RE)
    expect(a < b).toBe(true)
  })
})

describe('parseRecord', () => {
  it('accepts a valid call record and fills defaults', () => {
    const parsed = parseRecord(callRecord())
    expect(parsed.success).toBe(true)
    if (parsed.success) expect(parsed.record.data).toMatchObject({ callbackNumber: '' })
  })

  it('refuses an unknown kind', () => {
    expect(parseRecord(callRecord({ kind: 'spaceship' })).success).toBe(false)
  })

  it('refuses an id that is not a UUID v7', () => {
    const parsed = parseRecord(callRecord({ id: '0192f0c4-1111-4000-8000-000000000001' }))
    expect(parsed).toMatchObject({ success: false, message: expect.stringContaining('UUID v7') })
  })

  it('refuses an empty request', () => {
    expect(parseRecord(callRecord({}, { request: '   ' })).success).toBe(false)
  })

  it('asks for a number to call back when none is known', () => {
    const parsed = parseRecord(callRecord({}, { callbackNeeded: true, callerPhone: '', callbackNumber: '' }))
    expect(parsed).toMatchObject({ success: false, message: expect.stringContaining('callback_number_required') })
    expect(parseRecord(callRecord({}, { callbackNeeded: true, callerPhone: '', callbackNumber: '010-12345678' })).success).toBe(true)
  })
})

describe('PushRequestSchema', () => {
  it('refuses an empty batch and an unknown mutation', () => {
    const clientId = newId()
    expect(PushRequestSchema.safeParse({ clientId, mutations: [] }).success).toBe(false)
    expect(
      PushRequestSchema.safeParse({
        clientId,
        mutations: [{ mutationId: 1, name: 'record.drop', args: {}, createdAt: '2026-11-28T08:00:00Z' }],
      }).success,
    ).toBe(false)
  })

  it('refuses a mutation id of zero', () => {
    expect(
      PushRequestSchema.safeParse({
        clientId: newId(),
        mutations: [{ mutationId: 0, name: 'record.create', args: {}, createdAt: '2026-11-28T08:00:00Z' }],
      }).success,
    ).toBe(false)
  })
})
