// An update or the idle lock never throws away what someone typed: the update prompt waits for
// every queued draft write and stops on a failed one; a form with input only in memory holds the
// update and survives the idle lock (the lock covers the page, it does not unmount it).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, createRouter, RouterView, type Router } from 'vue-router'
import App from '../../src/client/App.vue'
import ReloadPrompt from '../../src/client/components/ReloadPrompt.vue'
import { createAppI18n } from '../../src/client/i18n'
import { routes } from '../../src/client/router'
import { db } from '../../src/client/db/db'
import { useReportDraftsStore } from '../../src/client/stores/reportDrafts'
import { useUnsavedWorkStore } from '../../src/client/stores/unsavedWork'
import { useOperatorStore } from '../../src/client/stores/operator'
import { createFault } from '../../src/client/db/outage-repository'
import { newId } from '../../src/shared/ids'
import { DEVICE_ID, enrollTablet, signedInPerson, SITE_ID, TEST_PIN } from './builders'

// The I/O edge of the update: the service worker registration (a Vite virtual module).
const sw = vi.hoisted(() => ({ updateServiceWorker: vi.fn(async (_reload?: boolean) => undefined) }))
vi.mock('virtual:pwa-register/vue', () => ({
  useRegisterSW: () => ({ needRefresh: ref(true), offlineReady: ref(false), updateServiceWorker: sw.updateServiceWorker }),
}))

let pinia: Pinia
let router: Router

beforeEach(async () => {
  await db.delete()
  await db.open()
  await enrollTablet(db)
  pinia = createPinia()
  setActivePinia(pinia)
  router = createRouter({ history: createMemoryHistory(), routes })
  sw.updateServiceWorker.mockClear()
})

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

const plugins = () => [pinia, router, createAppI18n('zh-CN')]
/** The page the router shows, with the update prompt, as App.vue lays them out. */
const Shell = defineComponent({ render: () => h('div', [h(RouterView), h(ReloadPrompt)]) })
const prompt = (wrapper: ReturnType<typeof mount>) => wrapper.get('[data-testid="update-prompt"]')

/** Shows `path` in the shell once a shift leader is signed in; resolves when `testid` is on it. */
async function openAsShiftLeader(path: string, testid: string) {
  await signedInPerson(db, { role: 'shiftLeader' })
  await router.push(path)
  const wrapper = mount(Shell, { global: { plugins: plugins() } })
  await vi.waitFor(() => expect(wrapper.find(`[data-testid="${testid}"]`).exists()).toBe(true))
  return wrapper
}

/** Whether closing the tab now would ask first. */
function closingAsks(): boolean {
  const unload = new Event('beforeunload', { cancelable: true })
  window.dispatchEvent(unload)
  return unload.defaultPrevented
}

/** Makes the next draft write wait until `release()` is called. */
function slowNextDraftWrite() {
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const put = db.drafts.put.bind(db.drafts)
  const slow = (...args: Parameters<typeof put>) => gate.then(() => put(...args))
  vi.spyOn(db.drafts, 'put').mockImplementationOnce(slow as unknown as typeof put)
  return release
}

