import { describe, expect, it } from 'vitest'
import Dexie from 'dexie'
import { AppDB, type LocalRecord } from '../../src/client/db/AppDB'
import { localIndexOf } from '../../src/client/db/record-index'
import { callbackDeskKeys, faultDeskKeys } from '../../src/client/db/outage-index'
import {
  appendCallbackEvent,
  appendFaultEvent,
  callbackEventsOf,
  countWorklist,
  createFault,
  listFaults,
  listOpenFaults,
  listWorklist,
  readWorklist,
  searchCalls,
  SEARCH_FEW_KEYS,
  SEARCH_FEW_MATCHES,
  type Who,
} from '../../src/client/db/outage-repository'
import { applyPullPage } from '../../src/client/db/sync-repository'
import { checkPhone } from '../../src/shared/phone'
import { deriveCallback, type CallbackAction, type CallbackEventData } from '../../src/shared/callback'
import { newId } from '../../src/shared/ids'
import type { RecordEnvelope } from '../../src/shared/records'
import { callRecord, DEVICE_ID, freshDb, SITE_ID, spyOnRecords } from './builders'

const who: Who = { siteId: SITE_ID, deviceId: DEVICE_ID, author: '李组长' }
const T0 = Date.parse('2026-11-01T00:00:00.000Z')
const HOUR = 3_600_000
let seq = 0

/** A deterministic pseudo-random sequence (the same calls on every run). */
function random(seed: number) {
  let s = seed
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648
    return s / 2_147_483_648
  }
}

/** A synced call record at `at` (ms), as a pull brings it. */
function call(phone: string, at: number, data: Record<string, unknown> = {}): RecordEnvelope {
  const stamp = new Date(at).toISOString()
  const base = callRecord()
  return { ...base, createdAt: stamp, updatedAt: stamp, serverSeq: ++seq, data: { ...base.data, calledAt: stamp, callerPhone: phone, callbackNeeded: false, ...data } }
}

function envelope(kind: RecordEnvelope['kind'], at: number, data: Record<string, unknown>): RecordEnvelope {
  const stamp = new Date(at).toISOString()
  return { id: newId(), kind, siteId: SITE_ID, deviceId: DEVICE_ID, author: '二号台', createdAt: stamp, updatedAt: stamp, serverSeq: ++seq, data }
}

const step = (callRecordId: string, state: CallbackAction, at: number, note = '') =>
  envelope('callbackEvent', at, { callRecordId, state, note, at: new Date(at).toISOString() } satisfies CallbackEventData)

const faultRecord = (at: number) => envelope('fault', at, { system: 'CRM', symptom: '无法登录', scope: 'allSeats', startedAt: new Date(at).toISOString(), seat: '' })
const faultEvent = (faultId: string, type: 'recovered' | 'reopened', at: number) => envelope('faultEvent', at, { faultId, type, at: new Date(at).toISOString(), who: '', note: '' })

/** Records as a pull stores them, 2,000 per page (the same path as another tablet's records). */
async function pull(db: AppDB, records: RecordEnvelope[]) {
  for (let i = 0; i < records.length; i += 2_000) {
    await applyPullPage(db, { records: records.slice(i, i + 2_000), cursor: ++seq, hasMore: false, lastMutationId: 0 })
  }
}

/** What a search must return, by brute force: the matches newest first (then id), a page. */
function expected(records: RecordEnvelope[], test: (r: RecordEnvelope) => boolean, limit: number): string[] {
  return records
    .filter((r) => r.kind === 'callRecord' && test(r))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1))
    .slice(0, limit)
    .map((r) => r.id)
}

const phoneStarts = (digits: string) => (r: RecordEnvelope) => checkPhone(String(r.data.callerPhone)).key.startsWith(digits)
const ids = (rows: LocalRecord[]) => rows.map((r) => r.id)

