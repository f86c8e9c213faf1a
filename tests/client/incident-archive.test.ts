import { afterEach, describe, expect, it, vi } from 'vitest'
import Dexie from 'dexie'
import { createPinia, setActivePinia } from 'pinia'
import { AppDB } from '../../src/client/db/AppDB'
import { db as appDb } from '../../src/client/db/db'
import { localIndexOf } from '../../src/client/db/record-index'
import { incidentArchiveKeys } from '../../src/client/db/incident-index'
import { addIncidentRecord, appendIncidentEvents, countIncidentArchive, listIncidentArchive, type IncidentArchiveQuery } from '../../src/client/db/incidents-repository'
import { listRecords } from '../../src/client/db/records-repository'
import { archiveQueryOf, useIncidentsStore } from '../../src/client/stores/incidents'
import { usePlaybooksStore } from '../../src/client/stores/playbooks'
import { newId } from '../../src/shared/ids'
import type { RecordEnvelope } from '../../src/shared/records'
import { DEVICE_ID, enrollTablet, freshDb, signedInPerson, SITE_ID } from './builders'
import { DAY_MS, envelope, event, incident, pull, SEED_T0, seedIncidents, type SeededIncident } from './incident-builders'

const OTHER_DEVICE = '0192f0c4-4444-7000-8000-000000000004'
const T0 = SEED_T0
const DAY = DAY_MS

/** What the archive must show: the seed filtered by brute force, newest first. */
function expected(seeded: SeededIncident[], q: IncidentArchiveQuery): string[] {
  return seeded
    .filter((s) => (!q.playbookId || s.playbookId === q.playbookId) && (!q.state || (q.state === 'closed') === s.closed))
    .filter((s) => (!q.mode || (q.mode === 'drill') === s.drill) && (!q.from || s.startedAt >= q.from) && (!q.to || s.startedAt < q.to))
    .map((s) => s.id)
}