describe('the update prompt and the draft writes', () => {
  it('waits for a slow draft write of the report store before it reloads', async () => {
    const release = slowNextDraftWrite()
    const write = useReportDraftsStore().save('incidentReport', 'inc-1', { location: '三楼营业厅' })
    const wrapper = mount(ReloadPrompt, { global: { plugins: plugins() } })
    await prompt(wrapper).get('button').trigger('click')
    await flushPromises()
    expect(prompt(wrapper).attributes('data-phase')).toBe('saving')
    expect(prompt(wrapper).text()).toContain('正在保存草稿')
    expect(sw.updateServiceWorker).not.toHaveBeenCalled()

    release()
    await write
    await vi.waitFor(() => expect(sw.updateServiceWorker).toHaveBeenCalledWith(true))
    expect((await db.drafts.get('incidentReport:inc-1'))?.values).toEqual({ location: '三楼营业厅' })
  })

  it('stops on a failed write with a message, and goes on once that draft is written', async () => {
    vi.spyOn(db.drafts, 'put').mockRejectedValueOnce(Object.assign(new Error('quota'), { name: 'QuotaExceededError' }))
    const drafts = useReportDraftsStore()
    await expect(drafts.save('incidentReview', 'inc-1', { findings: '半句' })).rejects.toThrow('quota')
    const wrapper = mount(ReloadPrompt, { global: { plugins: plugins() } })
    await prompt(wrapper).get('button').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="update-problem"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="update-problem"]').text()).toContain('现在更新会丢失')
    expect(wrapper.get('[data-testid="update-problem"]').text()).toContain('存储空间已满')
    expect(sw.updateServiceWorker).not.toHaveBeenCalled()

    // the next keystroke's write of the same draft succeeds: it holds everything, nothing is lost
    await drafts.save('incidentReview', 'inc-1', { findings: '半句话' })
    await wrapper.findAll('[data-testid="update-prompt"] button')[0]!.trigger('click') // try again
    await vi.waitFor(() => expect(sw.updateServiceWorker).toHaveBeenCalledWith(true))
  })

  it('says so when the writes take too long, and "update anyway" is the person\'s choice', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const unsaved = useUnsavedWorkStore()
    void unsaved.track(new Promise(() => undefined), 'stuck')
    const wrapper = mount(ReloadPrompt, { global: { plugins: plugins() } })
    await prompt(wrapper).get('button').trigger('click')
    await vi.advanceTimersByTimeAsync(10_000)
    expect(prompt(wrapper).attributes('data-phase')).toBe('slow')
    expect(wrapper.get('[data-testid="update-problem"]').text()).toContain('10 秒')
    expect(sw.updateServiceWorker).not.toHaveBeenCalled()

    await wrapper.get('[data-testid="update-anyway"]').trigger('click')
    await vi.advanceTimersByTimeAsync(10_000)
    expect(sw.updateServiceWorker).toHaveBeenCalledWith(true)
    expect(unsaved.leaving).toBe(true)
  })
})

