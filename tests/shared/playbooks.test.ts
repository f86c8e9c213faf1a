import { describe, expect, it } from 'vitest'
import {
  ContactSchema,
  LOCALES,
  PlaybookSchema,
  RECORD_FORM_LABELS,
  ROLE_LABELS,
  type Deadline,
  type Playbook,
  type PlaybookInput,
} from '../../src/shared/playbook'
import { DEFAULT_CONTACTS, SHIPPED_PLAYBOOKS } from '../../src/shared/playbooks'

/** Any CJK ideograph, CJK punctuation or full-width form: none of these belong in English text. */
const CJK_ANY = /[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/
const HAN = /\p{Script=Han}/u
/** Scraped-source leftovers: a pinyin reading in parentheses, e.g. 處(chù). */
const PINYIN_GLOSS = /\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)/i
/**
 * Traditional forms that appear in the source; clean Simplified Chinese has none of them.
 * (Only characters whose simplified form differs, so no false alarm on shared characters.)
 */
const TRADITIONAL =
  /[處應預務時與報臺機話錄網絡斷電護傷員長這個門開關聯係統資復問題計設備災搶確認領遺責單經視廳擾亂醫療數據發現況點體號請說歸檔將錢財產憑證賬調動費險鎖鑰衛間廣響環節織組總辦執實擬誤謊類兩屬現場線終頭燈層裡裏滅撲竊盜詢權處為們來過還對當務會從後]/

const byId = new Map(SHIPPED_PLAYBOOKS.map((p) => [p.id, p]))
function playbook(id: string): Playbook {
  const p = byId.get(id)
  if (!p) throw new Error(`missing playbook ${id}`)
  return p
}

/** Every `{ 'zh-CN': string, en: string }` in a value, with where it was found. */
function localizedTexts(value: unknown, path = ''): { path: string; zh: string; en: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => localizedTexts(v, `${path}[${i}]`))
  if (value === null || typeof value !== 'object') return []
  const obj = value as Record<string, unknown>
  const zh = obj['zh-CN']
  const en = obj.en
  if (typeof zh === 'string' && typeof en === 'string') return [{ path, zh, en }]
  return Object.entries(obj).flatMap(([k, v]) => localizedTexts(v, `${path}.${k}`))
}

/** Every string anywhere in a value, with where it was found. */
function strings(value: unknown, path = ''): { path: string; value: string }[] {
  if (typeof value === 'string') return [{ path, value }]
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`))
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`))
}

function deadlines(p: Playbook): { owner: string; deadline: Deadline }[] {
  return [
    ...p.steps.flatMap((s) => (s.deadline ? [{ owner: s.id, deadline: s.deadline }] : [])),
    ...(p.levels ?? []).flatMap((l) => (l.deadline ? [{ owner: l.id, deadline: l.deadline }] : [])),
  ]
}

/** A small valid playbook to break in the refusal tests. */
function sample(): PlaybookInput {
  return {
    id: 'complaint-escalation',
    version: 1,
    category: 'callCenter',
    title: { 'zh-CN': '投诉升级', en: 'Complaint escalation' },
    summary: { 'zh-CN': '投诉升级时上报主管。', en: 'Report escalated complaints to the supervisor.' },
    trigger: { 'zh-CN': '客户要求升级投诉', en: 'A customer asks to escalate a complaint.' },
    keywords: { 'zh-CN': ['投诉'], en: ['complaint'] },
    roles: ['agent', 'supervisor'],
    steps: [
      {
        id: 'report',
        text: { 'zh-CN': '上报主管', en: 'Tell the supervisor' },
        role: 'agent',
        contactId: 'call-center-supervisor',
      },
      {
        id: 'call-back',
        text: { 'zh-CN': '回电客户', en: 'Call the customer back' },
        role: 'supervisor',
        deadline: {
          minutes: 30,
          from: { type: 'step', stepId: 'report' },
          kind: 'within',
          label: { 'zh-CN': '30分钟内回电', en: 'Call back within 30 min' },
        },
      },
    ],
    records: ['incidentReport'],
  }
}

function issueMessages(input: unknown): string[] {
  const r = PlaybookSchema.safeParse(input)
  return r.success ? [] : r.error.issues.map((i) => i.message)
}

