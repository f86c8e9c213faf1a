import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import IncidentsArchivePage from '../../src/client/pages/IncidentsArchivePage.vue'
import IncidentPage from '../../src/client/pages/IncidentPage.vue'
import IncidentReportPage from '../../src/client/pages/IncidentReportPage.vue'
import IncidentReviewPage from '../../src/client/pages/IncidentReviewPage.vue'
import { createAppI18n } from '../../src/client/i18n'
import { routes } from '../../src/client/router'
import { db } from '../../src/client/db/db'
import { useIncidentsStore } from '../../src/client/stores/incidents'
import { usePlaybooksStore } from '../../src/client/stores/playbooks'
import { enrollTablet, signedInPerson } from './builders'
import { DAY_MS, envelope, pull, SEED_T0, seedIncidents } from './incident-builders'

async function setup(path = '/incidents') {
  await db.delete()
  await db.open()
  await enrollTablet(db)
  await signedInPerson(db, { name: '一号台' })
  const seeded = await seedIncidents(db, 130)
  const pinia = createPinia()
  setActivePinia(pinia)
  await usePlaybooksStore().loaded
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push(path)
  const plugins = [pinia, router, createAppI18n('zh-CN')]
  return { seeded, router, plugins }
}

const rows = (wrapper: VueWrapper) => wrapper.findAll('[data-testid="archive-row"]')
const total = (wrapper: VueWrapper) => wrapper.find('[data-testid="archive-count"]').attributes('data-total')

