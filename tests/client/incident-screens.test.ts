import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import IncidentPage from '../../src/client/pages/IncidentPage.vue'
import IncidentReportPage from '../../src/client/pages/IncidentReportPage.vue'
import MediaLogPage from '../../src/client/pages/MediaLogPage.vue'
import LostFoundNewPage from '../../src/client/pages/LostFoundNewPage.vue'
import { loadEnglish } from '../../src/client/i18n'
import { db } from '../../src/client/db/db'
import type { useIncidentsStore } from '../../src/client/stores/incidents'
import type { IncidentEventData } from '../../src/shared/incident'
import type { DrillRecordData, IncidentReportData } from '../../src/shared/incident-report'
import { incidentScreens, seedIncidents } from './incident-builders'

const MIN = 60_000
/** Moves the tablet's clock (and the store's ticking `now`) to `at`; IndexedDB keeps its real timers. */
function clockAt(at: number, incidents: ReturnType<typeof useIncidentsStore>) {
  vi.useFakeTimers({ now: at, toFake: ['Date'] })
  incidents.now = new Date()
}

const eventsOf = async (incidentId: string) =>
  (await db.records.filter((r) => r.kind === 'incidentEvent' && (r.data as IncidentEventData).incidentId === incidentId).toArray())
    .map((r) => r.data as IncidentEventData)
    .sort((a, b) => (a.hlc < b.hlc ? -1 : 1))

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