describe('shipped playbooks', () => {
  it.each(SHIPPED_PLAYBOOKS.map((p) => [p.id, p] as const))('%s parses unchanged', (_id, p) => {
    const r = PlaybookSchema.safeParse(p)
    expect(r.success ? [] : r.error.issues).toEqual([])
    // Nothing stripped or trimmed: a typo'd key or stray space in the data would show here.
    expect(r.data).toEqual(p)
  })

  it('holds H1 to H10 and C1 to C9, each once, in the right category', () => {
    const ids = SHIPPED_PLAYBOOKS.map((p) => p.id)
    const hall = Array.from({ length: 10 }, (_, i) => `H${i + 1}`)
    const center = Array.from({ length: 9 }, (_, i) => `C${i + 1}`)
    expect(ids).toEqual([...hall, ...center])
    for (const id of hall) expect(playbook(id).category).toBe('serviceHall')
    for (const id of center) expect(playbook(id).category).toBe('callCenter')
  })

  it('has no empty or whitespace-only string anywhere', () => {
    const blank = strings(SHIPPED_PLAYBOOKS).filter((s) => s.value.trim() === '' || s.value !== s.value.trim())
    expect(blank).toEqual([])
  })

  it('writes Chinese in zh-CN and no Chinese in English, in every text', () => {
    const texts = localizedTexts(SHIPPED_PLAYBOOKS)
    // The walker must have found at least the title, summary and trigger of each plan and each step's text.
    const floor = SHIPPED_PLAYBOOKS.reduce((n, p) => n + 3 + p.steps.length, 0)
    expect(texts.length).toBeGreaterThanOrEqual(floor)
    expect(texts.filter((t) => !HAN.test(t.zh)).map((t) => `${t.path}: ${t.zh}`)).toEqual([])
    expect(texts.filter((t) => CJK_ANY.test(t.en)).map((t) => `${t.path}: ${t.en}`)).toEqual([])
  })

  it('writes clean Simplified Chinese: no traditional forms, pinyin glosses or ASCII punctuation', () => {
    const zh = localizedTexts(SHIPPED_PLAYBOOKS).map((t) => t.zh)
    const keywords = SHIPPED_PLAYBOOKS.flatMap((p) => p.keywords['zh-CN'])
    for (const t of [...zh, ...keywords]) {
      expect(t, t).not.toMatch(TRADITIONAL)
      expect(t, t).not.toMatch(PINYIN_GLOSS)
      expect(t, t).not.toMatch(/[,;()]/)
    }
  })

  it('keeps step texts short enough to read at arm’s length', () => {
    const long = SHIPPED_PLAYBOOKS.flatMap((p) =>
      p.steps.filter((s) => [...s.text['zh-CN']].length > 40).map((s) => `${p.id}/${s.id}`),
    )
    expect(long).toEqual([])
  })

  it('has search keywords in both languages, English ones without Chinese', () => {
    for (const p of SHIPPED_PLAYBOOKS) {
      expect(p.keywords['zh-CN'].length, p.id).toBeGreaterThanOrEqual(3)
      expect(p.keywords.en.length, p.id).toBeGreaterThanOrEqual(3)
      for (const k of p.keywords.en) expect(k).not.toMatch(CJK_ANY)
    }
  })

  it('lists exactly the roles its steps name, or a few it informs', () => {
    for (const p of SHIPPED_PLAYBOOKS) {
      for (const s of p.steps) expect(p.roles, `${p.id}/${s.id}`).toContain(s.role)
    }
  })

  it('refers only to contacts of the default contact list', () => {
    const ids = new Set(DEFAULT_CONTACTS.map((c) => c.id))
    const missing = SHIPPED_PLAYBOOKS.flatMap((p) =>
      p.steps.filter((s) => s.contactId !== undefined && !ids.has(s.contactId)).map((s) => `${p.id}/${s.id}`),
    )
    expect(missing).toEqual([])
  })

  it('names the emergency number on the steps that call it', () => {
    const calls = (id: string, contactId: string) => playbook(id).steps.some((s) => s.contactId === contactId)
    for (const id of ['H3', 'H5', 'H6']) expect(calls(id, 'police'), id).toBe(true)
    for (const id of ['H4', 'C5']) expect(calls(id, 'fire'), id).toBe(true)
    for (const id of ['H7', 'H8']) expect(calls(id, 'ambulance'), id).toBe(true)
    expect(calls('H2', 'it-partner')).toBe(true)
    expect(calls('C2', 'system-vendor')).toBe(true)
    expect(calls('C2', 'ops-specialist')).toBe(true)
    expect(calls('C4', 'ac-repair')).toBe(true)
    // Every step whose text dials a number carries the contact, so the tap-to-call link is there.
    const numbers = { '110': 'police', '119': 'fire', '120': 'ambulance' } as const
    for (const p of SHIPPED_PLAYBOOKS) {
      for (const s of p.steps) {
        for (const [number, contactId] of Object.entries(numbers)) {
          if (s.text['zh-CN'].includes(`拨打${number}`)) expect(s.contactId, `${p.id}/${s.id}`).toBe(contactId)
        }
      }
    }
  })

  it('keeps every deadline of the source, and invents none', () => {
    const withClocks = SHIPPED_PLAYBOOKS.filter((p) => deadlines(p).length > 0).map((p) => p.id)
    expect(withClocks).toEqual(['C2', 'C6', 'C8'])

    const c2 = deadlines(playbook('C2'))
    const c2ByStep = Object.fromEntries(c2.map((d) => [d.owner, d.deadline]))
    expect(c2.map((d) => d.deadline.minutes).sort((a, b) => a - b)).toEqual([5, 10, 10, 60])
    expect(c2ByStep['report-supervisor']).toMatchObject({ minutes: 5, kind: 'within', from: { type: 'incidentStart' } })
    expect(playbook('C2').steps.find((s) => s.id === 'report-supervisor')).toMatchObject({
      role: 'shiftLeader',
      contactId: 'call-center-supervisor',
    })
    for (const [step, contactId] of [
      ['notify-operations-supervisor', 'operations-supervisor'],
      ['notify-center-manager', 'center-manager'],
    ] as const) {
      expect(c2ByStep[step]).toMatchObject({ minutes: 10, kind: 'escalateAfter', from: { type: 'incidentStart' } })
      expect(playbook('C2').steps.find((s) => s.id === step)).toMatchObject({ role: 'opsSpecialist', contactId })
    }
    expect(c2ByStep['consider-vendor']).toMatchObject({ minutes: 60, kind: 'escalateAfter', from: { type: 'incidentStart' } })

    const c6 = deadlines(playbook('C6'))
    expect(c6).toEqual([
      { owner: 'assess-answer-rate', deadline: expect.objectContaining({ minutes: 10, kind: 'within' }) },
    ])

    const c8 = playbook('C8')
    expect(deadlines(c8).filter((d) => d.owner.startsWith('level-')).length).toBe(2)
    expect((c8.levels ?? []).map((l) => [l.id, l.level, l.deadline?.minutes, l.deadline?.from])).toEqual([
      ['level-1', 1, undefined, undefined],
      ['level-2', 2, 30, { type: 'level', levelId: 'level-1' }],
      ['level-3', 3, 30, { type: 'level', levelId: 'level-2' }],
    ])
    // Each level has the step that carries it out.
    for (const l of c8.levels ?? []) expect(c8.steps.some((s) => s.levelId === l.id), l.id).toBe(true)
  })

  it('branches where the source branches', () => {
    const variants = (id: string) => (playbook(id).variants ?? []).map((v) => v.id)
    expect(variants('H3')).toEqual(['firearm', 'explosive', 'tear-gas'])
    expect(variants('H9')).toEqual(['customer-reports', 'hall-finds', 'vehicle'])
    expect(variants('C3')).toEqual(['mains', 'internal-line'])
    expect(variants('C5')).toEqual(['fire', 'theft'])
    for (const p of SHIPPED_PLAYBOOKS) {
      if (!['H3', 'H9', 'C3', 'C5'].includes(p.id)) expect(p.variants, p.id).toBeUndefined()
    }
  })

  it('asks for the records of the source', () => {
    const records = (id: string) => playbook(id).records
    expect(new Set(records('C2'))).toEqual(
      new Set(['faultRecord', 'callRecord', 'agentLog', 'shiftLeaderLog', 'callbackList', 'incidentReport']),
    )
    expect(records('H2')).toContain('callbackList')
    for (const id of ['H4', 'C5']) expect(records(id), id).toContain('rollCall')
    for (const id of ['H9']) expect(records(id)).toEqual(expect.arrayContaining(['lostAndFound', 'cctvNote']))
    for (const id of ['H10', 'C9']) expect(records(id), id).toContain('mediaContact')
    for (const id of ['H5', 'H6', 'H7', 'H8']) expect(records(id), id).toContain('cctvNote')
    for (const id of ['C1', 'C7']) expect(records(id), id).toEqual(expect.arrayContaining(['incidentReport']))
    expect(records('C7')).toContain('callRecord')
    // C1: the fault's start and recovery, which the fault record writes into the shift leader log,
    // are recorded from the step that asks for them
    expect(records('C1')).toEqual(expect.arrayContaining(['faultRecord', 'shiftLeaderLog']))
    expect(playbook('C1').steps.find((s) => s.id === 'log-times')?.records).toEqual(['faultRecord', 'shiftLeaderLog'])
    for (const p of SHIPPED_PLAYBOOKS) expect(p.records, p.id).toContain('incidentReport')
    // Every form a plan declares is opened from at least one step, or is the incident report.
    for (const p of SHIPPED_PLAYBOOKS) {
      const opened = new Set(p.steps.flatMap((s) => s.records ?? []))
      for (const r of p.records) if (r !== 'incidentReport') expect(opened.has(r), `${p.id} ${r}`).toBe(true)
    }
    // The lost-and-found register is opened where two staff count the item and where it is returned.
    const h9 = playbook('H9').steps
    for (const id of ['count-and-record', 'verify-and-return']) {
      expect(h9.find((s) => s.id === id)?.records).toContain('lostAndFound')
    }
  })

  it('ends every hall plan with the report to the leadership group and the after-action review', () => {
    for (const p of SHIPPED_PLAYBOOKS.filter((x) => x.category === 'serviceHall')) {
      expect(p.steps.slice(-2).map((s) => s.id), p.id).toEqual(['report-leadership', 'after-action-review'])
    }
  })
})

