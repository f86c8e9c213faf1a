import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { useOnline } from '@vueuse/core'
import { db } from '../db/db'
import { getEnrollment, getMeta } from '../db/meta-repository'
import { countOutbox, listSyncIssues, unsyncedData } from '../db/sync-repository'
import { downloadFile } from '../composables/useDownload'
import { useLiveQuery } from '../composables/useLiveQuery'
import type { SyncOutcome } from '../sync/engine'
import { SyncScheduler, type SyncTrigger } from '../sync/scheduler'
import type { SyncIssue } from '../db/AppDB'

export type SyncProblem = 'network' | 'unauthorized' | 'internal' | 'conflict' | 'other'

function problemOf(outcome: SyncOutcome): SyncProblem | undefined {
  if (outcome.ok) return undefined
  const { error } = outcome
  if (error.status === 0) return 'network'
  if (error.status === 401) return 'unauthorized'
  if (error.status >= 500) return 'internal'
  if (error.code === 'mutation_gap' || error.code === 'mutation_conflict' || error.code === 'client_taken') return 'conflict'
  return 'other'
}

/** What the status bar and the home screen show about sync, and the one place that starts it. */
export const useSyncStore = defineStore('sync', () => {
  const online = useOnline()
  // what the status bar and the home screen show: one live query, one transaction
  const { value: shown } = useLiveQuery(
    () =>
      db.transaction('r', db.outbox, db.syncIssues, db.meta, async () => {
        const [pendingCount, issues, lastSyncAt] = await Promise.all([countOutbox(db), listSyncIssues(db), getMeta<string>(db, 'lastSyncAt')])
        return { pendingCount, issues, lastSyncAt }
      }),
    { initial: { pendingCount: 0, issues: [] as SyncIssue[], lastSyncAt: undefined as string | undefined } },
  )
  const pendingCount = computed(() => shown.value.pendingCount)
  const issues = computed(() => shown.value.issues)
  const lastSyncAt = computed(() => shown.value.lastSyncAt)
  const syncing = shallowRef(false)
  const problem = shallowRef<SyncProblem | undefined>(undefined)

  // The engine is a chunk of its own (sync/session.ts), loaded on the first round, after the first paint.
  const session = () => import('../sync/session')

  const scheduler = new SyncScheduler({
    run: async () => {
      // Not enrolled yet: nothing to talk to. Records wait in the outbox until enrollment.
      if (!(await getEnrollment(db))) return { ok: true, pushed: 0, rejected: 0, pulled: 0 }
      syncing.value = true
      try {
        return await (await session()).runSync()
      } finally {
        syncing.value = false
      }
    },
    // Photos and signatures after the records, so a text record never waits behind an image.
    afterRound: async ({ interrupted }) => {
      if (!(await getEnrollment(db))) return true
      return (await (await session()).uploadAttachments(interrupted)).ok
    },
    onOutcome: (outcome) => {
      if ('busy' in outcome) return
      problem.value = problemOf(outcome)
    },
  })

  const rejectedCount = computed(() => issues.value.length)

  function start() {
    scheduler.start()
    window.addEventListener('online', () => void scheduler.trigger('online'))
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void scheduler.trigger('visible')
    })
    navigator.serviceWorker?.addEventListener('message', (event: MessageEvent) => {
      if ((event.data as { type?: string } | undefined)?.type === 'SYNC_REQUESTED') void scheduler.trigger('worker')
    })
  }

  /** Call after every local write: a push follows shortly, and Background Sync is asked as a backup. */
  function notifyWrite() {
    scheduler.notifyWrite()
    void navigator.serviceWorker?.ready
      .then((registration) => (registration as ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }).sync?.register('steadyline-sync'))
      .catch(() => undefined)
  }

  function syncNow(reason: SyncTrigger = 'manual') {
    return scheduler.trigger(reason)
  }

  /**
   * Downloads what only this tablet holds (a revoked tablet can sync no more): JSON, made offline,
   * with the images not yet uploaded as base64 (unsyncedData). Returns how many records and drafts.
   */
  async function exportUnsynced() {
    const enrollment = await getEnrollment(db)
    const data = await unsyncedData(db)
    const stamp = new Date().toISOString()
    const name = `steadyline-unsynced-${enrollment?.deviceName ?? 'tablet'}-${stamp.slice(0, 19).replace(/[:T]/g, '-')}.json`
    downloadFile(name, JSON.stringify({ exportedAt: stamp, enrollment: enrollment && { ...enrollment, token: undefined }, ...data }, null, 2), 'application/json')
    return data.records.length + data.drafts.length
  }

  return { online, pendingCount, issues, rejectedCount, lastSyncAt, syncing, problem, start, notifyWrite, syncNow, exportUnsynced }
})
