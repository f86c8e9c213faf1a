import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import RollCallPage from '../../src/client/pages/RollCallPage.vue'
import { createTestI18n } from './i18n-helper'
import { routes } from '../../src/client/router'
import { db } from '../../src/client/db/db'
import type { LocalRecord } from '../../src/client/db/AppDB'
import { createRecord, newEnvelope } from '../../src/client/db/records-repository'
import { localIndexOf } from '../../src/client/db/record-index'
import { useOperatorStore } from '../../src/client/stores/operator'
import { newId } from '../../src/shared/ids'
import type { PersonRecordData } from '../../src/shared/people'
import type { RecordEnvelope } from '../../src/shared/records'
import { DEVICE_ID, SITE_ID, enrollTablet } from './builders'

const OTHER_DEVICE = '0192f0c4-9999-7000-8000-000000000009'
const LEADER = { siteId: SITE_ID, deviceId: DEVICE_ID, author: '张组长', personId: '0192f0c4-4444-7000-8000-000000000004' }

/** A record as a pull stores it: already on the server, indexed like any other. */
async function pulled(record: RecordEnvelope, serverSeq: number) {
  const local: LocalRecord = { ...record, serverSeq, syncState: 'synced', ...localIndexOf(record) }
  await db.records.add(local)
}

function person(name: string, staffNo: string): PersonRecordData {
  return { id: newId(), version: 1, siteId: SITE_ID, name, staffNo, role: 'agent', phone: '', pin: null, active: true, manages: [] }
}

async function setup(rosterNames: string[] = ['张伟', '李娜', '王芳']) {
  await db.delete()
  await db.open()
  await enrollTablet(db)
  let seq = 1
  for (const [i, name] of rosterNames.entries()) {
    await pulled(newEnvelope({ siteId: SITE_ID, deviceId: OTHER_DEVICE, author: '管理员' }, 'person', newId(), person(name, `H00${i + 1}`), new Date()), seq++)
  }
  const incidentId = newId()
  const now = new Date()
  await createRecord(
    db,
    newEnvelope(LEADER, 'incident', incidentId, { playbookId: 'H4', playbookVersion: 1, startedAt: now.toISOString(), drill: false, note: '' }, now),
  )
  const pinia = createPinia()
  setActivePinia(pinia)
  // The signed-in person is the operator store's business (sign-in with PINs); here it is given.
  vi.spyOn(useOperatorStore(), 'who').mockResolvedValue(LEADER)
  const router = createRouter({ history: createMemoryHistory(), routes })
  const wrapper = mount(RollCallPage, { props: { id: incidentId }, global: { plugins: [pinia, router, createTestI18n('zh-CN')] } })
  await vi.waitFor(() => expect(wrapper.find('[data-testid="roll-call"]').exists()).toBe(true))
  // The roster is read with its schema, a chunk loaded on first use (the first import here is slow).
  await vi.waitFor(() => expect(wrapper.findAll('[data-testid="rc-person"]')).toHaveLength(rosterNames.length), { timeout: 5000 })
  return { wrapper, incidentId }
}

const row = (w: VueWrapper, name: string) => w.find(`[data-testid="rc-person"][data-name="${name}"]`)
const count = (w: VueWrapper, key: string) => w.find(`[data-testid="count-${key}"] .rc-count-n`).text()
const names = (w: VueWrapper, group: string) => w.findAll(`[data-testid="rc-group-${group}"] [data-testid="rc-person"]`).map((r) => r.attributes('data-name'))
const marks = () => db.records.filter((r) => r.kind === 'rollCallMark').toArray()
/** Past the page's guard against a bounce landing on the next row. */
const settle = () => new Promise((r) => setTimeout(r, 450))

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