describe('default contacts', () => {
  it('all validate, with unique ids and fixed emergency numbers', () => {
    for (const c of DEFAULT_CONTACTS) expect(ContactSchema.parse(c)).toEqual(c)
    expect(new Set(DEFAULT_CONTACTS.map((c) => c.id)).size).toBe(DEFAULT_CONTACTS.length)
    const phone = (id: string) => DEFAULT_CONTACTS.find((c) => c.id === id)?.phone
    expect([phone('police'), phone('fire'), phone('ambulance')]).toEqual(['110', '119', '120'])
  })

  it('holds the leadership group, the ops and IT people and the vendor', () => {
    const group = Object.fromEntries(DEFAULT_CONTACTS.filter((c) => c.leadershipGroup).map((c) => [c.id, c.leadershipGroup]))
    expect(group).toMatchObject({ 'general-manager': 'leader', 'center-manager': 'deputy', 'call-center-supervisor': 'member' })
    for (const id of ['ops-specialist', 'operations-supervisor', 'it-partner', 'system-vendor', 'ac-repair', 'security-supervision-manager']) {
      expect(DEFAULT_CONTACTS.some((c) => c.id === id), id).toBe(true)
    }
  })

  it('has clean texts in both languages; only phones may be empty, and only for the center to fill in', () => {
    for (const t of localizedTexts(DEFAULT_CONTACTS)) {
      expect(t.zh, t.path).toMatch(HAN)
      expect(t.en, t.path).not.toMatch(CJK_ANY)
    }
    const blank = strings(DEFAULT_CONTACTS).filter((s) => s.value.trim() === '' && !s.path.endsWith('.phone'))
    expect(blank).toEqual([])
  })

  it('refuses an emergency contact without a number', () => {
    const police = DEFAULT_CONTACTS.find((c) => c.id === 'police')
    expect(ContactSchema.safeParse({ ...police, phone: '' }).success).toBe(false)
    expect(ContactSchema.safeParse({ ...police, phone: 'call me' }).success).toBe(false)
  })
})

