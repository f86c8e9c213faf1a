import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { db } from '../../src/client/db/db'
import { applyPullPage } from '../../src/client/db/sync-repository'
import { useIncidentsStore } from '../../src/client/stores/incidents'
import { usePlaybooksStore } from '../../src/client/stores/playbooks'
import { newId } from '../../src/shared/ids'
import type { Playbook } from '../../src/shared/playbook'
import type { RecordEnvelope } from '../../src/shared/records'
import { DEVICE_ID, signedInPerson, enrollTablet } from './builders'

const OTHER_SITE = '0192f0c4-3333-7000-8000-000000000003'

function pulled(kind: 'playbook' | 'contact', data: Record<string, unknown>, serverSeq: number): RecordEnvelope {
  const at = '2026-11-28T08:00:00.000Z'
  return { id: newId(), kind, siteId: OTHER_SITE, deviceId: DEVICE_ID, author: '主管', createdAt: at, updatedAt: at, serverSeq, data }
}

beforeEach(async () => {
  await db.delete()
  await db.open()
  await enrollTablet(db)
  await signedInPerson(db, { name: '一号台' })
  setActivePinia(createPinia())
})

describe('playbooks store', () => {
  it('has the shipped plans and contacts before any pull', async () => {
    const store = usePlaybooksStore()
    await store.loaded
    expect(store.playbooks).toHaveLength(19)
    expect(store.byId('C4')?.version).toBe(1)
    expect(store.contact('police')?.phone).toBe('110')
  })

  it('shows a pulled plan edit and contact change, and an incident keeps the version it started with', async () => {
    const store = usePlaybooksStore()
    await store.loaded
    const incidents = useIncidentsStore()
    const c4 = store.byId('C4')!
    const id = await incidents.start(c4, { drill: false })
    await vi.waitFor(() => expect(incidents.byId(id)).toBeDefined())

    const v2: Playbook = structuredClone(c4)
    v2.version = 2
    v2.steps.push({ id: 'tell-duty-manager', text: { 'zh-CN': '通知值班经理', en: 'Tell the duty manager' }, role: c4.steps[0]!.role })
    const vendor = store.contact('system-vendor')!
    await applyPullPage(db, {
      records: [pulled('playbook', v2, 40), pulled('contact', { ...vendor, phone: '400-800-1234', version: 2 }, 41)],
      cursor: 41,
      hasMore: false,
      lastMutationId: 0,
    })
    await vi.waitFor(() => expect(store.byId('C4')?.version).toBe(2))
    expect(store.byId('C4')?.steps.at(-1)?.id).toBe('tell-duty-manager')
    expect(store.byIdVersion('C4', 1)?.steps).toHaveLength(c4.steps.length)
    expect(store.contact('system-vendor')?.phone).toBe('400-800-1234')
    expect(store.playbooks).toHaveLength(19)

    // the running incident still reads version 1; a new one starts on version 2
    expect(incidents.byId(id)?.playbook?.version).toBe(1)
    expect(incidents.byId(id)?.playbook?.steps.some((s) => s.id === 'tell-duty-manager')).toBe(false)
    const id2 = await incidents.start(store.byId('C4')!, { drill: true })
    await vi.waitFor(() => expect(incidents.byId(id2)?.playbook?.version).toBe(2))
  })

  it('saves an edit as a new record with the next version, queued for the server', async () => {
    const store = usePlaybooksStore()
    await store.loaded
    const c4 = structuredClone(store.byId('C4')!)
    c4.title = { 'zh-CN': '新标题', en: 'New title' }
    const saved = await store.savePlaybook(c4)
    expect(saved.version).toBe(2)
    await vi.waitFor(() => expect(store.byId('C4')?.title.en).toBe('New title'))
    const records = await db.records.where('[kind+createdAt]').between(['playbook', ''], ['playbook', '\uffff']).toArray()
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({ syncState: 'pending', data: { id: 'C4', version: 2 } })
    expect(await db.outbox.count()).toBe(1)

    const contact = await store.saveContact({ ...store.contact('ops-specialist')!, phone: '8001' })
    expect(contact.version).toBe(2)
    await vi.waitFor(() => expect(store.contact('ops-specialist')?.phone).toBe('8001'))
  })

  it('refuses to save an invalid plan', async () => {
    const store = usePlaybooksStore()
    await store.loaded
    const c4 = structuredClone(store.byId('C4')!)
    c4.steps[0]!.text.en = ' '
    await expect(store.savePlaybook(c4)).rejects.toThrow()
    expect(await db.outbox.count()).toBe(0)
  })
})
