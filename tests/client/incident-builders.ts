import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { AppDB } from '../../src/client/db/AppDB'
import { db } from '../../src/client/db/db'
import { applyPullPage } from '../../src/client/db/sync-repository'
import { createTestI18n } from './i18n-helper'
import { routes } from '../../src/client/router'
import { useIncidentsStore } from '../../src/client/stores/incidents'
import { usePlaybooksStore } from '../../src/client/stores/playbooks'
import { newId } from '../../src/shared/ids'
import type { Role } from '../../src/shared/people'
import type { RecordEnvelope } from '../../src/shared/records'
import { DEVICE_ID, SITE_ID, enrollTablet, signedInPerson } from './builders'

/**
 * What an incident screen needs to mount: the app's database emptied, the tablet enrolled and a
 * person signed in (一号台, a supervisor, unless `person` says otherwise), a fresh Pinia, the app's
 * routes in memory, the plans loaded, and the app's i18n with every area's messages, in Chinese (or English).
 */
export async function incidentScreens(options: { person?: { name?: string; role?: Role }; english?: boolean } = {}) {
  await db.delete()
  await db.open()
  await enrollTablet(db)
  await signedInPerson(db, { name: '一号台', ...options.person })
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createRouter({ history: createMemoryHistory(), routes })
  const i18n = createTestI18n(options.english ? 'en' : 'zh-CN')
  const incidents = useIncidentsStore()
  const playbooks = usePlaybooksStore()
  await playbooks.loaded
  return { plugins: [pinia, router, i18n], router, incidents, playbooks, c2: playbooks.byId('C2')! }
}

/** Incidents and their events as a pull brings them (the archive's tests). */
export const INCIDENT_PLANS = ['C2', 'H4', 'H9'] as const
export const DAY_MS = 86_400_000
/** The start of the oldest seeded incident. */
export const SEED_T0 = Date.parse('2026-01-01T02:00:00.000Z')

let seq = 0
export function envelope(kind: RecordEnvelope['kind'], createdAt: string, data: Record<string, unknown>, deviceId = DEVICE_ID): RecordEnvelope {
  return { id: newId(), kind, siteId: SITE_ID, deviceId, author: '一号台', createdAt, updatedAt: createdAt, serverSeq: ++seq, data }
}

export function incident(startedAt: string, options: { playbookId?: string; drill?: boolean } = {}): RecordEnvelope {
  return envelope('incident', startedAt, { playbookId: options.playbookId ?? 'C2', playbookVersion: 1, startedAt, drill: options.drill ?? false, note: '' })
}

export function event(incidentId: string, type: 'close' | 'reopen' | 'tick' | 'note', at: number, deviceId = DEVICE_ID): RecordEnvelope {
  const stamp = new Date(at).toISOString()
  const extra = type === 'tick' ? { stepId: 'x' } : type === 'note' ? { note: '记录' } : {}
  return envelope('incidentEvent', stamp, { incidentId, type, ...extra, hlc: `${String(at).padStart(15, '0')}-00000-${deviceId}`, at: stamp }, deviceId)
}

/** The records stored as one pull page (the server's copies, `synced`). */
export const pull = (db: AppDB, records: RecordEnvelope[]) => applyPullPage(db, { records, cursor: ++seq, hasMore: false, lastMutationId: 0 })

export interface SeededIncident {
  id: string
  startedAt: string
  playbookId: string
  drill: boolean
  closed: boolean
}

/**
 * `n` incidents a day apart from SEED_T0 (the last the newest), the plans in turn, one in four a
 * drill, one in five still open; each with a tick, and a close unless open. Pulled in pages of 40
 * as a sync brings them (an incident and its events in the same page). Newest first.
 */
export async function seedIncidents(db: AppDB, n: number): Promise<SeededIncident[]> {
  const seeded: SeededIncident[] = []
  const records: RecordEnvelope[] = []
  for (let i = 0; i < n; i++) {
    const start = SEED_T0 + i * DAY_MS
    const playbookId = INCIDENT_PLANS[i % INCIDENT_PLANS.length]!
    const drill = i % 4 === 1
    const closed = i % 5 !== 4
    const record = incident(new Date(start).toISOString(), { playbookId, drill })
    records.push(record, event(record.id, 'tick', start + 60_000))
    if (closed) records.push(event(record.id, 'close', start + 3_600_000))
    seeded.push({ id: record.id, startedAt: new Date(start).toISOString(), playbookId, drill, closed })
  }
  for (let i = 0; i < records.length; i += 40) await pull(db, records.slice(i, i + 40))
  return seeded.reverse()
}
