import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import IncidentPage from '../../src/client/pages/IncidentPage.vue'
import IncidentReportPage from '../../src/client/pages/IncidentReportPage.vue'
import { createAppI18n } from '../../src/client/i18n'
import { routes } from '../../src/client/router'
import { db } from '../../src/client/db/db'
import { useIncidentsStore } from '../../src/client/stores/incidents'
import { usePlaybooksStore } from '../../src/client/stores/playbooks'
import { signedInPerson, enrollTablet } from './builders'

async function setup() {
  await db.delete()
  await db.open()
  await enrollTablet(db)
  await signedInPerson(db, { name: '一号台' })
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createRouter({ history: createMemoryHistory(), routes })
  const plugins = [pinia, router, createAppI18n('zh-CN')]
  const incidents = useIncidentsStore()
  await usePlaybooksStore().loaded
  const c2 = usePlaybooksStore().byId('C2')!
  return { plugins, incidents, c2 }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('incident screen', () => {
  it('ticks a step: the event is stored with its author and shows in the timeline', async () => {
    const { plugins, incidents, c2 } = await setup()
    const id = await incidents.start(c2, { drill: false })
    const wrapper = mount(IncidentPage, { props: { id }, global: { plugins } })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="incident"]').exists()).toBe(true))
    const firstStep = c2.steps[0]!.id
    await wrapper.find(`[data-testid="step-${firstStep}"] [data-testid="tick"]`).trigger('click')
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="timeline-entry"]')).toHaveLength(1))
    expect(wrapper.find('[data-testid="timeline"]').text()).toContain('一号台')
    expect(wrapper.find(`[data-testid="step-${firstStep}"] [data-testid="untick"]`).exists()).toBe(true)
    const events = await db.records.filter((r) => r.kind === 'incidentEvent').toArray()
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ author: '一号台', data: { type: 'tick', stepId: firstStep } })
    expect(await db.outbox.count()).toBe(2) // the incident and the tick, both queued for the server
  })

  it('raises an overdue alarm and records who acknowledged it', async () => {
    const { plugins, incidents, c2 } = await setup()
    const id = await incidents.start(c2, { drill: false })
    // Six minutes later: the five-minute report deadline has passed.
    const later = new Date(Date.now() + 6 * 60_000)
    vi.useFakeTimers({ now: later, toFake: ['Date'] })
    incidents.now = new Date()
    const wrapper = mount(IncidentPage, { props: { id }, global: { plugins } })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="alarms"]').exists()).toBe(true))
    const ack = wrapper.find('[data-testid="alarms"] button')
    expect(wrapper.find('[data-testid="alarms"]').text()).toContain('已超时')
    await ack.trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="alarms"]').exists()).toBe(false))
    expect(wrapper.find('[data-testid="timeline"]').text()).toContain('确认提醒')
  })
})

describe('incident report', () => {
  it('is pre-filled from the timeline and cannot be submitted with a content missing', async () => {
    const { plugins, incidents, c2 } = await setup()
    const id = await incidents.start(c2, { drill: false })
    await incidents.tick(id, c2.steps[0]!.id)
    // the live query has the tick before the report opens (a person opens it later, not in the same tick)
    await vi.waitFor(() => expect(incidents.byId(id)?.state.timeline.some((e) => e.type === 'tick')).toBe(true))
    const wrapper = mount(IncidentReportPage, { props: { id }, global: { plugins } })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="report-form"]').exists()).toBe(true))
    const form = wrapper.find('[data-testid="report-form"]')
    expect((form.find('input[name="siteName"]').element as HTMLInputElement).value).toBe('第一服务大厅')
    expect((form.find('select[name="incidentType"]').element as HTMLSelectElement).value).toBe('systemFailure')
    expect((form.find('textarea[name="measures"]').element as HTMLTextAreaElement).value).toContain('一号台')

    await form.trigger('submit')
    await flushPromises()
    // location, property loss, casualties, scope, control, development, other
    expect(wrapper.find('[data-testid="report-missing"]').text()).toContain('7')
    expect(wrapper.find('[data-testid="error-casualties"]').text()).toContain('没有请写“无”')
    expect(await db.records.filter((r) => r.kind === 'incidentReport').count()).toBe(0)

    await form.find('input[name="location"]').setValue('一楼大厅')
    for (const field of ['propertyLoss', 'casualties', 'scope', 'control', 'development', 'other']) {
      await form.find(`textarea[name="${field}"]`).setValue('无')
    }
    await form.trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="report-view"]').exists()).toBe(true))
    const reports = await db.records.filter((r) => r.kind === 'incidentReport').toArray()
    expect(reports).toHaveLength(1)
    expect(reports[0]!.data).toMatchObject({ incidentId: id, location: '一楼大厅', incidentType: 'systemFailure' })
    expect(wrapper.find('[data-testid="report-view"]').text()).toContain('一、服务大厅（中心）名称、地点')
  })
})