describe('labels', () => {
  it('name every role and form in both languages', () => {
    for (const t of localizedTexts([ROLE_LABELS, RECORD_FORM_LABELS])) {
      for (const locale of LOCALES) expect(locale === 'en' ? t.en : t.zh, t.path).not.toBe('')
      expect(t.zh, t.path).toMatch(HAN)
      expect(t.en, t.path).not.toMatch(CJK_ANY)
    }
  })
})

describe('PlaybookSchema refuses', () => {
  it('nothing wrong in the sample', () => {
    expect(issueMessages(sample())).toEqual([])
  })

  it('a duplicate step id', () => {
    const p = sample()
    const first = p.steps[0]
    if (!first) throw new Error('sample has steps')
    p.steps.push({ ...first })
    expect(issueMessages(p)).toContain('duplicate_step_id')
  })

  it('a deadline counting from a missing step', () => {
    const p = sample()
    const step = p.steps[1]
    if (!step?.deadline) throw new Error('sample has a deadline')
    step.deadline.from = { type: 'step', stepId: 'no-such-step' }
    expect(issueMessages(p)).toContain('unknown_step')
  })

  it('a deadline counting from a missing level', () => {
    const p = sample()
    const step = p.steps[1]
    if (!step?.deadline) throw new Error('sample has a deadline')
    step.deadline.from = { type: 'level', levelId: 'level-9' }
    expect(issueMessages(p)).toContain('unknown_level')
  })

  it('deadlines that count from each other', () => {
    const p = sample()
    const first = p.steps[0]
    if (!first) throw new Error('sample has steps')
    first.deadline = {
      minutes: 5,
      from: { type: 'step', stepId: 'call-back' },
      kind: 'within',
      label: { 'zh-CN': '5分钟内', en: 'Within 5 min' },
    }
    expect(issueMessages(p)).toContain('deadline_cycle')
  })

  it('an empty or blank English title, or a blank Chinese one', () => {
    expect(PlaybookSchema.safeParse({ ...sample(), title: { 'zh-CN': '投诉升级', en: '' } }).success).toBe(false)
    expect(PlaybookSchema.safeParse({ ...sample(), title: { 'zh-CN': '投诉升级', en: '   ' } }).success).toBe(false)
    expect(PlaybookSchema.safeParse({ ...sample(), title: { 'zh-CN': ' ', en: 'Complaint escalation' } }).success).toBe(false)
    expect(PlaybookSchema.safeParse({ ...sample(), title: { 'zh-CN': '投诉升级' } }).success).toBe(false)
  })

  it('a step in a variant the plan does not have', () => {
    const p: PlaybookInput = {
      ...sample(),
      variants: [
        { id: 'a', title: { 'zh-CN': '甲', en: 'A' } },
        { id: 'b', title: { 'zh-CN': '乙', en: 'B' } },
      ],
    }
    p.steps = p.steps.map((s, i) => ({ ...s, variantIds: [i === 0 ? 'a' : 'c'] }))
    const messages = issueMessages(p)
    expect(messages).toContain('unknown_variant')
    expect(messages).toContain('variant_without_steps')
  })

  it('a step whose role, or a form it opens, the plan does not list', () => {
    const p = sample()
    p.steps.push({ id: 'extra', text: { 'zh-CN': '记录', en: 'Record it' }, role: 'opsSpecialist', records: ['faultRecord'] })
    const messages = issueMessages(p)
    expect(messages).toContain('role_not_listed')
    expect(messages).toContain('record_not_listed')
  })

  it('levels out of order or chained backwards', () => {
    const level = (id: string, n: number, from?: string) => ({
      id,
      level: n,
      title: { 'zh-CN': `${n}级`, en: `Level ${n}` },
      text: { 'zh-CN': '处理', en: 'Act' },
      ...(from
        ? {
            deadline: {
              minutes: 30,
              from: { type: 'level' as const, levelId: from },
              kind: 'escalateAfter' as const,
              label: { 'zh-CN': '30分钟', en: '30 min' },
            },
          }
        : {}),
    })
    expect(issueMessages({ ...sample(), levels: [level('one', 1), level('two', 2, 'one')] })).toEqual([])
    expect(issueMessages({ ...sample(), levels: [level('one', 1), level('two', 3, 'one')] })).toContain(
      'levels_must_be_numbered_in_order',
    )
    expect(issueMessages({ ...sample(), levels: [level('one', 1, 'two'), level('two', 2, 'one')] })).toContain(
      'level_anchor_must_be_earlier',
    )
  })

  it('a bad id, a zero version and a step that is no kebab id', () => {
    expect(PlaybookSchema.safeParse({ ...sample(), id: 'Complaint Escalation' }).success).toBe(false)
    expect(PlaybookSchema.safeParse({ ...sample(), version: 0 }).success).toBe(false)
    const p = sample()
    const first = p.steps[0]
    if (!first) throw new Error('sample has steps')
    first.id = 'Report Step'
    expect(PlaybookSchema.safeParse(p).success).toBe(false)
  })
})
