import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import PlaybookEditorPage from '../../src/client/pages/PlaybookEditorPage.vue'
import ContactsPage from '../../src/client/pages/ContactsPage.vue'
import { createAppI18n } from '../../src/client/i18n'
import allEn from '../../src/client/locales/all.en'

/** English, as the app loads it on demand. */
const english = allEn as unknown as Parameters<typeof createAppI18n>[1]
import { routes } from '../../src/client/router'
import { db } from '../../src/client/db/db'
import { useOperatorStore } from '../../src/client/stores/operator'
import { usePlaybooksStore } from '../../src/client/stores/playbooks'
import { issueKey, issuesByPath } from '../../src/client/composables/editor-issues'
import { ContactSchema, PlaybookSchema } from '../../src/shared/playbook'
import { SHIPPED_PLAYBOOKS } from '../../src/shared/playbooks'
import zhCN from '../../src/client/locales/playbooks-editor.zh-CN'
import { signedInPerson, enrollTablet } from './builders'

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
  return { router, list: [router, createAppI18n(locale, locale === 'en' ? english : undefined)] }
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

  it('has a message in both languages for every key it can give', () => {
    const keys = Object.keys(zhCN.editor.issues)
    for (const key of ['required', 'tooLong', 'tooFew', 'badId', 'badPlaybookId', 'badPhone', 'badNumber', 'invalid', 'idTaken']) {
      expect(keys).toContain(key)
    }
    expect(issueKey({ code: 'custom', path: [], message: 'something new', input: undefined })).toBe('invalid')
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
