/**
 * Hybrid logical clock (Kulkarni et al., 2014): a timestamp that follows wall time but never goes
 * backwards on one device and always sorts after every timestamp the device has seen from others.
 * Events from several tablets that ran one incident offline merge into one order that respects
 * cause and effect even when their clocks disagree by minutes.
 *
 * Encoded as a fixed-width string that sorts like the clock: `<ms, 15 digits>-<counter, 5>-<node>`.
 * Clocks are values passed in and returned: no module state (conventions: clocks are passed in).
 */
export interface Hlc {
  /** Milliseconds since the epoch: the largest physical time seen. */
  millis: number
  /** Orders events within the same millisecond. */
  counter: number
  /** The device (clientId) that made the timestamp: breaks the last ties. */
  node: string
}

/** Refuse remote timestamps this far ahead of our clock: a broken device clock, not causality. */
export const HLC_MAX_DRIFT_MS = 24 * 60 * 60 * 1000
const COUNTER_MAX = 99_999

export function hlcToString(hlc: Hlc): string {
  return `${String(hlc.millis).padStart(15, '0')}-${String(hlc.counter).padStart(5, '0')}-${hlc.node}`
}

export function hlcParse(text: string): Hlc {
  const match = /^(\d{15})-(\d{5})-(.+)$/.exec(text)
  if (!match) throw new Error(`not a hybrid logical clock value: ${text}`)
  return { millis: Number(match[1]), counter: Number(match[2]), node: match[3]! }
}

export function hlcCompare(a: Hlc, b: Hlc): number {
  return a.millis - b.millis || a.counter - b.counter || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0)
}

/** The timestamp for a local event at wall time `now`, after the last one `previous`. */
export function hlcTick(previous: Hlc, now: number): Hlc {
  if (now > previous.millis) return { millis: now, counter: 0, node: previous.node }
  if (previous.counter >= COUNTER_MAX) return { millis: previous.millis + 1, counter: 0, node: previous.node }
  return { millis: previous.millis, counter: previous.counter + 1, node: previous.node }
}

/** Our clock after receiving `remote` at wall time `now`: after both, still ours. */
export function hlcReceive(local: Hlc, remote: Hlc, now: number): Hlc {
  if (remote.millis - now > HLC_MAX_DRIFT_MS) throw new Error('remote clock too far ahead')
  const millis = Math.max(local.millis, remote.millis, now)
  let counter: number
  if (millis === local.millis && millis === remote.millis) counter = Math.max(local.counter, remote.counter) + 1
  else if (millis === local.millis) counter = local.counter + 1
  else if (millis === remote.millis) counter = remote.counter + 1
  else counter = 0
  if (counter > COUNTER_MAX) return { millis: millis + 1, counter: 0, node: local.node }
  return { millis, counter, node: local.node }
}
