import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import PlaybookEditorPage from '../../src/client/pages/PlaybookEditorPage.vue'
import ContactsPage from '../../src/client/pages/ContactsPage.vue'
import { createTestI18n } from './i18n-helper'
import { routes } from '../../src/client/router'
import { db } from '../../src/client/db/db'
import { useOperatorStore } from '../../src/client/stores/operator'
import { usePlaybooksStore } from '../../src/client/stores/playbooks'
import { CUSTOM_ISSUE_CODES, issueKey, issuesByPath } from '../../src/client/composables/editor-issues'
import { draftToInput, freeId, levelUsers, variantUsers } from '../../src/client/composables/playbook-draft'
import { ContactSchema, PlaybookSchema, type Playbook } from '../../src/shared/playbook'
import { SHIPPED_PLAYBOOKS } from '../../src/shared/playbooks'
import zhCN from '../../src/client/locales/playbooks-editor.zh-CN'
import editorEn from '../../src/client/locales/playbooks-editor.en'
import { signedInPerson, enrollTablet } from './builders'

const local = (text: { 'zh-CN': string }) => text['zh-CN']

beforeEach(async () => {
  await db.delete()
  await db.open()
  await enrollTablet(db)
  await signedInPerson(db, { name: '一号台' })
  setActivePinia(createPinia())
  // the signed-in supervisor is read from the local store before the pages are opened
  await vi.waitFor(() => expect(useOperatorStore().person?.role).toBe('supervisor'))
  // what the router's guard waits for before it opens an editor
  await usePlaybooksStore().loaded
})

function plugins(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const router = createRouter({ history: createMemoryHistory(), routes })
  return { router, list: [router, createTestI18n(locale)] }
}

describe('editor validation mapping', () => {
  it("maps the schema's issues to message keys by field", () => {
    const p = structuredClone(SHIPPED_PLAYBOOKS.find((x) => x.id === 'C2')!)
    p.steps[0]!.text.en = '  '
    p.steps[1]!.id = p.steps[0]!.id
    p.steps[2]!.deadline = { minutes: 0, kind: 'within', from: { type: 'step', stepId: 'nope' }, label: { 'zh-CN': 'x', en: 'x' } }
    p.id = 'Bad Id'
    const r = PlaybookSchema.safeParse(p)
    const byPath = issuesByPath(r.error)
    expect(byPath.get('id')).toEqual(['badPlaybookId'])
    expect(byPath.get('steps.0.text.en')).toEqual(['required'])
    expect(byPath.get('steps.1.id')).toEqual(['duplicate_step_id'])
    expect(byPath.get('steps.2.deadline.minutes')).toEqual(['badNumber'])
    expect(byPath.get('steps.2.deadline.from.stepId')).toEqual(['unknown_step'])
    const phone = ContactSchema.safeParse({ id: 'police', name: { 'zh-CN': '公安', en: 'Police' }, title: { 'zh-CN': 'x', en: 'x' }, phone: '', kind: 'emergency' })
    expect(issuesByPath(phone.error).get('phone')).toEqual(['emergency_phone_required'])
    const letters = ContactSchema.safeParse({ id: 'x', name: { 'zh-CN': 'a', en: 'a' }, title: { 'zh-CN': 'x', en: 'x' }, phone: 'abc', kind: 'internal' })
    expect(issuesByPath(letters.error).get('phone')).toEqual(['badPhone'])
  })

  it('maps the issues of variants, levels and their uses to message keys', () => {
    const c8 = structuredClone(SHIPPED_PLAYBOOKS.find((x) => x.id === 'C8')!)
    c8.levels![1]!.deadline!.from = { type: 'level', levelId: 'level-3' }
    c8.steps[0]!.levelId = 'level-9'
    c8.levels = c8.levels!.slice(0, 2)
    const levels = issuesByPath(PlaybookSchema.safeParse(c8).error)
    expect(levels.get('levels.1.deadline.from.levelId')).toEqual(['unknown_level'])
    expect(levels.get('steps.0.levelId')).toEqual(['unknown_level'])

    const h3 = structuredClone(SHIPPED_PLAYBOOKS.find((x) => x.id === 'H3')!)
    h3.steps[0]!.variantIds = ['nope']
    h3.steps[1]!.variantIds = []
    const variants = issuesByPath(PlaybookSchema.safeParse(h3).error)
    expect(variants.get('steps.0.variantIds')).toEqual(['unknown_variant'])
    expect(variants.get('steps.1.variantIds')).toEqual(['tooFew'])
    h3.variants = h3.variants!.slice(0, 1)
    expect(issuesByPath(PlaybookSchema.safeParse(h3).error).get('variants')).toEqual(['tooFewTwo'])
  })

  it('has a message in both languages for every key it can give', () => {
    const keys = Object.keys(zhCN.editor.issues)
    for (const key of ['required', 'tooLong', 'tooFew', 'tooFewTwo', 'badId', 'badPlaybookId', 'badPhone', 'badNumber', 'invalid', 'idTaken', ...CUSTOM_ISSUE_CODES]) {
      expect(keys).toContain(key)
    }
    expect(Object.keys(editorEn.editor.issues).sort()).toEqual([...keys].sort())
    expect(issueKey({ code: 'custom', path: [], message: 'something new', input: undefined })).toBe('invalid')
  })
})

