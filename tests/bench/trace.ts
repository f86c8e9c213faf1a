// What the bench diagnostics (profile-cold.ts, save-trace.ts) share to read a Chrome trace taken
// over CDP (`Tracing.start` with `transferMode: 'ReportEvents'`).
import type { CDPSession } from 'playwright-core'

/** One event of a Chrome trace (the Trace Event Format). */
export interface TraceEvent {
  name: string
  cat: string
  ph: string
  ts: number
  dur?: number
  pid: number
  tid: number
  id?: string
  args?: { data?: Record<string, unknown> & { url?: string; cpuProfile?: CpuProfileChunk; timeDeltas?: number[] }; name?: string }
}

/** A `ProfileChunk` event's CPU profile samples (the `disabled-by-default-v8.cpu_profiler` category). */
export interface CpuProfileChunk {
  nodes?: { id: number; parent?: number; callFrame: { functionName: string; url: string; lineNumber?: number } }[]
  samples?: number[]
}

/** Ends the trace running on `cdp` and gives every event it collected. */
export async function readTrace(cdp: CDPSession): Promise<TraceEvent[]> {
  const events: TraceEvent[] = []
  const collect = (e: { value: object[] }) => void events.push(...(e.value as unknown as TraceEvent[]))
  cdp.on('Tracing.dataCollected', collect)
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
  await cdp.send('Tracing.end')
  await complete
  cdp.off('Tracing.dataCollected', collect)
  return events
}

/** Each thread's name (`CrRendererMain`…) by `pid:tid`, from the trace's metadata events. */
export function threadNames(events: TraceEvent[]): Map<string, string> {
  const names = new Map<string, string>()
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, String(e.args?.name))
  return names
}
