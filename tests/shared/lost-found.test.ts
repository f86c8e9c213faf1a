import { describe, expect, it } from 'vitest'
import {
  LostItemDataSchema,
  LostItemEventDataSchema,
  canAppend,
  lostItemState,
  registerOrder,
  vehicleClaimHandling,
  type LostItem,
  type LostItemEvent,
  type LostItemEventData,
} from '../../src/shared/lost-found'
import { parseRecord } from '../../src/shared/records'
import { KIND_ROLES } from '../../src/shared/roles'
import { PARENT_FIELDS } from '../../src/client/db/record-index'

const ITEM = '0192f0c4-1234-7000-8000-000000000001'
const sig = (n: number) => ({ sha256: n.toString(16).padStart(64, '0'), type: 'image/png' as const, size: 2048 })
const FOUND_AT = '2026-11-20T09:30:00.000Z'

function foundItem(overrides: Record<string, unknown> = {}): LostItem {
  return {
    id: ITEM,
    createdAt: '2026-11-20T09:40:00.000Z',
    author: '陈柜员',
    mode: 'found',
    description: '黑色钱包：身份证一张、银行卡两张、现金350元',
    whereFound: '3号柜台座椅下',
    foundAt: FOUND_AT,
    foundBy: '陈柜员',
    photos: [{ sha256: 'f'.repeat(64), type: 'image/jpeg', size: 80_000 }],
    witnesses: [
      { name: '陈柜员', signature: sig(1), countedAt: '2026-11-20T09:35:00.000Z' },
      { name: '刘保安', signature: sig(2), countedAt: '2026-11-20T09:35:00.000Z' },
    ],
    cctv: { camera: '大厅2号摄像头', time: '2026-11-20T09:35:00.000Z' },
    keptAt: '值班室保险柜',
    ...overrides,
  } as LostItem
}

/** An event's own fields (Omit distributed over the union of event types). */
type EventFields = LostItemEventData extends infer E ? (E extends unknown ? Omit<E, 'itemId' | 'at'> & { at?: string } : never) : never

let seq = 0
/** An event recorded at `iso` (its envelope time), ids growing with creation. */
function ev(iso: string, data: EventFields, author = '陈柜员'): LostItemEvent {
  seq++
  return { itemId: ITEM, at: iso, ...data, id: `0192f0c4-${String(seq).padStart(4, '0')}-7000-8000-000000000000`, createdAt: iso, author } as LostItemEvent
}

const returned = (iso: string, extra: Record<string, unknown> = {}) =>
  ev(iso, {
    type: 'returned',
    claimantName: '王女士',
    idType: 'residentId',
    idLast4: '123X',
    claimantSignature: sig(3),
    returnedBy: { name: '陈柜员' },
    note: '',
    ...extra,
  } as EventFields)

const NOW = Date.parse('2026-11-28T12:00:00.000Z')

describe('lost-and-found entries', () => {
  it('needs exactly two distinct witnesses with their signatures for a found item', () => {
    const base = foundItem()
    expect(LostItemDataSchema.safeParse(base).success).toBe(true)
    const one = LostItemDataSchema.safeParse({ ...base, witnesses: [base.mode === 'found' ? base.witnesses[0] : undefined] })
    expect(one.success).toBe(false)
    expect(one.error?.issues[0]?.message).toBe('two_witnesses')
    if (base.mode !== 'found') throw new Error('found')
    const same = LostItemDataSchema.safeParse({ ...base, witnesses: [base.witnesses[0], { ...base.witnesses[1], name: ' 陈柜员 ' }] })
    expect(same.success).toBe(false)
    const sameImage = LostItemDataSchema.safeParse({ ...base, witnesses: [base.witnesses[0], { ...base.witnesses[1], signature: sig(1) }] })
    expect(sameImage.success).toBe(false)
    const unsigned = LostItemDataSchema.safeParse({ ...base, witnesses: [base.witnesses[0], { name: '刘保安', countedAt: FOUND_AT }] })
    expect(unsigned.success).toBe(false)
  })

  it('keeps a reported loss and a vehicle at the door with what the plan asks', () => {
    const reported = LostItemDataSchema.safeParse({
      mode: 'reported', description: '蓝色雨伞', lostAt: FOUND_AT, whereLost: '等候区', contactName: '李先生', contactPhone: '13800138000', advisedPolice: true,
    })
    expect(reported.success).toBe(true)
    expect(LostItemDataSchema.safeParse({ mode: 'reported', description: '蓝色雨伞', lostAt: FOUND_AT, whereLost: '等候区', contactName: '', contactPhone: '1', advisedPolice: true }).success).toBe(false)
    const vehicle = LostItemDataSchema.parse({ mode: 'vehicle', description: '黑色电动车', happened: 'damaged', at: FOUND_AT, details: '后视镜被撞断', guardAssigned: false })
    expect(vehicle).toMatchObject({ agreed: '', contactName: '' })
    expect(vehicleClaimHandling(true)).toBe('negotiate')
    expect(vehicleClaimHandling(false)).toBe('declineSuggestPolice')
  })

  it('travels as a record any role may create, its events found by their item', () => {
    const record = {
      id: '0192f0c4-5555-7000-8000-000000000005',
      kind: 'lostItem',
      siteId: '0192f0c4-1111-7000-8000-000000000001',
      deviceId: '0192f0c4-2222-7000-8000-000000000002',
      author: '陈柜员',
      createdAt: '2026-11-20T09:40:00.000Z',
      updatedAt: '2026-11-20T09:40:00.000Z',
      serverSeq: null,
      data: { ...foundItem(), id: undefined, createdAt: undefined, author: undefined },
    }
    expect(parseRecord(record).success).toBe(true)
    expect(parseRecord({ ...record, data: { ...record.data, witnesses: [] } }).success).toBe(false)
    expect(KIND_ROLES.lostItem).toContain('agent')
    expect(KIND_ROLES.lostItemEvent).toContain('security')
    expect(PARENT_FIELDS.lostItemEvent).toBe('itemId')
  })
})