describe('roll-call page', () => {
  it('marks people from the roster and by name, counts customers and completes, each tap a stored record', async () => {
    const { wrapper, incidentId } = await setup()
    expect(count(wrapper, 'unmarked')).toBe('3')
    // The roster's order (by name, as the roster lists it).
    expect(names(wrapper, 'unmarked')).toEqual(['李娜', '王芳', '张伟'])

    await row(wrapper, '李娜').find('[data-testid="mark-safe"]').trigger('click')
    await vi.waitFor(() => expect(count(wrapper, 'safe')).toBe('1'))
    expect(count(wrapper, 'unmarked')).toBe('2')
    // The marked person leaves the top: the next unmarked one is first now.
    expect(names(wrapper, 'unmarked')).toEqual(['王芳', '张伟'])
    expect(names(wrapper, 'safe')).toEqual(['李娜'])
    expect(row(wrapper, '李娜').find('[data-testid="rc-status"]').text()).toContain('张组长')

    await settle()
    await row(wrapper, '张伟').find('[data-testid="mark-injured"]').trigger('click')
    await vi.waitFor(() => expect(count(wrapper, 'injured')).toBe('1'))
    const note = row(wrapper, '张伟').find('[data-testid="rc-note"] input')
    await note.setValue('手臂烫伤，在对面药店')
    await row(wrapper, '张伟').find('[data-testid="rc-note"]').trigger('submit')
    await vi.waitFor(async () => expect((await marks()).some((m) => m.data.note === '手臂烫伤，在对面药店')).toBe(true))

    // Someone not on the roster, added by name, then marked missing.
    await wrapper.find('[data-testid="rc-add"] input').setValue('刘师傅')
    await wrapper.find('[data-testid="rc-add"]').trigger('submit')
    await vi.waitFor(() => expect(names(wrapper, 'unmarked')).toEqual(['王芳', '刘师傅']))
    await settle()
    await row(wrapper, '刘师傅').find('[data-testid="mark-missing"]').trigger('click')
    await vi.waitFor(() => expect(count(wrapper, 'missing')).toBe('1'))
    expect(wrapper.find('[data-testid="rc-missing-alert"]').text()).toContain('1 人失联')

    for (const button of ['customers-plus', 'customers-plus5', 'customers-plus', 'customers-minus']) {
      await wrapper.find(`[data-testid="${button}"]`).trigger('click')
    }
    await vi.waitFor(() => expect(wrapper.find('[data-testid="customers-count"]').text()).toBe('6'))
    await useRollCallFlush()
    await vi.waitFor(async () => {
      const counts = (await marks()).filter((m) => m.data.type === 'customers').sort((a, b) => (a.id < b.id ? -1 : 1))
      expect(counts.map((m) => m.data.count)).toEqual([1, 6, 7, 6])
    })

    const confirm = vi.fn(() => true)
    vi.stubGlobal('confirm', confirm)
    await wrapper.find('[data-testid="rc-complete"]').trigger('click')
    expect(String((confirm.mock.calls[0] as unknown[])[0])).toContain('未清点 1 人，失联 1 人')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="rc-completed"]').exists()).toBe(true))
    expect(wrapper.find('[data-testid="rc-complete"]').exists()).toBe(false)

    // One roll-call for the incident, every mark under it, all queued for the server.
    const rollCalls = await db.records.filter((r) => r.kind === 'rollCall').toArray()
    expect(rollCalls).toHaveLength(1)
    expect(rollCalls[0]).toMatchObject({ parentId: incidentId, author: '张组长', personId: LEADER.personId })
    const all = await marks()
    expect(all.every((m) => m.data.rollCallId === rollCalls[0]!.id && m.parentId === rollCalls[0]!.id)).toBe(true)
    expect(all.map((m) => m.data.type).filter((t) => t !== 'customers')).toEqual(['status', 'status', 'status', 'addPerson', 'status', 'complete'])
    expect(await db.outbox.count()).toBe(1 + 1 + all.length) // the incident, the roll-call, every mark
  })

  it('ignores a second tap on the row that slides under the thumb, but not a correction of the same person', async () => {
    const { wrapper } = await setup()
    await row(wrapper, '李娜').find('[data-testid="mark-safe"]').trigger('click')
    await vi.waitFor(() => expect(names(wrapper, 'unmarked')).toEqual(['王芳', '张伟']))
    // The bounce: the same spot, now 王芳's row, tapped again at once.
    await row(wrapper, '王芳').find('[data-testid="mark-safe"]').trigger('click')
    // A correction of the same person right away is taken.
    await row(wrapper, '李娜').find('[data-testid="mark-injured"]').trigger('click')
    await vi.waitFor(() => expect(count(wrapper, 'injured')).toBe('1'))
    expect(count(wrapper, 'safe')).toBe('0')
    expect(count(wrapper, 'unmarked')).toBe('2')
    expect((await marks()).map((m) => m.data.status)).toEqual(['safe', 'injured'])
  })

  it('shows the marks of another tablet as they arrive, and the newest mark wins', async () => {
    const { wrapper, incidentId } = await setup()
    await row(wrapper, '王芳').find('[data-testid="mark-missing"]').trigger('click')
    await vi.waitFor(() => expect(count(wrapper, 'missing')).toBe('1'))
    const rollCall = (await db.records.filter((r) => r.kind === 'rollCall').first())!
    const wang = (await db.records.filter((r) => r.kind === 'person' && r.data.name === '王芳').first())!
    // Tablet B found her at the assembly point a minute later; its mark comes down by pull.
    const later = new Date(Date.now() + 60_000)
    await pulled(
      newEnvelope({ siteId: SITE_ID, deviceId: OTHER_DEVICE, author: '二号台' }, 'rollCallMark', newId(), {
        rollCallId: rollCall.id, type: 'status', personId: wang.data.id, name: '王芳', status: 'safe', note: '', at: later.toISOString(),
      }, later),
      100,
    )
    await vi.waitFor(() => expect(count(wrapper, 'missing')).toBe('0'))
    expect(count(wrapper, 'safe')).toBe('1')
    expect(row(wrapper, '王芳').find('[data-testid="rc-status"]').text()).toContain('二号台')
    expect(wrapper.find('[data-testid="rc-missing-alert"]').exists()).toBe(false)
    expect(incidentId).toBe(rollCall.data.incidentId)
  })

  it('works with an empty roster: people are added by name', async () => {
    const { wrapper } = await setup([])
    expect(wrapper.find('[data-testid="rc-empty"]').exists()).toBe(true)
    expect(count(wrapper, 'unmarked')).toBe('0')
    await wrapper.find('[data-testid="rc-add"] input').setValue('临时工小周')
    await wrapper.find('[data-testid="rc-add"]').trigger('submit')
    await vi.waitFor(() => expect(names(wrapper, 'unmarked')).toEqual(['临时工小周']))
    expect(wrapper.find('[data-testid="rc-empty"]').exists()).toBe(false)
    await row(wrapper, '临时工小周').find('[data-testid="mark-safe"]').trigger('click')
    await vi.waitFor(() => expect(count(wrapper, 'safe')).toBe('1'))
    expect(wrapper.find('[data-testid="rc-all-marked"]').exists()).toBe(true)
  })
})

async function useRollCallFlush() {
  const { useRollCallStore } = await import('../../src/client/stores/rollCall')
  await useRollCallStore().flush()
}
