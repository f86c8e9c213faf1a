// 100,000 records as a tablet holds them after a long outage month and a sync, written straight
// into the app's IndexedDB in a real Chromium. Shared by tests/e2e/outage-100k.test.ts (its rows
// are asserted there) and tests/bench/scale.ts (`npm run bench`, the "Scale" rows).
import type { Page } from 'playwright-core'
import { localIndexOf } from '../../src/client/db/record-index'
import { incidentArchiveKeys } from '../../src/client/db/incident-index'
import { callbackDeskKeys, faultDeskKeys } from '../../src/client/db/outage-index'
import type { LocalRecord } from '../../src/client/db/AppDB'
import { newId } from '../../src/shared/ids'
import { SHIPPED_PLAYBOOKS } from '../../src/shared/playbooks'
import type { RecordEnvelope } from '../../src/shared/records'

export const SEED_SITE = '0192f0c4-1111-7000-8000-000000000001'
export const SEED_DEVICE = '0192f0c4-2222-7000-8000-000000000002'
export const SEED_TOTAL = 100_000
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴']

export interface SeedOptions {
  /** Faults, each with one `recovered` event (2 records each). */
  faults?: number
  /** Call records, spread over the faults; one in five groups of `faults` needs a callback. */
  calls?: number
  callbackSteps?: number
  /** Incidents (and drills), each with `eventsPerIncident` events; most are closed. */
  incidents?: number
  eventsPerIncident?: number
  /** Site and device of every record (the defaults are fixed ids; a bench passes its tablet's). */
  siteId?: string
  deviceId?: string
}

/** What the seeded incidents are, newest first, for checking what the archive shows. */
export interface SeededIncident {
  id: string
  createdAt: string
  playbookId: string
  drill: boolean
  closed: boolean
}

export interface Seed {
  records: object[]
  faultIds: string[]
  incidents: SeededIncident[]
  /** How many of each kind (the rest up to 100,000 are log lines). */
  counts: Record<string, number>
}

/**
 * 100,000 records spread over the 27 days before 2026-11-28: faults and their events, call records
 * with callers' numbers (one in three a 010 landline, the others mobiles) and names, callback steps,
 * optionally incidents with their events, and log lines for the rest. Every record is `synced`
 * (it came back from the server), with the local index fields the app derives (`localIndexOf`, an
 * incident's `archiveKeys`, and the `deskKeys` of faults and callback calls, which the app's
 * database derives from their events as it stores them: these records are written straight into
 * IndexedDB, past that).
 * The defaults are the e2e test's mix (no incidents).
 */
