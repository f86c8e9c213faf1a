import { liveQuery } from 'dexie'
import { getCurrentScope, onScopeDispose, shallowRef, watch, type ShallowRef, type WatchSource } from 'vue'

export interface UseLiveQueryOptions<T> {
  /** Value until the first result arrives. */
  initial: T
  /** Re-subscribe when this source changes (e.g. a route parameter). */
  deps?: WatchSource<unknown>
}

/**
 * Subscribes to a Dexie live query for as long as the calling scope lives: the ref follows every
 * committed change to the tables the query read, from this tab or another, with no re-query by
 * hand after a write. `error` holds the last failure (shown by the caller, never swallowed).
 */
export function useLiveQuery<T>(
  querier: () => Promise<T> | T,
  options: UseLiveQueryOptions<T>,
): { value: ShallowRef<T>; error: ShallowRef<unknown>; ready: ShallowRef<boolean> } {
  const value = shallowRef(options.initial) as ShallowRef<T>
  const error = shallowRef<unknown>(undefined)
  const ready = shallowRef(false)
  let subscription: { unsubscribe(): void } | undefined

  const subscribe = () => {
    subscription?.unsubscribe()
    subscription = liveQuery(querier).subscribe({
      next: (result) => {
        value.value = result
        error.value = undefined
        ready.value = true
      },
      error: (err: unknown) => {
        error.value = err
        console.error('live query failed', err)
      },
    })
  }

  subscribe()
  // A getter's list of values is a new array on every run: only a changed value subscribes again
  // (a form's live query re-subscribing on every keystroke queued a query ahead of the draft's write).
  if (options.deps) watch(options.deps, (next, previous) => sameValues(next, previous) || subscribe())
  if (getCurrentScope()) onScopeDispose(() => subscription?.unsubscribe())
  return { value, error, ready }
}

/** Two different arrays holding the same values (the same array counts as changed: mutated in place). */
function sameValues(next: unknown, previous: unknown): boolean {
  return Array.isArray(next) && Array.isArray(previous) && next !== previous && next.length === previous.length && next.every((value, i) => Object.is(value, previous[i]))
}
