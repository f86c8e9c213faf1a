import { useDocumentVisibility, useWakeLock } from '@vueuse/core'
import { toValue, watch, type MaybeRefOrGetter } from 'vue'

export interface UseKeepScreenOnOptions {
  /** Whether the screen should stay on now (an incident or a drill is open on the tablet). */
  active: MaybeRefOrGetter<boolean>
  /** @default window.navigator */
  navigator?: Navigator
  /** @default window.document */
  document?: Document
}

/**
 * Keeps the screen on while `active`: a screen wake lock (VueUse's `useWakeLock`), held while the
 * page is visible. The browser drops the lock whenever the page is hidden; it is taken again when
 * the page is visible again (VueUse does it after a drop; a request that failed, e.g. while the
 * tab was being shown, is retried here). Released when `active` turns false or the caller's
 * scope ends. `isActive`: the screen is being kept on right now.
 */
export function useKeepScreenOn(options: UseKeepScreenOnOptions) {
  const wakeLock = useWakeLock({
    ...(options.navigator ? { navigator: options.navigator } : {}),
    ...(options.document ? { document: options.document } : {}),
  })
  const visibility = useDocumentVisibility(options.document ? { document: options.document } : {})
  let failed = false

  const request = () =>
    wakeLock.request('screen').then(
      () => (failed = false),
      () => (failed = true),
    )

  watch(
    () => toValue(options.active),
    (active) => {
      if (!wakeLock.isSupported.value) return
      if (active) void request()
      else {
        failed = false
        void wakeLock.release().catch(() => undefined)
      }
    },
    { immediate: true },
  )
  watch(visibility, (state) => {
    if (state === 'visible' && failed && toValue(options.active)) void request()
  })

  return { isSupported: wakeLock.isSupported, isActive: wakeLock.isActive }
}
