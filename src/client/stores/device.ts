import { defineStore } from 'pinia'
import { computed } from 'vue'
import { db } from '../db/db'
import { saveEnrollment, setMeta, type Enrollment } from '../db/meta-repository'
import { backupIdentity, checkStore } from '../db/identity-backup'
import { useLiveQuery } from '../composables/useLiveQuery'

export type EnrollFailure = 'invalid' | 'refused' | 'network' | 'other'

/** The meta rows the device store shows: the enrollment, and whether a discarded store is still to be told. */
interface DeviceMeta {
  enrollment: Enrollment | undefined
  lostAt: string | undefined
  lostSeen: boolean
}

/** The tablet's enrollment with the central server: which site it belongs to, and its token. */
export const useDeviceStore = defineStore('device', () => {
  // the enrollment and the "store lost" notice: one live query, one transaction
  const { value: meta, ready } = useLiveQuery<DeviceMeta>(
    async () => {
      const [enrollment, lostAt, lostSeen] = await db.meta.bulkGet(['enrollment', 'storeLostAt', 'storeLostSeen'])
      return { enrollment: enrollment?.value as Enrollment | undefined, lostAt: lostAt?.value as string | undefined, lostSeen: Boolean(lostSeen?.value) }
    },
    { initial: { enrollment: undefined, lostAt: undefined, lostSeen: false } },
  )
  const enrollment = computed(() => meta.value.enrollment)
  const isEnrolled = computed(() => enrollment.value !== undefined)
  /** Set when the browser discarded the local store since the last run, until a person dismisses it. */
  const storeLost = computed(() => (meta.value.lostAt && !meta.value.lostSeen ? meta.value.lostAt : undefined))

  /** At start: notices a discarded store and restores the enrollment from the backup copy. */
  async function checkLocalStore() {
    try {
      const result = await checkStore(db)
      if (result.storeLost) await setMeta(db, 'storeLostSeen', false)
      return result
    } catch (error) {
      console.error('local store check failed', error)
      return { storeLost: false, enrollmentRestored: false, recordsRestored: 0, draftsRestored: 0 }
    }
  }

  function dismissStoreLost() {
    return setMeta(db, 'storeLostSeen', true)
  }

  async function enroll(input: { siteName: string; enrollmentCode: string; deviceName: string }): Promise<
    { ok: true; enrollment: Enrollment } | { ok: false; reason: EnrollFailure }
  > {
    // The protocol's schemas and the transport load with the first enrollment, not at start.
    const loaded = await Promise.all([import('../../shared/sync'), import('../sync/transport')]).catch(() => undefined)
    if (!loaded) return { ok: false, reason: 'other' }
    const [{ EnrollRequestSchema }, { enrollDevice, SyncHttpError }] = loaded
    const request = EnrollRequestSchema.safeParse(input)
    if (!request.success) return { ok: false, reason: 'invalid' }
    try {
      const response = await enrollDevice(request.data)
      const saved: Enrollment = { ...response, enrolledAt: new Date().toISOString() }
      await saveEnrollment(db, saved)
      await backupIdentity(db).catch(() => undefined)
      return { ok: true, enrollment: saved }
    } catch (error) {
      if (error instanceof SyncHttpError) {
        if (error.code === 'enrollment_refused') return { ok: false, reason: 'refused' }
        if (error.code === 'bad_request') return { ok: false, reason: 'invalid' }
        if (error.status === 0) return { ok: false, reason: 'network' }
      }
      return { ok: false, reason: 'other' }
    }
  }

  return { enrollment, ready, isEnrolled, enroll, storeLost, checkLocalStore, dismissStoreLost }
})
