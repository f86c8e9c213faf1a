// Diagnostic (not a benchmark): where a cold start offline spends its time between navigation and
// the usable home screen. Same setup as cold-start.ts (Chromium, 4x CPU throttling, offline, served
// by the service worker, worker stopped before each run), plus a Chrome trace of each run, the
// chunks' fetch waterfall (resource timing), and every IndexedDB open and transaction the page
// makes (counted by wrapping IDBFactory.open / IDBDatabase.transaction before any script runs).
//
//   npm run build && npx tsx tests/bench/profile-cold.ts [runs=5] [staticDir]
//
// Prints medians per run of: main-thread time per category (script compile/evaluate per chunk,
// style/layout/paint, GC…), self time per script URL (CPU profiler samples), the chunk waterfall,
// the IndexedDB transactions (when, which stores, how long), and the usable mark.
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { launchBenchBrowser, startTablet } from './browser'
import { readTrace, threadNames, type TraceEvent } from './trace'

const RUNS = Number(process.argv[2] ?? 5)
const STATIC_DIR = process.argv[3]
const CPU_THROTTLING = 4
const HOME = ['[data-testid="new-call"]', '[data-testid="call-row"]']

interface IdbEntry {
  t: number
  end?: number
  kind: 'open' | 'tx'
  stores?: string
  mode?: string
  stack?: string
}

/** Installed before the page's scripts: IndexedDB calls and the usable marks, in the page's clock. */
function instrument(selectors: string[]): void {
  const log: IdbEntry[] = []
  const marks: Record<string, number> = {}
  ;(window as unknown as { __prof: unknown }).__prof = { log, marks }
  const open = IDBFactory.prototype.open
  IDBFactory.prototype.open = function (this: IDBFactory, ...args: Parameters<IDBFactory['open']>) {
    const entry: IdbEntry = { t: performance.now(), kind: 'open', stack: new Error().stack?.split('\n').slice(2, 6).join(' | ') }
    log.push(entry)
    const req = open.apply(this, args)
    req.addEventListener('success', () => (entry.end = performance.now()))
    return req
  } as IDBFactory['open']
  const transaction = IDBDatabase.prototype.transaction
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const stores = Array.isArray(args[0]) ? args[0].join('+') : String(args[0])
    const entry: IdbEntry = { t: performance.now(), kind: 'tx', stores, mode: args[1] ?? 'readonly' }
    log.push(entry)
    const tx = transaction.apply(this, args)
    const done = () => (entry.end = performance.now())
    tx.addEventListener('complete', done)
    tx.addEventListener('abort', done)
    return tx
  } as IDBDatabase['transaction']
  const seen = new Set<string>()
  new MutationObserver(() => {
    for (const s of selectors) {
      if (seen.has(s) || !document.querySelector(s)) continue
      seen.add(s)
      marks[`dom ${s}`] = performance.now()
      requestAnimationFrame(() => setTimeout(() => (marks[`painted ${s}`] = performance.now()), 0))
    }
  }).observe(document, { childList: true, subtree: true })
}

const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'v8',
  'disabled-by-default-v8.cpu_profiler',
  'blink.user_timing',
  'loading',
  'toplevel',
].join(',')

interface RunProfile {
  usable: number
  firstPaint: number
  dcl: number
  categories: Map<string, number>
  selfByUrl: Map<string, number>
  selfByFn: Map<string, number>
  resources: { name: string; start: number; end: number }[]
  idb: IdbEntry[]
}