describe('identity check on return', () => {
  const valid = { itemId: ITEM, at: FOUND_AT, type: 'returned', claimantName: '王女士', idType: 'residentId', claimantSignature: sig(3), returnedBy: { name: '陈柜员' } }

  it('keeps only the last four characters of the document number, and refuses anything longer', () => {
    expect(LostItemEventDataSchema.parse({ ...valid, idLast4: ' 123x ' })).toMatchObject({ idLast4: '123X' })
    for (const bad of ['12345', '110101199003071234', '123', '', '12 4', '12-4']) {
      const parsed = LostItemEventDataSchema.safeParse({ ...valid, idLast4: bad })
      expect(parsed.success, bad).toBe(false)
      expect(parsed.error?.issues[0]?.message, bad).toBe('id_last4_only')
    }
  })

  it('refuses a return without the document type, the number or the claimant signature', () => {
    expect(LostItemEventDataSchema.safeParse({ ...valid, idLast4: '1234', idType: undefined }).success).toBe(false)
    expect(LostItemEventDataSchema.safeParse({ ...valid, idLast4: '1234', idType: 'drivingLicence' }).success).toBe(false)
    expect(LostItemEventDataSchema.safeParse({ ...valid, idLast4: undefined }).success).toBe(false)
    expect(LostItemEventDataSchema.safeParse({ ...valid, idLast4: '1234', claimantSignature: undefined }).success).toBe(false)
    expect(LostItemEventDataSchema.safeParse({ ...valid, idLast4: '1234' }).success).toBe(true)
  })
})