describe('incident screen', () => {
  it('ticks a step: the event is stored with its author and shows in the timeline', async () => {
    const { plugins, incidents, c2 } = await incidentScreens()
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
    const { plugins, incidents, c2 } = await incidentScreens()
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

  it('closing takes the incident out of the live set, and its page goes on showing it, closed', async () => {
    const { plugins, incidents, c2 } = await incidentScreens()
    const id = await incidents.start(c2, { drill: false })
    await vi.waitFor(() => expect(incidents.open.map((i) => i.id)).toEqual([id]))
    const wrapper = mount(IncidentPage, { props: { id }, global: { plugins } })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="close-incident"]').exists()).toBe(true))
    const page = wrapper.get('[data-testid="incident"]').element
    vi.stubGlobal('confirm', () => true)
    await wrapper.get('[data-testid="close-incident"]').trigger('click')
    // no clock of it is computed any more, every second …
    await vi.waitFor(() => expect(incidents.incidents).toEqual([]))
    // … and the page read it on its own all along: the same page, never "not found" on the way
    await vi.waitFor(() => expect(wrapper.find('[data-testid="close-incident"]').exists()).toBe(false))
    expect(wrapper.text()).toContain('已结束')
    expect(wrapper.get('[data-testid="incident"]').element).toBe(page)
    expect(wrapper.find('[data-testid="incident-missing"]').exists()).toBe(false)
  })
})

describe('incident report', () => {
  it('is pre-filled from the timeline and cannot be submitted with a content missing', async () => {
    const { plugins, incidents, c2 } = await incidentScreens()
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

describe('call surge levels (C8)', () => {
  it('starts a level when its step is ticked, and keeps it started through an untick', async () => {
    const { plugins, incidents, playbooks } = await incidentScreens()
    const id = await incidents.start(playbooks.byId('C8')!, { drill: false })
    const wrapper = mount(IncidentPage, { props: { id }, global: { plugins } })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="incident"]').exists()).toBe(true))
    expect(incidents.byId(id)?.clocks.find((c) => c.key === 'level:level-2')?.status).toBe('waiting')

    // "启动一级支持" on the checklist: the tick and the level's start, stored together
    await wrapper.find('[data-testid="step-level-1-all-agents"] [data-testid="tick"]').trigger('click')
    await vi.waitFor(async () => expect(await eventsOf(id)).toHaveLength(2))
    const [tick, start] = await eventsOf(id)
    expect(tick).toMatchObject({ type: 'tick', stepId: 'level-1-all-agents' })
    expect(start).toMatchObject({ type: 'levelStart', levelId: 'level-1', at: tick!.at })
    // level 2 is due 30 minutes after level 1, on every tablet that gets these events
    await vi.waitFor(() =>
      expect(incidents.byId(id)?.clocks.find((c) => c.key === 'level:level-2')).toMatchObject({ status: 'running', dueAt: Date.parse(start!.at) + 30 * MIN }),
    )
    await vi.waitFor(() => expect(wrapper.find('[data-testid="level-level-1"]').exists()).toBe(false))
    expect(wrapper.text()).toContain('一级支持已启动')

    // the level's own button ticks the step that carries it out: one action, both records
    await wrapper.find('[data-testid="level-level-2"]').trigger('click')
    await vi.waitFor(async () => expect((await eventsOf(id)).map((e) => e.type)).toEqual(['tick', 'levelStart', 'tick', 'levelStart']))
    expect((await eventsOf(id)).slice(2)).toEqual([
      expect.objectContaining({ type: 'tick', stepId: 'level-2-standby-staff' }),
      expect.objectContaining({ type: 'levelStart', levelId: 'level-2' }),
    ])
    await vi.waitFor(() => expect(wrapper.find('[data-testid="step-level-2-standby-staff"] [data-testid="untick"]').exists()).toBe(true))

    // unticking "start level 1" says the level stays started; cancelled, nothing is recorded
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    await wrapper.find('[data-testid="step-level-1-all-agents"] [data-testid="untick"]').trigger('click')
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('不会取消一级支持'))
    expect(await eventsOf(id)).toHaveLength(4)
    // confirmed: the step is unticked, the level is not (nor the clocks that count from it)
    confirm.mockReturnValue(true)
    await wrapper.find('[data-testid="step-level-1-all-agents"] [data-testid="untick"]').trigger('click')
    await vi.waitFor(async () => expect((await eventsOf(id)).at(-1)).toMatchObject({ type: 'untick', stepId: 'level-1-all-agents' }))
    await vi.waitFor(() => expect(incidents.byId(id)?.state.steps.get('level-1-all-agents')).toEqual({ done: false }))
    expect(incidents.byId(id)?.state.levels.get('level-1')).toMatchObject({ at: start!.at })
    expect(incidents.byId(id)?.clocks.find((c) => c.key === 'level:level-3')?.status).toBe('running')
    // ticking it again records the tick only: the level had started
    await wrapper.find('[data-testid="step-level-1-all-agents"] [data-testid="tick"]').trigger('click')
    await vi.waitFor(async () => expect((await eventsOf(id)).at(-1)).toMatchObject({ type: 'tick', stepId: 'level-1-all-agents' }))
    expect((await eventsOf(id)).filter((e) => e.type === 'levelStart')).toHaveLength(2)
  })

  it('starts a level with no step of its own from its button', async () => {
    const { plugins, incidents, playbooks } = await incidentScreens()
    const c8 = playbooks.byId('C8')!
    // the center's edit of C8: level 3 is no longer a checklist step
    const edited = await playbooks.savePlaybook({ ...c8, steps: c8.steps.filter((s) => s.levelId !== 'level-3') })
    await vi.waitFor(() => expect(playbooks.byId('C8')?.version).toBe(edited.version))
    const id = await incidents.start(edited, { drill: false })
    const wrapper = mount(IncidentPage, { props: { id }, global: { plugins } })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="level-level-3"]').exists()).toBe(true))
    expect(wrapper.find('[data-testid="level-level-3"]').attributes('title')).toBeUndefined()
    expect(wrapper.find('[data-testid="level-level-2"]').attributes('title')).toContain('启动二级支持')
    await wrapper.find('[data-testid="level-level-3"]').trigger('click')
    await vi.waitFor(async () => expect((await eventsOf(id)).map((e) => [e.type, e.levelId ?? e.stepId])).toEqual([['levelStart', 'level-3']]))
  })
})

describe('drill record', () => {
  it('keeps each step against its deadline, from the drill timeline, and shows it', async () => {
    const { plugins, incidents, c2 } = await incidentScreens()
    const t0 = Date.now()
    clockAt(t0, incidents)
    const id = await incidents.start(c2, { drill: true })
    // reported at minute 4; the operations supervisor told at minute 12 (two minutes late)
    clockAt(t0 + 4 * MIN, incidents)
    await incidents.tick(id, 'report-supervisor')
    clockAt(t0 + 12 * MIN, incidents)
    await incidents.tick(id, 'notify-operations-supervisor')
    clockAt(t0 + 15 * MIN, incidents)

    const wrapper = mount(IncidentPage, { props: { id }, global: { plugins } })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="drill-record"] form').exists()).toBe(true))
    const form = wrapper.find('[data-testid="drill-record"] form')
    await vi.waitFor(() => expect(form.find('[data-testid="drill-step-notify-operations-supervisor"]').attributes('data-outcome')).toBe('late'))
    await form.find('textarea[name="participants"]').setValue('张三\n李四')
    await form.find('textarea[name="evaluation"]').setValue('通知运营主管晚了两分钟')
    await form.trigger('submit')

    await vi.waitFor(async () => expect(await db.records.filter((r) => r.kind === 'drillRecord').count()).toBe(1))
    const [record] = await db.records.filter((r) => r.kind === 'drillRecord').toArray()
    const data = record!.data as DrillRecordData
    const row = (stepId: string) => data.stepTimes?.find((r) => r.stepId === stepId)
    const at = (ms: number) => new Date(ms).toISOString()
    const startedAt = Date.parse((await db.records.get(id))!.data.startedAt as string)
    expect(row('report-supervisor')).toMatchObject({ outcome: 'onTime', doneAt: at(t0 + 4 * MIN), deadline: { minutes: 5, dueAt: at(startedAt + 5 * MIN) } })
    expect(row('notify-operations-supervisor')).toMatchObject({ outcome: 'late', lateMs: t0 + 12 * MIN - (startedAt + 10 * MIN) })
    expect(row('notify-center-manager')).toMatchObject({ outcome: 'notDone', doneAt: null })
    expect(row('consider-vendor')).toMatchObject({ outcome: 'notDue' })
    expect(data.stepTimes).toHaveLength(c2.steps.length)

    // the saved record shows them: the archive and the console read the same record
    const saved = wrapper.find('[data-testid="drill-record"]')
    await vi.waitFor(() => expect(saved.find('form').exists()).toBe(false))
    expect(saved.find('[data-testid="drill-step-report-supervisor"]').attributes('data-outcome')).toBe('onTime')
    expect(saved.find('[data-testid="drill-step-notify-operations-supervisor"]').text()).toContain('超时 2:00')
    expect(saved.find('[data-testid="drill-step-notify-center-manager"]').text()).toContain('未完成')
    expect(saved.find('[data-testid="drill-on-time"]').text()).toContain('1 / 3')
  })
})

describe('the printed report', () => {
  it('is Chinese when the screen is English; the screen stays English', async () => {
    const { plugins, incidents, c2 } = await incidentScreens({ english: true })
    const id = await incidents.start(c2, { drill: true })
    await incidents.tick(id, 'report-supervisor')
    const none = '无'
    const report: IncidentReportData = {
      incidentId: id, siteName: '第一服务大厅', location: '一楼', occurredAt: new Date().toISOString(), incidentType: 'systemFailure',
      propertyLoss: none, casualties: none, scope: '全部座席', measures: '手工记录', control: '已控制', development: none, other: none,
    }
    await incidents.submit('incidentReport', report)
    const english = await loadEnglish()

    const wrapper = mount(IncidentReportPage, { props: { id }, global: { plugins } })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="report-print"]').exists()).toBe(true))
    const screen = wrapper.get('[data-testid="report-view"]')
    const print = wrapper.get('[data-testid="report-print"]')
    // on screen: English headings, and it is not what prints
    expect(screen.classes()).toContain('no-print')
    expect(screen.findAll('h3').map((h) => h.text())).toEqual([...Object.values(english.report.contents), english.incident.timeline])
    // printed: the Chinese sheet, with the plan's Chinese title, Chinese event lines and dates
    expect(print.classes()).toContain('print-only')
    expect(print.attributes('lang')).toBe('zh-CN')
    expect(print.findAll('h3').map((h) => h.text())).toEqual([
      '一、服务大厅（中心）名称、地点', '二、事件发生的时间', '三、事件的类型', '四、事件的影响和危害程度',
      '五、已采取的应急措施及对事件的控制程度', '六、事态发展趋势、可能造成的潜在损失及进一步的应对措施', '七、其他有关内容', '时间线',
    ])
    expect(print.get('h2').text()).toContain('突发事件报告 · C2')
    expect(print.get('h2').text()).toContain(c2.title['zh-CN'])
    expect(print.get('h2').text()).toContain('（演练）')
    expect(print.text()).toContain('业务系统故障') // the event type, in Chinese
    expect(print.text()).toContain('完成：上报呼叫中心主管')
    expect(print.text()).not.toContain(c2.title.en)
    expect(print.text()).not.toMatch(/\b(AM|PM|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/)
    expect(screen.text()).toContain(english.report.types.systemFailure)
  })
})

describe('the report prefill', () => {
  it('is in the words of the paper, Chinese, when the screen is English', async () => {
    const { plugins, incidents, c2 } = await incidentScreens({ english: true })
    const id = await incidents.start(c2, { drill: false })
    await incidents.tick(id, 'report-supervisor')
    await vi.waitFor(() => expect(incidents.byId(id)?.state.steps.get('report-supervisor')?.done).toBe(true))
    const step = c2.steps.find((s) => s.id === 'report-supervisor')!
    const wrapper = mount(IncidentReportPage, { props: { id }, global: { plugins } })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="report-form"]').exists()).toBe(true))
    const measures = (wrapper.get('textarea[name="measures"]').element as HTMLTextAreaElement).value
    expect(measures).toMatch(new RegExp(`^\\d{2}:\\d{2} ${step.text['zh-CN']}（一号台）$`))
    expect(measures).not.toContain(step.text.en)
    const english = await loadEnglish()
    expect(wrapper.get('[data-testid="report-form"] legend').text()).toBe(english.report.contents['1']) // the form itself stays English
  })
})