/** A draft as the editor holds it, with the parts a test is about. */
function draft(overrides: Partial<Playbook> = {}): Playbook {
  const text = (zh: string, en = zh) => ({ 'zh-CN': zh, en })
  return {
    id: 'abnormal-calls', version: 1, category: 'callCenter', title: text('异常来电', 'Abnormal calls'),
    summary: text('x'), trigger: text('x'), keywords: { 'zh-CN': [], en: [] }, roles: ['agent'],
    steps: [{ id: 'step-1', text: text('a'), role: 'agent' }], records: [],
    ...overrides,
  }
}

describe('editor draft', () => {
  const text = (zh: string) => ({ 'zh-CN': zh, en: zh })

  it('finds what uses a variant or a level', () => {
    const d = draft({
      levels: [{ id: 'level-1', level: 1, title: text('一级'), text: text('x') }, {
        id: 'level-2', level: 2, title: text('二级'), text: text('x'),
        deadline: { minutes: 30, kind: 'escalateAfter', from: { type: 'level', levelId: 'level-1' }, label: text('x') },
      }],
      steps: [
        { id: 'a', text: text('a'), role: 'agent', variantIds: ['v1', 'v2'], levelId: 'level-2' },
        { id: 'b', text: text('b'), role: 'agent', variantIds: ['v2'] },
        { id: 'c', text: text('c'), role: 'agent', deadline: { minutes: 5, kind: 'within', from: { type: 'level', levelId: 'level-1' }, label: text('x') } },
      ],
    })
    expect(variantUsers(d.steps, 'v1')).toEqual([0])
    expect(variantUsers(d.steps, 'v2')).toEqual([0, 1])
    expect(levelUsers(d, 'level-1')).toEqual({ steps: [2], levels: [1] })
    expect(levelUsers(d, 'level-2')).toEqual({ steps: [0], levels: [] })
    expect(freeId('variant', ['variant-1', 'variant-3', 'variant-2'], 1)).toBe('variant-4')
  })

  it('saves levels numbered in order and drops only empty optional fields', () => {
    const input = draftToInput(
      draft({
        variants: [{ id: 'v1', title: text('甲'), description: text('') }, { id: 'v2', title: text('乙') }],
        levels: [{ id: 'b', level: 2, title: text('一级'), text: text('x') }, { id: 'a', level: 1, title: text('二级'), text: text('x') }],
        preparedness: [],
        steps: [
          { id: 's1', text: text('a'), role: 'shiftLeader', variantIds: ['v1'], records: [], detail: text(' '), levelId: '' },
          { id: 's2', text: text('b'), role: 'agent', variantIds: [], records: ['callRecord'] },
        ],
      }),
      { 'zh-CN': '异常，骚扰、 恶意', en: 'abnormal, , nuisance' },
    )
    expect(input.levels?.map((l) => l.level)).toEqual([1, 2])
    expect(input.variants?.[0]).not.toHaveProperty('description')
    expect(input).not.toHaveProperty('preparedness')
    expect(input.steps[0]).toEqual({ id: 's1', text: text('a'), role: 'shiftLeader', variantIds: ['v1'] })
    // an empty choice of variants is kept, for the schema to refuse: absent would mean "all"
    expect(input.steps[1]!.variantIds).toEqual([])
    expect(input.records).toEqual(['callRecord'])
    expect(input.roles).toEqual(['agent', 'shiftLeader'])
    expect(input.keywords).toEqual({ 'zh-CN': ['异常', '骚扰', '恶意'], en: ['abnormal', 'nuisance'] })
  })
})

