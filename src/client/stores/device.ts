import { defineStore } from 'pinia'
import { computed } from 'vue'
import { db } from '../db/db'
import { getEnrollment, saveEnrollment, type Enrollment } from '../db/meta-repository'
import { useLiveQuery } from '../composables/useLiveQuery'
import { enrollDevice, SyncHttpError } from '../sync/transport'
import { EnrollRequestSchema } from '../../shared/sync'

export type EnrollFailure = 'invalid' | 'refused' | 'network' | 'other'

/** The tablet's enrollment with the central server: which site it belongs to, and its token. */
export const useDeviceStore = defineStore('device', () => {
  const { value: enrollment, ready } = useLiveQuery<Enrollment | undefined>(() => getEnrollment(db), { initial: undefined })
  const isEnrolled = computed(() => enrollment.value !== undefined)

  async function enroll(input: { siteName: string; enrollmentCode: string; deviceName: string }): Promise<
    { ok: true; enrollment: Enrollment } | { ok: false; reason: EnrollFailure }
  > {
    const request = EnrollRequestSchema.safeParse(input)
    if (!request.success) return { ok: false, reason: 'invalid' }
    try {
      const response = await enrollDevice(request.data)
      const saved: Enrollment = { ...response, enrolledAt: new Date().toISOString() }
      await saveEnrollment(db, saved)
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

  return { enrollment, ready, isEnrolled, enroll }
})
