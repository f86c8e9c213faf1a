import { computed, onScopeDispose, shallowRef, toValue, type MaybeRefOrGetter } from 'vue'
import { useUnsavedWorkStore } from '../stores/unsavedWork'

export interface UseUnsavedInputOptions {
  /** Whether the form holds input that is saved nowhere yet (compared with what it opened with). */
  isDirty: () => boolean
  /** The form's name as the person knows it, in their language (a getter follows a language switch). */
  label: MaybeRefOrGetter<string>
}

/**
 * For a form that keeps its input in memory only (a persisted draft, like the call form's, needs
 * none of this). While it is dirty: the update prompt names it and does not reload (it updates
 * once the form is saved, or anyway if the person says so), and closing or reloading the tab
 * asks first (stores/unsavedWork.ts). The idle lock covers the page without unmounting it
 * (App.vue), so the input survives a lock too. Taken off the list when the calling component goes away.
 */
export function useUnsavedInput(options: UseUnsavedInputOptions) {
  const unsaved = useUnsavedWorkStore()
  const isDirty = computed(options.isDirty)

  const unregister = unsaved.register({
    label: () => toValue(options.label),
    isDirty: () => isDirty.value,
  })
  onScopeDispose(unregister)

  return { isDirty }
}

/**
 * An `isDirty` for a form edited in place: whether `value` (serialised) differs from what it was
 * when this was called, or at the last `reset()` (a form opened again on other data).
 */
export function changedSince(value: () => unknown): (() => boolean) & { reset(): void } {
  const pristine = shallowRef(JSON.stringify(value()))
  const changed = () => JSON.stringify(value()) !== pristine.value
  return Object.assign(changed, { reset: () => void (pristine.value = JSON.stringify(value())) })
}