describe('playbook editor', () => {
  it('adds a step, shows an empty English text next to its field, and saves only when valid', async () => {
    const { router, list } = plugins('en')
    await router.push('/playbooks/C4/edit')
    const c4 = usePlaybooksStore().byId('C4')!
    const wrapper = mount(PlaybookEditorPage, { props: { id: 'C4' }, global: { plugins: list } })
    const save = () => wrapper.find('[data-testid="save-playbook"]')
    expect(save().attributes('disabled')).toBeUndefined()
    expect(save().text()).toContain('version 2')

    await wrapper.find('[data-testid="add-step"]').trigger('click')
    const n = c4.steps.length
    const added = wrapper.find(`[data-testid="edit-step-${n}"]`)
    expect(added.exists()).toBe(true)
    // both texts empty: not savable, and the problem shows under the English field in English
    expect(save().attributes('disabled')).toBeDefined()
    await added.find(`textarea[name="steps.${n}.text.zh-CN"]`).setValue('通知值班经理')
    const issue = wrapper.find(`[data-testid="issue-steps.${n}.text.en"]`)
    expect(issue.text()).toContain('Must not be empty')
    expect(save().attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-testid="invalid-count"]').text()).toContain('1 things')

    await added.find(`textarea[name="steps.${n}.text.en"]`).setValue('Tell the duty manager')
    expect(wrapper.find(`[data-testid="issue-steps.${n}.text.en"]`).exists()).toBe(false)
    expect(save().attributes('disabled')).toBeUndefined()

    // move it up one place, then preview shows it in that place
    await added.find('[data-testid="move-up"]').trigger('click')
    await wrapper.find('[data-testid="tab-preview"]').trigger('click')
    const items = wrapper.findAll('[data-testid="playbook-preview"] .steps-preview li')
    expect(items).toHaveLength(n + 1)
    expect(items[n - 1]!.text()).toContain('Tell the duty manager')

    await save().trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(usePlaybooksStore().byId('C4')?.version).toBe(2))
    expect(usePlaybooksStore().byId('C4')?.steps[n - 1]?.text.en).toBe('Tell the duty manager')
    expect(usePlaybooksStore().byIdVersion('C4', 1)?.steps).toHaveLength(n)
    expect(await db.outbox.count()).toBe(1)
  })

  it('shows a schema rule in Chinese: a deadline counting from a removed step', async () => {
    const { list } = plugins('zh-CN')
    const wrapper = mount(PlaybookEditorPage, { props: { id: 'C4' }, global: { plugins: list } })
    const c4 = usePlaybooksStore().byId('C4')!
    const first = wrapper.find('[data-testid="edit-step-0"]')
    await first.find('[data-testid="has-deadline"]').setValue(true)
    await first.find('select[name="steps.0.deadline.from"]').setValue(`step:${c4.steps[1]!.id}`)
    await first.find('input[name="steps.0.deadline.label.zh-CN"]').setValue('10分钟内')
    await first.find('input[name="steps.0.deadline.label.en"]').setValue('Within 10 min')
    expect(wrapper.find('[data-testid="save-playbook"]').attributes('disabled')).toBeUndefined()
    await wrapper.find('[data-testid="edit-step-1"] [data-testid="remove-step"]').trigger('click')
    expect(wrapper.find('[data-testid="issue-steps.0.deadline.from.stepId"]').text()).toContain('所选步骤不存在')
    expect(wrapper.find('[data-testid="save-playbook"]').attributes('disabled')).toBeDefined()
  })

  it('creates a new plan the center writes itself', async () => {
    const { list } = plugins('zh-CN')
    const wrapper = mount(PlaybookEditorPage, { props: {}, global: { plugins: list } })
    await wrapper.find('input[name="id"]').setValue('C4')
    expect(wrapper.text()).toContain('已有相同编号的预案')
    await wrapper.find('input[name="id"]').setValue('complaint-escalation')
    for (const [name, value] of [
      ['title.zh-CN', '投诉升级'], ['title.en', 'Complaint escalation'],
    ] as const) await wrapper.find(`input[name="${name}"]`).setValue(value)
    for (const [name, value] of [
      ['summary.zh-CN', '客户投诉升级时的处理'], ['summary.en', 'When a complaint escalates'],
      ['trigger.zh-CN', '客户要求升级投诉'], ['trigger.en', 'A customer asks to escalate'],
      ['steps.0.text.zh-CN', '报告值班组长'], ['steps.0.text.en', 'Tell the shift leader'],
    ] as const) await wrapper.find(`textarea[name="${name}"]`).setValue(value)
    expect(wrapper.find('[data-testid="save-playbook"]').attributes('disabled')).toBeUndefined()
    await wrapper.find('[data-testid="save-playbook"]').trigger('click')
    await vi.waitFor(() => expect(usePlaybooksStore().byId('complaint-escalation')?.version).toBe(1))
    expect(usePlaybooksStore().playbooks).toHaveLength(20)
  })
})

