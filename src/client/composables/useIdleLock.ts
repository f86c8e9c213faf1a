import { useIdle, useIntervalFn } from '@vueuse/core'
import { watch, type Ref } from 'vue'

/** Whether a tablet idle since `lastActive` should lock now. */
export function shouldLock(lastActive: number, now: number, minutes: number): boolean {
  return now - lastActive >= minutes * 60_000
}

/**
 * Locks the tablet after `minutes` (the site's setting) without a touch, key or pointer: `lock`
 * signs the person out and covers the page without unmounting it (App.vue), so drafts and input
 * held only in memory stay. Activity is VueUse's `useIdle`; the check runs every
 * few seconds against the stored last-activity time, so a changed setting applies at once and a
 * tablet that slept through the deadline locks as soon as it wakes.
 */
export function useIdleLock(options: { minutes: Ref<number>; active: Ref<boolean>; lock: () => void; now?: () => number; checkEveryMs?: number }) {
  const now = options.now ?? Date.now
  const { lastActive, reset } = useIdle(60_000, { initialState: false })
  // a new sign-in starts the clock afresh
  watch(options.active, (active) => {
    if (active) reset()
  })
  useIntervalFn(() => {
    if (options.active.value && shouldLock(lastActive.value, now(), options.minutes.value)) options.lock()
  }, options.checkEveryMs ?? 5_000)
  return { lastActive }
}
