import { defineStore } from 'pinia'
import { computed } from 'vue'
import { db } from '../db/db'
import { getEnrollment, getMeta, setMeta } from '../db/meta-repository'
import type { Who } from '../db/outage-repository'
import { useLiveQuery } from '../composables/useLiveQuery'
import { useDeviceStore } from './device'

const OPERATOR_KEY = 'operatorName'

export class NotEnrolledError extends Error {
  constructor() {
    super('this tablet is not enrolled')
    this.name = 'NotEnrolledError'
  }
}

/**
 * "Who is at this tablet": a name typed on the device and kept on it, used as the author of what
 * is recorded here until sign-in with people and PINs exists (issue 7). Without a name, the
 * enrolled device's name stands in, as before.
 */
export const useOperatorStore = defineStore('operator', () => {
  const device = useDeviceStore()
  const { value: name } = useLiveQuery(() => getMeta<string>(db, OPERATOR_KEY), { initial: undefined })
  const author = computed(() => name.value || device.enrollment?.deviceName || '')

  function setName(next: string): Promise<string> {
    return setMeta(db, OPERATOR_KEY, next.trim().slice(0, 100))
  }

  /** The envelope fields of a new record; throws `NotEnrolledError` before enrollment. */
  async function who(): Promise<Who> {
    const enrollment = await getEnrollment(db)
    if (!enrollment) throw new NotEnrolledError()
    const typed = (await getMeta<string>(db, OPERATOR_KEY))?.trim()
    return { siteId: enrollment.siteId, deviceId: enrollment.deviceId, author: typed || enrollment.deviceName }
  }

  return { name, author, setName, who }
})