export function makeRecords(options: SeedOptions = {}): Seed {
  const faults = options.faults ?? 50
  const calls = options.calls ?? 80_000
  const callbackSteps = options.callbackSteps ?? 10_000
  const incidents = options.incidents ?? 0
  const eventsPerIncident = options.eventsPerIncident ?? 0
  const siteId = options.siteId ?? SEED_SITE
  const deviceId = options.deviceId ?? SEED_DEVICE
  const logLines = SEED_TOTAL - faults * 2 - calls - callbackSteps - incidents * (1 + eventsPerIncident)
  if (logLines < 0) throw new Error('the seed options add up to more than 100,000 records')

  const start = Date.parse('2026-11-01T00:00:00Z')
  const at = (i: number, total: number) => new Date(start + Math.floor((i / total) * 27 * 86_400_000)).toISOString()
  let seq = 0
  const local = (kind: RecordEnvelope['kind'], createdAt: string, data: Record<string, unknown>) => {
    const record: RecordEnvelope = { id: newId(), kind, siteId, deviceId, author: '张三', createdAt, updatedAt: createdAt, serverSeq: ++seq, data }
    return { ...record, syncState: 'synced', ...localIndexOf(record) }
  }
  const records: object[] = []
  const faultIds: string[] = []
  for (let f = 0; f < faults; f++) {
    const fault = local('fault', at(f, faults), { system: `系统${f}`, symptom: '无法登录', scope: 'allSeats', startedAt: at(f, faults), seat: '' })
    faultIds.push((fault as { id: string }).id)
    const recovered = local('faultEvent', at(f, faults), { faultId: faultIds[f], type: 'recovered', at: at(f, faults), who: '', note: '' })
    const deskKeys = faultDeskKeys(fault, [recovered as LocalRecord])
    records.push(deskKeys.length ? { ...fault, deskKeys } : fault, recovered)
  }
  const callbackIds: string[] = []
  const callbackCalls = new Map<string, LocalRecord>()
  for (let i = 0; i < calls; i++) {
    const callbackNeeded = Math.floor(i / faults) % 5 === 0
    const phone = i % 3 === 0 ? `010-${String(20000000 + i)}` : `1${3 + (i % 7)}${String(i * 7919).padStart(9, '0').slice(-9)}`
    const call = local('callRecord', at(i, calls), {
      calledAt: at(i, calls),
      callerPhone: phone,
      callerName: `${SURNAMES[i % 10]}${i % 2 ? '先生' : '女士'}${i}`,
      customerNumber: '',
      category: 'inquiry',
      request: `来电诉求 ${i}，停电期间咨询业务办理`,
      answer: '',
      priority: 'normal',
      callbackNeeded,
      callbackNumber: '',
      callbackTime: '',
      faultId: faultIds[i % faults],
    })
    if (callbackNeeded) {
      callbackIds.push((call as { id: string }).id)
      callbackCalls.set((call as { id: string }).id, call as LocalRecord)
    }
    records.push(call)
  }
  const stepsOf = new Map<string, LocalRecord[]>()
  for (let i = 0; i < callbackSteps; i++) {
    const step = local('callbackEvent', at(i, callbackSteps), { callRecordId: callbackIds[i % callbackIds.length], state: i % 2 ? 'noAnswer' : 'resolved', note: '', at: at(i, callbackSteps) })
    const callId = step.data.callRecordId as string
    stepsOf.set(callId, [...(stepsOf.get(callId) ?? []), step as LocalRecord])
    records.push(step)
  }
  // the worklist keys of each callback call, from its steps (the objects in `records`, changed in place)
  for (const [id, call] of callbackCalls) call.deskKeys = callbackDeskKeys(call, stepsOf.get(id) ?? [])
  const seeded: SeededIncident[] = []
  for (let i = 0; i < incidents; i++) {
    // every plan in turn; one in four a drill; one in forty still open (never closed)
    const playbook = SHIPPED_PLAYBOOKS[i % SHIPPED_PLAYBOOKS.length]!
    const startedAt = at(i, incidents)
    const drill = i % 4 === 1
    const closed = i % 40 !== 39
    const incident = local('incident', startedAt, { playbookId: playbook.id, playbookVersion: playbook.version, startedAt, drill, note: '' })
    records.push({ ...incident, archiveKeys: incidentArchiveKeys(incident, closed) })
    seeded.push({ id: incident.id, createdAt: startedAt, playbookId: playbook.id, drill, closed })
    for (let e = 0; e < eventsPerIncident; e++) {
      const when = Date.parse(startedAt) + (e + 1) * 60_000
      const stamp = new Date(when).toISOString()
      const last = e === eventsPerIncident - 1
      const step = playbook.steps[e % playbook.steps.length]!
      const event = last && closed ? { type: 'close' } : e % 3 === 2 ? { type: 'note', note: `第 ${e} 条处置记录` } : { type: 'tick', stepId: step.id }
      records.push(
        local('incidentEvent', stamp, { incidentId: incident.id, ...event, hlc: `${String(when).padStart(15, '0')}-00000-${deviceId}`, at: stamp }),
      )
    }
  }
  for (let i = 0; i < logLines; i++) {
    records.push(local('logEntry', at(i, logLines), { log: i % 2 ? 'leader' : 'agent', type: 'note', text: `第 ${i} 条日志`, at: at(i, logLines) }))
  }
  seeded.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
  return {
    records,
    faultIds,
    incidents: seeded,
    counts: { faults, faultEvents: faults, calls, callbackSteps, incidents, incidentEvents: incidents * eventsPerIncident, logLines },
  }
}

/**
 * Writes the records into the app's `records` store (the page must be on the app's origin, and the
 * app must have created its database), 10,000 per read-write transaction. Returns the wall time.
 * The app's live queries do not see writes made outside Dexie: open the screens afterwards.
 */
export async function seedIndexedDb(page: Page, records: object[]): Promise<number> {
  const started = Date.now()
  for (let i = 0; i < records.length; i += 10_000) {
    await page.evaluate(
      (json) =>
        new Promise<void>((resolve, reject) => {
          const chunk = JSON.parse(json) as object[]
          const open = indexedDB.open('steadyline')
          open.onsuccess = () => {
            const tx = open.result.transaction('records', 'readwrite')
            const store = tx.objectStore('records')
            for (const r of chunk) store.put(r)
            tx.oncomplete = () => {
              open.result.close()
              resolve()
            }
            tx.onerror = () => reject(tx.error)
          }
          open.onerror = () => reject(open.error)
        }),
      // one string: far quicker through the DevTools protocol than 10,000 objects
      JSON.stringify(records.slice(i, i + 10_000)),
    )
  }
  return Date.now() - started
}