describe('the register entry state', () => {
  it('goes open → owner identified → contacted → returned, with who and when', () => {
    const events = [
      ev('2026-11-21T10:00:00.000Z', { type: 'ownerIdentified', how: 'cctv', note: '监控显示为下午办理业务的女士' }),
      ev('2026-11-21T10:30:00.000Z', { type: 'ownerContacted', how: 'phone', note: '' }, '刘保安'),
      returned('2026-11-22T15:00:00.000Z'),
    ]
    const open = lostItemState(foundItem(), [], NOW)
    expect(open.status).toBe('open')
    expect(lostItemState(foundItem(), events.slice(0, 1), NOW).status).toBe('ownerIdentified')
    expect(lostItemState(foundItem(), events.slice(0, 2), NOW).status).toBe('ownerContacted')
    const state = lostItemState(foundItem(), [...events].reverse(), NOW)
    expect(state.status).toBe('returned')
    expect(state.returned?.claimantName).toBe('王女士')
    expect(state.history.map((h) => [h.kind === 'event' ? h.event.type : 'registered', h.author, h.createdAt])).toEqual([
      ['registered', '陈柜员', '2026-11-20T09:40:00.000Z'],
      ['ownerIdentified', '陈柜员', '2026-11-21T10:00:00.000Z'],
      ['ownerContacted', '刘保安', '2026-11-21T10:30:00.000Z'],
      ['returned', '陈柜员', '2026-11-22T15:00:00.000Z'],
    ])
  })

  it('refuses a return without both witness signatures on the entry', () => {
    const base = foundItem()
    if (base.mode !== 'found') throw new Error('found')
    const oneWitness = foundItem({ witnesses: [base.witnesses[0]] })
    const unsigned = foundItem({ witnesses: [base.witnesses[0], { name: '刘保安', countedAt: FOUND_AT }] })
    const badImage = foundItem({ witnesses: [base.witnesses[0], { ...base.witnesses[1], signature: { sha256: 'not-a-hash', type: 'image/png', size: 1 } }] })
    const sameImage = foundItem({ witnesses: [base.witnesses[0], { ...base.witnesses[1], signature: sig(1) }] })
    for (const item of [oneWitness, unsigned, badImage, sameImage]) {
      const state = lostItemState(item, [], NOW)
      expect(state.witnessesSigned).toBe(false)
      const step = returned('2026-11-22T15:00:00.000Z')
      expect(canAppend(state, step)).toEqual({ ok: false, reasons: ['witnessSignatures'] })
      // A return that arrives anyway (another tablet, an old version) is kept in the history, not applied.
      const after = lostItemState(item, [step], NOW)
      expect(after.status).toBe('open')
      expect(after.history.at(-1)).toMatchObject({ applied: false, refused: ['witnessSignatures'] })
    }
    expect(canAppend(lostItemState(foundItem(), [], NOW), returned('2026-11-22T15:00:00.000Z'))).toEqual({ ok: true })
  })

  it('refuses a return without the identity check or without the claimant signature', () => {
    const state = lostItemState(foundItem(), [], NOW)
    const at = '2026-11-22T15:00:00.000Z'
    expect(canAppend(state, returned(at, { idType: undefined }))).toEqual({ ok: false, reasons: ['identityCheck'] })
    expect(canAppend(state, returned(at, { idLast4: '' }))).toEqual({ ok: false, reasons: ['identityCheck'] })
    expect(canAppend(state, returned(at, { idLast4: '110101199003071234' }))).toEqual({ ok: false, reasons: ['identityCheck'] })
    expect(canAppend(state, returned(at, { claimantSignature: undefined }))).toEqual({ ok: false, reasons: ['claimantSignature'] })
    // Only a type: every check of the return is missing.
    expect(canAppend(state, 'returned')).toEqual({ ok: false, reasons: ['identityCheck', 'claimantSignature'] })
    const noChecks = lostItemState(foundItem(), [returned(at, { idType: undefined, claimantSignature: undefined })], NOW)
    expect(noChecks.status).toBe('open')
    expect(noChecks.returned).toBeUndefined()
  })

  it('after a return allows only amendments, and an amendment keeps the original', () => {
    const events = [
      returned('2026-11-22T15:00:00.000Z'),
      ev('2026-11-22T15:10:00.000Z', { type: 'ownerContacted', how: 'phone', note: '' }),
      ev('2026-11-22T15:20:00.000Z', { type: 'closed', reason: 'handedToPolice', note: '' }),
      ev('2026-11-22T16:00:00.000Z', { type: 'amendment', field: 'keptAt', before: '值班室保险柜', after: '大堂经理办公室保险柜', reason: '登记时写错了存放地点' }, '王主管'),
      ev('2026-11-23T09:00:00.000Z', { type: 'amendment', field: 'keptAt', before: '大堂经理办公室保险柜', after: '二楼保险柜', reason: '再次核对' }),
      returned('2026-11-23T10:00:00.000Z', { claimantName: '冒领人' }),
    ]
    const state = lostItemState(foundItem(), events, NOW)
    expect(state.status).toBe('returned')
    expect(state.returned?.claimantName).toBe('王女士')
    expect(canAppend(state, 'ownerContacted')).toEqual({ ok: false, reasons: ['finished'] })
    expect(canAppend(state, 'closed')).toEqual({ ok: false, reasons: ['finished'] })
    expect(canAppend(state, returned('2026-11-23T10:00:00.000Z'))).toEqual({ ok: false, reasons: ['finished'] })
    expect(canAppend(state, { type: 'amendment', field: 'keptAt' })).toEqual({ ok: true })
    expect(canAppend(state, { type: 'amendment', field: 'contactPhone' })).toEqual({ ok: false, reasons: ['fieldNotForMode'] })
    expect(state.history.filter((h) => !h.applied).map((h) => h.kind === 'event' && h.event.type)).toEqual(['ownerContacted', 'closed', 'returned'])

    // The value reads as amended; the original is kept, with each change, who and why.
    expect(state.current.keptAt).toBe('二楼保险柜')
    expect(state.current.description).toBe('黑色钱包：身份证一张、银行卡两张、现金350元')
    expect(state.amended).toHaveLength(1)
    expect(state.amended[0]).toMatchObject({ field: 'keptAt', original: '值班室保险柜', current: '二楼保险柜' })
    expect(state.amended[0]!.amendments.map((a) => [a.type === 'amendment' && a.before, a.type === 'amendment' && a.after, a.author])).toEqual([
      ['值班室保险柜', '大堂经理办公室保险柜', '王主管'],
      ['大堂经理办公室保险柜', '二楼保险柜', '陈柜员'],
    ])
  })

  it('refuses an amendment that changes nothing or gives no reason', () => {
    const base = { itemId: ITEM, at: FOUND_AT, type: 'amendment', field: 'keptAt' }
    expect(LostItemEventDataSchema.safeParse({ ...base, before: 'A', after: 'A', reason: '核对' }).success).toBe(false)
    expect(LostItemEventDataSchema.safeParse({ ...base, before: 'A', after: 'B', reason: ' ' }).success).toBe(false)
    expect(LostItemEventDataSchema.safeParse({ ...base, before: 'A', after: 'B', reason: '核对' }).success).toBe(true)
  })

  it('offers each kind of entry its own steps: a reported loss is returned only once a search found it', () => {
    const reported = { id: ITEM, createdAt: FOUND_AT, author: '陈柜员', mode: 'reported', description: '蓝色雨伞', lostAt: FOUND_AT, whereLost: '等候区', contactName: '李先生', contactPhone: '13800138000', advisedPolice: true, note: '' } as LostItem
    const vehicle = { id: ITEM, createdAt: FOUND_AT, author: '陈柜员', mode: 'vehicle', description: '电动车', happened: 'lost', at: FOUND_AT, details: '门口丢失', guardAssigned: false, agreed: '', contactName: '', contactPhone: '' } as LostItem
    const r0 = lostItemState(reported, [], NOW)
    expect(canAppend(r0, 'ownerIdentified')).toEqual({ ok: false, reasons: ['notForMode'] })
    expect(canAppend(r0, returned(FOUND_AT))).toEqual({ ok: false, reasons: ['notFoundYet'] })
    const notFound = ev('2026-11-20T10:00:00.000Z', { type: 'searched', where: '柜台', by: '陈柜员', result: 'notFound', note: '' })
    expect(canAppend(lostItemState(reported, [notFound], NOW), returned(FOUND_AT))).toEqual({ ok: false, reasons: ['notFoundYet'] })
    const found = ev('2026-11-20T11:00:00.000Z', { type: 'searched', where: '等候区', by: '刘保安', result: 'found', note: '' })
    const r1 = lostItemState(reported, [notFound, found], NOW)
    expect(r1.searches).toHaveLength(2)
    expect(canAppend(r1, returned(FOUND_AT))).toEqual({ ok: true })
    expect(canAppend(lostItemState(foundItem(), [], NOW), 'searched')).toEqual({ ok: false, reasons: ['notForMode'] })
    expect(canAppend(lostItemState(vehicle, [], NOW), returned(FOUND_AT))).toEqual({ ok: false, reasons: ['notForMode'] })
    expect(canAppend(lostItemState(vehicle, [], NOW), 'closed')).toEqual({ ok: true })
  })
})

