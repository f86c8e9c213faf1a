import { defaultWindow, useDocumentVisibility, useEventListener, useIntervalFn } from '@vueuse/core'
import { computed, onScopeDispose, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue'

/** How often the alert repeats while an alarm is not acknowledged: loud halls, people walking away. */
export const ALARM_REPEAT_MS = 25_000
/** The vibration of one alert (ms on, off, on…), where the device has a vibrator. */
export const ALARM_VIBRATION = [400, 200, 400, 200, 400]
/** The tones of one alert (Hz), each `ALARM_TONE_S` long: a rising pair twice, hard to miss. */
export const ALARM_TONES = [880, 1320, 880, 1320]
const ALARM_TONE_S = 0.22
const ALARM_GAIN = 0.35

export interface UseAlarmSoundOptions {
  /** The alarms that want a person now, by a key stable across renders: it sounds while any is. */
  alarms: MaybeRefOrGetter<readonly string[]>
  /** @default ALARM_REPEAT_MS */
  intervalMs?: number
  /** @default window */
  window?: Window
}

/**
 * The alert of the alarm bar: a sound and a vibration at once when an alarm falls due, repeated
 * every `intervalMs` while any alarm is unacknowledged and the page is visible (hidden, the system
 * notification speaks for it; visible again, it sounds at once). Acknowledging every alarm stops it.
 *
 * Browsers start audio only after a person has touched the page: the AudioContext is made and
 * resumed on the first tap or key of the session, and `blocked` says when an alert could not
 * sound, so the screen can ask for a tap (`enable`, called from that tap). `mute` silences the
 * alarms ringing now on this device only (a device thing, not a record); a new alarm sounds again.
 */
export function useAlarmSound(options: UseAlarmSoundOptions) {
  const win = options.window ?? defaultWindow
  const intervalMs = options.intervalMs ?? ALARM_REPEAT_MS
  // Safari before 14.1 has it prefixed only
  const audioGlobals = win as { AudioContext?: typeof AudioContext; webkitAudioContext?: typeof AudioContext } | undefined
  const Audio = audioGlobals?.AudioContext ?? audioGlobals?.webkitAudioContext
  const isSupported = typeof Audio === 'function'
  const visibility = useDocumentVisibility(win ? { document: win.document } : {})
  /** An alert should have sounded and the browser would not start audio: ask for a tap. */
  const blocked = shallowRef(false)
  const mutedKeys = shallowRef<ReadonlySet<string>>(new Set())

  // the same array while the alarms are the same ones: the caller may build its list anew every second
  const keys = computed<readonly string[]>((previous) => {
    const next = toValue(options.alarms)
    return previous && previous.length === next.length && previous.every((k, i) => k === next[i]) ? previous : next
  })
  const muted = computed(() => keys.value.length > 0 && keys.value.every((k) => mutedKeys.value.has(k)))
  const ringing = computed(() => keys.value.length > 0 && !muted.value && visibility.value === 'visible')

  let context: AudioContext | undefined
  function audio(): AudioContext | undefined {
    if (!context && Audio) {
      try {
        const created = new Audio()
        created.addEventListener('statechange', () => {
          if (created.state === 'running') blocked.value = false
        })
        context = created
      } catch {
        return undefined
      }
    }
    return context
  }

  function tones(ctx: AudioContext) {
    const start = ctx.currentTime + 0.02
    ALARM_TONES.forEach((hz, i) => {
      const osc = ctx.createOscillator()
      const gain = ctx.createGain()
      osc.type = 'square'
      osc.frequency.value = hz
      gain.gain.value = ALARM_GAIN
      osc.connect(gain).connect(ctx.destination)
      osc.start(start + i * ALARM_TONE_S)
      osc.stop(start + (i + 1) * ALARM_TONE_S - 0.03)
    })
  }

  /**
   * Sounds the alert if the browser lets audio start. Before any tap of the session it does not:
   * `blocked`, and the alert waits for the next repeat or a tap on the hint. After a tap earlier in
   * the session (sticky activation) a suspended context starts in a moment, and the alert sounds.
   */
  function sound(ctx: AudioContext) {
    if (ctx.state === 'running') {
      blocked.value = false
      tones(ctx)
      return
    }
    const activation = (win?.navigator as (Navigator & { userActivation?: { hasBeenActive: boolean } }) | undefined)?.userActivation
    const before = !activation?.hasBeenActive
    if (before) blocked.value = true
    ctx.resume().then(
      () => {
        if (ctx.state !== 'running') return void (blocked.value = true)
        // not once the hint is up: a late start would sound on some unrelated tap
        if (!before && ringing.value) tones(ctx)
        blocked.value = false
      },
      () => void (blocked.value = true),
    )
  }

  function ring() {
    try {
      win?.navigator.vibrate?.(ALARM_VIBRATION)
    } catch {
      // no vibrator, or not allowed yet: the sound and the bar still tell
    }
    const ctx = audio()
    if (ctx) sound(ctx)
  }

  const repeat = useIntervalFn(ring, intervalMs, { immediate: false })
  const heard = new Set<string>()
  watch(
    [ringing, keys],
    ([on, now]) => {
      const fresh = now.some((k) => !heard.has(k))
      for (const k of now) heard.add(k)
      if (!on) return repeat.pause()
      if (fresh || !repeat.isActive.value) {
        // a new alarm, or back on screen: sound now and count the interval from here
        repeat.pause()
        ring()
        repeat.resume()
      }
    },
    { immediate: true },
  )

  /** The first tap or key of the session unlocks audio, alarm or not, so that the next alarm sounds. */
  function unlock(): Promise<boolean> {
    const ctx = audio()
    if (!ctx) return Promise.resolve(false)
    if (ctx.state === 'running') return Promise.resolve(true)
    return ctx.resume().then(
      () => ctx.state === 'running',
      () => false,
    )
  }
  const stopUnlock = useEventListener(
    win,
    ['pointerdown', 'keydown', 'touchend'],
    () =>
      void unlock().then((running) => {
        if (running) stopUnlock()
      }),
    { capture: true, passive: true },
  )

  /** From a tap on the "sound blocked" hint: starts audio and sounds the alert now. */
  async function enable() {
    const running = await unlock()
    blocked.value = !running
    if (running && ringing.value && context) tones(context)
  }

  function mute() {
    mutedKeys.value = new Set([...mutedKeys.value, ...keys.value])
  }
  function unmute() {
    mutedKeys.value = new Set()
  }

  onScopeDispose(() => {
    repeat.pause()
    void context?.close().catch(() => undefined)
  })

  return { isSupported, blocked, muted, ringing, enable, mute, unmute }
}