describe('incident archive index', () => {
  it('keeps every open incident live, however old: the 70th newest, open, is found by index', async () => {
    const db = await freshDb()
    const seeded: RecordEnvelope[] = []
    for (let i = 0; i < 70; i++) seeded.push(incident(new Date(T0 + i * 60_000).toISOString()))
    const oldest = seeded[0]!
    await pull(db, [...seeded, ...seeded.slice(1).map((r, i) => event(r.id, 'close', T0 + (i + 1) * 60_000 + 1_000))])

    expect((await listRecords(db, 'incident', 50)).map((r) => r.id)).not.toContain(oldest.id)
    // the live set as the incidents store reads it
    expect((await listIncidentArchive(db, { state: 'open' }, Infinity)).map((r) => r.id)).toEqual([oldest.id])
    expect(await countIncidentArchive(db, { state: 'open' })).toBe(1)
  })

  it('follows close and reopen from any tablet, in whatever order they arrive', async () => {
    const db = await freshDb()
    const record = incident(new Date(T0).toISOString())
    // another tablet's close arrives before the incident itself
    await pull(db, [event(record.id, 'close', T0 + 10_000, OTHER_DEVICE)])
    await pull(db, [record])
    expect(await countIncidentArchive(db, { state: 'closed' })).toBe(1)
    // a reopen made later (by clock) but pulled in the same page as an earlier close
    await pull(db, [event(record.id, 'reopen', T0 + 30_000, OTHER_DEVICE), event(record.id, 'close', T0 + 20_000)])
    expect(await countIncidentArchive(db, { state: 'open' })).toBe(1)
    // a tick or a note changes nothing: the incident is not rewritten
    await pull(db, [event(record.id, 'note', T0 + 40_000)])
    expect(await countIncidentArchive(db, { state: 'open' })).toBe(1)
    // closed on this tablet: the same transaction that stores the event updates the index
    await db.meta.put({ key: 'clientId', value: DEVICE_ID })
    await appendIncidentEvents(db, { siteId: SITE_ID, deviceId: DEVICE_ID, author: '一号台' }, [{ id: newId(), event: { incidentId: record.id, type: 'close' } }], new Date(T0 + 50_000))
    expect(await countIncidentArchive(db, { state: 'closed' })).toBe(1)
    expect(await countIncidentArchive(db, { state: 'open' })).toBe(0)
    // the server's copy of the incident pulled again keeps its state
    await pull(db, [{ ...record, serverSeq: 999_999 }])
    expect(await countIncidentArchive(db, { state: 'closed' })).toBe(1)
  })

  it('pages through 130 incidents newest first by start time, and counts them', async () => {
    const db = await freshDb()
    const seeded = await seedIncidents(db, 130)
    const first = await listIncidentArchive(db, {}, 50)
    const two = await listIncidentArchive(db, {}, 100)
    const all = await listIncidentArchive(db, {}, 1000)
    expect(first.map((r) => r.id)).toEqual(seeded.slice(0, 50).map((s) => s.id))
    expect(two.map((r) => r.id)).toEqual(seeded.slice(0, 100).map((s) => s.id))
    expect(all).toHaveLength(130)
    expect(await countIncidentArchive(db, {})).toBe(130)
  })

  it('filters by plan, state, real or drill, start days and any combination, with exact counts', async () => {
    const db = await freshDb()
    const seeded = await seedIncidents(db, 130)
    const day = (i: number) => new Date(T0 + i * DAY).toISOString()
    const queries: IncidentArchiveQuery[] = [
      { playbookId: 'H4' },
      { state: 'open' },
      { state: 'closed' },
      { mode: 'drill' },
      { mode: 'real' },
      { from: day(100) },
      { to: day(20) },
      { from: day(30), to: day(60) },
      { playbookId: 'H9', state: 'closed', mode: 'drill' },
      { playbookId: 'C2', mode: 'real', from: day(10), to: day(90) },
      { state: 'open', mode: 'drill', from: day(50) },
    ]
    for (const q of queries) {
      const ids = expected(seeded, q)
      expect(ids.length, JSON.stringify(q)).toBeGreaterThan(0)
      expect(await countIncidentArchive(db, q), JSON.stringify(q)).toBe(ids.length)
      expect((await listIncidentArchive(db, q, 20)).map((r) => r.id), JSON.stringify(q)).toEqual(ids.slice(0, 20))
    }
    expect(await countIncidentArchive(db, { playbookId: 'H1' })).toBe(0)
  })

  it('takes a start time with an offset at its instant, and days at the tablet’s local midnight', async () => {
    const db = await freshDb()
    const beijing = incident('2026-03-02T07:30:00+08:00') // 2026-03-01T23:30Z
    const utc = incident('2026-03-02T00:10:00.000Z')
    await pull(db, [beijing, utc])
    expect((await listIncidentArchive(db, {}, 10)).map((r) => r.id)).toEqual([utc.id, beijing.id])
    const q = archiveQueryOf({ playbookId: '', state: '', mode: '', from: '2026-03-02', to: '2026-03-02' })
    expect(q).toEqual({ from: new Date(2026, 2, 2).toISOString(), to: new Date(2026, 2, 3).toISOString() })
    const inDay = [beijing, utc].filter((r) => Date.parse(String(r.data.startedAt)) >= new Date(2026, 2, 2).getTime() && Date.parse(String(r.data.startedAt)) < new Date(2026, 2, 3).getTime())
    expect(await countIncidentArchive(db, q)).toBe(inDay.length)
  })

  it('keeps on each incident whether it has a report and a review, whichever arrives first', async () => {
    const db = await freshDb()
    const [a, b, c] = [incident('2026-01-01T00:00:00.000Z'), incident('2026-01-02T00:00:00.000Z'), incident('2026-01-03T00:00:00.000Z')]
    // a's report is pulled before a itself; b's review after b; two reports for a (a correction)
    await pull(db, [envelope('incidentReport', '2026-01-04T00:00:00.000Z', { incidentId: a!.id })])
    await pull(db, [a!, b!, c!])
    await pull(db, [envelope('incidentReport', '2026-01-05T00:00:00.000Z', { incidentId: a!.id }), envelope('incidentReview', '2026-01-05T00:00:00.000Z', { incidentId: b!.id })])
    const page = await listIncidentArchive(db, {}, 10)
    expect(page.map((r) => [r.id, r.paperwork])).toEqual([
      [c!.id, []],
      [b!.id, ['incidentReview']],
      [a!.id, ['incidentReport']],
    ])
    // a review submitted on this tablet: the same transaction marks the incident
    await addIncidentRecord(db, { siteId: SITE_ID, deviceId: DEVICE_ID, author: '一号台' }, 'incidentReview', newId(), { incidentId: a!.id }, new Date())
    expect((await db.records.get(a!.id))?.paperwork).toEqual(['incidentReport', 'incidentReview'])
  })

  it('derives the keys of incidents stored before version 5', async () => {
    const name = `test-${newId()}`
    const old = new Dexie(name)
    old.version(4).stores({
      meta: 'key',
      records:
        'id, [kind+createdAt], syncState, serverSeq, [parentId+createdAt], [parentId+kind+createdAt], [phoneKey+createdAt], [nameKey+createdAt], [kind+data.log+createdAt]',
      outbox: 'mutationId, recordId',
      drafts: 'id, [kind+updatedAt]',
      syncIssues: 'mutationId, recordId, createdAt',
      attachments: 'sha256, uploadState, size, [uploadState+attempts+createdAt]',
    })
    const open = incident('2025-06-01T08:00:00.000Z', { playbookId: 'H4', drill: true })
    const closed = incident('2025-06-02T08:00:00.000Z')
    const reopened = incident('2025-06-03T08:00:00.000Z')
    const stored = [
      open,
      closed,
      reopened,
      event(open.id, 'tick', Date.parse('2025-06-01T08:01:00.000Z')),
      event(closed.id, 'close', Date.parse('2025-06-02T09:00:00.000Z')),
      event(reopened.id, 'close', Date.parse('2025-06-03T09:00:00.000Z')),
      event(reopened.id, 'reopen', Date.parse('2025-06-03T09:30:00.000Z')),
      envelope('incidentReport', '2025-06-02T10:00:00.000Z', { incidentId: closed.id }),
    ]
    await old.table('records').bulkAdd(stored.map((r) => ({ ...r, syncState: 'synced', ...localIndexOf(r) })))
    old.close()

    const db = new AppDB(name)
    expect((await db.records.get(open.id))?.archiveKeys).toEqual(incidentArchiveKeys(open, false))
    expect((await db.records.get(closed.id))?.archiveKeys).toEqual(incidentArchiveKeys(closed, true))
    expect((await db.records.get(closed.id))?.paperwork).toEqual(['incidentReport'])
    expect((await db.records.get(open.id))?.paperwork).toEqual([])
    expect((await listIncidentArchive(db, { state: 'open' }, 10)).map((r) => r.id)).toEqual([reopened.id, open.id])
    expect((await listIncidentArchive(db, { playbookId: 'H4', mode: 'drill' }, 10)).map((r) => r.id)).toEqual([open.id])
    expect(db.verno).toBeGreaterThanOrEqual(5)
    db.close()
  })
})

