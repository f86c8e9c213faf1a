import { describe, expect, it } from 'vitest'
import Dexie from 'dexie'
import { AppDB } from '../../src/client/db/AppDB'
import { createRecord } from '../../src/client/db/records-repository'
import {
  appendCallbackEvent,
  appendFaultEvent,
  callsFromSince,
  createFault,
  listChildrenOfKind,
  listLog,
  listWorklist,
  searchCalls,
  type Who,
} from '../../src/client/db/outage-repository'
import { applyPullPage } from '../../src/client/db/sync-repository'
import { newId } from '../../src/shared/ids'
import type { FaultData } from '../../src/shared/fault'
import { callRecord, DEVICE_ID, freshDb, SITE_ID } from './builders'

const who: Who = { siteId: SITE_ID, deviceId: DEVICE_ID, author: '李组长' }
const NOW = new Date('2026-11-28T09:00:00Z')
const FAULT: FaultData = { system: 'CRM', symptom: '全部座席无法登录', scope: 'allSeats', startedAt: '2026-11-28T08:00:00.000Z', seat: '' }

function call(data: Record<string, unknown>, createdAt = '2026-11-28T08:10:00.000Z') {
  const base = callRecord()
  return { ...base, createdAt, updatedAt: createdAt, data: { ...base.data, callbackNeeded: false, ...data } }
}

describe('outage repository', () => {
  it('records a fault and its log line in one transaction, each with its own mutation', async () => {
    const db = await freshDb()
    const id = newId()
    await createFault(db, who, id, FAULT, [{ log: 'leader', type: 'fault', text: '故障：CRM' }], NOW)
    const log = await listLog(db, 'leader', 10)
    expect(log.map((r) => r.data)).toEqual([expect.objectContaining({ text: '故障：CRM', faultId: id, type: 'fault' })])
    expect(await listLog(db, 'agent', 10)).toEqual([])
    expect((await db.outbox.toArray()).map((m) => m.recordId).sort()).toEqual([id, log[0]!.id].sort())
  })

  it('stores neither the fault nor its log line when the transaction fails', async () => {
    const db = await freshDb()
    const id = newId()
    // A stale outbox row under the log line's mutation number makes the second insert fail.
    await db.outbox.add({ mutationId: 2, name: 'record.create', args: {}, createdAt: '', recordId: 'x' })
    await expect(createFault(db, who, id, FAULT, [{ log: 'leader', type: 'fault', text: 'z' }], NOW)).rejects.toThrow()
    expect(await db.records.get(id)).toBeUndefined()
    expect(await listLog(db, 'leader', 10)).toEqual([])
  })

  it('puts on the worklist only the calls of this outage that need a callback, each with its steps', async () => {
    const db = await freshDb()
    const faultId = newId()
    const other = newId()
    await createFault(db, who, faultId, FAULT, [], NOW)
    const needs = await createRecord(db, call({ faultId, callbackNeeded: true, request: '回电' }))
    await createRecord(db, call({ faultId, request: '咨询' }))
    await createRecord(db, call({ faultId: other, callbackNeeded: true }))
    await createRecord(db, call({ callbackNeeded: true }))
    await appendFaultEvent(db, who, { faultId, type: 'recovered', at: NOW.toISOString(), who: '', note: '' }, [], NOW)
    await appendCallbackEvent(db, who, { callRecordId: needs.id, state: 'noAnswer', note: '', at: NOW.toISOString() }, NOW)
    const list = (await listWorklist(db, faultId, { limit: 50 })).rows
    expect(list.map((e) => e.record.id)).toEqual([needs.id])
    expect(list[0]!.events.map((e) => e.data.state)).toEqual(['noAnswer'])
    expect((await listChildrenOfKind(db, faultId, 'faultEvent')).map((e) => e.data.type)).toEqual(['recovered'])
  })

  it('finds calls by number prefix (whatever the separators) and by name prefix', async () => {
    const db = await freshDb()
    const wang = await createRecord(db, call({ callerPhone: '13800138000', callerName: '王先生' }))
    const li = await createRecord(db, call({ callerPhone: '010-12345678', callerName: '李女士' }))
    await createRecord(db, call({ callerPhone: '13912345678', callerName: 'Zhao Lei' }))
    expect((await searchCalls(db, '138 0013', 10)).map((r) => r.id)).toEqual([wang.id])
    expect((await searchCalls(db, '010-1234', 10)).map((r) => r.id)).toEqual([li.id])
    expect((await searchCalls(db, '1', 10)).length).toBe(2)
    expect((await searchCalls(db, '李', 10)).map((r) => r.id)).toEqual([li.id])
    expect((await searchCalls(db, 'zhao', 10)).length).toBe(1)
    expect(await searchCalls(db, '周', 10)).toEqual([])
  })

  it('finds earlier calls from the same number, also ones pulled from other tablets', async () => {
    const db = await freshDb()
    await createRecord(db, call({ callerPhone: '13800138000' }, '2026-11-28T07:00:00.000Z'))
    const recent = await createRecord(db, call({ callerPhone: '138-0013-8000' }, '2026-11-28T08:30:00.000Z'))
    const pulled = { ...call({ callerPhone: '+86 13800138000' }, '2026-11-28T08:40:00.000Z'), serverSeq: 1 }
    await applyPullPage(db, { records: [pulled], cursor: 1, hasMore: false, lastMutationId: 0 })
    const found = await callsFromSince(db, '13800138000', '2026-11-28T08:00:00.000Z')
    expect(found.map((r) => r.id)).toEqual([pulled.id, recent.id])
  })

  it('derives the search keys of call records stored before version 3', async () => {
    const name = `test-${newId()}`
    const old = new Dexie(name)
    old.version(2).stores({ meta: 'key', records: 'id, [kind+createdAt], syncState, serverSeq, [parentId+createdAt]', outbox: 'mutationId, recordId', drafts: 'id, [kind+updatedAt]', syncIssues: 'mutationId, recordId, createdAt' })
    const before = { ...call({ callerPhone: '0755-1234567', callerName: '陈 先生' }), syncState: 'synced' }
    await old.table('records').add(before)
    old.close()
    const db = new AppDB(name)
    expect(await db.records.get(before.id)).toMatchObject({ phoneKey: '07551234567', nameKey: '陈先生' })
    expect((await searchCalls(db, '0755', 5)).map((r) => r.id)).toEqual([before.id])
  })
})
