import type { SyncOutcome } from './engine'

export type SyncTrigger = 'start' | 'online' | 'visible' | 'write' | 'manual' | 'retry' | 'periodic' | 'worker'

export interface SyncSchedulerOptions {
  run: () => Promise<SyncOutcome>
  /**
   * Runs after each successful `run`, under the same lock: work that must never hold up the
   * records (the attachments' upload). `interrupted` turns true when a new round is wanted (a
   * write): stop there, the records go first and this runs again after them. Resolving false or
   * throwing leaves the round successful (the status bar shows the records' sync) but wakes the
   * scheduler again with the usual backoff, counted apart from the records' failures.
   */
  afterRound?: (context: { interrupted: () => boolean }) => Promise<boolean>
  /** Reports every round's outcome (for the status bar). */
  onOutcome?: (outcome: SyncOutcome | { busy: true }) => void
  /**
   * Runs `task` only if no other tab of this app is syncing (Web Locks); resolves to `undefined`
   * when another tab holds the lock. @default navigator.locks when present, else run directly.
   */
  exclusive?: <T>(task: () => Promise<T>) => Promise<T | undefined>
  random?: () => number
  now?: () => number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
  /** First retry delay after a failure. @default 2000 */
  baseDelayMs?: number
  /** Longest wait between retries. @default 60000 */
  maxDelayMs?: number
  /** Wait after a local write, so a burst of saves goes in one push. @default 500 */
  writeDebounceMs?: number
  /** Pull this often while all is well, so changes from other tablets arrive. @default 60000 */
  periodicMs?: number
}

export const SYNC_LOCK_NAME = 'steadyline-sync'

export function webLockExclusive<T>(task: () => Promise<T>): Promise<T | undefined> {
  if (typeof navigator === 'undefined' || !navigator.locks) return task()
  return navigator.locks.request(SYNC_LOCK_NAME, { ifAvailable: true }, async (lock) =>
    lock ? task() : undefined,
  ) as Promise<T | undefined>
}

/**
 * Decides when the sync engine runs: on the wake-ups it is told about, single-flight, and after a
 * failure again with exponential backoff and jitter (so a hall of tablets coming back online does
 * not hit the server in one instant). The timer is only a wake-up: what must be sent is in the
 * outbox on disk, never in this object.
 */
export class SyncScheduler {
  private readonly options: Required<Omit<SyncSchedulerOptions, 'onOutcome' | 'afterRound'>> &
    Pick<SyncSchedulerOptions, 'onOutcome' | 'afterRound'>
  private timer: unknown
  private timerDue = 0
  private running: Promise<void> | undefined
  private again = false
  private failures = 0
  /** Failed `afterRound`s in a row (attachments), retried with the same backoff as records. */
  private afterFailures = 0
  private stopped = true

  constructor(options: SyncSchedulerOptions) {
    this.options = {
      exclusive: webLockExclusive,
      random: Math.random,
      now: Date.now,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      baseDelayMs: 2000,
      maxDelayMs: 60_000,
      writeDebounceMs: 500,
      periodicMs: 60_000,
      ...options,
    }
  }

  start(): void {
    this.stopped = false
    void this.trigger('start')
  }

  stop(): void {
    this.stopped = true
    this.cancelTimer()
  }

  /** Number of failed rounds in a row (0 when the last round succeeded). */
  get consecutiveFailures(): number {
    return this.failures
  }

  /** A local write happened: sync soon, once the burst of writes is over. */
  notifyWrite(): void {
    if (this.stopped) return
    this.schedule(this.options.writeDebounceMs, 'write')
  }

  /** Runs a round now, or right after the one in progress. Resolves when that round is done. */
  trigger(_reason: SyncTrigger): Promise<void> {
    if (this.stopped) return Promise.resolve()
    this.cancelTimer()
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = this.loop().finally(() => {
      this.running = undefined
    })
    return this.running
  }

  /** The delay before retry number `attempt` (1-based): doubling, capped, with ±50 % jitter. */
  backoffDelay(attempt: number): number {
    const { baseDelayMs, maxDelayMs, random } = this.options
    const capped = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1))
    return Math.round(capped * (0.5 + random() / 2))
  }

  private async loop(): Promise<void> {
    do {
      this.again = false
      let afterOk = true
      const outcome = await this.options
        .exclusive(async () => {
          const result = await this.options.run()
          const { afterRound } = this.options
          if (result.ok && afterRound && !this.stopped) {
            afterOk = await afterRound({ interrupted: () => this.again || this.stopped }).catch((error: unknown) => {
              console.error('after-sync work failed', error)
              return false
            })
          }
          return result
        })
        .catch((error: unknown) => {
          console.error('sync round failed unexpectedly', error)
          return undefined
        })
      if (outcome === undefined) {
        // another tab holds the lock (or the round threw): look again shortly
        this.options.onOutcome?.({ busy: true })
        this.schedule(this.options.baseDelayMs, 'retry')
        return
      }
      this.options.onOutcome?.(outcome)
      if (outcome.ok) {
        this.failures = 0
        this.afterFailures = afterOk ? 0 : this.afterFailures + 1
      } else {
        this.failures += 1
        if (!this.again) {
          this.schedule(this.backoffDelay(this.failures), 'retry')
          return
        }
      }
    } while (this.again && !this.stopped)
    if (this.afterFailures > 0) {
      this.schedule(Math.min(this.options.periodicMs, this.backoffDelay(this.afterFailures)), 'retry')
    } else {
      this.schedule(this.options.periodicMs, 'periodic')
    }
  }

  /** Sets the wake-up timer, unless one is already set to fire sooner. */
  private schedule(ms: number, reason: SyncTrigger): void {
    if (this.stopped) return
    const due = this.options.now() + ms
    if (this.timer !== undefined && this.timerDue <= due) return
    this.cancelTimer()
    this.timerDue = due
    this.timer = this.options.setTimer(() => {
      this.timer = undefined
      void this.trigger(reason)
    }, ms)
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.options.clearTimer(this.timer)
    this.timer = undefined
  }
}