describe('incidents store', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('has an open incident older than the 60 newest live, with its clocks and alarms', async () => {
    await appDb.delete()
    await appDb.open()
    await enrollTablet(appDb)
    await signedInPerson(appDb, { name: '一号台' })
    const now = Date.now()
    const records: RecordEnvelope[] = []
    for (let i = 0; i < 65; i++) records.push(incident(new Date(now - (65 - i) * 3_600_000).toISOString()))
    const oldest = records[0]!
    // every one but the oldest closed
    records.push(...records.slice(1).map((r, i) => event(r.id, 'close', now - (64 - i) * 3_600_000 + 60_000)))
    await pull(appDb, records)

    setActivePinia(createPinia())
    await usePlaybooksStore().loaded
    const store = useIncidentsStore()
    await vi.waitFor(() => expect(store.open.map((i) => i.id)).toEqual([oldest.id]))
    const view = store.byId(oldest.id)!
    expect(view.clocks.length).toBeGreaterThan(0)
    // C2 wants the first report within minutes: 65 hours later it is overdue and alarms
    expect(view.alarms.length).toBeGreaterThan(0)
    expect(store.alarms.map((a) => a.incident.id)).toContain(oldest.id)
    // the closed ones beyond the newest few are not held live
    expect(store.incidents.length).toBeLessThan(20)
  })
})
