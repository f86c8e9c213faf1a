import { describe, expect, it } from 'vitest'
import {
  DEFAULT_MEDIA_WORDINGS,
  MediaContactDataSchema,
  activeWordings,
  byContactTimeDesc,
  currentWordings,
  nextWordingVersion,
  type MediaWordingData,
  type MediaWordingRecord,
} from '../../src/shared/media'
import { KIND_ROLES } from '../../src/shared/roles'

const OWN = '0192f0c4-7777-7000-8000-000000000007'
let seq = 0
function record(data: MediaWordingData, createdAt: string, author = '王主管', id?: string): MediaWordingRecord {
  seq++
  return { id: id ?? `0192f0c4-${String(seq).padStart(4, '0')}-7000-8000-000000000000`, createdAt, author, data }
}
const text = (zh: string) => ({ 'zh-CN': zh, en: `EN ${zh}` })

describe('agreed wordings', () => {
  it('are the shipped defaults when the site has none', () => {
    const current = currentWordings([])
    expect(current.map((w) => w.id)).toEqual(DEFAULT_MEDIA_WORDINGS.map((w) => w.id))
    expect(current.every((w) => w.shipped && w.active && w.version === 1)).toBe(true)
    expect(current[0]!.text['zh-CN']).toContain('正在调查中')
    for (const w of DEFAULT_MEDIA_WORDINGS) {
      expect(w.text['zh-CN'].trim()).not.toBe('')
      expect(w.text.en).not.toMatch(/[\u4e00-\u9fff]/)
    }
  })

  it('take the newest version of each id, whatever order the records come in', () => {
    const v1 = record({ id: OWN, version: 1, text: text('第一版'), active: true }, '2026-11-28T08:00:00.000Z')
    const v2 = record({ id: OWN, version: 2, text: text('第二版'), active: true }, '2026-11-28T09:00:00.000Z')
    const v3 = record({ id: OWN, version: 3, text: text('第三版'), active: true }, '2026-11-28T10:00:00.000Z', '李主管')
    for (const records of [[v1, v2, v3], [v3, v1, v2], [v2, v3, v1]]) {
      const own = currentWordings(records).find((w) => w.id === OWN)!
      expect(own).toMatchObject({ version: 3, text: text('第三版'), shipped: false, author: '李主管' })
    }
    // The version decides, not the clock: a v2 recorded on a tablet with a clock ahead still loses to v3.
    const skewed = { ...v2, createdAt: '2026-11-29T00:00:00.000Z' }
    expect(currentWordings([v1, skewed, v3]).find((w) => w.id === OWN)!.version).toBe(3)
  })

  it('pick the same one of two offline edits to the same version on every tablet', () => {
    const a = record({ id: OWN, version: 2, text: text('甲的修改'), active: true }, '2026-11-28T09:00:00.000Z', '甲')
    const b = record({ id: OWN, version: 2, text: text('乙的修改'), active: true }, '2026-11-28T09:05:00.000Z', '乙')
    expect(currentWordings([a, b]).find((w) => w.id === OWN)!.author).toBe('乙')
    expect(currentWordings([b, a]).find((w) => w.id === OWN)!.author).toBe('乙')
  })

  it('let a supervisor edit or retire a shipped wording with a newer version', () => {
    const [first, second] = DEFAULT_MEDIA_WORDINGS
    const edited = record(nextWordingVersion(first!, { text: text('本厅口径'), active: true }), '2026-11-28T08:00:00.000Z')
    const retired = record(nextWordingVersion(second!, { text: second!.text, active: false }), '2026-11-28T08:01:00.000Z')
    const current = currentWordings([edited, retired])
    expect(current[0]).toMatchObject({ id: first!.id, version: 2, text: text('本厅口径'), shipped: false })
    expect(current[1]).toMatchObject({ id: second!.id, active: false })
    expect(activeWordings([edited, retired]).map((w) => w.id)).not.toContain(second!.id)
    expect(activeWordings([edited, retired])).toHaveLength(DEFAULT_MEDIA_WORDINGS.length - 1)
  })

  it('list the site\'s own after the shipped ones, in the order they were first written', () => {
    const later = record({ id: 'b-second', version: 1, text: text('后写的'), active: true }, '2026-11-28T09:00:00.000Z')
    const earlier = record({ id: 'z-first', version: 1, text: text('先写的'), active: true }, '2026-11-28T08:00:00.000Z')
    const earlierV2 = record({ id: 'z-first', version: 2, text: text('先写的（改）'), active: true }, '2026-11-28T10:00:00.000Z')
    const ids = currentWordings([later, earlierV2, earlier]).map((w) => w.id)
    expect(ids.slice(DEFAULT_MEDIA_WORDINGS.length)).toEqual(['z-first', 'b-second'])
  })

  it('are written by supervisors only; media contacts by everyone', () => {
    expect(KIND_ROLES.mediaWording).toEqual(['supervisor', 'centerManager'])
    expect(KIND_ROLES.mediaContact).toContain('agent')
  })
})

describe('media contact', () => {
  const valid = {
    outlet: '某某都市报',
    reporterName: '陈记者',
    at: '2026-11-28T08:10:00.000Z',
    channel: 'door',
    asked: '听说营业厅昨天发生纠纷，能否介绍情况？',
    filmingAttempted: false,
    response: { type: 'wording', wordingId: 'default-under-investigation', wordingVersion: 1, text: DEFAULT_MEDIA_WORDINGS[0]!.text['zh-CN'] },
    informed: [{ who: '中心经理', at: '2026-11-28T08:12:00.000Z' }],
  }

  it('accepts a note with a wording or a referral to the spokesperson', () => {
    expect(MediaContactDataSchema.safeParse(valid).success).toBe(true)
    expect(MediaContactDataSchema.safeParse({ ...valid, response: { type: 'spokesperson' }, spokesperson: '张经理' }).success).toBe(true)
  })

  it('refuses one with no answer, no outlet, or filming with nothing said about what staff did', () => {
    expect(MediaContactDataSchema.safeParse({ ...valid, response: undefined }).success).toBe(false)
    expect(MediaContactDataSchema.safeParse({ ...valid, response: { type: 'freeText', text: '随便说说' } }).success).toBe(false)
    expect(MediaContactDataSchema.safeParse({ ...valid, outlet: '  ' }).success).toBe(false)
    expect(MediaContactDataSchema.safeParse({ ...valid, filmingAttempted: true }).success).toBe(false)
    expect(MediaContactDataSchema.safeParse({ ...valid, filmingAttempted: true, filmingAction: '婉言劝阻，对方已停止拍摄' }).success).toBe(true)
    expect(MediaContactDataSchema.safeParse({ ...valid, informed: [{ who: '经理', at: '下午两点' }] }).success).toBe(false)
  })

  it('sorts the log newest contact first', () => {
    const rows = [
      { id: 'a', at: '2026-11-28T08:00:00.000Z' },
      { id: 'b', at: '2026-11-28T09:00:00.000Z' },
      { id: 'c', at: '2026-11-28T08:30:00.000Z' },
    ]
    expect([...rows].sort(byContactTimeDesc).map((r) => r.id)).toEqual(['b', 'c', 'a'])
  })
})