// Each test seeds 130 incidents with their events into the fake IndexedDB: seconds on a busy machine.
describe('incident archive page', { timeout: 20_000 }, () => {
  it('shows the newest 50 of all 130 incidents, and "more" loads the next page', async () => {
    const { seeded, router, plugins } = await setup()
    const wrapper = mount(IncidentsArchivePage, { global: { plugins } })
    await vi.waitFor(() => expect(rows(wrapper)).toHaveLength(50))
    expect(total(wrapper)).toBe('130')
    expect(wrapper.find('[data-testid="archive-count"]').text()).toBe('共 130 个事件')
    expect(rows(wrapper).map((r) => r.attributes('data-id'))).toEqual(seeded.slice(0, 50).map((s) => s.id))

    await wrapper.find('[data-testid="archive-more"]').trigger('click')
    await vi.waitFor(() => expect(rows(wrapper)).toHaveLength(100))
    expect(router.currentRoute.value.query.shown).toBe('100')
    await wrapper.find('[data-testid="archive-more"]').trigger('click')
    await vi.waitFor(() => expect(rows(wrapper)).toHaveLength(130))
    expect(rows(wrapper).at(-1)!.attributes('data-id')).toBe(seeded.at(-1)!.id)
    expect(wrapper.find('[data-testid="archive-more"]').exists()).toBe(false)
  })

  it('filters the whole archive, keeps the filters in the URL, and starts again at the first page', async () => {
    const { seeded, router, plugins } = await setup('/incidents?shown=100')
    const wrapper = mount(IncidentsArchivePage, { global: { plugins } })
    await vi.waitFor(() => expect(rows(wrapper)).toHaveLength(100))

    await wrapper.find('select[name="state"]').setValue('open')
    const open = seeded.filter((s) => !s.closed)
    await vi.waitFor(() => expect(rows(wrapper).map((r) => r.attributes('data-id'))).toEqual(open.map((s) => s.id)))
    await vi.waitFor(() => expect(total(wrapper)).toBe(String(open.length)))
    expect(router.currentRoute.value.query).toEqual({ state: 'open' })
    expect(rows(wrapper).every((r) => r.text().includes('进行中'))).toBe(true)

    await wrapper.find('select[name="mode"]').setValue('drill')
    const openDrills = open.filter((s) => s.drill)
    await vi.waitFor(() => expect(rows(wrapper).map((r) => r.attributes('data-id'))).toEqual(openDrills.map((s) => s.id)))
    await vi.waitFor(() => expect(total(wrapper)).toBe(String(openDrills.length)))
    expect(wrapper.find('[data-testid="archive-count"]').text()).toBe(`符合条件的事件 ${openDrills.length} 个`)

    // a link or a reload with filters in the URL: the selects and rows follow it
    await router.push('/incidents?plan=H4&state=closed')
    const h4Closed = seeded.filter((s) => s.playbookId === 'H4' && s.closed)
    await vi.waitFor(() => expect(rows(wrapper).map((r) => r.attributes('data-id'))).toEqual(h4Closed.slice(0, 50).map((s) => s.id)))
    await vi.waitFor(() => expect(total(wrapper)).toBe(String(h4Closed.length)))
    expect((wrapper.find('select[name="playbook"]').element as HTMLSelectElement).value).toBe('H4')
    expect((wrapper.find('select[name="mode"]').element as HTMLSelectElement).value).toBe('')

    // start days, both included (the tablet's own days)
    const day = (i: number) => {
      const at = new Date(SEED_T0 + i * DAY_MS)
      return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`
    }
    await router.push('/incidents')
    await vi.waitFor(() => expect(total(wrapper)).toBe('130'))
    await wrapper.find('input[name="from"]').setValue(day(10))
    await wrapper.find('input[name="to"]').setValue(day(19))
    await vi.waitFor(() => expect(total(wrapper)).toBe('10'))
    await vi.waitFor(() => expect(rows(wrapper).map((r) => r.attributes('data-id'))).toEqual(seeded.slice(-20, -10).map((s) => s.id)))
    expect(router.currentRoute.value.query).toEqual({ from: day(10), to: day(19) })

    await wrapper.find('[data-testid="archive-clear"]').trigger('click')
    await vi.waitFor(() => expect(total(wrapper)).toBe('130'))
    expect(router.currentRoute.value.query).toEqual({})
  })

  it('shows which rows have a report or a review', async () => {
    const { seeded, plugins } = await setup()
    await pull(db, [
      envelope('incidentReport', new Date().toISOString(), { incidentId: seeded[0]!.id }),
      envelope('incidentReview', new Date().toISOString(), { incidentId: seeded[1]!.id }),
    ])
    const wrapper = mount(IncidentsArchivePage, { global: { plugins } })
    await vi.waitFor(() => expect(rows(wrapper)).toHaveLength(50))
    expect(rows(wrapper)[0]!.find('[data-testid="archive-report"]').text()).toBe('已报告')
    expect(rows(wrapper)[1]!.find('[data-testid="archive-report"]').text()).toBe('未报告')
    expect(rows(wrapper)[1]!.find('[data-testid="archive-review"]').exists()).toBe(true)
    expect(rows(wrapper)[2]!.find('[data-testid="archive-review"]').exists()).toBe(false)
  })

  it('opens an old closed incident, its report and its review, although the store does not hold it live', async () => {
    const { seeded, plugins } = await setup()
    const oldest = seeded.at(-1)!
    expect(oldest.closed).toBe(true)
    const incidents = useIncidentsStore()
    await vi.waitFor(() => expect(incidents.ready).toBe(true))
    expect(incidents.byId(oldest.id)).toBeUndefined()

    const page = mount(IncidentPage, { props: { id: oldest.id }, global: { plugins } })
    await vi.waitFor(() => expect(page.find('[data-testid="incident"]').exists()).toBe(true))
    expect(page.findAll('[data-testid="timeline-entry"]')).toHaveLength(2)
    expect(page.find('[data-testid="close-incident"]').exists()).toBe(false)

    const report = mount(IncidentReportPage, { props: { id: oldest.id }, global: { plugins } })
    await vi.waitFor(() => expect(report.find('[data-testid="report-form"]').exists()).toBe(true))
    const review = mount(IncidentReviewPage, { props: { id: oldest.id }, global: { plugins } })
    await vi.waitFor(() => expect(review.find('[data-testid="review-page"]').exists()).toBe(true))

    const missing = mount(IncidentPage, { props: { id: '0192f0c4-9999-7000-8000-000000000009' }, global: { plugins } })
    await vi.waitFor(() => expect(missing.find('[data-testid="incident-missing"]').exists()).toBe(true))
    await flushPromises()
  })
})