const short = (url: string | undefined) => (url ?? '').replace(/^https?:\/\/[^/]+/, '').replace(/^\/assets\//, '') || '(none)'

function analyse(events: TraceEvent[], navStartTs: number, usableMs: number): Pick<RunProfile, 'categories' | 'selfByUrl' | 'selfByFn'> {
  // the renderer main thread: the one that ran the page's scripts
  const names = threadNames(events)
  const scriptEvents = events.filter((e) => (e.name === 'v8.evaluateModule' || e.name === 'EvaluateScript') && e.ph === 'X')
  const rendererMain = new Set(scriptEvents.map((e) => `${e.pid}:${e.tid}`).filter((k) => names.get(k) === 'CrRendererMain'))
  const end = navStartTs + usableMs * 1000
  const inWindow = (e: TraceEvent) => e.ts >= navStartTs && e.ts <= end && rendererMain.has(`${e.pid}:${e.tid}`)
  const categories = new Map<string, number>()
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v)
  for (const e of events) {
    if (e.ph !== 'X' || !inWindow(e) || !e.dur) continue
    const url = (e.args?.data?.url as string | undefined) ?? (e.args?.data as { fileName?: string } | undefined)?.fileName
    switch (e.name) {
      case 'RunTask':
        add(categories, 'RunTask (all main-thread tasks)', e.dur)
        break
      case 'v8.compileModule':
      case 'v8.compile':
      case 'V8.CompileCode':
        add(categories, `${e.name} ${url ? short(url) : ''}`.trim(), e.dur)
        break
      case 'v8.evaluateModule':
      case 'EvaluateScript':
        add(categories, `${e.name} ${url ? short(url) : ''}`.trim(), e.dur)
        break
      case 'FunctionCall':
      case 'TimerFire':
      case 'FireAnimationFrame':
      case 'EventDispatch':
      case 'ParseHTML':
      case 'UpdateLayoutTree':
      case 'Layout':
      case 'Paint':
      case 'PrePaint':
      case 'Layerize':
      case 'Commit':
      case 'MinorGC':
      case 'MajorGC':
      case 'V8.GC_SCAVENGER':
      case 'ParseAuthorStyleSheet':
      case 'v8.run':
      case 'RunMicrotasks':
      case 'V8.RunMicrotasks':
        add(categories, e.name, e.dur)
        break
    }
  }
  // CPU profile samples: self time by URL and by function, inside the window
  const selfByUrl = new Map<string, number>()
  const selfByFn = new Map<string, number>()
  const nodes = new Map<string, { url: string; fn: string }>()
  const profiles = new Map<string, { ts: number; pidTid: string }>()
  for (const e of events) {
    if (e.name === 'Profile' && e.id) profiles.set(`${e.pid}:${e.id}`, { ts: (e.args?.data as { startTime: number }).startTime, pidTid: `${e.pid}:${e.tid}` })
  }
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || !e.id) continue
    const key = `${e.pid}:${e.id}`
    const profile = profiles.get(key)
    if (!profile || !rendererMain.has(profile.pidTid)) continue
    const chunk = e.args?.data?.cpuProfile
    for (const n of chunk?.nodes ?? []) nodes.set(`${key}:${n.id}`, { url: short(n.callFrame.url), fn: `${n.callFrame.functionName || '(anon)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber ?? ''}` })
    const deltas = e.args?.data?.timeDeltas ?? []
    const samples = chunk?.samples ?? []
    let ts = profile.ts
    for (let i = 0; i < samples.length; i++) {
      ts += deltas[i] ?? 0
      const dt = deltas[i + 1] ?? 0
      if (ts < navStartTs || ts > end) continue
      const node = nodes.get(`${key}:${samples[i]}`)
      if (!node) continue
      add(selfByUrl, node.url, dt)
      add(selfByFn, node.fn, dt)
    }
    profile.ts = ts
  }
  return { categories, selfByUrl, selfByFn }
}

async function profileRun(context: BrowserContext, url: string, index: number): Promise<RunProfile> {
  const page = await context.newPage()
  try {
    const cdp = await context.newCDPSession(page)
    await cdp.send('ServiceWorker.enable')
    await cdp.send('ServiceWorker.stopAllWorkers')
    await cdp.send('ServiceWorker.disable')
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLING })
    await page.addInitScript(instrument, HOME)
    const browserCdp = await context.browser()?.newBrowserCDPSession().catch(() => undefined)
    const tracer = browserCdp ?? cdp
    await tracer.send('Tracing.start', { categories: TRACE_CATEGORIES, transferMode: 'ReportEvents' })
    await page.goto(url, { waitUntil: 'commit' })
    await page.waitForFunction(
      (sels: string[]) => sels.every((s) => (window as unknown as { __prof: { marks: Record<string, number> } }).__prof.marks[`painted ${s}`] !== undefined),
      HOME,
      { timeout: 60_000, polling: 50 },
    )
    await page.waitForTimeout(300)
    const info = await page.evaluate(() => {
      const prof = (window as unknown as { __prof: { log: IdbEntry[]; marks: Record<string, number> } }).__prof
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
      return {
        marks: prof.marks,
        idb: prof.log,
        dcl: nav.domContentLoadedEventEnd,
        timeOrigin: performance.timeOrigin,
        resources: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => ({ name: r.name, start: r.startTime, end: r.responseEnd })),
      }
    })
    const events = await readTrace(tracer)
    if (index === 0) writeFileSync(join(tmpdir(), 'steadyline-cold-trace.json'), JSON.stringify({ traceEvents: events }))
    // navigation start in trace time: the renderer's navigationStart mark for this page's document
    const navStart = events
      .filter((e) => e.name === 'navigationStart' && (e.args?.data as { documentLoaderURL?: string } | undefined)?.documentLoaderURL?.startsWith(url))
      .map((e) => e.ts)
      .sort((a, b) => b - a)[0]
    if (navStart === undefined) throw new Error('no navigationStart in the trace')
    const usable = Math.max(...HOME.map((s) => info.marks[`painted ${s}`]!))
    const firstPaint = info.marks[`painted ${HOME[0]}`]!
    return { usable, firstPaint, dcl: info.dcl, ...analyse(events, navStart, usable), resources: info.resources, idb: info.idb }
  } finally {
    await page.close()
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0
}
const f = (n: number) => n.toFixed(0).padStart(5)

