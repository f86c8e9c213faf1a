import { shallowRef, toValue, watch, type MaybeRefOrGetter, type ShallowRef } from 'vue'
import { useReportDraftsStore, type DraftForm } from '../stores/reportDrafts'

export interface UseFormDraftOptions<T extends Record<string, string>> {
  /** Which form: the draft's kind and address (reportDrafts.ts). */
  form: DraftForm
  /** Whose form: an incident's id, a log book. A change of owner loads that owner's draft. */
  owner: MaybeRefOrGetter<string>
  /** The fields and their values in an empty form. */
  initial: T
  /**
   * A blank form has no draft: its draft is removed (after "save", or when everything is erased).
   * @default every field as in `initial`
   */
  isBlank?: (values: T) => boolean
}

/**
 * A small form (a few text fields) kept as a draft on disk: the owner's draft is put back when
 * the form opens, every change is saved (queued, and waited for by the update prompt), and a
 * blank form removes it. A reload, an update, a closed tab or a power cut keeps what was typed.
 * Returns one ref per field, so a page's `shallowRef('')` fields are swapped in place.
 */
export function useFormDraft<T extends Record<string, string>>(options: UseFormDraftOptions<T>): { [K in keyof T]: ShallowRef<T[K]> } {
  const drafts = useReportDraftsStore()
  const keys = Object.keys(options.initial) as (keyof T & string)[]
  const fields = Object.fromEntries(keys.map((k) => [k, shallowRef(options.initial[k])])) as unknown as { [K in keyof T]: ShallowRef<T[K]> }
  const values = () => Object.fromEntries(keys.map((k) => [k, fields[k].value])) as unknown as T
  const isBlank = options.isBlank ?? ((v: T) => keys.every((k) => v[k] === options.initial[k]))
  let owner = toValue(options.owner)
  /** Something was typed for this owner: a draft read later must not overwrite it. */
  let typed = false
  let restoring = false

  function restore(saved: Partial<T>) {
    restoring = true
    try {
      for (const k of keys) fields[k].value = typeof saved[k] === 'string' ? (saved[k] as T[typeof k]) : options.initial[k]
    } finally {
      restoring = false
    }
  }

  async function load(forOwner: string) {
    const saved = await drafts.load<Partial<T>>(options.form, forOwner).catch(() => undefined)
    if (saved && forOwner === owner && !typed) restore(saved)
  }

  // sync: each change is queued in the order it was made, and a restore is told apart from typing
  watch(
    keys.map((k) => fields[k]),
    () => {
      if (restoring) return
      typed = true
      const current = values()
      const write = isBlank(current) ? drafts.discard(options.form, owner) : drafts.save(options.form, owner, current)
      // a failed write is kept by the unsaved-work store, and the update prompt says so
      write.catch(() => undefined)
    },
    { flush: 'sync' },
  )

  watch(
    () => toValue(options.owner),
    (next) => {
      owner = next
      typed = false
      restore({})
      void load(next)
    },
  )
  void load(owner)

  return fields
}