describe('playbook editor: variants and levels', () => {
  it('builds a new plan with two variants, two levels and steps in each, and saves it', async () => {
    const { list } = plugins('zh-CN')
    const wrapper = mount(PlaybookEditorPage, { props: {}, global: { plugins: list } })
    const fill = async (selector: string, value: string) => {
      const el = wrapper.find(selector)
      expect(el.exists(), selector).toBe(true)
      await el.setValue(value)
    }
    const both = async (path: string, zh: string, en: string, tag = 'input') => {
      await fill(`${tag}[name="${path}.zh-CN"]`, zh)
      await fill(`${tag}[name="${path}.en"]`, en)
    }
    await fill('input[name="id"]', 'abnormal-calls')
    await both('title', '异常来电', 'Abnormal calls')
    await both('summary', '恶意或骚扰来电的处理', 'Handling malicious or nuisance calls', 'textarea')
    await both('trigger', '来电者辱骂、威胁或反复骚扰', 'A caller abuses, threatens or keeps calling', 'textarea')
    await fill('input[name="keywords.zh-CN"]', '骚扰，威胁')
    await fill('input[name="keywords.en"]', 'nuisance, threat')

    // two variants
    await wrapper.find('[data-testid="add-variant"]').trigger('click')
    expect(wrapper.find('[data-testid="issue-variants"]').text()).toContain('至少需要两项')
    await wrapper.find('[data-testid="add-variant"]').trigger('click')
    await both('variants.0.title', '辱骂骚扰', 'Abuse or nuisance')
    await both('variants.1.title', '威胁安全', 'Threats to safety')
    await both('variants.1.description', '来电者威胁人身或设施安全时选此项', 'Choose this when the caller threatens people or the building')
    // a variant nobody follows yet says so
    expect(wrapper.find('[data-testid="issue-variants.1"]').text()).toContain('还没有步骤')

    // two levels; level 2 starts 30 min after level 1
    await wrapper.find('[data-testid="add-level"]').trigger('click')
    await wrapper.find('[data-testid="add-level"]').trigger('click')
    await both('levels.0.title', '一级处置', 'Level 1')
    await both('levels.0.text', '座席员按话术处理', 'The agent follows the script', 'textarea')
    await both('levels.1.title', '二级处置', 'Level 2')
    await both('levels.1.text', '组长接手并报告主管', 'The shift leader takes over and tells the supervisor', 'textarea')
    await wrapper.find('[data-testid="edit-level-1"] [data-testid="level-has-deadline"]').setValue(true)
    expect((wrapper.find('select[name="levels.1.deadline.from"]').element as HTMLSelectElement).value).toBe('level:level-1')
    expect((wrapper.find('input[name="levels.1.deadline.minutes"]').element as HTMLInputElement).value).toBe('30')
    await both('levels.1.deadline.label', '一级处置30分钟后仍未解决', 'Not resolved 30 min after level 1')

    // step 1: first variant, level 1, detail, a form, critical
    const first = wrapper.find('[data-testid="edit-step-0"]')
    await both('steps.0.text', '按话术提醒来电者文明通话', 'Ask the caller to keep it civil, as the script says', 'textarea')
    await both('steps.0.detail', '仍不改正可礼貌结束通话。', 'If it goes on, end the call politely.', 'textarea')
    await first.find('[data-testid="some-variants"]').setValue(true)
    expect(wrapper.find('[data-testid="issue-steps.0.variantIds"]').text()).toContain('至少需要一项')
    await first.find('input[name="steps.0.variantIds.variant-1"]').setValue(true)
    await first.find('select[name="steps.0.role"]').setValue('agent')
    await first.find('select[name="steps.0.levelId"]').setValue('level-1')
    await first.find('input[name="steps.0.records.callRecord"]').setValue(true)

    // step 2: second variant, level 2, a clock from level 2's start, critical
    await wrapper.find('[data-testid="add-step"]').trigger('click')
    const second = wrapper.find('[data-testid="edit-step-1"]')
    await both('steps.1.text', '报告主管并保存录音', 'Tell the supervisor and keep the recording', 'textarea')
    await second.find('input[name="steps.1.variantIds.variant-2"]').setValue(true)
    await second.find('select[name="steps.1.levelId"]').setValue('level-2')
    await second.find('input[name="steps.1.critical"]').setValue(true)
    await second.find('[data-testid="has-deadline"]').setValue(true)
    await second.find('select[name="steps.1.deadline.from"]').setValue('level:level-2')
    await second.find('input[name="steps.1.deadline.minutes"]').setValue(10)
    await both('steps.1.deadline.label', '10分钟内报告', 'Report within 10 min')

    // the plan: one more form, a role it informs, preparedness
    await wrapper.find('input[name="records.incidentReport"]').setValue(true)
    expect((wrapper.find('input[name="records.callRecord"]').element as HTMLInputElement).disabled).toBe(true)
    await wrapper.find('input[name="roles.centerManager"]').setValue(true)
    await wrapper.find('[data-testid="add-preparedness"]').trigger('click')
    await both('preparedness.0', '每位座席员熟悉异常来电话术', 'Every agent knows the script for abnormal calls', 'textarea')

    expect(wrapper.find('[data-testid="invalid-count"]').exists()).toBe(false)

    // the preview shows the start screen's choice and the level clock
    await wrapper.find('[data-testid="tab-preview"]').trigger('click')
    const preview = wrapper.find('[data-testid="playbook-preview"]')
    const tiles = preview.findAll('[data-testid^="preview-variant-"]').map((tile) => tile.text())
    expect(tiles).toHaveLength(2)
    expect(tiles[0]).toBe('辱骂骚扰')
    expect(tiles[1]).toContain('来电者威胁人身或设施安全时选此项')
    expect(preview.find('[data-testid="preview-level-level-2"]').text()).toContain('自一级处置启动起 30 分钟后仍未解决则升级')
    await wrapper.find('[data-testid="tab-edit"]').trigger('click')

    await wrapper.find('[data-testid="save-playbook"]').trigger('click')
    await vi.waitFor(() => expect(usePlaybooksStore().byId('abnormal-calls')?.version).toBe(1))
    const records = (await db.records.toArray()).filter((r) => r.kind === 'playbook')
    const saved = PlaybookSchema.parse(records.find((r) => r.data.id === 'abnormal-calls')!.data)
    expect(saved.variants?.map((v) => [v.id, v.title.en])).toEqual([['variant-1', 'Abuse or nuisance'], ['variant-2', 'Threats to safety']])
    expect(saved.variants?.[1]?.description?.en).toContain('threatens')
    expect(saved.levels?.map((l) => [l.id, l.level])).toEqual([['level-1', 1], ['level-2', 2]])
    expect(saved.levels?.[0]).not.toHaveProperty('deadline')
    expect(saved.levels?.[1]?.deadline).toMatchObject({ minutes: 30, kind: 'escalateAfter', from: { type: 'level', levelId: 'level-1' } })
    expect(saved.steps).toMatchObject([
      { variantIds: ['variant-1'], levelId: 'level-1', role: 'agent', records: ['callRecord'], detail: { en: 'If it goes on, end the call politely.' } },
      { variantIds: ['variant-2'], levelId: 'level-2', critical: true, deadline: { minutes: 10, kind: 'within', from: { type: 'level', levelId: 'level-2' } } },
    ])
    expect(saved.steps[0]).not.toHaveProperty('critical')
    expect(saved.records).toEqual(['incidentReport', 'callRecord'])
    expect(saved.roles).toEqual(expect.arrayContaining(['agent', 'shiftLeader', 'centerManager']))
    expect(saved.preparedness).toEqual([{ 'zh-CN': '每位座席员熟悉异常来电话术', en: 'Every agent knows the script for abnormal calls' }])
    expect(saved.keywords).toEqual({ 'zh-CN': ['骚扰', '威胁'], en: ['nuisance', 'threat'] })
  })

  it('refuses to remove a variant that steps use, in Chinese, and removes it once they do not', async () => {
    const { list } = plugins('zh-CN')
    const wrapper = mount(PlaybookEditorPage, { props: { id: 'H3' }, global: { plugins: list } })
    const h3 = usePlaybooksStore().byId('H3')!
    const firearmSteps = h3.steps.flatMap((s, i) => (s.variantIds?.includes('firearm') ? [i] : []))
    expect(firearmSteps.length).toBeGreaterThan(0)
    const variants = () => wrapper.findAll('[data-testid^="edit-variant-"]')
    expect(variants()).toHaveLength(3)

    await wrapper.find('[data-testid="edit-variant-0"] [data-testid="remove-variant"]').trigger('click')
    expect(variants()).toHaveLength(3)
    const refusal = wrapper.find('[data-testid="edit-variant-0"] [data-testid="remove-refused"]')
    expect(refusal.text()).toContain('不能删除')
    expect(refusal.text()).toContain(`第 ${firearmSteps[0]! + 1} 步`)
    expect(refusal.text()).toContain('请先在这些步骤的“适用情形”中取消勾选')

    // each step of the variant goes to all variants (a choice a person makes step by step)...
    for (const i of firearmSteps) await wrapper.find(`[data-testid="edit-step-${i}"] [data-testid="all-variants"]`).setValue(true)
    expect(wrapper.find('[data-testid="remove-refused"]').exists()).toBe(false)
    // ...then the variant goes, and the other two stay
    await wrapper.find('[data-testid="edit-variant-0"] [data-testid="remove-variant"]').trigger('click')
    expect(variants()).toHaveLength(2)
    expect((wrapper.find('input[name="variants.0.title.zh-CN"]').element as HTMLInputElement).value).toBe(local(h3.variants![1]!.title))
    expect(wrapper.find('[data-testid="save-playbook"]').attributes('disabled')).toBeUndefined()
  })

  it('refuses to remove a level that a step or a later level counts from, and reorders variants', async () => {
    const { list } = plugins('en')
    const wrapper = mount(PlaybookEditorPage, { props: { id: 'C8' }, global: { plugins: list } })
    await wrapper.find('[data-testid="edit-level-0"] [data-testid="remove-level"]').trigger('click')
    expect(wrapper.findAll('[data-testid^="edit-level-"]')).toHaveLength(3)
    expect(wrapper.find('[data-testid="edit-level-0"] [data-testid="remove-refused"]').text()).toContain('Level 2 support')

    const h9 = mount(PlaybookEditorPage, { props: { id: 'H9' }, global: { plugins: list } })
    const titles = () => h9.findAll('input[name$=".title.en"]').filter((i) => /^variants\./.test(i.attributes('name')!)).map((i) => (i.element as HTMLInputElement).value)
    const before = titles()
    await h9.find('[data-testid="edit-variant-0"] [data-testid="move-variant-down"]').trigger('click')
    expect(titles()).toEqual([before[1], before[0], ...before.slice(2)])
    await h9.find('[data-testid="tab-preview"]').trigger('click')
    expect(h9.findAll('[data-testid^="preview-variant-"]').map((tile) => tile.text())[0]).toBe(before[1])
  })

  it("shows a level's start deadline in the preview", async () => {
    const { list } = plugins('zh-CN')
    const wrapper = mount(PlaybookEditorPage, { props: { id: 'C8' }, global: { plugins: list } })
    await wrapper.find('input[name="levels.2.deadline.minutes"]').setValue(45)
    await wrapper.find('[data-testid="tab-preview"]').trigger('click')
    const level2 = wrapper.find('[data-testid="preview-level-level-2"] [data-testid="preview-level-clock"]')
    expect(level2.text()).toContain('一级支持30分钟后仍未控制')
    expect(level2.text()).toContain('自一级支持启动起 30 分钟后仍未解决则升级')
    expect(wrapper.find('[data-testid="preview-level-level-3"]').text()).toContain('自二级支持启动起 45 分钟后')
    expect(wrapper.find('[data-testid="preview-level-level-1"] [data-testid="preview-level-clock"]').exists()).toBe(false)
  })
})