/** A database that notes every record value it hands out (queries, gets, value cursors). */
async function spiedDb() {
  const read: LocalRecord[] = []
  // a value read through a cursor is noted each time it is looked at: `records` is deduplicated
  let valueCursors = 0
  const spy = spyOnRecords('readSpy', (table) => ({
    query: async (req) => {
      const res = await table.query(req)
      if (req.values) read.push(...(res.result as LocalRecord[]))
      return res
    },
    getMany: async (req) => {
      const res = await table.getMany(req)
      read.push(...(res.filter(Boolean) as LocalRecord[]))
      return res
    },
    openCursor: async (req) => {
      const cursor = await table.openCursor(req)
      if (!cursor || !req.values) return cursor
      valueCursors++
      return new Proxy(cursor, {
        get(target, prop) {
          const value: unknown = Reflect.get(target, prop, target)
          if (prop === 'value' && value) read.push(value as LocalRecord)
          return typeof value === 'function' ? value.bind(target) : value
        },
      })
    },
  }))
  const db = await freshDb(spy)
  return {
    db,
    reads: () => {
      const out = { records: [...new Map(read.map((r) => [r.id, r])).values()], valueCursors }
      read.length = 0
      valueCursors = 0
      return out
    },
  }
}

describe('call search, newest first', () => {
  it('reads an exact number newest first, whatever its calls were stored in', async () => {
    const db = await freshDb()
    const next = random(1)
    const records: RecordEnvelope[] = []
    // one number called 180 times over a month, stored in shuffled order; a neighbour 60 times
    for (let i = 0; i < 180; i++) records.push(call('138-0013-8000', T0 + Math.floor(next() * 720) * HOUR))
    for (let i = 0; i < 60; i++) records.push(call('13800138001', T0 + Math.floor(next() * 720) * HOUR))
    expect(240).toBeGreaterThan(SEARCH_FEW_MATCHES)
    for (let i = 0; i < 50; i++) records.push(call(`1390000${String(i).padStart(4, '0')}`, T0 + i * HOUR))
    await pull(db, records.sort(() => next() - 0.5))

    const exact = expected(records, phoneStarts('13800138000'), 50)
    expect(ids(await searchCalls(db, '138 0013 8000', 50))).toEqual(exact)
    // "show more": the next newest follow, the first page unchanged
    const more = await searchCalls(db, '13800138000', 100)
    expect(ids(more)).toEqual(expected(records, phoneStarts('13800138000'), 100))
    expect(ids(more).slice(0, 50)).toEqual(exact)
    // a prefix of two numbers: both numbers' calls, merged by time
    expect(ids(await searchCalls(db, '1380013800', 50))).toEqual(expected(records, phoneStarts('1380013800'), 50))
    expect(ids(await searchCalls(db, '1380013800', 200))).toEqual(expected(records, phoneStarts('1380013800'), 200))
  })

  it('merges the newest calls of many numbers under a prefix, by number and by name', async () => {
    const db = await freshDb()
    const next = random(2)
    const records: RecordEnvelope[] = []
    const surnames = ['王', '李', '张']
    // 300 numbers under 139, one to four calls each, at random times: far more than a page of numbers
    for (let n = 0; n < 300; n++) {
      const calls = 1 + Math.floor(next() * 4)
      for (let c = 0; c < calls; c++) {
        records.push(call(`139${String(n * 7).padStart(8, '0')}`, T0 + Math.floor(next() * 720 * 60) * 60_000, { callerName: `${surnames[n % 3]}${n}号` }))
      }
    }
    for (let i = 0; i < 200; i++) records.push(call(`0755-8${String(i).padStart(6, '0')}`, T0 + Math.floor(next() * 720) * HOUR, { callerName: `陈${i}` }))
    await pull(db, records.sort(() => next() - 0.5))

    for (const [query, digits] of [['139', '139'], ['1390000', '1390000'], ['0755 8', '07558'], ['0755-80000', '075580000']] as const) {
      for (const limit of [10, 50, 120]) expect(ids(await searchCalls(db, query, limit)), `${query} ${limit}`).toEqual(expected(records, phoneStarts(digits), limit))
    }
    const named = (prefix: string) => (r: RecordEnvelope) => String(r.data.callerName).startsWith(prefix)
    expect(ids(await searchCalls(db, '王', 50))).toEqual(expected(records, named('王'), 50))
    expect(ids(await searchCalls(db, '王1', 50))).toEqual(expected(records, named('王1'), 50))
    expect(await searchCalls(db, '周', 50)).toEqual([])
  })

  it('stays exact when matches are spread over the month or crowded into its first days, by number and by name', async () => {
    const db = await freshDb()
    const next = random(3)
    const records: RecordEnvelope[] = []
    const faults = [newId(), newId()]
    const spread = () => T0 + Math.floor(next() * 30 * 24 * 60) * 60_000
    const firstDays = () => T0 + Math.floor(next() * 5 * 24 * 60) * 60_000
    // in the 136 bucket: 1361 numbers over 30 days (a newest-first read fills a page), 1360 ones in
    // the first 5 days, below the newer 1361 calls (the read gives way to the index entries); the
    // same by name in the 王 bucket (王 and 王老), and for a 1-digit prefix, read from the calls
    // themselves (0755 numbers in the first days, below 300 newer calls of 150 numbers)
    for (let i = 0; i < 300; i++) records.push(call(`1361${String(i * 3).padStart(7, '0')}`, spread(), { faultId: faults[1], callerName: `王${i}` }))
    for (let i = 0; i < 250; i++) {
      records.push(call(`1360${String(i * 3).padStart(7, '0')}`, firstDays(), { faultId: faults[i % 2], callerName: `王老${i}` }))
      records.push(call(`0755-${8_000_000 + i}`, firstDays(), { faultId: faults[i % 2], callerName: `赵${i}` }))
    }
    for (let i = 0; i < 300; i++) records.push(call(`150${String(i).padStart(8, '0')}`, T0 + 28 * 24 * HOUR + i * 9 * 60_000, { callerName: `陈${i}` }))
    await pull(db, records)

    const named = (prefix: string) => (r: RecordEnvelope) => String(r.data.callerName).startsWith(prefix)
    const tests = {
      '1361': phoneStarts('1361'),
      '1360': phoneStarts('1360'),
      '1': phoneStarts('1'),
      '0': phoneStarts('0'),
      王: named('王'),
      王老: named('王老'),
      王1: named('王1'),
    }
    for (const [query, test] of Object.entries(tests)) {
      for (const limit of [5, 60]) {
        expect(ids(await searchCalls(db, query, limit)), `${query} ${limit}`).toEqual(expected(records, test, limit))
        const inFault = (r: RecordEnvelope) => test(r) && r.data.faultId === faults[1]
        expect(ids(await searchCalls(db, query, limit, { faultId: faults[1] })), `${query} ${limit} in fault`).toEqual(expected(records, inFault, limit))
      }
    }
  })

  it('orders calls made at the same time by id on every plan, so that pages never overlap', async () => {
    const db = await freshDb()
    const records: RecordEnvelope[] = []
    // 250 numbers called at the very same minute, under older calls of the same prefix
    // (numbers and names descending as ids ascend: an order by key would cut the page elsewhere)
    for (let i = 0; i < 250; i++) records.push(call(`1377${String(249 - i).padStart(7, '0')}`, T0 + 10 * HOUR, { callerName: `吴${249 - i}` }))
    for (let i = 0; i < 50; i++) records.push(call(`1377${String(500 + i).padStart(7, '0')}`, T0 + i * 60_000, { callerName: `吴${500 + i}` }))
    await pull(db, records)
    for (const query of ['137', '1377', '吴']) {
      const test = query === '吴' ? (r: RecordEnvelope) => String(r.data.callerName).startsWith('吴') : phoneStarts(query)
      const first = ids(await searchCalls(db, query, 10))
      expect(first, query).toEqual(expected(records, test, 10))
      const second = ids(await searchCalls(db, query, 20)).slice(10)
      expect(second, query).toEqual(expected(records, test, 20).slice(10))
      expect(second.filter((id) => first.includes(id))).toEqual([])
    }
  })

  it("keeps to the list's outage: a number and a prefix find only that outage's calls", async () => {
    const db = await freshDb()
    const next = random(4)
    const [a, b] = [newId(), newId()]
    const records: RecordEnvelope[] = []
    // a frequent caller (one number, few keys) and many numbers under a prefix, in two outages and none
    for (let i = 0; i < 90; i++) records.push(call('13800138000', T0 + i * HOUR, i % 3 === 2 ? {} : { faultId: i % 3 ? a : b }))
    for (let n = 0; n < SEARCH_FEW_KEYS * 10; n++) records.push(call(`1391234${String(n).padStart(4, '0')}`, T0 + Math.floor(next() * 720) * HOUR, { faultId: n % 2 ? a : b, callerName: `王${n}` }))
    await pull(db, records)
    for (const [query, test] of [
      ['13800138000', phoneStarts('13800138000')],
      ['1391234', phoneStarts('1391234')],
      ['王', (r: RecordEnvelope) => String(r.data.callerName).startsWith('王')],
    ] as const) {
      const ofA = await searchCalls(db, query, 20, { faultId: a })
      expect(ids(ofA), query).toEqual(expected(records, (r) => test(r) && r.data.faultId === a, 20))
      expect(ofA.every((r) => r.data.faultId === a)).toBe(true)
    }
    expect(await searchCalls(db, '13800138000', 20, { faultId: newId() })).toEqual([])
  })
})

