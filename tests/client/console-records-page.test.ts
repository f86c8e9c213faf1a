import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import ConsoleRecordsPage from '../../src/client/pages/ConsoleRecordsPage.vue'
import { createTestI18n } from './i18n-helper'
import { routes } from '../../src/client/router'
import { CONSOLE_SESSION_KEY } from '../../src/client/stores/console'
import type { ConsoleRecordRow, ConsoleRecords } from '../../src/shared/console'
import { label, SESSION, SITE } from './console-builders'


function incidentRow(id: string, status: 'open' | 'closed', drill = false): ConsoleRecordRow {
  return {
    id,
    kind: 'incident',
    siteId: SITE,
    siteName: '第一营业厅',
    at: '2026-11-27T01:00:00.000Z',
    author: '张组长',
    createdAt: '2026-11-27T01:00:00.000Z',
    summary: 'H4 火灾',
    status,
    drill,
    columns: { playbookId: 'H4' },
    data: {},
    related: {},
  }
}

/** What the server answers: the rows given, and the plans the filter offers. */
function answer(rows: ConsoleRecordRow[], query: URLSearchParams): ConsoleRecords {
  const state = query.get('state')
  const mode = query.get('mode')
  return {
    generatedAt: '2026-11-28T00:00:00.000Z',
    kind: (query.get('kind') as ConsoleRecords['kind']) ?? null,
    siteIds: [SITE],
    from: query.get('from'),
    to: query.get('to'),
    state: state === 'open' || state === 'closed' ? state : null,
    plan: query.get('plan'),
    mode: mode === 'real' || mode === 'drill' ? mode : null,
    truncated: false,
    rows,
    plans: [
      { id: 'H4', title: label('火灾', 'Fire'), category: 'serviceHall' },
      { id: 'H7', title: label('客户突发疾病', 'Customer taken ill'), category: 'serviceHall' },
    ],
  }
}

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })

/** The records page at `path`, the server answering with `rowsFor(query)`; every request's query is kept. */
async function open(path: string, rowsFor: (query: URLSearchParams) => ConsoleRecordRow[] = () => []) {
  sessionStorage.setItem(CONSOLE_SESSION_KEY, JSON.stringify(SESSION))
  const requests: URLSearchParams[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    const url = new URL(String(input), 'http://console.test')
    requests.push(url.searchParams)
    return json(answer(rowsFor(url.searchParams), url.searchParams))
  })
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push(path)
  const wrapper = mount(ConsoleRecordsPage, { global: { plugins: [pinia, router, createTestI18n('zh-CN')] } })
  await vi.waitFor(() => expect(wrapper.find('[data-testid="console-records-count"]').exists()).toBe(true))
  return { wrapper, router, requests }
}

const search = async (wrapper: VueWrapper) => {
  await wrapper.find('form').trigger('submit')
}

beforeEach(() => {
  sessionStorage.clear()
})
afterEach(() => {
  vi.restoreAllMocks()
})