describe('contacts page', () => {
  it('groups the list and saves a changed phone as the next version', async () => {
    const { list } = plugins('zh-CN')
    const wrapper = mount(ContactsPage, { global: { plugins: list } })
    expect(wrapper.find('[data-testid="contacts-emergency"]').text()).toContain('110')
    expect(wrapper.find('[data-testid="contacts-leadership"]').text()).toContain('总经理')
    expect(wrapper.find('[data-testid="contacts-external"]').text()).toContain('系统供应商')
    await wrapper.find('[data-testid="contact-system-vendor"] [data-testid="edit-contact"]').trigger('click')
    const phone = wrapper.find('[data-testid="contact-system-vendor"] input[name="phone"]')
    await phone.setValue('4008 abc')
    expect(wrapper.text()).toContain('电话只能包含数字')
    expect(wrapper.find('[data-testid="save-contact"]').attributes('disabled')).toBeDefined()
    await phone.setValue('400-800-1234')
    await wrapper.find('[data-testid="contact-system-vendor"] form').trigger('submit')
    await vi.waitFor(() => expect(usePlaybooksStore().contact('system-vendor')?.phone).toBe('400-800-1234'))
    expect(usePlaybooksStore().contact('system-vendor')?.version).toBe(2)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="contact-system-vendor"] [data-testid="contact-phone"]').attributes('href')).toBe('tel:400-800-1234'))
  })
})
