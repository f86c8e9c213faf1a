import { describe, expect, it } from 'vitest'
import { RollCallMarkDataSchema, rollCallOrder, rollCallState, type RollCallMark } from '../../src/shared/roll-call'
import { parseRecord } from '../../src/shared/records'

const ROLL_CALL = '0192f0c4-3333-7000-8000-000000000003'
const ZHANG = '0192f0c4-aaaa-7000-8000-00000000000a'
const LI = '0192f0c4-bbbb-7000-8000-00000000000b'
const WANG = '0192f0c4-cccc-7000-8000-00000000000c'
const GUEST = '0192f0c4-dddd-7000-8000-00000000000d'
const ROSTER = [
  { id: ZHANG, name: '张伟', staffNo: 'H001' },
  { id: LI, name: '李娜', staffNo: 'H002' },
  { id: WANG, name: '王芳', staffNo: 'H003' },
]
const START = { startedAt: '2026-11-28T08:00:00.000Z' }

let seq = 0
/** A mark made at minute `min` (plus seconds) by `author`; ids grow with creation unless given. */
function mark(min: number, data: Partial<RollCallMark>, author = '一号台'): RollCallMark {
  const at = new Date(Date.UTC(2026, 10, 28, 8, min)).toISOString()
  seq++
  return {
    id: `0192f0c4-${String(seq).padStart(4, '0')}-7000-8000-000000000000`,
    rollCallId: ROLL_CALL,
    type: 'status',
    name: '',
    note: '',
    at,
    createdAt: at,
    author,
    ...data,
  }
}
const status = (min: number, personId: string, s: RollCallMark['status'], author?: string, extra: Partial<RollCallMark> = {}) =>
  mark(min, { personId, status: s, ...extra }, author)

describe('roll-call state', () => {
  it('starts with everyone on the roster unmarked', () => {
    const state = rollCallState(START, [], ROSTER)
    expect(state.counts).toEqual({ safe: 0, missing: 0, injured: 0, absent: 0, unmarked: 3 })
    expect(state.people.map((p) => p.name)).toEqual(['张伟', '李娜', '王芳'])
    expect(state.customersEvacuated).toBe(0)
    expect(state.completedAt).toBeUndefined()
  })

  it('merges the marks of two tablets: per person the newest mark wins, whatever order they arrive in', () => {
    // Tablet A (offline) marks Wang missing at 08:03; tablet B (offline) finds her safe at 08:05.
    const a = [status(1, ZHANG, 'safe', 'A'), status(3, WANG, 'missing', 'A', { note: '最后在二楼茶水间' })]
    const b = [status(2, LI, 'injured', 'B', { note: '手臂烫伤' }), status(5, WANG, 'safe', 'B')]
    for (const marks of [[...a, ...b], [...b, ...a], [b[1]!, a[1]!, b[0]!, a[0]!]]) {
      const state = rollCallState(START, marks, ROSTER)
      expect(state.counts).toEqual({ safe: 2, missing: 0, injured: 1, absent: 0, unmarked: 0 })
      const wang = state.people.find((p) => p.personId === WANG)!
      expect(wang.mark).toMatchObject({ status: 'safe', author: 'B' })
      expect(wang.history.map((h) => h.status)).toEqual(['missing', 'safe'])
      expect(state.people.find((p) => p.personId === LI)!.mark).toMatchObject({ status: 'injured', note: '手臂烫伤', author: 'B' })
    }
  })

  it('breaks a tie of the same creation time by record id, the same on every tablet', () => {
    const at = '2026-11-28T08:04:00.000Z'
    const low = { ...status(4, ZHANG, 'missing'), id: '0192f0c4-0000-7000-8000-00000000aaaa', createdAt: at }
    const high = { ...status(4, ZHANG, 'safe'), id: '0192f0c4-0000-7000-8000-00000000bbbb', createdAt: at }
    expect(rollCallState(START, [high, low], ROSTER).people[0]!.mark?.status).toBe('safe')
    expect(rollCallState(START, [low, high], ROSTER).people[0]!.mark?.status).toBe('safe')
  })

  it('counts people added by name and people only known from another tablet', () => {
    const marks = [
      mark(1, { type: 'addPerson', personId: GUEST, name: '刘师傅（维修）' }),
      status(2, GUEST, 'safe', undefined, { name: '刘师傅（维修）' }),
      // Marked on a tablet whose roster has a person this one has not pulled yet.
      status(3, '0192f0c4-eeee-7000-8000-00000000000e', 'missing', 'B', { name: '赵六' }),
    ]
    const state = rollCallState(START, marks, ROSTER)
    expect(state.people.map((p) => [p.name, p.onRoster])).toEqual([
      ['张伟', true],
      ['李娜', true],
      ['王芳', true],
      ['刘师傅（维修）', false],
      ['赵六', false],
    ])
    expect(state.counts).toEqual({ safe: 1, missing: 1, injured: 0, absent: 0, unmarked: 3 })
  })

  it('keeps the newest customer count, and the first completion with who declared it', () => {
    const marks = [
      mark(1, { type: 'customers', count: 3 }),
      mark(2, { type: 'customers', count: 8 }, 'B'),
      mark(6, { type: 'complete' }, '张组长'),
      mark(7, { type: 'complete' }, 'B'),
      status(8, ZHANG, 'injured'),
    ]
    const state = rollCallState(START, marks, ROSTER)
    expect(state.customersEvacuated).toBe(8)
    expect(state.customersMark?.author).toBe('B')
    expect(state.completedAt).toBe('2026-11-28T08:06:00.000Z')
    expect(state.completedBy).toBe('张组长')
    // A mark after completion still counts (someone turned up hurt).
    expect(state.counts.injured).toBe(1)
  })

  it('does not count an absent person as unmarked', () => {
    const state = rollCallState(START, [status(1, WANG, 'absent')], ROSTER)
    expect(state.counts).toMatchObject({ absent: 1, unmarked: 2 })
  })

  it('puts the unmarked first, then missing, injured, safe, absent, in roster order within a group', () => {
    const state = rollCallState(START, [status(1, ZHANG, 'safe'), status(2, LI, 'missing')], [...ROSTER, { id: GUEST, name: '陈静' }])
    expect(rollCallOrder(state.people).map((p) => p.name)).toEqual(['王芳', '陈静', '李娜', '张伟'])
  })
})

