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

  it('says a coded rejection in Chinese, with the role and kind translated, not the English reason', async () => {
    const record = await createRecord(db, callRecord())
    const sent = await readOutboxBatch(db, 10)
    const params = { name: '张三', staffNo: '1002', role: 'agent', kind: 'fault' }
    await applyPushResult(
      db,
      sent,
      {
        lastMutationId: 1,
        results: [
          { mutationId: 1, status: 'rejected', reason: 'the role agent of 张三 may not create fault records', code: 'role_not_allowed', params },
        ],
      },
      '2026-11-28T09:00:00Z',
    )
    // stored with the record and the issue, as the server sent them
    expect(await db.records.get(record.id)).toMatchObject({ syncState: 'rejected', rejectedCode: 'role_not_allowed', rejectedParams: params })
    expect(await db.syncIssues.get(1)).toMatchObject({ code: 'role_not_allowed', params })

    const wrapper = await mountHome()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="rejected-list"]').exists()).toBe(true))
    const sentence = '原因：张三（工号 1002）的角色“座席/柜员”不能新建故障记录'
    expect(wrapper.find('[data-testid="rejected-list"]').text()).toContain(sentence)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="call-row"]').text()).toContain(sentence))
    expect(wrapper.text()).not.toContain('may not create')
  })

  it('shows the stored reason for a code this version does not know', async () => {
    await createRecord(db, callRecord())
    const sent = await readOutboxBatch(db, 10)
    const reason = 'the site is closed for the night'
    await applyPushResult(
      db,
      sent,
      { lastMutationId: 1, results: [{ mutationId: 1, status: 'rejected', reason, code: 'site_closed', params: { until: '08:00' } }] },
      '2026-11-28T09:00:00Z',
    )
    const wrapper = await mountHome()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="rejected-list"]').exists()).toBe(true))
    expect(wrapper.find('[data-testid="rejected-list"]').text()).toContain(`原因：${reason}`)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="call-row"]').text()).toContain(`原因：${reason}`))
  })

  it('asks to enroll a tablet that is not enrolled', async () => {
    const wrapper = await mountHome()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="enroll-hint"]').exists()).toBe(true))
  })
})
