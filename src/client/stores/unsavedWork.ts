import { defineStore } from 'pinia'
import { computed, shallowReactive, shallowRef } from 'vue'
import type { TrackWrite } from '../db/drafts-repository'

/** How long the update prompt waits for the writes in flight before it says they are slow. */
export const UNSAVED_WORK_WAIT_MS = 10_000

/** A form whose input is only in memory (registered by `useUnsavedInput`). */
export interface UnsavedForm {
  /** The form's name as the person knows it, in the current language. */
  label: () => string
  isDirty: () => boolean
}

/** What waiting for the writes found: all done, one whose latest write failed, or still writing. */
export type WritesOutcome = { ok: true } | { ok: false; reason: 'failed'; error: unknown } | { ok: false; reason: 'timeout' }

/**
 * Everything typed that is not safely on disk yet, for whoever is about to throw the page away
 * (the update prompt, closing the tab): the draft and tap writes still in flight, the things whose
 * latest write failed, and the forms that keep their input only in memory (closing the tab with
 * one of those dirty asks first).
 *
 * A failure is remembered under the key of what was written (a draft's id) until a later write of
 * the same key succeeds: every draft write carries the whole form, so only the latest one counts.
 */
export const useUnsavedWorkStore = defineStore('unsavedWork', () => {
  const inFlight = new Set<Promise<void>>()
  const failures = shallowReactive(new Map<string, unknown>())
  const forms = shallowRef<UnsavedForm[]>([])
  /** Set by "update anyway": the page is being replaced on purpose, the forms' guards stand down. */
  const leaving = shallowRef(false)

  /** Registers a write in flight; returns it unchanged (callers still see its failure). */
  const track: TrackWrite = (write, key) => {
    const done: Promise<void> = write
      .then(
        () => void failures.delete(key),
        (error: unknown) => void failures.set(key, error),
      )
      .finally(() => inFlight.delete(done))
    inFlight.add(done)
    return write
  }

  /**
   * Waits for every write in flight, including ones queued meanwhile, for at most `timeoutMs`;
   * then says whether anything's latest write failed.
   */
  async function settled(timeoutMs = UNSAVED_WORK_WAIT_MS): Promise<WritesOutcome> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)))
    try {
      while (inFlight.size > 0) {
        if ((await Promise.race([Promise.all([...inFlight]), timeout])) === 'timeout') return { ok: false, reason: 'timeout' }
      }
    } finally {
      clearTimeout(timer)
    }
    const [failure] = failures.values()
    return failures.size > 0 ? { ok: false, reason: 'failed', error: failure } : { ok: true }
  }

  const dirtyForms = computed(() => forms.value.filter((f) => f.isDirty()))

  // Closing or reloading the tab asks first while a form holds input. The browser shows its own
  // words (a page's text is ignored). One listener for all the forms, there while any is on the page.
  function onBeforeUnload(event: BeforeUnloadEvent) {
    if (leaving.value || dirtyForms.value.length === 0) return
    event.preventDefault()
    event.returnValue = ''
  }

  /** Adds a form to the list; the returned function takes it off (when the form goes away). */
  function register(form: UnsavedForm): () => void {
    if (forms.value.length === 0) window.addEventListener('beforeunload', onBeforeUnload)
    forms.value = [...forms.value, form]
    return () => {
      forms.value = forms.value.filter((f) => f !== form)
      if (forms.value.length === 0) window.removeEventListener('beforeunload', onBeforeUnload)
    }
  }

  return { leaving, dirtyForms, track, settled, register }
})
