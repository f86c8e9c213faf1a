import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import WorklistPage from '../../src/client/pages/WorklistPage.vue'
import { createAppI18n } from '../../src/client/i18n'
import { routes } from '../../src/client/router'
import { db } from '../../src/client/db/db'
import { createRecord } from '../../src/client/db/records-repository'
import { appendCallbackEvent, appendFaultEvent, createFault, type Who } from '../../src/client/db/outage-repository'
import { useOutageStore } from '../../src/client/stores/outage'
import { newId } from '../../src/shared/ids'
import { allowedActions } from '../../src/shared/callback'
import { callRecord, DEVICE_ID, enrollTablet, signedInPerson, SITE_ID } from './builders'

const who: Who = { siteId: SITE_ID, deviceId: DEVICE_ID, author: '李组长' }
const T0 = Date.parse('2026-11-28T08:00:00.000Z')

async function fresh() {
  await db.delete()
  await db.open()
  await enrollTablet(db)
  await signedInPerson(db, { name: '陈组长' })
}

/** A recovered outage and its calls that need a callback, one per number. */
async function recoveredOutage(numbers: string[]) {
  const faultId = newId()
  const started = new Date(T0)
  await createFault(db, who, faultId, { system: 'CRM', symptom: '全部座席无法登录', scope: 'allSeats', startedAt: started.toISOString(), seat: '' }, [], started)
  const calls = []
  for (const [i, phone] of numbers.entries()) {
    const stamp = new Date(T0 + (i + 1) * 60_000).toISOString()
    const base = callRecord()
    calls.push(await createRecord(db, { ...base, createdAt: stamp, updatedAt: stamp, data: { ...base.data, calledAt: stamp, callerPhone: phone, callerName: `客户${i}`, faultId, callbackNeeded: true } }))
  }
  await appendFaultEvent(db, who, { faultId, type: 'recovered', at: new Date(T0 + 3_600_000).toISOString(), who: '', note: '' }, [], new Date(T0 + 3_600_000))
  return { faultId, calls }
}

/** The worklist page of `faultId`, once `shown` is on it (by default, its entries). */
async function mountPage(faultId: string, shown = '[data-testid="worklist-entry"]') {
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push(`/outage/faults/${faultId}/worklist`)
  const wrapper = mount(WorklistPage, { props: { id: faultId }, global: { plugins: [pinia, router, createAppI18n('zh-CN')] } })
  await vi.waitFor(() => expect(wrapper.find(shown).exists()).toBe(true))
  return wrapper
}

describe('callback worklist page', () => {
  it('takes a note with each step and shows it in the entry history', async () => {
    await fresh()
    const { faultId, calls } = await recoveredOutage(['13800138000'])
    const wrapper = await mountPage(faultId)

    await wrapper.find('[data-testid="step-note-input"]').setValue('  客户要求下午3点后回电 ')
    await wrapper.find('[data-testid="act-noAnswer"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="step-note"]').exists()).toBe(true))
    expect(wrapper.find('[data-testid="step-note"]').text()).toBe('备注：客户要求下午3点后回电')
    const [event] = await db.records.where('[parentId+kind+createdAt]').between([calls[0]!.id, 'callbackEvent', ''], [calls[0]!.id, 'callbackEvent', '\uffff']).toArray()
    expect(event?.data).toMatchObject({ callRecordId: calls[0]!.id, state: 'noAnswer', note: '客户要求下午3点后回电' })
    // the note went with the step: the field is empty for the next one
    expect((wrapper.find('[data-testid="step-note-input"]').element as HTMLInputElement).value).toBe('')
    expect(wrapper.find('[data-testid="entry-state"]').text()).toBe('无人接听')

    // a step without a note shows none
    await wrapper.find('[data-testid="act-resolved"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.findAll('.steps li')).toHaveLength(2))
    expect(wrapper.findAll('[data-testid="step-note"]')).toHaveLength(1)
    wrapper.unmount()
  })

  it('keeps the note when a step cannot be stored, and says why in that entry', async () => {
    await fresh()
    const { faultId } = await recoveredOutage(['13800138000', '13800138001'])
    const wrapper = await mountPage(faultId)
    const [first, second] = wrapper.findAll('[data-testid="worklist-entry"]')
    await second!.find('[data-testid="step-note-input"]').setValue('号码无法接通')
    vi.spyOn(db.records, 'add').mockRejectedValueOnce(Object.assign(new Error('quota'), { name: 'QuotaExceededError' }))
    await second!.find('[data-testid="act-noAnswer"]').trigger('click')
    await vi.waitFor(() => expect(second!.find('[data-testid="entry-failure"]').exists()).toBe(true))
    expect(second!.find('[data-testid="entry-failure"]').text()).toContain('存储空间已满')
    expect(first!.find('[data-testid="entry-failure"]').exists()).toBe(false)
    expect((second!.find('[data-testid="step-note-input"]').element as HTMLInputElement).value).toBe('号码无法接通')
    expect(await db.records.filter((r) => r.kind === 'callbackEvent').count()).toBe(0)

    // tried again, it is stored with its note and the message goes
    await second!.find('[data-testid="act-noAnswer"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="step-note"]')).toHaveLength(1))
    expect(wrapper.find('[data-testid="entry-failure"]').exists()).toBe(false)
    wrapper.unmount()
    vi.restoreAllMocks()
  })

  it('counts each state and searches the worklist by number prefix', async () => {
    await fresh()
    const { faultId, calls } = await recoveredOutage(['13800138000', '13800138001', '010-12345678'])
    await appendCallbackEvent(db, who, { callRecordId: calls[1]!.id, state: 'resolved', note: '', at: new Date(T0 + 7_200_000).toISOString() }, new Date(T0 + 7_200_000))
    const wrapper = await mountPage(faultId)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="filter-all"]').text()).toContain('3'))
    expect(wrapper.find('[data-testid="filter-toCall"]').text()).toContain('2')
    expect(wrapper.find('[data-testid="filter-resolved"]').text()).toContain('1')

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      await wrapper.find('[data-testid="worklist-search"]').setValue('138 0013')
      vi.advanceTimersByTime(200)
    } finally {
      vi.useRealTimers()
    }
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="worklist-entry"]')).toHaveLength(2))
    expect(wrapper.find('[data-testid="worklist-matches"]').text()).toContain('2')
    await wrapper.find('[data-testid="filter-toCall"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="worklist-entry"]')).toHaveLength(1))
    await flushPromises()
    expect(wrapper.find('[data-testid="worklist-entry"]').text()).toContain('13800138000')
    wrapper.unmount()
  })
})

