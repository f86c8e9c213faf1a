import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import IncidentPage from '../../src/client/pages/IncidentPage.vue'
import FaultNewPage from '../../src/client/pages/FaultNewPage.vue'
import FaultPage from '../../src/client/pages/FaultPage.vue'
import TheAlarmCenter from '../../src/client/components/TheAlarmCenter.vue'
import { createAppI18n } from '../../src/client/i18n'
import { routes } from '../../src/client/router'
import { db } from '../../src/client/db/db'
import { useIncidentsStore } from '../../src/client/stores/incidents'
import { useOutageStore } from '../../src/client/stores/outage'
import { usePlaybooksStore } from '../../src/client/stores/playbooks'
import { toLocalInput } from '../../src/client/composables/useLocalTime'
import type { FaultData } from '../../src/shared/fault'
import type { IncidentData } from '../../src/shared/incident'
import { enrollTablet, signedInPerson } from './builders'

const MIN = 60_000

async function setup() {
  await db.delete()
  await db.open()
  await enrollTablet(db)
  await signedInPerson(db, { name: '李组长', role: 'shiftLeader' })
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createRouter({ history: createMemoryHistory(), routes })
  const plugins = [pinia, router, createAppI18n('zh-CN')]
  const incidents = useIncidentsStore()
  const outage = useOutageStore()
  const playbooks = usePlaybooksStore()
  await playbooks.loaded
  return { plugins, router, incidents, outage, playbooks }
}

type Setup = Awaited<ReturnType<typeof setup>>

/** A C2 incident and a fault recorded from it, as the fault form saves it. */
async function c2WithFault({ incidents, outage, playbooks }: Setup) {
  const incidentId = await incidents.start(playbooks.byId('C2')!, { drill: false })
  const started = (await db.records.get(incidentId))!.data as IncidentData
  const faultId = await outage.createFault(
    { system: 'CRM', symptom: '全部座席无法登录', scope: 'application', startedAt: started.startedAt, seat: '', incidentId },
    [],
  )
  return { incidentId, faultId, startedAt: Date.parse(started.startedAt) }
}

/** Moves the tablet's clock (and the stores' ticking `now`) to `at`. */
function clockAt(at: number, { incidents, outage }: Pick<Setup, 'incidents' | 'outage'>) {
  vi.useFakeTimers({ now: at, toFake: ['Date'] })
  incidents.now = new Date()
  outage.now = new Date()
}

/** Fills in a "told at … by …" form and submits it. */
async function tell(wrapper: VueWrapper, testid: string, told: { at?: number; note?: string } = {}) {
  const form = wrapper.find(`[data-testid="${testid}-form"]`)
  expect(form.exists(), testid).toBe(true)
  if (told.at !== undefined) await form.find('input[name="toldAt"]').setValue(toLocalInput(new Date(told.at).toISOString()))
  if (told.note) await form.find('input[name="toldNote"]').setValue(told.note)
  await form.trigger('submit')
  await flushPromises()
}

const ofKind = (kind: string) => db.records.filter((r) => r.kind === kind).toArray()

afterEach(() => {
  vi.useRealTimers()
})

