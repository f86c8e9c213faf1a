import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import HomePage from '../../src/client/pages/HomePage.vue'
import { createAppI18n } from '../../src/client/i18n'
import { routes } from '../../src/client/router'
import { db } from '../../src/client/db/db'
import { createRecord } from '../../src/client/db/records-repository'
import { applyPushResult, readOutboxBatch } from '../../src/client/db/sync-repository'
import { callRecord } from './builders'

async function mountHome() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/')
  const wrapper = mount(HomePage, { global: { plugins: [pinia, router, createAppI18n('zh-CN')] } })
  return wrapper
}

describe('HomePage', () => {
  beforeEach(async () => {
    await db.delete()
    await db.open()
  })

  it('shows records waiting, live, as they are saved', async () => {
    const wrapper = await mountHome()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="waiting-count"]').text()).toBe('0'))
    await createRecord(db, callRecord())
    await createRecord(db, callRecord())
    await vi.waitFor(() => expect(wrapper.find('[data-testid="waiting-count"]').text()).toBe('2'))
    expect(wrapper.findAll('[data-testid="call-row"]')).toHaveLength(2)
    expect(wrapper.text()).toContain('已存本机，待同步')
  })

  it('lists the records the server rejected, with the reason', async () => {
    await createRecord(db, callRecord())
    const sent = await readOutboxBatch(db, 10)
    await applyPushResult(db, sent, { lastMutationId: 1, results: [{ mutationId: 1, status: 'rejected', reason: '站点不符' }] }, '2026-11-28T09:00:00Z')
    const wrapper = await mountHome()
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="rejected-list"]').exists()).toBe(true))
    expect(wrapper.find('[data-testid="rejected-list"]').text()).toContain('原因：站点不符')
    expect(wrapper.find('[data-testid="waiting-count"]').text()).toBe('0')
  })

  it('asks to enroll a tablet that is not enrolled', async () => {
    const wrapper = await mountHome()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="enroll-hint"]').exists()).toBe(true))
  })
})