describe('callback worklist page, read at once', () => {
  it('shows the fault, the counts and the entries with their steps from one read, and says so when there is no such fault', async () => {
    await fresh()
    const { faultId, calls } = await recoveredOutage(['13800138000', '13800138001'])
    await appendCallbackEvent(db, who, { callRecordId: calls[0]!.id, state: 'noAnswer', note: '关机', at: new Date(T0 + 7_200_000).toISOString() }, new Date(T0 + 7_200_000))
    const wrapper = await mountPage(faultId)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="filter-all"]').text()).toContain('2'))
    expect(wrapper.find('h1').text()).toBe('回访清单')
    expect(wrapper.text()).toContain('CRM')
    expect(wrapper.find('[data-testid="filter-noAnswer"]').text()).toBe('无人接听 1')
    const [first, second] = wrapper.findAll('[data-testid="worklist-entry"]')
    expect(first!.find('[data-testid="entry-state"]').text()).toBe('无人接听')
    expect(first!.find('[data-testid="step-note"]').text()).toBe('备注：关机')
    const action = { resolved: '已回访解决', noAnswer: '无人接听', reentered: '已补录 CRM', reopened: '撤销，重新回访' }
    expect(first!.findAll('[data-testid^="act-"]').map((b) => b.text())).toEqual(allowedActions('noAnswer').map((a) => action[a]))
    expect(second!.find('[data-testid="entry-state"]').text()).toBe('待回访')
    expect(second!.find('.steps').exists()).toBe(false)
    wrapper.unmount()

    const empty = await mountPage(newId(), '.banner-info')
    expect(empty.find('.banner-info').text()).toContain('找不到这条故障记录')
    expect(empty.find('[data-testid="worklist"]').exists()).toBe(false)
    empty.unmount()
  })
})

describe('outage store', () => {
  it('holds every open fault live, even one older than the 25 newest faults', async () => {
    await fresh()
    const ids: string[] = []
    for (let i = 0; i < 26; i++) {
      const id = newId()
      ids.push(id)
      const at = new Date(T0 - (26 - i) * 3_600_000)
      await createFault(db, who, id, { system: `系统${i}`, symptom: '无法登录', scope: 'allSeats', startedAt: at.toISOString(), seat: '' }, [], at)
      if (i > 0) await appendFaultEvent(db, who, { faultId: id, type: 'recovered', at: at.toISOString(), who: '', note: '' }, [], at)
    }
    setActivePinia(createPinia())
    const outage = useOutageStore()
    await vi.waitFor(() => expect(outage.ready).toBe(true))
    expect(outage.faults.map((f) => f.id)).not.toContain(ids[0])
    expect(outage.open.map((f) => f.id)).toEqual([ids[0]])
  })
})