describe('a C2 incident and its outage', () => {
  it('offers the fault record, manual calls and the logs for C2, and none of them for H9', async () => {
    const s = await setup()
    const c2 = await s.incidents.start(s.playbooks.byId('C2')!, { drill: false })
    const page = mount(IncidentPage, { props: { id: c2 }, global: { plugins: s.plugins } })
    await vi.waitFor(() => expect(page.find('[data-testid="incident-outage"]').exists()).toBe(true))
    const panel = page.find('[data-testid="incident-outage"]')
    expect(panel.find('[data-testid="open-new-fault"]').attributes('href')).toBe(`/outage/faults/new?incidentId=${c2}`)
    expect(panel.find('[data-testid="open-new-call"]').attributes('href')).toBe('/calls/new')
    expect(panel.find('[data-testid="open-leader-log"]').attributes('href')).toBe('/outage/logs/leader')
    expect(panel.find('[data-testid="open-agent-log"]').attributes('href')).toBe('/outage/logs/agent')
    // the callback worklist is for after the recovery
    expect(panel.find('[data-testid="open-worklist"]').exists()).toBe(false)
    expect(panel.find('[data-testid="worklist-later"]').exists()).toBe(true)
    // and from the steps that name them: the 5-minute report opens the fault record, the manual record step a call
    expect(page.find('[data-testid="step-report-supervisor"] [data-testid="open-new-fault"]').exists()).toBe(true)
    expect(page.find('[data-testid="step-manual-record"] [data-testid="open-new-call"]').exists()).toBe(true)
    expect(page.find('[data-testid="step-log-symptom"] [data-testid="open-agent-log"]').exists()).toBe(true)
    page.unmount()

    const h9 = await s.incidents.start(s.playbooks.byId('H9')!, { drill: false, variantId: 'hall-finds' })
    const hall = mount(IncidentPage, { props: { id: h9 }, global: { plugins: s.plugins } })
    await vi.waitFor(() => expect(hall.find('[data-testid="incident"]').exists()).toBe(true))
    expect(hall.find('[data-testid="open-lost-found"]').exists()).toBe(true)
    for (const id of ['incident-outage', 'outage-forms-step', 'open-new-fault', 'open-new-call', 'open-leader-log', 'open-agent-log']) {
      expect(hall.find(`[data-testid="${id}"]`).exists(), id).toBe(false)
    }
  })

  it('records a fault from the incident: tied to it, from its start, on its clocks, listed on it', async () => {
    const s = await setup()
    const incidentId = await s.incidents.start(s.playbooks.byId('C2')!, { drill: false })
    const incidentStart = ((await db.records.get(incidentId))!.data as IncidentData).startedAt
    await s.router.push(`/outage/faults/new?incidentId=${incidentId}`)
    const form = mount(FaultNewPage, { global: { plugins: s.plugins } })
    // pre-filled from the incident: its start, and the scope plan C2 suggests
    await vi.waitFor(() => expect(form.find('[data-testid="fault-from-incident"]').text()).toContain('C2'))
    expect((form.find('input[name="startedAt"]').element as HTMLInputElement).value).toBe(toLocalInput(incidentStart))
    expect(form.find('[data-testid="scope-application"]').attributes('aria-pressed')).toBe('true')
    await form.find('input[name="system"]').setValue('CRM')
    await form.find('textarea[name="symptom"]').setValue('全部座席无法登录')
    await vi.waitFor(() => expect(form.find('[data-testid="fault-save"]').attributes('disabled')).toBeUndefined())
    await form.find('[data-testid="fault-form"]').trigger('submit')
    await vi.waitFor(async () => expect(await ofKind('fault')).toHaveLength(1))
    const [fault] = await ofKind('fault')
    expect(fault!.data).toMatchObject({ incidentId, startedAt: incidentStart, scope: 'application' })
    expect(fault!.parentId).toBe(incidentId)
    form.unmount()

    const page = mount(FaultPage, { props: { id: fault!.id }, global: { plugins: s.plugins } })
    await vi.waitFor(() => expect(page.find('[data-testid="incident-clocks"]').text()).toContain('5分钟内上报主管'))
    // one set of clocks: the incident's, counted from its start; the fault's own list is gone
    expect(page.find('[data-testid="notify"]').exists()).toBe(false)
    expect(page.find('[data-testid="tell-step-report-supervisor"]').exists()).toBe(true)
    expect(page.find('[data-testid="fault-incident-link"]').attributes('href')).toBe(`/incidents/${incidentId}`)
    expect(s.outage.notifyItems(s.outage.faults.find((f) => f.id === fault!.id)!)).toEqual([])
    page.unmount()

    const incidentPage = mount(IncidentPage, { props: { id: incidentId }, global: { plugins: s.plugins } })
    await vi.waitFor(() => expect(incidentPage.findAll('[data-testid="incident-fault"]')).toHaveLength(1))
    expect(incidentPage.find('[data-testid="incident-fault-state"]').text()).toContain('故障中')
    expect(incidentPage.find('[data-testid="step-report-supervisor"] [data-testid="open-fault"]').attributes('href')).toBe(`/outage/faults/${fault!.id}`)
    expect(incidentPage.find('[data-testid="incident-outage"] [data-testid="open-new-call"]').attributes('href')).toBe(`/calls/new?fault=${fault!.id}`)
    // recovered 42 minutes into the incident, recorded then
    clockAt(Date.parse(incidentStart) + 42 * MIN, s)
    await s.outage.recordFaultEvent({ faultId: fault!.id, type: 'recovered', at: new Date().toISOString(), who: '', note: '' })
    await vi.waitFor(() => expect(incidentPage.find('[data-testid="incident-fault-state"]').text()).toContain('已恢复'))
    expect(incidentPage.find('[data-testid="incident-fault-duration"]').text()).toContain('历时')
    expect(incidentPage.find('[data-testid="incident-outage"] [data-testid="open-worklist"]').attributes('href')).toBe(`/outage/faults/${fault!.id}/worklist`)
  })

  it('telling the supervisor on the fault ticks the incident step: one event stream, one alarm', async () => {
    const s = await setup()
    const { incidentId, faultId, startedAt } = await c2WithFault(s)
    clockAt(startedAt + 6 * MIN, s)
    const bar = mount(TheAlarmCenter, { global: { plugins: s.plugins } })
    // six minutes on: the 5-minute report is overdue, and it rings once, as the incident's
    await vi.waitFor(() => expect(bar.findAll('.alarm-link')).toHaveLength(1))
    expect(bar.find('[data-testid="fault-alarm-link"]').exists()).toBe(false)
    expect(s.incidents.alarms.map((a) => a.alarm.key)).toEqual(['step:report-supervisor'])
    expect(s.outage.alarms).toEqual([])

    const page = mount(FaultPage, { props: { id: faultId }, global: { plugins: s.plugins } })
    await vi.waitFor(() => expect(page.find('[data-testid="tell-report-supervisor-form"]').exists()).toBe(true))
    await tell(page, 'tell-report-supervisor', { note: '电话通知王主管' })
    await vi.waitFor(() => expect(page.find('[data-testid="tell-step-report-supervisor"] [data-testid="told"]').text()).toContain('电话通知王主管'))

    const events = await ofKind('incidentEvent')
    expect(events.map((e) => e.data)).toEqual([expect.objectContaining({ incidentId, type: 'tick', stepId: 'report-supervisor', note: '电话通知王主管' })])
    expect(await ofKind('faultEvent')).toEqual([])
    // the step is done (late: told at minute 6) and the alarm is gone everywhere
    expect(s.incidents.byId(incidentId)?.clocks.find((c) => c.stepId === 'report-supervisor')?.status).toBe('doneLate')
    await vi.waitFor(() => expect(bar.find('[data-testid="alarm-bar"]').exists()).toBe(false))
    const checklist = mount(IncidentPage, { props: { id: incidentId }, global: { plugins: s.plugins } })
    await vi.waitFor(() => expect(checklist.find('[data-testid="step-report-supervisor"] [data-testid="done-by"]').text()).toContain('电话通知王主管'))
  })

  it('judges the 5-minute clock by the time the supervisor was told, as corrected', async () => {
    const s = await setup()
    const tied = await c2WithFault(s)
    clockAt(tied.startedAt + 9 * MIN, s)
    const page = mount(FaultPage, { props: { id: tied.faultId }, global: { plugins: s.plugins } })
    await vi.waitFor(() => expect(page.find('[data-testid="tell-report-supervisor-form"]').exists()).toBe(true))
    // ticked at minute 9, but the supervisor was told at minute 4 by phone: in time
    await tell(page, 'tell-report-supervisor', { at: tied.startedAt + 4 * MIN, note: '电话' })
    await vi.waitFor(() => expect(page.find('[data-testid="tell-step-report-supervisor"] [data-testid="clock"]').attributes('data-status')).toBe('done'))
    const [tick] = await ofKind('incidentEvent')
    expect(Date.parse(String(tick!.data.doneAt))).toBe(Math.floor((tied.startedAt + 4 * MIN) / MIN) * MIN)
    expect(page.find('[data-testid="tell-step-report-supervisor"] [data-testid="told"]').text()).toContain('补记')
    // a time in the future is refused, nothing recorded
    await tell(page, 'tell-notify-center-manager', { at: tied.startedAt + 30 * MIN })
    expect(page.find('[data-testid="tell-notify-center-manager-form"] [role="alert"]').text()).toContain('不能晚于现在')
    expect(await ofKind('incidentEvent')).toHaveLength(1)
    // correcting the time takes the refusal away
    await page.find('[data-testid="tell-notify-center-manager-form"] input[name="toldAt"]').setValue(toLocalInput(new Date(tied.startedAt + 8 * MIN).toISOString()))
    expect(page.find('[data-testid="tell-notify-center-manager-form"] [role="alert"]').exists()).toBe(false)
    page.unmount()

    // a fault on its own, same rule on its own clock: told at minute 6 is late, at minute 4 in time
    const standalone = (at: number): FaultData => ({ system: '话务平台', symptom: '无法外呼', scope: 'allSeats', startedAt: new Date(at).toISOString(), seat: '' })
    const late = await s.outage.createFault(standalone(tied.startedAt), [])
    const own = mount(FaultPage, { props: { id: late }, global: { plugins: s.plugins } })
    await vi.waitFor(() => expect(own.find('[data-testid="notified-supervisor-form"]').exists()).toBe(true))
    await tell(own, 'notified-supervisor', { at: tied.startedAt + 6 * MIN })
    await vi.waitFor(() => expect(own.find('[data-testid="notify"]').text()).toContain('超时通知'))
    await tell(own, 'notified-opsSpecialist', { at: tied.startedAt + 1 * MIN, note: '小周' })
    await vi.waitFor(() => expect(own.find('[data-testid="notify"]').text()).toContain('小周'))
    const told = (await ofKind('faultEvent')).map((e) => e.data)
    expect(told).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'notified', role: 'supervisor' }),
        expect.objectContaining({ type: 'notified', role: 'opsSpecialist', who: '小周' }),
      ]),
    )
    const items = s.outage.notifyItems(s.outage.faults.find((f) => f.id === late)!)
    expect(Object.fromEntries(items.map((i) => [i.role, i.status]))).toMatchObject({ supervisor: 'doneLate', opsSpecialist: 'done' })
  })

  it('says under a "told" form why it was not recorded, and keeps what was typed', async () => {
    const s = await setup()
    const faultId = await s.outage.createFault({ system: 'CRM', symptom: '无法外呼', scope: 'allSeats', startedAt: new Date(Date.now() - MIN).toISOString(), seat: '' }, [])
    const page = mount(FaultPage, { props: { id: faultId }, global: { plugins: s.plugins } })
    await vi.waitFor(() => expect(page.find('[data-testid="notified-supervisor-form"]').exists()).toBe(true))
    const spy = vi.spyOn(db.records, 'add').mockRejectedValueOnce(Object.assign(new Error('quota'), { name: 'QuotaExceededError' }))
    await tell(page, 'notified-supervisor', { note: '电话通知王主管' })
    const form = page.find('[data-testid="notified-supervisor-form"]')
    await vi.waitFor(() => expect(form.find('[role="alert"]').exists()).toBe(true))
    expect(form.find('[role="alert"]').text()).toContain('存储空间已满')
    expect((form.find('input[name="toldNote"]').element as HTMLInputElement).value).toBe('电话通知王主管')
    expect(await ofKind('faultEvent')).toEqual([])
    spy.mockRestore()

    // sent again, it is recorded with the note
    await form.trigger('submit')
    await vi.waitFor(() => expect(page.find('[data-testid="notified-supervisor-form"]').exists()).toBe(false))
    expect((await ofKind('faultEvent')).map((e) => e.data)).toEqual([expect.objectContaining({ type: 'notified', role: 'supervisor', who: '电话通知王主管' })])
  })

  it('refuses a recovery time in the future, on the page and in the store', async () => {
    const s = await setup()
    const start = Date.now() - 10 * MIN
    const faultId = await s.outage.createFault({ system: 'CRM', symptom: '查询缓慢', scope: 'application', startedAt: new Date(start).toISOString(), seat: '' }, [])
    const page = mount(FaultPage, { props: { id: faultId }, global: { plugins: s.plugins } })
    await vi.waitFor(() => expect(page.find('[data-testid="record-recovery"]').exists()).toBe(true))
    await page.find('input[name="recoveredAt"]').setValue(toLocalInput(new Date(Date.now() + 30 * MIN).toISOString()))
    await page.find('[data-testid="record-recovery"]').trigger('click')
    await flushPromises()
    expect(page.find('[role="alert"]').text()).toContain('恢复时间不能晚于现在')
    expect(page.find('[data-testid="fault-state"]').text()).toContain('故障中')
    const future = { faultId, type: 'recovered' as const, at: new Date(Date.now() + 30 * MIN).toISOString(), who: '', note: '' }
    await expect(s.outage.recordFaultEvent(future)).rejects.toThrow(RangeError)
    expect(await ofKind('faultEvent')).toEqual([])

    // corrected to a past time, it is recorded
    await page.find('input[name="recoveredAt"]').setValue(toLocalInput(new Date(start + 5 * MIN).toISOString()))
    await page.find('[data-testid="record-recovery"]').trigger('click')
    await vi.waitFor(() => expect(page.find('[data-testid="fault-state"]').text()).toContain('已恢复'))
    expect(page.find('[role="alert"]').exists()).toBe(false)
  })

  it("raises a fault's own overdue deadline as an alarm, acknowledged and recorded", async () => {
    const s = await setup()
    const start = Date.now()
    const faultId = await s.outage.createFault({ system: 'CRM', symptom: '查询缓慢', scope: 'application', startedAt: new Date(start).toISOString(), seat: '' }, [])
    clockAt(start + 6 * MIN, s)
    const bar = mount(TheAlarmCenter, { global: { plugins: s.plugins } })
    // the ops specialist (at once) and the supervisor (5 min) were not told
    await vi.waitFor(() => expect(bar.findAll('[data-testid="fault-alarm-link"]')).toHaveLength(2))
    expect(bar.find('[data-testid="alarm-bar"]').text()).toContain('CRM：未按时通知呼叫中心主管')
    expect(bar.find('[data-testid="fault-alarm-link"]').attributes('href')).toBe(`/outage/faults/${faultId}`)

    const page = mount(FaultPage, { props: { id: faultId }, global: { plugins: s.plugins } })
    await vi.waitFor(() => expect(page.find('[data-testid="ack-fault-supervisor"]').attributes('disabled')).toBeUndefined())
    await page.find('[data-testid="ack-fault-supervisor"]').trigger('click')
    await vi.waitFor(() => expect(bar.findAll('[data-testid="fault-alarm-link"]')).toHaveLength(1))
    const [ack] = await ofKind('faultEvent')
    expect(ack).toMatchObject({ author: '李组长', data: { faultId, type: 'alarmAck', role: 'supervisor' } })
    expect(page.find('[data-testid="fault-timeline"]').text()).toContain('确认提醒：呼叫中心主管')
    // acknowledged is not told: the deadline still shows as overdue
    expect(page.find('[data-testid="notify"]').text()).toContain('已超时')
  })
})