describe('roll-call records', () => {
  it('refuse a mark without what its type needs', () => {
    const base = { rollCallId: ROLL_CALL, at: '2026-11-28T08:00:00.000Z' }
    expect(RollCallMarkDataSchema.safeParse({ ...base, type: 'status', personId: ZHANG }).success).toBe(false)
    expect(RollCallMarkDataSchema.safeParse({ ...base, type: 'status', status: 'safe' }).success).toBe(false)
    expect(RollCallMarkDataSchema.safeParse({ ...base, type: 'addPerson', personId: GUEST }).success).toBe(false)
    expect(RollCallMarkDataSchema.safeParse({ ...base, type: 'customers' }).success).toBe(false)
    expect(RollCallMarkDataSchema.safeParse({ ...base, type: 'customers', count: -1 }).success).toBe(false)
    expect(RollCallMarkDataSchema.safeParse({ ...base, type: 'status', personId: ZHANG, status: 'safe', note: 'x'.repeat(201) }).success).toBe(false)
    expect(RollCallMarkDataSchema.safeParse({ ...base, type: 'status', personId: ZHANG, status: 'injured', note: '腿部擦伤' }).success).toBe(true)
    expect(RollCallMarkDataSchema.safeParse({ ...base, type: 'complete' }).success).toBe(true)
  })

  it('are known kinds of the sync protocol', () => {
    const envelope = {
      id: '0192f0c4-5555-7000-8000-000000000005',
      siteId: '0192f0c4-1111-7000-8000-000000000001',
      deviceId: '0192f0c4-2222-7000-8000-000000000002',
      author: '一号台',
      createdAt: '2026-11-28T08:00:00.000Z',
      updatedAt: '2026-11-28T08:00:00.000Z',
      serverSeq: null,
    }
    expect(parseRecord({ ...envelope, kind: 'rollCall', data: { incidentId: ROLL_CALL, startedAt: START.startedAt } }).success).toBe(true)
    expect(parseRecord({ ...envelope, kind: 'rollCallMark', data: { rollCallId: ROLL_CALL, type: 'customers', count: 4, at: START.startedAt } }).success).toBe(true)
    expect(parseRecord({ ...envelope, kind: 'rollCallMark', data: { rollCallId: ROLL_CALL, type: 'status', at: START.startedAt } }).success).toBe(false)
  })
})

describe('plans that open the roll-call', () => {
  it('are the fire and robbery plans, each with a step that opens it', async () => {
    const { SHIPPED_PLAYBOOKS } = await import('../../src/shared/playbooks')
    const offering = SHIPPED_PLAYBOOKS.filter((p) => p.records.includes('rollCall')).map((p) => p.id)
    expect(offering.sort()).toEqual(['C5', 'H3', 'H4'])
    for (const id of offering) {
      const plan = SHIPPED_PLAYBOOKS.find((p) => p.id === id)!
      expect(plan.steps.some((s) => s.records?.includes('rollCall')), id).toBe(true)
    }
  })
})
