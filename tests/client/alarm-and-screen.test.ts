// What the tablet does for a running incident wherever the person is in the app: the screen stays
// on (a screen wake lock), and an overdue alarm keeps sounding until someone acknowledges it.
// The browser APIs are the I/O edge and are faked here: navigator.wakeLock, AudioContext, vibrate.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import App from '../../src/client/App.vue'
import TheAlarmCenter from '../../src/client/components/TheAlarmCenter.vue'
import { db } from '../../src/client/db/db'
import { ALARM_REPEAT_MS, ALARM_TONES, ALARM_VIBRATION } from '../../src/client/composables/useAlarmSound'
import { incidentScreens } from './incident-builders'

const MIN = 60_000

/** The page shown or hidden, as the browser says when the tablet is locked or another app comes up. */
function setVisibility(state: DocumentVisibilityState) {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
  Object.defineProperty(document, 'hidden', { value: state === 'hidden', configurable: true })
  document.dispatchEvent(new Event('visibilitychange'))
}

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  setVisibility('visible')
  Reflect.deleteProperty(navigator, 'wakeLock')
  Reflect.deleteProperty(window, 'AudioContext')
})

interface FakeSentinel extends EventTarget {
  type: 'screen'
  released: boolean
  release(): Promise<void>
}

/** navigator.wakeLock: every request gives a sentinel; the browser may release one (page hidden). */
function fakeWakeLock() {
  const sentinels: FakeSentinel[] = []
  const request = vi.fn(async (type: 'screen') => {
    const sentinel = Object.assign(new EventTarget(), {
      type,
      released: false,
      async release() {
        if (sentinel.released) return
        sentinel.released = true
        sentinel.dispatchEvent(new Event('release'))
      },
    })
    sentinels.push(sentinel)
    return sentinel
  })
  Object.defineProperty(navigator, 'wakeLock', { value: { request }, configurable: true })
  return { request, held: () => sentinels.filter((s) => !s.released), sentinels }
}

describe('the screen stays on while an incident is open', () => {
  it('wherever the person is in the app, taken again after the page was hidden, released when none is open', async () => {
    const wakeLock = fakeWakeLock()
    const { plugins, router, incidents, c2 } = await incidentScreens()
    await router.push('/calls/new') // the call form: no incident page on screen
    const wrapper = mount(App, { global: { plugins }, attachTo: document.body })
    await vi.waitFor(() => expect(incidents.ready).toBe(true))
    expect(wakeLock.request).not.toHaveBeenCalled()
    expect(wrapper.find('[data-testid="screen-on"]').exists()).toBe(false)

    const id = await incidents.start(c2, { drill: true }) // a drill too: it rehearses the real thing
    await vi.waitFor(() => expect(wakeLock.held()).toHaveLength(1))
    expect(wakeLock.request).toHaveBeenCalledWith('screen')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="screen-on"]').text()).toContain('屏幕常亮'))
    expect(router.currentRoute.value.fullPath).toMatch(/^\/calls\//) // still on the call form

    // the tablet is locked: the browser drops the lock; unlocked, it is taken again
    setVisibility('hidden')
    await wakeLock.sentinels[0]!.release()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="screen-on"]').exists()).toBe(false))
    setVisibility('visible')
    await vi.waitFor(() => expect(wakeLock.held()).toHaveLength(1))
    expect(wakeLock.request).toHaveBeenCalledTimes(2)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="screen-on"]').exists()).toBe(true))

    await incidents.close(id)
    await vi.waitFor(() => expect(wakeLock.held()).toHaveLength(0))
    await vi.waitFor(() => expect(wrapper.find('[data-testid="screen-on"]').exists()).toBe(false))
    wrapper.unmount()
  })
})

/** An AudioContext the test controls: `allowed` is whether the browser would start audio now. */
class FakeAudioContext extends EventTarget {
  static allowed = true
  static made: FakeAudioContext[] = []
  state: AudioContextState = 'suspended'
  currentTime = 0
  destination = {}
  tones = 0
  constructor() {
    super()
    FakeAudioContext.made.push(this)
  }
  resume() {
    if (FakeAudioContext.allowed && this.state !== 'running') {
      this.state = 'running'
      this.dispatchEvent(new Event('statechange'))
    }
    return Promise.resolve()
  }
  close() {
    this.state = 'closed'
    return Promise.resolve()
  }
  createOscillator() {
    const start = () => void (this.tones += 1)
    return { type: 'sine', frequency: { value: 0 }, connect: <T>(node: T) => node, start, stop: () => undefined }
  }
  createGain() {
    return { gain: { value: 0 }, connect: <T>(node: T) => node }
  }
}

function fakeAudio(allowed: boolean) {
  FakeAudioContext.allowed = allowed
  FakeAudioContext.made = []
  Object.defineProperty(window, 'AudioContext', { value: FakeAudioContext, configurable: true, writable: true })
  const vibrate = vi.fn(() => true)
  vi.stubGlobal('navigator', Object.assign(Object.create(navigator) as Navigator, { vibrate }))
  /** How many alerts have sounded. */
  const alerts = () => FakeAudioContext.made.reduce((n, c) => n + c.tones, 0) / ALARM_TONES.length
  return { vibrate, alerts }
}