describe('a form with input only in memory', () => {
  it('holds the update and names the form, and the update goes ahead once it is left', async () => {
    const wrapper = await openAsShiftLeader('/outage/faults/new', 'fault-form')
    await wrapper.get('input[name="system"]').setValue('CRM')

    await prompt(wrapper).get('button').trigger('click')
    await flushPromises()
    expect(prompt(wrapper).attributes('data-phase')).toBe('forms')
    expect(wrapper.findAll('[data-testid="unsaved-form"]').map((li) => li.text())).toEqual(['登记系统故障'])
    expect(prompt(wrapper).text()).toContain('保存后会自动更新')
    expect(sw.updateServiceWorker).not.toHaveBeenCalled()
    // closing the tab asks first
    expect(closingAsks()).toBe(true)

    // the form is emptied (as after "save"): nothing more to lose, the update goes ahead by itself
    await wrapper.get('input[name="system"]').setValue('')
    await vi.waitFor(() => expect(sw.updateServiceWorker).toHaveBeenCalledWith(true))
    expect(closingAsks()).toBe(false)
    wrapper.unmount()
  })

  it('sees a note typed in a fault\'s "told" forms: the update waits for it, the page named once', async () => {
    const who = { siteId: SITE_ID, deviceId: DEVICE_ID, author: '李组长' }
    const faultId = newId()
    const startedAt = new Date(Date.now() - 60_000)
    await signedInPerson(db, { role: 'shiftLeader' })
    await createFault(db, who, faultId, { system: 'CRM', symptom: '无法外呼', scope: 'allSeats', startedAt: startedAt.toISOString(), seat: '' }, [], startedAt)
    const listeners = vi.spyOn(window, 'addEventListener')
    const wrapper = await openAsShiftLeader(`/outage/faults/${faultId}`, 'notified-supervisor-form')
    const toldForm = (role: string) => wrapper.get(`[data-testid="notified-${role}-form"]`)
    await toldForm('supervisor').get('input[name="toldNote"]').setValue('电话通知王主管')
    await toldForm('opsSpecialist').get('input[name="toldNote"]').setValue('小周')
    await wrapper.get('input[name="action"]').setValue('重启外呼网关')

    await prompt(wrapper).get('button').trigger('click')
    await flushPromises()
    expect(prompt(wrapper).attributes('data-phase')).toBe('forms')
    // the page and its two "told" forms hold input: one name on the list
    expect(wrapper.findAll('[data-testid="unsaved-form"]').map((li) => li.text())).toEqual(['系统故障情况处理表'])
    expect(closingAsks()).toBe(true)
    // one listener for the whole page, not one per form
    expect(listeners.mock.calls.filter(([type]) => type === 'beforeunload')).toHaveLength(1)
    expect(sw.updateServiceWorker).not.toHaveBeenCalled()

    // each "told" is recorded, the action too: nothing left only in memory, the update goes ahead
    await toldForm('supervisor').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="notified-supervisor-form"]').exists()).toBe(false))
    await toldForm('opsSpecialist').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="notified-opsSpecialist-form"]').exists()).toBe(false))
    expect(sw.updateServiceWorker).not.toHaveBeenCalled()
    await wrapper.get('input[name="action"]').setValue('')
    await vi.waitFor(() => expect(sw.updateServiceWorker).toHaveBeenCalledWith(true))
    const told = await db.records.filter((r) => r.kind === 'faultEvent').toArray()
    expect(told.map((r) => r.data)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'notified', role: 'supervisor', who: '电话通知王主管' }),
        expect.objectContaining({ type: 'notified', role: 'opsSpecialist', who: '小周' }),
      ]),
    )
    expect(closingAsks()).toBe(false)
    wrapper.unmount()
  })

  it('keeps what was typed through the idle lock: the sign-in screen covers the page', async () => {
    const person = await signedInPerson(db, { role: 'shiftLeader' })
    await router.push('/outage/faults/new')
    // the lock's clock and its check are controlled; IndexedDB keeps its real timers
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] })
    const wrapper = mount(App, { global: { plugins: plugins() }, attachTo: document.body })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="fault-form"]').exists()).toBe(true))
    await vi.waitFor(() => expect(useOperatorStore().signedIn).toBe(true))
    await wrapper.get('input[name="system"]').setValue('话务平台')
    await wrapper.get('textarea[name="symptom"]').setValue('坐席无法签入')

    vi.advanceTimersByTime(6 * 60_000) // the site's five minutes without a touch
    await vi.waitFor(() => expect(wrapper.find('[data-testid="locked-notice"]').exists()).toBe(true))
    expect(router.currentRoute.value.fullPath).toBe('/outage/faults/new')
    expect(wrapper.get('[data-testid="fault-form"]').isVisible()).toBe(false) // covered, not unmounted
    expect((wrapper.get('input[name="system"]').element as HTMLInputElement).value).toBe('话务平台')

    expect(await useOperatorStore().signIn(person.id, TEST_PIN)).toEqual({ ok: true })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="lock-screen"]').exists()).toBe(false))
    expect(wrapper.get('[data-testid="fault-form"]').isVisible()).toBe(true)
    expect((wrapper.get('input[name="system"]').element as HTMLInputElement).value).toBe('话务平台')
    expect((wrapper.get('textarea[name="symptom"]').element as HTMLTextAreaElement).value).toBe('坐席无法签入')
    expect(router.currentRoute.value.fullPath).toBe('/outage/faults/new')
    wrapper.unmount()
  })
})

describe('a one-box form kept as a draft', () => {
  it('puts back a half-written log entry after a reload, and drops the draft once it is saved', async () => {
    const first = await openAsShiftLeader('/outage/logs/leader', 'log-form')
    await first.get('textarea[name="logText"]').setValue('10:05 通知运维')
    await first.get('input[name="logAt"]').setValue('2026-11-29T10:05')
    await useUnsavedWorkStore().settled()
    first.unmount()

    // a new page: a fresh Pinia and router on the same database
    pinia = createPinia()
    setActivePinia(pinia)
    router = createRouter({ history: createMemoryHistory(), routes })
    await router.push('/outage/logs/leader')
    const second = mount(Shell, { global: { plugins: plugins() } })
    await vi.waitFor(() => expect((second.get('textarea[name="logText"]').element as HTMLTextAreaElement).value).toBe('10:05 通知运维'))
    expect((second.get('input[name="logAt"]').element as HTMLInputElement).value).toBe('2026-11-29T10:05')

    await second.get('[data-testid="log-form"]').trigger('submit')
    await vi.waitFor(() => expect(second.findAll('[data-testid="log-entry"]')).toHaveLength(1))
    await useUnsavedWorkStore().settled()
    expect(await db.drafts.get('logEntry:leader')).toBeUndefined()
    second.unmount()
  })
})
