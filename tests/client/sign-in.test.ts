import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { defineComponent, h, ref } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import PlaybookPage from '../../src/client/pages/PlaybookPage.vue'
import { createAppI18n } from '../../src/client/i18n'
import { db } from '../../src/client/db/db'
import { MAX_PIN_FAILURES, NotSignedInError, PIN_LOCKOUT_MS, useOperatorStore } from '../../src/client/stores/operator'
import { shouldLock, useIdleLock } from '../../src/client/composables/useIdleLock'
import { createAppRouter, routes } from '../../src/client/router'
import { addRosterPerson, DEVICE_ID, signedInPerson, SITE_ID, TEST_PIN, enrollTablet } from './builders'

async function enroll() {
  await enrollTablet(db)
}

describe('sign-in on a shared tablet, offline', () => {
  beforeEach(async () => {
    await db.delete()
    await db.open()
    await enroll()
    setActivePinia(createPinia())
  })

  it('checks the PIN against the hash from the roster, and records carry the person', async () => {
    const person = await addRosterPerson(db, { name: '李四', role: 'shiftLeader' })
    const operator = useOperatorStore()
    await expect(operator.who()).rejects.toBeInstanceOf(NotSignedInError)
    expect(await operator.signIn(person.id, '0000')).toEqual({ ok: false, reason: 'wrongPin' })
    expect(await operator.signIn(person.id, TEST_PIN)).toEqual({ ok: true })
    expect(await operator.who()).toEqual({ siteId: SITE_ID, deviceId: DEVICE_ID, author: '李四', personId: person.id })
    // nothing of the PIN is kept on the tablet but the hash that came with the roster
    expect(JSON.stringify(await db.meta.toArray())).not.toContain(TEST_PIN)
  })

  it('switches person in one step and keeps the drafts', async () => {
    const a = await addRosterPerson(db, { name: '甲' })
    const b = await addRosterPerson(db, { name: '乙', pin: '13579' })
    const operator = useOperatorStore()
    await operator.signIn(a.id, TEST_PIN)
    await db.drafts.put({ id: 'd1', kind: 'callRecord', values: { request: '半句话' }, createdAt: 'x', updatedAt: 'x' })
    await operator.signOut()
    await expect(operator.who()).rejects.toBeInstanceOf(NotSignedInError)
    expect(await operator.signIn(b.id, '13579')).toEqual({ ok: true })
    expect((await operator.who()).author).toBe('乙')
    expect((await db.drafts.get('d1'))?.values).toEqual({ request: '半句话' })
  })

  it('makes the keypad wait after five wrong PINs, then lets the right one in', async () => {
    const person = await addRosterPerson(db)
    const operator = useOperatorStore()
    const t0 = Date.parse('2026-11-29T08:00:00Z')
    for (let i = 1; i < MAX_PIN_FAILURES; i++) expect((await operator.signIn(person.id, '9999', t0)).ok).toBe(false)
    expect(await operator.signIn(person.id, '9999', t0)).toEqual({ ok: false, reason: 'lockedOut', retryAt: t0 + PIN_LOCKOUT_MS })
    // even the right PIN waits
    expect(await operator.signIn(person.id, TEST_PIN, t0 + PIN_LOCKOUT_MS - 1)).toMatchObject({ reason: 'lockedOut' })
    expect(await operator.signIn(person.id, TEST_PIN, t0 + PIN_LOCKOUT_MS)).toEqual({ ok: true })
  })

  it('refuses a person who left the roster, and one without a PIN', async () => {
    const left = await addRosterPerson(db, { active: false })
    const operator = useOperatorStore()
    expect(await operator.signIn(left.id, TEST_PIN)).toEqual({ ok: false, reason: 'unknown' })
    // a newer version of a person wins: the PIN removed (the admin reset it) means no sign-in
    const p = await addRosterPerson(db)
    await db.records.where('kind').equals('person').modify((r) => {
      if ((r.data as { id: string }).id === p.id) r.data = { ...r.data, version: 2, pin: null }
    })
    expect(await operator.signIn(p.id, TEST_PIN)).toEqual({ ok: false, reason: 'noPin' })
  })

  it('hides what the role may not do', async () => {
    const agent = await addRosterPerson(db, { role: 'agent' })
    const operator = useOperatorStore()
    await operator.signIn(agent.id, TEST_PIN)
    await vi.waitFor(() => expect(operator.person?.id).toBe(agent.id))
    expect(operator.can('callRecord')).toBe(true)
    expect(operator.can('incident')).toBe(false)
    expect(operator.can('playbook')).toBe(false)
  })

  it('sends an enrolled tablet with nobody signed in to the sign-in screen, and back after', async () => {
    const router = createAppRouter()
    await router.push('/outage')
    expect(router.currentRoute.value.name).toBe('sign-in')
    expect(router.currentRoute.value.query.redirect).toBe('/outage')
    await router.push('/console')
    // the console asks for its own sign-in (staff number and PIN), never the tablet's roster
    expect(router.currentRoute.value.name).toBe('console-sign-in')
    const person = await addRosterPerson(db)
    await useOperatorStore().signIn(person.id, TEST_PIN)
    await router.push('/outage')
    expect(router.currentRoute.value.name).toBe('outage')
  })
})