describe('callback worklist from the desk index', () => {
  /** An outage with 70 callbacks in every state, 40 calls with none, and another outage's callbacks. */
  async function outage(db: AppDB) {
    const faultId = newId()
    const other = newId()
    const records: RecordEnvelope[] = [faultRecord(T0)]
    records[0]!.id = faultId
    records.push(faultEvent(faultId, 'recovered', T0 + 2 * HOUR))
    const states: Record<string, string> = {}
    const callbacks: RecordEnvelope[] = []
    for (let i = 0; i < 70; i++) {
      const r = call(i % 2 ? `139${String(i).padStart(8, '0')}` : `010-6${String(i).padStart(7, '0')}`, T0 + HOUR + (69 - i) * 60_000, {
        faultId,
        callbackNeeded: true,
        callerName: i % 3 ? `王${i}` : `李${i}`,
        ...(i % 5 === 0 ? { callbackNumber: `13700000${String(i).padStart(3, '0')}` } : {}),
      })
      callbacks.push(r)
      records.push(r)
      const at = T0 + 3 * HOUR + i * 60_000
      if (i < 10) records.push(step(r.id, 'resolved', at))
      else if (i < 30) records.push(step(r.id, 'noAnswer', at), ...(i < 15 ? [step(r.id, 'noAnswer', at + 1_000)] : []))
      else if (i < 35) records.push(step(r.id, 'resolved', at), step(r.id, 'reentered', at + 1_000))
    }
    for (let i = 0; i < 40; i++) records.push(call(`13500000${String(i).padStart(3, '0')}`, T0 + HOUR + i * 60_000, { faultId }))
    for (let i = 0; i < 30; i++) records.push(call(`13900000${String(i).padStart(3, '0')}`, T0 + HOUR + i * 60_000, { faultId: other, callbackNeeded: true }))
    await pull(db, records)
    for (const r of callbacks) {
      const events = records.filter((e) => e.kind === 'callbackEvent' && e.data.callRecordId === r.id)
      const state = deriveCallback(events.map((e) => ({ ...(e.data as CallbackEventData), id: e.id, createdAt: e.createdAt, author: e.author }))).state
      states[r.id] = state
    }
    const byCalledAt = [...callbacks].sort((x, y) => String(x.data.calledAt).localeCompare(String(y.data.calledAt)))
    return { faultId, callbacks: byCalledAt, states }
  }

  it('reads only the page of callback calls and their steps, counts each state by index', async () => {
    const { db, reads } = await spiedDb()
    const { faultId, callbacks, states } = await outage(db)
    reads()

    expect(await countWorklist(db, faultId)).toEqual({ '*': 70, toCall: 35, noAnswer: 20, resolved: 10, reentered: 5 })
    expect(reads().records).toEqual([])

    const page = await listWorklist(db, faultId, { limit: 25 })
    expect(page.matches).toBeUndefined()
    expect(page.rows.map((r) => r.record.id)).toEqual(callbacks.slice(0, 25).map((r) => r.id))
    const { records: read } = reads()
    const calls = read.filter((r) => r.kind === 'callRecord')
    expect(calls).toHaveLength(25)
    expect(calls.every((r) => r.data.callbackNeeded === true && r.data.faultId === faultId)).toBe(true)
    expect(read.filter((r) => r.kind === 'callbackEvent').every((e) => page.rows.some((row) => row.record.id === e.data.callRecordId))).toBe(true)
    expect(read.filter((r) => r.kind !== 'callRecord' && r.kind !== 'callbackEvent')).toEqual([])

    const counts = await countWorklist(db, faultId)
    for (const state of ['toCall', 'noAnswer', 'resolved', 'reentered'] as const) {
      const { rows } = await listWorklist(db, faultId, { state, limit: 50 })
      const want = callbacks.filter((r) => states[r.id] === state).map((r) => r.id)
      expect(rows.map((r) => r.record.id), state).toEqual(want)
      expect(counts[state]).toBe(want.length)
    }
    expect((await listWorklist(db, faultId, { state: 'noAnswer', limit: 50 })).rows.find((r) => r.events.length === 2)).toBeDefined()
  })

  it('reads the whole worklist screen in one read-only transaction: the fault, its counts, the page and its steps', async () => {
    const { db, reads } = await spiedDb()
    const { faultId, callbacks } = await outage(db)
    reads()
    const transactions: string[] = []
    const original = db.transaction.bind(db) as (...args: unknown[]) => unknown
    db.transaction = ((...args: unknown[]) => {
      if (!Dexie.currentTransaction) transactions.push(String(args[0]))
      return original(...args)
    }) as typeof db.transaction

    const view = await readWorklist(db, faultId, { limit: 25 })
    expect(transactions).toEqual(['r'])
    expect(view.fault?.record.id).toBe(faultId)
    expect(view.fault?.events.map((e) => e.data.type)).toEqual(['recovered'])
    expect(view.counts).toEqual(await countWorklist(db, faultId))
    expect(view.rows).toEqual((await listWorklist(db, faultId, { limit: 25 })).rows)
    expect(view.rows.map((r) => r.record.id)).toEqual(callbacks.slice(0, 25).map((r) => r.id))
    expect(view.matches).toBeUndefined()

    transactions.length = 0
    const searched = await readWorklist(db, faultId, { query: '王', state: 'toCall', limit: 10 })
    expect(transactions).toEqual(['r'])
    expect(searched).toMatchObject(await listWorklist(db, faultId, { query: '王', state: 'toCall', limit: 10 }))
    expect(searched.counts).toEqual(view.counts)

    // each call's steps, oldest first; none for a call without any
    const [twice, never] = [callbacks[57]!, callbacks[0]!]
    const steps = await callbackEventsOf(db, [twice.id, never.id, twice.id])
    expect([...steps.keys()]).toEqual([twice.id, never.id])
    expect(steps.get(twice.id)!.map((e) => e.createdAt)).toEqual([...steps.get(twice.id)!.map((e) => e.createdAt)].sort())
    expect(steps.get(twice.id)!.map((e) => e.data.state)).toEqual(['noAnswer', 'noAnswer'])
    expect(steps.get(never.id)).toEqual([])

    // no fault of that id: nothing of it, and an empty worklist
    expect(await readWorklist(db, newId(), { limit: 25 })).toEqual({ rows: [], counts: { '*': 0, toCall: 0, noAnswer: 0, resolved: 0, reentered: 0 } })
  })

  it('searches the worklist by caller or callback number prefix and by name prefix, within a state', async () => {
    const { db, reads } = await spiedDb()
    const { faultId, callbacks, states } = await outage(db)
    reads()
    const digits = (v: unknown) => (typeof v === 'string' ? checkPhone(v).key : '')
    const byNumber = (prefix: string) => (r: RecordEnvelope) => digits(r.data.callerPhone).startsWith(prefix) || digits(r.data.callbackNumber).startsWith(prefix)

    for (const [query, test] of [
      ['139', byNumber('139')],
      ['010-6', byNumber('0106')],
      ['1370000', byNumber('1370000')],
      ['王', (r: RecordEnvelope) => String(r.data.callerName).startsWith('王')],
      ['李1', (r: RecordEnvelope) => String(r.data.callerName).startsWith('李1')],
    ] as const) {
      const want = callbacks.filter(test).map((r) => r.id)
      const found = await listWorklist(db, faultId, { query, limit: 10 })
      expect(found.rows.map((r) => r.record.id), query).toEqual(want.slice(0, 10))
      expect(found.matches, query).toBe(want.length)
      const { records: read, valueCursors } = reads()
      expect(read.filter((r) => r.kind === 'callRecord')).toHaveLength(Math.min(10, want.length))
      expect(read.filter((r) => r.kind !== 'callRecord' && r.kind !== 'callbackEvent')).toEqual([])
      // the matches themselves come from index keys, the page's steps from one range read per call: no value cursor
      expect(valueCursors).toBe(0)
      const toCall = await listWorklist(db, faultId, { query, state: 'toCall', limit: 50 })
      expect(toCall.rows.map((r) => r.record.id), `${query} toCall`).toEqual(callbacks.filter((r) => test(r) && states[r.id] === 'toCall').map((r) => r.id))
      reads()
    }
    expect(await listWorklist(db, faultId, { query: '周', limit: 10 })).toEqual({ rows: [], matches: 0 })
  })

  it('follows every step as it is written or pulled, in whatever order records arrive', async () => {
    const db = await freshDb()
    const faultId = newId()
    await createFault(db, who, faultId, { system: 'CRM', symptom: '无法登录', scope: 'allSeats', startedAt: new Date(T0).toISOString(), seat: '' }, [], new Date(T0))
    const first = call('13800138000', T0 + HOUR, { faultId, callbackNeeded: true })
    const second = call('13800138001', T0 + 2 * HOUR, { faultId, callbackNeeded: true })
    // another tablet's step arrives before the call it names; then the call itself
    await pull(db, [step(second.id, 'noAnswer', T0 + 3 * HOUR)])
    await pull(db, [first, second])
    expect(await countWorklist(db, faultId)).toMatchObject({ '*': 2, toCall: 1, noAnswer: 1 })
    // a step taken here
    await appendCallbackEvent(db, who, { callRecordId: first.id, state: 'resolved', note: '客户已恢复使用', at: new Date(T0 + 4 * HOUR).toISOString() }, new Date(T0 + 4 * HOUR))
    expect(await countWorklist(db, faultId)).toMatchObject({ '*': 2, toCall: 0, noAnswer: 1, resolved: 1 })
    // a reopen and a resolution pulled in one page, the later one first
    await pull(db, [step(second.id, 'resolved', T0 + 6 * HOUR), step(second.id, 'reopened', T0 + 5 * HOUR)])
    expect(await countWorklist(db, faultId)).toMatchObject({ toCall: 0, noAnswer: 0, resolved: 2 })
    const { rows } = await listWorklist(db, faultId, { state: 'resolved', limit: 10 })
    expect(rows.map((r) => r.record.id)).toEqual([first.id, second.id])
    // a call marked synced by the push (rewritten) keeps its keys
    await db.records.where('id').equals(first.id).modify({ syncState: 'synced' })
    expect((await db.records.get(first.id))?.deskKeys).toEqual(callbackDeskKeys(first, await db.records.where('[parentId+kind+createdAt]').between([first.id, 'callbackEvent', ''], [first.id, 'callbackEvent', '\uffff']).toArray()))
    // a call that needs no callback has no keys
    const plain = call('13800138002', T0, { faultId })
    await pull(db, [plain])
    expect((await db.records.get(plain.id))?.deskKeys).toBeUndefined()
  })
})