function medianMaps(maps: Map<string, number>[], scale = 1): [string, number][] {
  const keys = new Set(maps.flatMap((m) => [...m.keys()]))
  return [...keys].map((k): [string, number] => [k, median(maps.map((m) => (m.get(k) ?? 0) / scale))]).sort((a, b) => b[1] - a[1])
}

async function main() {
  const browser = await launchBenchBrowser()
  try {
    const tablet = await startTablet(browser.context, STATIC_DIR ? { staticDir: STATIC_DIR } : {})
    try {
      await browser.context.setOffline(true)
      const runs: RunProfile[] = []
      for (let i = 0; i < RUNS + 1; i++) {
        const run = await profileRun(browser.context, `${tablet.url}/`, i)
        if (i > 0) runs.push(run) // the first is a warm-up
        const open = run.idb.find((e) => e.kind === 'open')
        console.error(
          `run ${i}: usable ${run.usable.toFixed(0)} ms, first paint ${run.firstPaint.toFixed(0)}, DCL ${run.dcl.toFixed(0)}, ` +
            `IndexedDB open ${open?.t.toFixed(0)} → ${open?.end?.toFixed(0)}, ${run.idb.filter((e) => e.kind === 'tx' && e.t < run.usable).length} transactions before usable`,
        )
      }
      console.info(`\n== median of ${runs.length} runs: DCL ${f(median(runs.map((r) => r.dcl)))} ms, first paint ${f(median(runs.map((r) => r.firstPaint)))}, usable ${f(median(runs.map((r) => r.usable)))}`)
      console.info('\n== main thread, navigation → usable (ms, trace durations, nested events overlap)')
      for (const [k, v] of medianMaps(runs.map((r) => r.categories), 1000).slice(0, 45)) if (v >= 0.5) console.info(`${f(v)}  ${k}`)
      console.info('\n== CPU self time by script (ms, profiler samples)')
      for (const [k, v] of medianMaps(runs.map((r) => r.selfByUrl), 1000).slice(0, 25)) if (v >= 0.5) console.info(`${f(v)}  ${k}`)
      console.info('\n== CPU self time by function (ms)')
      for (const [k, v] of medianMaps(runs.map((r) => r.selfByFn), 1000).slice(0, 30)) if (v >= 0.5) console.info(`${f(v)}  ${k}`)
      const last = runs[Math.floor(runs.length / 2)]!
      console.info(`\n== one run (usable ${last.usable.toFixed(0)} ms): resources fetched (start → end, ms)`)
      for (const r of [...last.resources].sort((a, b) => a.start - b.start)) console.info(`${f(r.start)} → ${f(r.end)}  ${short(r.name)}`)
      console.info(`\n== same run: IndexedDB (${last.idb.filter((e) => e.kind === 'tx').length} transactions before usable+300ms)`)
      for (const e of last.idb) console.info(`${f(e.t)} → ${e.end === undefined ? '    ?' : f(e.end)}  ${e.kind} ${e.stores ?? ''} ${e.mode ?? ''} ${e.stack ?? ''}`)
    } finally {
      await tablet.stop()
    }
  } finally {
    await browser.close()
  }
}

await main()