describe('idle lock', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('locks at the site\'s minutes without activity, not before', () => {
    const t0 = 1_000_000
    expect(shouldLock(t0, t0 + 5 * 60_000 - 1, 5)).toBe(false)
    expect(shouldLock(t0, t0 + 5 * 60_000, 5)).toBe(true)
  })

  it('locks an idle tablet, and activity or a new setting moves the deadline', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-29T08:00:00Z') })
    const lock = vi.fn()
    const minutes = ref(2)
    const active = ref(true)
    const wrapper = mount(
      defineComponent({
        setup() {
          useIdleLock({ minutes, active, lock, checkEveryMs: 1000 })
          return () => h('div')
        },
      }),
    )
    vi.advanceTimersByTime(90_000)
    window.dispatchEvent(new Event('mousemove'))
    vi.advanceTimersByTime(90_000)
    expect(lock).not.toHaveBeenCalled() // 90 s since the last touch
    vi.advanceTimersByTime(31_000)
    expect(lock).toHaveBeenCalled()
    lock.mockClear()
    active.value = false // signed out: nothing more to lock
    vi.advanceTimersByTime(10 * 60_000)
    expect(lock).not.toHaveBeenCalled()
    wrapper.unmount()
  })
})

describe('what the tablet shows by role', () => {
  beforeEach(async () => {
    await db.delete()
    await db.open()
    await enroll()
    setActivePinia(createPinia())
  })

  async function playbookPageAs(role: 'agent' | 'shiftLeader') {
    await signedInPerson(db, { name: role === 'agent' ? '座席小王' : '值班长老李', role })
    const pinia = createPinia()
    setActivePinia(pinia)
    const router = createRouter({ history: createMemoryHistory(), routes })
    const wrapper = mount(PlaybookPage, { props: { id: 'C2' }, global: { plugins: [pinia, router, createAppI18n('zh-CN')] } })
    await vi.waitFor(() => expect(useOperatorStore().person?.role).toBe(role))
    await flushPromises()
    return wrapper
  }

  it('an agent reads the plan but cannot start it, and is told who can', async () => {
    const wrapper = await playbookPageAs('agent')
    expect(wrapper.find('[data-testid="start"]').attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-testid="role-notice-incident"]').text()).toContain('值班长')
  })

  it('a shift leader starts it', async () => {
    const wrapper = await playbookPageAs('shiftLeader')
    expect(wrapper.find('[data-testid="start"]').attributes('disabled')).toBeUndefined()
    expect(wrapper.find('[data-testid="role-notice-incident"]').exists()).toBe(false)
  })
})
