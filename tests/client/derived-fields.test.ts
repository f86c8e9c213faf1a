import { describe, expect, it } from 'vitest'
import { createRecord } from '../../src/client/db/records-repository'
import { applyPushResult } from '../../src/client/db/sync-repository'
import { countWorklist } from '../../src/client/db/outage-repository'
import { countIncidentArchive } from '../../src/client/db/incidents-repository'
import { newId } from '../../src/shared/ids'
import type { RecordEnvelope } from '../../src/shared/records'
import { callRecord, freshDb, spyOnRecords } from './builders'
import { envelope, event, incident, pull } from './incident-builders'

const T0 = Date.parse('2026-11-01T00:00:00.000Z')

/**
 * A database that counts the child reads of the derived-fields middleware: the queries of
 * `[parentId+kind+createdAt]` it makes below itself (this spy sits under it, at a lower level).
 */
async function countingDb() {
  let childReads = 0
  const spy = spyOnRecords(
    'childReadSpy',
    (table) => ({
      query: (req) => {
        if (req.query.index.name === '[parentId+kind+createdAt]') childReads++
        return table.query(req)
      },
    }),
    5,
  )
  const db = await freshDb(spy)
  return {
    db,
    childReads: () => {
      const n = childReads
      childReads = 0
      return n
    },
  }
}

const serverCopy = (records: RecordEnvelope[]) => records.map((r) => ({ ...r, serverSeq: (r.serverSeq ?? 0) + 10_000 }))

describe('derived fields', () => {
  it('reads no child again when a pull brings back records the tablet holds as they were', async () => {
    const { db, childReads } = await countingDb()
    const faultId = newId()
    const fault = { ...envelope('fault', new Date(T0).toISOString(), { system: 'CRM', symptom: '无法登录', scope: 'allSeats', startedAt: new Date(T0).toISOString(), seat: '' }), id: faultId }
    const calls = Array.from({ length: 20 }, (_, i) => ({ ...callRecord({ createdAt: new Date(T0 + i * 60_000).toISOString() }), serverSeq: i + 1, data: { ...callRecord().data, faultId } }))
    const steps = calls.slice(0, 8).map((c, i) =>
      envelope('callbackEvent', new Date(T0 + 3_600_000 + i).toISOString(), { callRecordId: c.id, state: 'resolved', note: '', at: new Date(T0 + 3_600_000 + i).toISOString() }),
    )
    const open = incident(new Date(T0).toISOString())
    const closed = incident(new Date(T0 + 1_000).toISOString())
    const incidents = [open, closed, event(closed.id, 'close', T0 + 60_000), envelope('incidentReport', new Date(T0 + 120_000).toISOString(), { incidentId: closed.id })]
    const all: RecordEnvelope[] = [fault, ...calls, ...steps, ...incidents]
    await pull(db, all)
    expect(childReads()).toBeGreaterThan(0)
    const worklist = await countWorklist(db, faultId)
    expect(worklist).toMatchObject({ '*': 20, toCall: 12, resolved: 8 })
    const stored = await db.records.bulkGet(all.map((r) => r.id))

    // the server's copies of the same records (another serverSeq), in another order
    await pull(db, serverCopy([...all].reverse()))
    expect(childReads()).toBe(0)
    expect(await db.records.bulkGet(all.map((r) => r.id))).toEqual(stored.map((r) => ({ ...r, serverSeq: r!.serverSeq! + 10_000 })))
    expect(await countWorklist(db, faultId)).toEqual(worklist)
    expect(await countIncidentArchive(db, { state: 'closed' })).toBe(1)
    expect((await db.records.get(closed.id))?.paperwork).toEqual(['incidentReport'])

    // a step that is new: its call, and only its call, is derived again
    await pull(db, [envelope('callbackEvent', new Date(T0 + 7_200_000).toISOString(), { callRecordId: calls[10]!.id, state: 'noAnswer', note: '', at: new Date(T0 + 7_200_000).toISOString() })])
    expect(childReads()).toBe(1)
    expect(await countWorklist(db, faultId)).toMatchObject({ '*': 20, toCall: 11, noAnswer: 1, resolved: 8 })
  })

  it('reads no child when a push marks records synced, and keeps their fields', async () => {
    const { db, childReads } = await countingDb()
    const faultId = newId()
    const [first, second] = [callRecord({ data: { ...callRecord().data, faultId } }), callRecord({ data: { ...callRecord().data, faultId } })]
    await createRecord(db, first)
    await createRecord(db, second)
    await pull(db, [envelope('callbackEvent', new Date(T0).toISOString(), { callRecordId: first.id, state: 'noAnswer', note: '', at: new Date(T0).toISOString() })])
    const before = await db.records.bulkGet([first.id, second.id])
    expect(before.map((r) => r?.deskKeys?.length)).toEqual([expect.any(Number), expect.any(Number)])
    childReads()

    const sent = await db.outbox.toArray()
    await applyPushResult(db, sent, { lastMutationId: 2, results: sent.map((e) => ({ mutationId: e.mutationId, status: 'accepted' as const })) }, new Date(T0).toISOString())
    expect(childReads()).toBe(0)
    expect(await db.records.bulkGet([first.id, second.id])).toEqual(before.map((r) => ({ ...r, syncState: 'synced' })))
    expect(await countWorklist(db, faultId)).toMatchObject({ '*': 2, toCall: 1, noAnswer: 1 })
  })
})
