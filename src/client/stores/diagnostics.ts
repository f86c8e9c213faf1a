import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { db } from '../db/db'
import { getMeta } from '../db/meta-repository'
import { getPullCursor } from '../db/sync-repository'
import { attachmentStats } from '../db/attachments-repository'
import { useLiveQuery } from '../composables/useLiveQuery'

/** What the storage diagnostics view shows: whether the browser may evict us, and how full we are. */
export const useDiagnosticsStore = defineStore('diagnostics', () => {
  const isSupported = typeof navigator !== 'undefined' && !!navigator.storage
  const persisted = shallowRef<boolean | undefined>(undefined)
  const usage = shallowRef<number | undefined>(undefined)
  const quota = shallowRef<number | undefined>(undefined)
  const { value: counts } = useLiveQuery(
    async () => ({
      records: await db.records.count(),
      outbox: await db.outbox.count(),
      cursor: await getPullCursor(db),
      clientId: (await getMeta<string>(db, 'clientId')) ?? '',
    }),
    { initial: { records: 0, outbox: 0, cursor: 0, clientId: '' } },
  )
  /** Photos and signatures on the tablet: how many, how many bytes, how many the server lacks. */
  const { value: attachments } = useLiveQuery(() => attachmentStats(db), { initial: { count: 0, bytes: 0, pending: 0 } })

  async function refresh() {
    if (!isSupported) return
    persisted.value = await navigator.storage.persisted?.()
    const estimate = await navigator.storage.estimate?.()
    usage.value = estimate?.usage
    quota.value = estimate?.quota
  }

  /** Asks the browser not to evict our data under storage pressure; the answer is shown, not assumed. */
  async function requestPersist() {
    if (!isSupported || !navigator.storage.persist) return false
    persisted.value = await navigator.storage.persist()
    await refresh()
    return persisted.value
  }

  return { isSupported, persisted, usage, quota, counts, attachments, refresh, requestPersist }
})