describe('pages linked to an old incident', () => {
  /**
   * The app with a few incidents pulled, at `path` opened from a closed `playbookId` incident:
   * one the store's live set (the open incidents, waited for) does not hold.
   */
  async function fromClosedIncident(playbookId: string, path: string) {
    const { plugins, router, incidents } = await incidentScreens()
    const seeded = await seedIncidents(db, 6)
    const old = seeded.find((i) => i.closed && i.playbookId === playbookId)!
    expect(old).toBeDefined()
    await vi.waitFor(() => expect(incidents.open.map((i) => i.id)).toEqual(seeded.filter((i) => !i.closed).map((i) => i.id)))
    expect(incidents.byId(old.id)).toBeUndefined()
    await router.push({ path, query: { incident: old.id } })
    return { plugins, router, old }
  }

  it('the media log shows the incident an entry is linked to', async () => {
    const { plugins, old } = await fromClosedIncident('H4', '/hall/media')
    const wrapper = mount(MediaLogPage, { global: { plugins } })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="media-incident"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="media-incident"]').text()).toContain('H4')
    expect(wrapper.get('[data-testid="media-incident"] a').attributes('href')).toBe(`/incidents/${old.id}`)
  })

  it('the lost-and-found entry shows the incident it was opened from', async () => {
    const { plugins, router } = await fromClosedIncident('H9', '/hall/lost-found/new')
    const wrapper = mount(LostFoundNewPage, { global: { plugins } })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="lf-incident"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="lf-incident"]').text()).toContain('H9')
    expect(router.currentRoute.value.name).toBe('lost-found-draft')
  })
})
