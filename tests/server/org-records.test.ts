import { beforeAll, expect, it } from 'vitest'
import { newId } from '../../src/shared/ids'
import { SYSTEM_SITE_ID } from '../../src/shared/org-records'
import type { Contact, Playbook } from '../../src/shared/playbook'
import { DEFAULT_CONTACTS, SHIPPED_PLAYBOOKS } from '../../src/shared/playbooks'
import type { RecordEnvelope } from '../../src/shared/records'
import {
  callRecord,
  creates,
  enroll,
  pull,
  pullAll,
  push,
  uniqueSiteName,
  type TestDevice,
  storeFactories,
  describeOnStores,
} from './helpers'

const STORES = await storeFactories()

const T0 = '2026-11-28T08:00:00.000+08:00'
const shipped = (id: string): Playbook => {
  const p = SHIPPED_PLAYBOOKS.find((x) => x.id === id)
  if (!p) throw new Error(`no shipped ${id}`)
  return structuredClone(p)
}

function orgRecord(device: TestDevice, kind: 'playbook' | 'contact', data: Record<string, unknown>): RecordEnvelope {
  return {
    id: newId(),
    kind,
    siteId: device.siteId,
    deviceId: device.deviceId,
    author: device.personName,
    personId: device.personId,
    createdAt: T0,
    updatedAt: T0,
    serverSeq: null,
    data,
  }
}

/** C4 edited by a supervisor: one step more, the next version. */
function editedC4(version: number, stepText = '通知值班经理'): Playbook {
  const p = shipped('C4')
  p.version = version
  p.steps.push({ id: `extra-${version}`, text: { 'zh-CN': stepText, en: 'Tell the duty manager' }, role: p.steps[0]!.role })
  return p
}

const latest = (records: RecordEnvelope[], kind: string, id: string) =>
  records
    .filter((r) => r.kind === kind && r.data.id === id)
    .reduce<RecordEnvelope | undefined>((a, b) => (!a || (b.data.version as number) > (a.data.version as number) ? b : a), undefined)

