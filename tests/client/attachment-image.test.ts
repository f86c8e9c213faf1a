import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import AttachmentImage from '../../src/client/components/AttachmentImage.vue'
import DiagnosticsPage from '../../src/client/pages/DiagnosticsPage.vue'
import { createAppI18n } from '../../src/client/i18n'
import { db } from '../../src/client/db/db'
import { putAttachment, sha256Hex } from '../../src/client/db/attachments-repository'
import { enrollTablet } from './builders'

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8])

function mountImage(sha256: string) {
  const pinia = createPinia()
  setActivePinia(pinia)
  return mount(AttachmentImage, {
    props: { sha256, alt: '物品照片' },
    attrs: { class: 'thumb' },
    global: { plugins: [pinia, createAppI18n('zh-CN')], stubs: { RouterLink: true } },
  })
}

describe('AttachmentImage', () => {
  beforeEach(async () => {
    await db.delete()
    await db.open()
  })
  afterEach(() => {
    vi.restoreAllMocks()
    vi.unstubAllGlobals()
  })

  it('shows an image from the tablet through an object URL, and revokes it on unmount', async () => {
    const ref = await putAttachment(db, new Blob([JPEG], { type: 'image/jpeg' }))
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:test/1')
    const revoked = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    const wrapper = mountImage(ref.sha256)
    await vi.waitFor(() => expect(wrapper.find('img').exists()).toBe(true))
    const img = wrapper.find('img')
    expect(img.attributes('src')).toBe('blob:test/1')
    expect(img.attributes('alt')).toBe('物品照片')
    expect(img.classes()).toContain('thumb')
    const blob = created.mock.calls[0]![0] as Blob
    expect(blob.type).toBe('image/jpeg')
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(JPEG)
    expect(revoked).not.toHaveBeenCalled()
    wrapper.unmount()
    expect(revoked).toHaveBeenCalledWith('blob:test/1')
  })

  it('says so when the image is on neither the tablet nor (not enrolled) reachable on the server', async () => {
    const fetch = vi.fn()
    vi.stubGlobal('fetch', fetch)
    const wrapper = mountImage('e'.repeat(64))
    await vi.waitFor(() => expect(wrapper.find('[data-state="missing"]').exists()).toBe(true))
    expect(wrapper.text()).toContain('本机没有这张图片')
    expect(fetch).not.toHaveBeenCalled()
  })

  it('fetches an image another tablet took from the server, and keeps it for offline use', async () => {
    await enrollTablet(db)
    const sha256 = await sha256Hex(JPEG)
    const fetch = vi.fn(async () => new Response(JPEG, { status: 200, headers: { 'content-type': 'image/jpeg' } }))
    vi.stubGlobal('fetch', fetch)
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:test/2')
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    const wrapper = mountImage(sha256)
    await vi.waitFor(() => expect(wrapper.find('img').exists()).toBe(true))
    expect(fetch).toHaveBeenCalledWith(`/api/attachments/${sha256}`, expect.objectContaining({ method: 'GET' }))
    const init = (fetch.mock.calls[0] as unknown as [string, RequestInit])[1]
    expect((init.headers as Record<string, string>).authorization).toBe(`Bearer ${'x'.repeat(43)}`) // the token enrollTablet saved
    expect(await db.attachments.get(sha256)).toMatchObject({ uploadState: 'uploaded', size: JPEG.length })
  })
})

describe('DiagnosticsPage', () => {
  beforeEach(async () => {
    await db.delete()
    await db.open()
  })

  it('shows the images on the tablet, their size and how many wait to upload', async () => {
    await putAttachment(db, new Blob([JPEG], { type: 'image/jpeg' }))
    await putAttachment(db, new Blob([new Uint8Array(3000).fill(7).map((b, i) => (i < 4 ? JPEG[i]! : b))], { type: 'image/jpeg' }))
    const pinia = createPinia()
    setActivePinia(pinia)
    const wrapper = mount(DiagnosticsPage, { global: { plugins: [pinia, createAppI18n('zh-CN')], stubs: { RouterLink: true } } })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="attachments"]').text()).toBe('2 张，共 3 KB'))
    expect(wrapper.find('[data-testid="attachments-pending"]').text()).toBe('2')
    expect(wrapper.text()).toContain('待上传图片')
    await flushPromises()
  })
})
