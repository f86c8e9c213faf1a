import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import MediaLogPage from '../../src/client/pages/MediaLogPage.vue'
import { createTestI18n } from './i18n-helper'
import { routes } from '../../src/client/router'
import { db } from '../../src/client/db/db'
import { useMediaStore } from '../../src/client/stores/media'
import { DEFAULT_MEDIA_WORDINGS } from '../../src/shared/media'
import hallZhCN from '../../src/client/locales/hall.zh-CN'
import hallEn from '../../src/client/locales/hall.en'
import { enrollTablet, signedInPerson } from './builders'


async function fresh() {
  await db.delete()
  await db.open()
  await enrollTablet(db)
  await signedInPerson(db, { name: '陈柜员', role: 'agent' })
}

async function mountPage() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/hall/media')
  const wrapper = mount(MediaLogPage, { global: { plugins: [pinia, router, createTestI18n('zh-CN')] } })
  await vi.waitFor(() => expect(wrapper.find('[data-testid="media-form"]').exists()).toBe(true))
  return wrapper
}

const drafts = () => db.drafts.where('kind').equals('mediaContact').toArray()

afterEach(() => {
  vi.restoreAllMocks()
})

describe('media log page', () => {
  it('keeps what is typed as a draft across a reload, then saves it with the agreed wording said', async () => {
    await fresh()
    let wrapper = await mountPage()
    await wrapper.find('input[name="outlet"]').setValue('晚报')
    await wrapper.find('textarea[name="asked"]').setValue('昨天营业厅有人吵架吗？')
    await wrapper.find('[data-testid="channel-phone"]').trigger('click')
    await vi.waitFor(async () => expect((await drafts())[0]?.values).toMatchObject({ outlet: '晚报', channel: 'phone', asked: '昨天营业厅有人吵架吗？' }))
    wrapper.unmount()

    // "Reload": a new app on the same database finds the draft and carries on.
    wrapper = await mountPage()
    await vi.waitFor(() => expect((wrapper.find('input[name="outlet"]').element as HTMLInputElement).value).toBe('晚报'))

    // Saving without an answer is refused and says why; the draft stays.
    await wrapper.find('[data-testid="media-save"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="media-response"]').text()).toContain('请选择答复口径'))
    expect(await drafts()).toHaveLength(1)

    await wrapper.findAll('[data-testid="wording-choice"]')[0]!.trigger('click')
    await wrapper.find('[data-testid="add-informed"]').trigger('click')
    await wrapper.find('input[name="informedWho0"]').setValue('中心经理')
    await flushPromises()
    await wrapper.find('[data-testid="media-save"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="media-entry"]')).toHaveLength(1))
    const [record] = await db.records.filter((r) => r.kind === 'mediaContact').toArray()
    expect(record).toMatchObject({
      author: '陈柜员',
      data: {
        outlet: '晚报',
        channel: 'phone',
        response: { type: 'wording', wordingId: DEFAULT_MEDIA_WORDINGS[0]!.id, wordingVersion: 1, text: DEFAULT_MEDIA_WORDINGS[0]!.text['zh-CN'] },
        informed: [{ who: '中心经理' }],
      },
    })
    expect(wrapper.find('[data-testid="media-log"]').text()).toContain('正在调查中')
    // The saved draft is gone; a fresh blank one is open for the next reporter.
    const left = await drafts()
    expect(left).toHaveLength(1)
    expect(left[0]!.id).not.toBe(record!.id)
    expect((wrapper.find('input[name="outlet"]').element as HTMLInputElement).value).toBe('')
  })

  it('offers a wording the supervisor changed, in its newest version only', async () => {
    await fresh()
    const wrapper = await mountPage()
    const media = useMediaStore()
    const first = media.wordings[0]!
    await media.saveWording(first, { text: { 'zh-CN': '此事正在核实，请以官方发布为准。', en: 'We are checking; please rely on the official statement.' }, active: true })
    await media.saveWording(media.wordings.find((w) => w.id === DEFAULT_MEDIA_WORDINGS[1]!.id)!, { text: DEFAULT_MEDIA_WORDINGS[1]!.text, active: false })
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="wording-choice"]')).toHaveLength(DEFAULT_MEDIA_WORDINGS.length - 1))
    const texts = wrapper.findAll('[data-testid="wording-choice"]').map((b) => b.text())
    expect(texts[0]).toBe('此事正在核实，请以官方发布为准。')
    expect(texts.some((t) => t.includes('正在调查中'))).toBe(false)
  })
})

describe('hall texts', () => {
  it('exist in both languages, none empty, and the English ones are English', () => {
    const keys = (tree: object, prefix = ''): string[] =>
      Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]))
    const leaves = (tree: object): string[] => Object.values(tree).flatMap((v) => (typeof v === 'object' && v ? leaves(v as object) : [String(v)]))
    expect(keys(hallEn).sort()).toEqual(keys(hallZhCN).sort())
    for (const text of [...leaves(hallZhCN), ...leaves(hallEn)]) expect(text.trim()).not.toBe('')
    expect(leaves(hallEn).filter((t) => /[\u4e00-\u9fff]/.test(t))).toEqual([])
  })
})