describe('open faults from the desk index', () => {
  it('lists an open fault older than the 25 newest faults, and follows recovery and reopening', async () => {
    const db = await freshDb()
    const ids: string[] = []
    for (let i = 0; i < 26; i++) {
      const id = newId()
      ids.push(id)
      const at = new Date(T0 + i * HOUR)
      await createFault(db, who, id, { system: `系统${i}`, symptom: '无法登录', scope: 'allSeats', startedAt: at.toISOString(), seat: '' }, [], at)
      if (i > 0) await appendFaultEvent(db, who, { faultId: id, type: 'recovered', at: at.toISOString(), who: '', note: '' }, [], at)
    }
    const oldest = ids[0]!
    expect((await listFaults(db, 25)).map((r) => r.id)).not.toContain(oldest)
    expect((await listOpenFaults(db)).map((r) => r.id)).toEqual([oldest])

    // a newer one reopened (pulled: its reopen made on another tablet)
    await pull(db, [faultEvent(ids[20]!, 'reopened', T0 + 40 * HOUR)])
    expect((await listOpenFaults(db)).map((r) => r.id)).toEqual([ids[20], oldest])
    await appendFaultEvent(db, who, { faultId: oldest, type: 'recovered', at: new Date(T0 + 41 * HOUR).toISOString(), who: '', note: '' }, [], new Date(T0 + 41 * HOUR))
    expect((await listOpenFaults(db)).map((r) => r.id)).toEqual([ids[20]])
    // a fault pulled after its own recovery never shows as open
    const late = faultRecord(T0 + 50 * HOUR)
    await pull(db, [faultEvent(late.id, 'recovered', T0 + 51 * HOUR)])
    await pull(db, [late])
    expect((await listOpenFaults(db)).map((r) => r.id)).toEqual([ids[20]])
  })
})