describe('the age of an entry', () => {
  it('counts whole days since the find while nobody claims it, and stops at the return', () => {
    expect(lostItemState(foundItem(), [], Date.parse('2026-11-20T23:59:00.000Z')).ageDays).toBe(0)
    expect(lostItemState(foundItem(), [], Date.parse('2026-11-21T09:30:00.000Z')).ageDays).toBe(1)
    expect(lostItemState(foundItem(), [], NOW).ageDays).toBe(8)
    const back = lostItemState(foundItem(), [returned('2026-11-23T10:00:00.000Z')], NOW)
    expect(back.ageDays).toBe(3)
    // A clock set before the find (a wrong tablet clock) is not a negative age.
    expect(lostItemState(foundItem(), [], Date.parse('2026-11-01T00:00:00.000Z')).ageDays).toBe(0)
  })

  it('counts from the corrected time when the find time was amended', () => {
    const amended = ev('2026-11-21T09:00:00.000Z', { type: 'amendment', field: 'foundAt', before: FOUND_AT, after: '2026-11-18T09:30:00.000Z', reason: '实为周三拾到' })
    expect(lostItemState(foundItem(), [amended], NOW).ageDays).toBe(10)
  })

  it('lists open entries first, the longest unclaimed on top, then finished ones newest first', () => {
    const rows = [
      { id: 'a', start: '2026-11-25', finished: false },
      { id: 'b', start: '2026-11-10', finished: true },
      { id: 'c', start: '2026-11-01', finished: false },
      { id: 'd', start: '2026-11-20', finished: true },
    ]
    expect([...rows].sort(registerOrder).map((r) => r.id)).toEqual(['c', 'a', 'd', 'b'])
  })
})
