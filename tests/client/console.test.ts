import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import ConsoleNowPage from '../../src/client/pages/ConsoleNowPage.vue'
import ConsoleSignInPage from '../../src/client/pages/ConsoleSignInPage.vue'
import { createTestI18n } from './i18n-helper'
import { isOpenRoute, routes } from '../../src/client/router'
import { CONSOLE_SESSION_KEY, useConsoleStore } from '../../src/client/stores/console'
import consoleZhCN from '../../src/client/locales/console.zh-CN'
import consoleEn from '../../src/client/locales/console.en'
import type { ConsoleNow } from '../../src/shared/console'
import { label, SESSION, SITE } from './console-builders'

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]))
}
function leaves(tree: object): string[] {
  return Object.values(tree).flatMap((v) => (typeof v === 'object' && v ? leaves(v as object) : [String(v)]))
}


const NOW_VIEW: ConsoleNow = {
  generatedAt: '2026-11-28T00:00:00.000Z',
  sites: SESSION.sites,
  incidents: [
    {
      id: '0192f0c4-0000-7000-8000-0000000000i1',
      siteId: SITE,
      siteName: '第一营业厅',
      playbookId: 'C2',
      playbookVersion: 1,
      title: label('系统故障', 'System failure'),
      drill: false,
      startedAt: '2026-11-27T23:53:00.000Z',
      startedBy: '张组长',
      elapsedMs: 7 * 60_000,
      stepsDone: 1,
      stepsTotal: 8,
      overdue: [
        { key: 'step:report-supervisor', label: label('5 分钟内报告主管', 'Report within 5 min'), kind: 'within', status: 'overdue', dueAt: '2026-11-27T23:58:00.000Z', overdueMs: 120_000, acknowledged: null },
      ],
      next: null,
      latestEvents: [
        { id: 'e2', type: 'note', at: '2026-11-27T23:55:00.000Z', author: '李四', stepId: null, stepText: null, levelTitle: null, clockLabel: null, note: '正在排查' },
        { id: 'e1', type: 'tick', at: '2026-11-27T23:54:00.000Z', author: '张组长', stepId: 'tell-leader', stepText: label('告知值班长', 'Tell the shift leader'), levelTitle: null, clockLabel: null, note: '' },
      ],
    },
  ],
  faults: [],
  callbacks: [{ siteId: SITE, siteName: '第一营业厅', outstanding: 2, toCall: 1, noAnswer: 1 }],
  partial: false,
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

beforeEach(() => {
  sessionStorage.clear()
  setActivePinia(createPinia())
})
afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

describe('central console (client)', () => {
  it('has every console text in both languages, none empty, the English free of Chinese', () => {
    expect(keys(consoleEn).sort()).toEqual(keys(consoleZhCN).sort())
    for (const text of [...leaves(consoleZhCN), ...leaves(consoleEn)]) expect(text.trim()).not.toBe('')
    expect(leaves(consoleEn).filter((t) => /[\u4e00-\u9fff]/.test(t))).toEqual(['中文'])
  })

  it('signs in, keeps the token for the tab only, and says why a sign-in is refused', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch')
    const store = useConsoleStore()
    fetch.mockResolvedValueOnce(json(401, { code: 'unauthorized', message: 'Wrong staff number or PIN' }))
    expect(await store.signIn('S001', '0000')).toEqual({ ok: false, reason: 'wrongPin' })
    fetch.mockResolvedValueOnce(json(429, { code: 'too_many_attempts', message: 'Too many wrong PINs for this staff number: wait five minutes' }))
    expect(await store.signIn('S001', '0000')).toEqual({ ok: false, reason: 'locked' })
    fetch.mockResolvedValueOnce(json(403, { code: 'forbidden', message: 'The central console is for supervisors, managers and administrators' }))
    expect(await store.signIn('A001', '1234')).toEqual({ ok: false, reason: 'notConsoleRole' })
    fetch.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    expect(await store.signIn('S001', '1234')).toEqual({ ok: false, reason: 'network' })
    expect(store.signedIn).toBe(false)

    fetch.mockResolvedValueOnce(json(201, SESSION))
    expect(await store.signIn(' S001 ', '1234')).toEqual({ ok: true })
    expect(JSON.parse(fetch.mock.calls.at(-1)![1]!.body as string)).toEqual({ staffNo: 'S001', pin: '1234' })
    expect(store.signedIn).toBe(true)
    await vi.waitFor(() => expect(JSON.parse(sessionStorage.getItem(CONSOLE_SESSION_KEY) ?? 'null')?.token).toBe(SESSION.token))
    expect(sessionStorage.getItem(CONSOLE_SESSION_KEY)).not.toContain('1234')

    // the token goes with every call; a 401 ends the session
    fetch.mockResolvedValueOnce(json(401, { code: 'unauthorized', message: 'Sign in' }))
    expect(await store.refreshNow()).toBe(false)
    expect((fetch.mock.calls.at(-1)![1]!.headers as Record<string, string>).authorization).toBe(`Bearer ${SESSION.token}`)
    expect(store.expired).toBe(true)
    expect(store.signedIn).toBe(false)
  })

  it('keeps /console out of the tablet guard and asks for a console session instead', async () => {
    expect(isOpenRoute('console-now', '/console')).toBe(true)
    expect(isOpenRoute('console-records', '/console/records')).toBe(true)
    const router = createRouter({ history: createMemoryHistory(), routes })
    await router.push('/console/records')
    expect(router.currentRoute.value.name).toBe('console-sign-in')
    expect(router.currentRoute.value.query.redirect).toBe('/console/records')

    sessionStorage.setItem(CONSOLE_SESSION_KEY, JSON.stringify(SESSION))
    setActivePinia(createPinia())
    const signedIn = createRouter({ history: createMemoryHistory(), routes })
    await signedIn.push('/console/records')
    expect(signedIn.currentRoute.value.name).toBe('console-records')
    // a supervisor is not an administrator
    await signedIn.push('/console/admin')
    expect(signedIn.currentRoute.value.name).toBe('console-now')
  })

  it('shows the sign-in refusal in words, with the reason as a test id', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(json(429, { code: 'too_many_attempts', message: 'Too many wrong PINs for this staff number: wait five minutes' }))
    const pinia = createPinia()
    setActivePinia(pinia)
    const router = createRouter({ history: createMemoryHistory(), routes })
    await router.push('/console/sign-in')
    const wrapper = mount(ConsoleSignInPage, { global: { plugins: [pinia, router, createTestI18n('zh-CN')] } })
    await wrapper.find('[data-testid="console-staff-no"]').setValue('S001')
    await wrapper.find('[data-testid="console-pin"]').setValue('9999')
    await wrapper.find('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="console-sign-in-error"]').exists()).toBe(true))
    expect(wrapper.find('[data-testid="console-sign-in-error"]').attributes('data-reason')).toBe('locked')
    expect(wrapper.find('[data-testid="console-sign-in-error"]').text()).toContain('锁定')
  })

  it('shows open incidents with the overdue clock standing out and the authors, and refreshes every 15 s', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] })
    vi.setSystemTime(new Date('2026-11-28T00:00:00.000Z'))
    sessionStorage.setItem(CONSOLE_SESSION_KEY, JSON.stringify(SESSION))
    const fetch = vi.spyOn(globalThis, 'fetch').mockImplementation(async () => json(200, NOW_VIEW))
    const pinia = createPinia()
    setActivePinia(pinia)
    const router = createRouter({ history: createMemoryHistory(), routes })
    await router.push('/console')
    const wrapper = mount(ConsoleNowPage, { global: { plugins: [pinia, router, createTestI18n('zh-CN')] } })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="console-now-incident"]').exists()).toBe(true))
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(String(fetch.mock.calls[0]![0])).toBe('/api/console/now')

    const card = wrapper.find('[data-testid="console-now-incident"]')
    expect(card.classes()).toContain('console-card-overdue')
    const overdue = card.find('[data-testid="console-overdue"]')
    expect(overdue.attributes('data-clock-key')).toBe('step:report-supervisor')
    expect(overdue.text()).toContain('逾期')
    expect(overdue.text()).toContain('2:00')
    expect(card.findAll('[data-testid="console-event-author"]').map((a) => a.text())).toEqual(['李四', '张组长'])
    expect(card.find('[data-testid="console-elapsed"]').text()).toBe('7:00')
    expect(wrapper.find('[data-testid="console-callbacks"]').text()).toContain('2')

    // the clocks keep moving between refreshes, and the view is read again after 15 s
    // (the one-second tick may trail the load by a few milliseconds)
    await vi.advanceTimersByTimeAsync(6_000)
    expect(card.find('[data-testid="console-elapsed"]').text()).toBe('7:05')
    expect(fetch).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(9_000)
    await flushPromises()
    expect(fetch).toHaveBeenCalledTimes(2)
    wrapper.unmount()
  })
})