describe('desk index upgrade', () => {
  it('derives the desk keys of faults and callback calls, and the number buckets of calls, stored before version 7', async () => {
    const name = `test-${newId()}`
    const old = new Dexie(name)
    old.version(6).stores({
      meta: 'key',
      records:
        'id, [kind+createdAt], syncState, serverSeq, [parentId+createdAt], [parentId+kind+createdAt], [phoneKey+createdAt], [nameKey+createdAt], [kind+data.log+createdAt], *archiveKeys',
      outbox: 'mutationId, recordId',
      drafts: 'id, [kind+updatedAt]',
      syncIssues: 'mutationId, recordId, createdAt',
      attachments: 'sha256, uploadState, size, [uploadState+attempts+createdAt]',
    })
    const open = faultRecord(T0)
    const recovered = faultRecord(T0 + HOUR)
    const recovery = faultEvent(recovered.id, 'recovered', T0 + 2 * HOUR)
    const waiting = call('13800138000', T0 + HOUR, { faultId: recovered.id, callbackNeeded: true, callerName: '王先生' })
    const answered = call('010-12345678', T0 + 2 * HOUR, { faultId: recovered.id, callbackNeeded: true, callerName: '李女士' })
    const steps = [step(answered.id, 'noAnswer', T0 + 3 * HOUR)]
    const plain = call('13900139000', T0, { faultId: recovered.id })
    const stored = [open, recovered, recovery, waiting, answered, ...steps, plain]
    // as version 6 stored them: its local index fields, without the number buckets
    const v6Fields = (r: RecordEnvelope) => {
      const fields = localIndexOf(r)
      delete fields.searchKeys
      return fields
    }
    await old.table('records').bulkAdd(stored.map((r) => ({ ...r, syncState: 'synced', ...v6Fields(r) })))
    old.close()

    const db = new AppDB(name)
    await db.open()
    expect(db.verno).toBeGreaterThanOrEqual(7)
    expect((await db.records.get(open.id))?.deskKeys).toEqual(faultDeskKeys(open, []))
    expect((await db.records.get(recovered.id))?.deskKeys).toBeUndefined()
    expect((await db.records.get(waiting.id))?.deskKeys).toEqual(callbackDeskKeys(waiting, []))
    expect((await db.records.get(answered.id))?.deskKeys).toEqual(callbackDeskKeys(answered, steps as LocalRecord[]))
    expect((await db.records.get(plain.id))?.deskKeys).toBeUndefined()
    const at = new Date(T0).toISOString()
    expect((await db.records.get(plain.id))?.searchKeys).toEqual([
      `t1390013|${at}|13900139000`,
      `t13900|${at}|13900139000`,
      `t139|${at}|13900139000`,
      `t13|${at}|13900139000`,
      `n王|${at}|王先生`,
    ])
    expect((await db.records.get(answered.id))?.searchKeys).toEqual(localIndexOf(answered).searchKeys)
    expect((await listOpenFaults(db)).map((r) => r.id)).toEqual([open.id])
    expect(await countWorklist(db, recovered.id)).toEqual({ '*': 2, toCall: 1, noAnswer: 1, resolved: 0, reentered: 0 })
    expect((await listWorklist(db, recovered.id, { query: '王', limit: 10 })).rows.map((r) => r.record.id)).toEqual([waiting.id])
    db.close()
  })
})