describeOnStores(STORES, 'org-wide plans and contacts', (ctx) => {
  let seeded: number

  beforeAll(async () => {
    seeded = await ctx.t.store.seed({ playbooks: SHIPPED_PLAYBOOKS, contacts: DEFAULT_CONTACTS, now: new Date().toISOString() })
  })

  const newDevice = (siteName = uniqueSiteName()) => enroll(ctx.app, ctx.code, siteName)

  it('seeds the 19 shipped plans and the default contacts once, under the system site', async () => {
    expect(seeded).toBe(19 + DEFAULT_CONTACTS.length)
    expect(await ctx.t.store.seed({ playbooks: SHIPPED_PLAYBOOKS, contacts: DEFAULT_CONTACTS, now: new Date().toISOString() })).toBe(0)
    expect(await ctx.t.store.countRecords(SYSTEM_SITE_ID)).toBe(seeded)
  })

  it("gives a fresh device of any site every plan and contact by pull", async () => {
    for (const device of [await newDevice(), await newDevice()]) {
      const records = await pullAll(ctx.app, device, newId())
      const playbooks = records.filter((r) => r.kind === 'playbook')
      const contacts = records.filter((r) => r.kind === 'contact')
      expect(playbooks.map((r) => r.data.id).sort()).toEqual(SHIPPED_PLAYBOOKS.map((p) => p.id).sort())
      expect(contacts.map((r) => r.data.id).sort()).toEqual(DEFAULT_CONTACTS.map((c) => c.id).sort())
      expect(contacts.every((r) => r.data.version === 1)).toBe(true)
      const seqs = records.map((r) => r.serverSeq ?? 0)
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    }
  })

  it("sends one site's plan edit to every site, and its call records to none", async () => {
    const a = await newDevice()
    const b = await newDevice()
    const clientA = newId()
    const edit = orgRecord(a, 'playbook', editedC4(2))
    const call = callRecord(a)
    const res = await push(ctx.app, a, clientA, creates(1, [edit, call]))
    expect(res.body.results.map((r) => r.status)).toEqual(['accepted', 'accepted'])

    const seenByB = await pullAll(ctx.app, b, newId())
    expect(latest(seenByB, 'playbook', 'C4')?.id).toBe(edit.id)
    expect(seenByB.some((r) => r.id === call.id)).toBe(false)
    // ...and the site's own device gets its edit once, not twice
    const seenByA = await pullAll(ctx.app, a, clientA)
    expect(seenByA.filter((r) => r.id === edit.id)).toHaveLength(1)
    expect(seenByA.some((r) => r.id === call.id)).toBe(true)
  })

  it('refuses a plan whose version is not higher than the one on the server, with a reason', async () => {
    const a = await newDevice()
    const b = await newDevice()
    // Both start from what they have (say C7 v1) and edit offline.
    const fromA = orgRecord(a, 'playbook', { ...shipped('C7'), version: 2, summary: { 'zh-CN': 'A 改', en: 'A edit' } })
    const fromB = orgRecord(b, 'playbook', { ...shipped('C7'), version: 2, summary: { 'zh-CN': 'B 改', en: 'B edit' } })
    expect((await push(ctx.app, a, newId(), creates(1, [fromA]))).body.results[0]?.status).toBe('accepted')
    const second = await push(ctx.app, b, newId(), creates(1, [fromB]))
    expect(second.body.results[0]).toMatchObject({ status: 'rejected' })
    expect(second.body.results[0]?.reason).toMatch(/playbook C7 version 2 is not higher than version 2/)
    // an older version is refused too; the next one goes through
    const clientB = newId()
    const older = orgRecord(b, 'playbook', { ...shipped('C7'), version: 1 })
    const next = orgRecord(b, 'playbook', { ...shipped('C7'), version: 3 })
    const again = orgRecord(b, 'playbook', { ...shipped('C7'), version: 3 })
    const res = await push(ctx.app, b, clientB, creates(1, [older, next, again]))
    expect(res.body.results.map((r) => r.status)).toEqual(['rejected', 'accepted', 'rejected'])
    // a replay of the accepted one is a harmless duplicate, not a version clash with itself
    const replay = await push(ctx.app, b, clientB, creates(2, [next]))
    expect(replay.body.results[0]?.status).toBe('duplicate')
    const records = await pullAll(ctx.app, await newDevice(), newId())
    expect(latest(records, 'playbook', 'C7')?.id).toBe(next.id)
  })

  it('keeps contacts versioned the same way; the latest version reaches every site', async () => {
    const a = await newDevice()
    const vendor = DEFAULT_CONTACTS.find((c) => c.id === 'system-vendor') as Contact
    const edited = orgRecord(a, 'contact', { ...vendor, phone: '400-800-1234', version: 2 })
    const stale = orgRecord(a, 'contact', { ...vendor, phone: '400-000-0000', version: 1 })
    const res = await push(ctx.app, a, newId(), creates(1, [edited, stale]))
    expect(res.body.results.map((r) => r.status)).toEqual(['accepted', 'rejected'])
    const records = await pullAll(ctx.app, await newDevice(), newId())
    expect(latest(records, 'contact', 'system-vendor')?.data.phone).toBe('400-800-1234')
    // schema still applies: an emergency number cannot be emptied
    const police = DEFAULT_CONTACTS.find((c) => c.id === 'police') as Contact
    const bad = await push(ctx.app, a, newId(), creates(1, [orgRecord(a, 'contact', { ...police, phone: '', version: 2 })]))
    expect(bad.body.results[0]?.status).toBe('rejected')
  })

  it('pages the two halves of a pull in one server_seq order, without gaps or repeats', async () => {
    const a = await newDevice()
    const b = await newDevice()
    await push(ctx.app, a, newId(), creates(1, [callRecord(a), orgRecord(a, 'playbook', editedC4(10)), callRecord(a)]))
    await push(ctx.app, b, newId(), creates(1, [callRecord(b), orgRecord(b, 'playbook', editedC4(11)), callRecord(b)]))
    const clientA = newId()
    const full = await pullAll(ctx.app, a, clientA)
    const paged: RecordEnvelope[] = []
    let cursor = 0
    for (;;) {
      const { body } = await pull(ctx.app, a, clientA, cursor, 7)
      paged.push(...body.records)
      cursor = body.cursor
      if (!body.hasMore) break
    }
    expect(paged.map((r) => r.id)).toEqual(full.map((r) => r.id))
    expect(new Set(paged.map((r) => r.id)).size).toBe(paged.length)
    expect(full.filter((r) => r.kind === 'callRecord').every((r) => r.siteId === a.siteId)).toBe(true)
    expect(full.filter((r) => r.kind === 'callRecord')).toHaveLength(2)
    expect(latest(full, 'playbook', 'C4')?.data.version).toBe(11)
  })

  it('does not overwrite an edited plan when seeding again, and adds a newer shipped version', async () => {
    const c7 = shipped('C7')
    expect(await ctx.t.store.seed({ playbooks: [c7], contacts: [], now: new Date().toISOString() })).toBe(0)
    const c1 = { ...shipped('C1'), version: shipped('C1').version + 1 }
    expect(await ctx.t.store.seed({ playbooks: [c1], contacts: [], now: new Date().toISOString() })).toBe(1)
  })
})