describe('the alarm sound', () => {
  it('repeats while an alarm is not acknowledged and the page is visible; muting is local; acknowledging stops it', async () => {
    const { plugins, incidents, c2 } = await incidentScreens()
    const { vibrate, alerts } = fakeAudio(true)
    const t0 = Date.now()
    const id = await incidents.start(c2, { drill: false })
    // the clocks and the repeat are controlled; IndexedDB keeps its real timers
    vi.useFakeTimers({ now: t0, toFake: ['Date', 'setInterval', 'clearInterval'] })
    const bar = mount(TheAlarmCenter, { global: { plugins } })
    // the session's first tap unlocks audio, long before any alarm
    window.dispatchEvent(new Event('pointerdown'))
    await vi.waitFor(() => expect(FakeAudioContext.made[0]?.state).toBe('running'))
    expect(alerts()).toBe(0)

    // six minutes on, the five-minute report is overdue: it sounds and vibrates at once …
    vi.advanceTimersByTime(6 * MIN)
    incidents.now = new Date() // the store's ticking clock was made before the fake timers
    await vi.waitFor(() => expect(bar.find('[data-testid="alarm-bar"]').exists()).toBe(true))
    await vi.waitFor(() => expect(alerts()).toBe(1))
    expect(vibrate).toHaveBeenLastCalledWith(ALARM_VIBRATION)
    expect(bar.find('[data-testid="alarm-sound-blocked"]').exists()).toBe(false)
    // … and again every 25 seconds while nobody acknowledges it
    vi.advanceTimersByTime(ALARM_REPEAT_MS - 1_000)
    expect(alerts()).toBe(1)
    vi.advanceTimersByTime(1_000)
    expect(alerts()).toBe(2)
    vi.advanceTimersByTime(ALARM_REPEAT_MS)
    expect(alerts()).toBe(3)
    expect(vibrate).toHaveBeenCalledTimes(3)

    // hidden (the notification speaks for it), it stays quiet; back on screen it sounds at once
    setVisibility('hidden')
    await bar.vm.$nextTick()
    vi.advanceTimersByTime(3 * ALARM_REPEAT_MS)
    expect(alerts()).toBe(3)
    setVisibility('visible')
    await vi.waitFor(() => expect(alerts()).toBe(4))

    // muted on this tablet: quiet, and nothing recorded; unmuted, it sounds again
    const eventsBefore = await db.records.filter((r) => r.kind === 'incidentEvent').count()
    await bar.get('[data-testid="alarm-mute"]').trigger('click')
    vi.advanceTimersByTime(3 * ALARM_REPEAT_MS)
    expect(alerts()).toBe(4)
    expect(bar.find('[data-testid="alarm-bar"]').exists()).toBe(true) // still on screen
    expect(await db.records.filter((r) => r.kind === 'incidentEvent').count()).toBe(eventsBefore)
    await bar.get('[data-testid="alarm-unmute"]').trigger('click')
    await vi.waitFor(() => expect(alerts()).toBe(5))

    // acknowledged: the alarm goes and so does the sound
    for (const { alarm } of incidents.alarms) await incidents.acknowledge(id, alarm.key)
    await vi.waitFor(() => expect(bar.find('[data-testid="alarm-bar"]').exists()).toBe(false))
    vi.advanceTimersByTime(4 * ALARM_REPEAT_MS)
    expect(alerts()).toBe(5)
    bar.unmount()
  })

  it('says when the browser blocked the sound, and a tap on the hint starts it', async () => {
    const { plugins, incidents, c2 } = await incidentScreens()
    const { vibrate, alerts } = fakeAudio(false) // no tap yet this session: audio may not start
    const t0 = Date.now()
    await incidents.start(c2, { drill: false })
    vi.useFakeTimers({ now: t0 + 6 * MIN, toFake: ['Date', 'setInterval', 'clearInterval'] })
    incidents.now = new Date()
    const bar = mount(TheAlarmCenter, { global: { plugins } })

    await vi.waitFor(() => expect(bar.find('[data-testid="alarm-sound-blocked"]').exists()).toBe(true))
    expect(bar.get('[data-testid="alarm-sound-blocked"]').text()).toContain('点此开启')
    expect(alerts()).toBe(0)
    expect(vibrate).toHaveBeenCalledWith(ALARM_VIBRATION) // the vibration does not wait for audio
    vi.advanceTimersByTime(ALARM_REPEAT_MS)
    expect(alerts()).toBe(0)
    expect(bar.find('[data-testid="alarm-sound-blocked"]').exists()).toBe(true)

    // the tap: the browser lets audio start, the alert sounds at once and the hint goes
    FakeAudioContext.allowed = true
    await bar.get('[data-testid="alarm-sound-blocked"]').trigger('click')
    await vi.waitFor(() => expect(alerts()).toBe(1))
    await vi.waitFor(() => expect(bar.find('[data-testid="alarm-sound-blocked"]').exists()).toBe(false))
    vi.advanceTimersByTime(ALARM_REPEAT_MS)
    expect(alerts()).toBe(2)
    bar.unmount()
  })
})
