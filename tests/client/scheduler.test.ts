import { describe, expect, it, vi } from 'vitest'
import { SyncScheduler } from '../../src/client/sync/scheduler'
import { SyncHttpError } from '../../src/client/sync/transport'
import type { SyncOutcome } from '../../src/client/sync/engine'

const ok: SyncOutcome = { ok: true, pushed: 0, rejected: 0, pulled: 0 }
const fail: SyncOutcome = { ok: false, pushed: 0, error: new SyncHttpError(0, 'network', 'offline') }

/** A scheduler with a hand-driven clock: timers fire only when the test says so. */
function harness(outcomes: SyncOutcome[], random = 0.5) {
  const timers: { fn: () => void; ms: number }[] = []
  let now = 0
  const run = vi.fn(async () => outcomes.shift() ?? ok)
  const scheduler = new SyncScheduler({
    run,
    random: () => random,
    now: () => now,
    exclusive: (task) => task(),
    setTimer: (fn, ms) => {
      const timer = { fn, ms }
      timers.push(timer)
      return timer
    },
    clearTimer: (handle) => {
      const i = timers.indexOf(handle as (typeof timers)[number])
      if (i >= 0) timers.splice(i, 1)
    },
    baseDelayMs: 1000,
    maxDelayMs: 8000,
    writeDebounceMs: 300,
    periodicMs: 60_000,
  })
  const fire = async () => {
    const timer = timers.shift()
    if (!timer) throw new Error('no timer set')
    now += timer.ms
    timer.fn()
    await vi.waitFor(() => expect(timers.length).toBeGreaterThan(0))
    return timer.ms
  }
  return { scheduler, run, timers, fire }
}

describe('SyncScheduler', () => {
  it('backs off exponentially with jitter, capped, and resets after a success', async () => {
    const { scheduler, timers, fire } = harness([fail, fail, fail, fail, fail, ok], 1)
    scheduler.start()
    await vi.waitFor(() => expect(timers).toHaveLength(1))
    const delays: number[] = []
    for (let i = 0; i < 5; i++) {
      delays.push(timers[0]!.ms)
      await fire()
    }
    // random() = 1 gives the top of each jitter band: 1 s, 2 s, 4 s, 8 s, capped at 8 s
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000])
    expect(scheduler.consecutiveFailures).toBe(0)
    expect(timers[0]!.ms).toBe(60_000)
  })

  it('keeps the jitter within half to all of the capped delay', () => {
    expect(harness([], 0).scheduler.backoffDelay(3)).toBe(2000)
    expect(harness([], 1).scheduler.backoffDelay(3)).toBe(4000)
    expect(harness([], 0.5).scheduler.backoffDelay(30)).toBe(6000)
  })

  it('runs one round at a time and one more for triggers that came during it', async () => {
    const { scheduler, run } = harness([])
    scheduler.start()
    void scheduler.trigger('manual')
    void scheduler.trigger('online')
    await scheduler.trigger('manual')
    expect(run).toHaveBeenCalledTimes(2)
  })

  it('debounces writes but never delays past an earlier wake-up', async () => {
    const { scheduler, timers } = harness([])
    scheduler.start()
    await vi.waitFor(() => expect(timers[0]?.ms).toBe(60_000))
    scheduler.notifyWrite()
    expect(timers.map((t) => t.ms)).toEqual([300])
    scheduler.notifyWrite()
    expect(timers.map((t) => t.ms)).toEqual([300])
  })

  it('does nothing once stopped', async () => {
    const { scheduler, run, timers } = harness([])
    scheduler.start()
    await vi.waitFor(() => expect(run).toHaveBeenCalledTimes(1))
    scheduler.stop()
    scheduler.notifyWrite()
    await scheduler.trigger('manual')
    expect(run).toHaveBeenCalledTimes(1)
    expect(timers).toHaveLength(0)
  })
})