describe('console records page: incident filters', () => {
  it('puts a picked state in the URL and the request, shows the count, and keeps it over a reload', async () => {
    const { wrapper, router, requests } = await open('/console/records?kind=incident', (q) =>
      q.get('state') === 'closed' ? [incidentRow('i1', 'closed'), incidentRow('i2', 'closed', true)] : [incidentRow('i1', 'closed'), incidentRow('i3', 'open')],
    )
    expect(requests).toHaveLength(1)
    expect(requests[0]!.get('kind')).toBe('incident')
    expect(requests[0]!.has('state')).toBe(false)
    // the default window is written to the URL with the first search
    expect(router.currentRoute.value.query.from).toMatch(/^\d{4}-\d{2}-\d{2}$/)

    // the plan choices are the server's, titled in the interface's language
    const planOptions = wrapper.findAll('[data-testid="console-filter-plan"] option').map((o) => o.text())
    expect(planOptions).toEqual(['全部预案', 'H4 火灾', 'H7 客户突发疾病'])
    expect(wrapper.findAll('[data-testid="console-filter-state"] option').map((o) => o.text())).toEqual(['全部状态', '进行中', '已结束'])

    await wrapper.find('[data-testid="console-filter-state"]').setValue('closed')
    await wrapper.find('[data-testid="console-filter-plan"]').setValue('H4')
    await wrapper.find('[data-testid="console-filter-mode"]').setValue('real')
    await search(wrapper)
    await vi.waitFor(() => expect(requests).toHaveLength(2))
    expect(requests[1]!.get('state')).toBe('closed')
    expect(requests[1]!.get('plan')).toBe('H4')
    expect(requests[1]!.get('mode')).toBe('real')
    await vi.waitFor(() => expect(router.currentRoute.value.query).toMatchObject({ kind: 'incident', state: 'closed', plan: 'H4', mode: 'real' }))
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="console-record-row"]')).toHaveLength(2))
    expect(wrapper.find('[data-testid="console-records-count"]').text()).toBe('共 2 条')
    // only the one search: writing the URL does not read again
    expect(requests).toHaveLength(2)
    // (vue-router forgets its place once the last app using it is gone)
    const url = router.currentRoute.value.fullPath
    wrapper.unmount()

    // a reload (or a link) at that URL shows the same filters and asks for the same records
    const reloaded = await open(url)
    expect((reloaded.wrapper.find('[data-testid="console-filter-state"]').element as HTMLSelectElement).value).toBe('closed')
    expect((reloaded.wrapper.find('[data-testid="console-filter-plan"]').element as HTMLSelectElement).value).toBe('H4')
    expect(reloaded.requests[0]!.get('state')).toBe('closed')
    expect(reloaded.requests[0]!.get('plan')).toBe('H4')
    expect(reloaded.requests[0]!.get('from')).toBe(requests[1]!.get('from'))
    // nothing matches: said in words
    expect(reloaded.wrapper.find('[data-testid="console-records-none"]').text()).toBe('没有符合条件的记录。')
    expect(reloaded.wrapper.find('[data-testid="console-records-count"]').text()).toBe('共 0 条')
    reloaded.wrapper.unmount()
  })

  it('hides and drops the state and plan for a type they do not apply to, and says what "all types" lists', async () => {
    const { wrapper, router, requests } = await open('/console/records?from=&state=open&plan=H7')
    // all types: the filters apply, and the page says they list incidents only
    expect(requests[0]!.get('state')).toBe('open')
    expect(requests[0]!.get('plan')).toBe('H7')
    expect(requests[0]!.has('from')).toBe(false)
    expect(wrapper.find('[data-testid="console-records-incident-only"]').exists()).toBe(true)

    await wrapper.find('[data-testid="console-filter-kind"]').setValue('callRecord')
    expect(wrapper.find('[data-testid="console-filter-state"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="console-filter-plan"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="console-filter-mode"]').exists()).toBe(false)
    await search(wrapper)
    await vi.waitFor(() => expect(requests).toHaveLength(2))
    expect(requests[1]!.get('kind')).toBe('callRecord')
    expect(requests[1]!.has('state')).toBe(false)
    expect(requests[1]!.has('plan')).toBe(false)
    await vi.waitFor(() => expect(router.currentRoute.value.query).toEqual({ kind: 'callRecord', from: '' }))

    // back to incidents: the state is "all" again, not the hidden one
    await wrapper.find('[data-testid="console-filter-kind"]').setValue('incident')
    expect((wrapper.find('[data-testid="console-filter-state"]').element as HTMLSelectElement).value).toBe('')
    wrapper.unmount()
  })

  it('reads filters changed in the URL from outside (a link to the same page)', async () => {
    const { wrapper, router, requests } = await open('/console/records?kind=incident')
    await router.push('/console/records?kind=incident&state=open&from=2026-11-01')
    await vi.waitFor(() => expect(requests).toHaveLength(2))
    expect(requests[1]!.get('state')).toBe('open')
    expect((wrapper.find('[data-testid="console-filter-state"]').element as HTMLSelectElement).value).toBe('open')
    expect((wrapper.find('[data-testid="console-filter-from"]').element as HTMLInputElement).value).toBe('2026-11-01')
    wrapper.unmount()
  })
})
