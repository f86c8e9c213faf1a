// Diagnostics for save-latency.ts (not a benchmark): `npx tsx tests/bench/save-trace.ts` after a
// build. Types into the call form as the benchmark does, with a Chrome trace running (CDP
// Tracing) and every IndexedDB transaction of the page noted (stores, mode, requests, created →
// complete), a bare strict put after each keystroke. Prints, per keystroke, what the renderer's
// main thread ran while the draft's transaction was open and what the browser's IndexedDB backend
// spent, against the same for the bare put.
import type { Page } from 'playwright-core'
import { launchBenchBrowser, startTablet } from './browser'
import { bareSample, openCallDraft } from './save-latency'
import { readTrace, threadNames, type TraceEvent } from './trace'

const KEYS = Number(process.env.KEYS ?? 30)
/** TRACE=0: no trace, only the figures (tracing slows the renderer's frames several times over). */
const TRACE = process.env.TRACE !== '0'

interface Tx {
  db: string
  stores: string[]
  mode: string
  created: number
  done?: number
  requests: string[]
}

function instrumentAll(): void {
  const log: { txs: Tx[]; inputs: number[] } = { txs: [], inputs: [] }
  ;(window as unknown as { __trace: typeof log }).__trace = log
  window.addEventListener('input', () => {
    log.inputs.push(performance.now())
    performance.mark('diag-input')
  }, true)
  // with `__bareOnKey` set: a bare strict put made in each keydown, as an app's handler would
  const keyBare: number[] = []
  ;(window as unknown as { __keyBare: number[] }).__keyBare = keyBare
  let bareDb: IDBDatabase | undefined
  window.addEventListener('keydown', () => {
    if (!(window as unknown as { __bareOnKey?: boolean }).__bareOnKey) return
    const go = (db: IDBDatabase) => {
      const t0 = performance.now()
      performance.mark('diag-keybare-tx-created')
      const tx = db.transaction('drafts', 'readwrite', { durability: 'strict' })
      tx.objectStore('drafts').put({ id: 'k', kind: 'callRecord', values: { request: 'x'.repeat(40) }, createdAt: '', updatedAt: String(t0) })
      tx.oncomplete = () => {
        performance.mark('diag-keybare-tx-done')
        keyBare.push(performance.now() - t0)
      }
    }
    if (bareDb) go(bareDb)
    else {
      const request = indexedDB.open('bench-bare-drafts')
      request.onsuccess = () => go((bareDb = request.result))
    }
  }, true)
  // Event Timing: when the keystroke was painted (entries of 16 ms and more only)
  const painted: { name: string; start: number; end: number; processingEnd: number }[] = []
  ;(window as unknown as { __painted: typeof painted }).__painted = painted
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as PerformanceEventTiming[]) painted.push({ name: e.name, start: e.startTime, end: e.startTime + e.duration, processingEnd: e.processingEnd })
  }).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit)
  const current = new WeakMap<IDBTransaction, Tx>()
  const transaction = IDBDatabase.prototype.transaction
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const tx = transaction.apply(this, args)
    const stores = typeof args[0] === 'string' ? [args[0]] : Array.from(args[0])
    const entry: Tx = { db: this.name, stores, mode: String(args[1] ?? 'readonly'), created: performance.now(), requests: [] }
    const draftWrite = this.name === 'steadyline' && args[1] === 'readwrite' && stores.includes('drafts')
    if (draftWrite) performance.mark('diag-draft-tx-created')
    if (this.name === 'bench-bare-drafts') performance.mark('diag-bare-tx-created')
    log.txs.push(entry)
    current.set(tx, entry)
    const end = () => {
      entry.done = performance.now()
      if (draftWrite) performance.mark('diag-draft-tx-done')
      if (this.name === 'bench-bare-drafts') performance.mark('diag-bare-tx-done')
    }
    tx.addEventListener('complete', end)
    tx.addEventListener('abort', end)
    return tx
  } as IDBDatabase['transaction']
  for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype] as unknown as Record<string, (...a: unknown[]) => unknown>[]) {
    for (const method of ['get', 'getAll', 'getAllKeys', 'getKey', 'put', 'add', 'delete', 'count', 'openCursor', 'openKeyCursor', 'clear']) {
      const original = proto[method]
      if (typeof original !== 'function') continue
      proto[method] = function (this: IDBObjectStore | IDBIndex, ...args: unknown[]) {
        const store = this instanceof IDBIndex ? this.objectStore : this
        const entry = current.get(store.transaction)
        if (entry) entry.requests.push(`${this instanceof IDBIndex ? `${store.name}.${this.name}` : store.name}.${method}@${(performance.now() - entry.created).toFixed(2)}`)
        return original.apply(this, args)
      }
    }
  }
}

/** The benchmark's bare strict put of the stored draft (save-latency.ts), its time in ms. */
const barePut = async (page: Page, draftId: string) => (await bareSample(page, draftId)).total

async function main() {
  const browser = await launchBenchBrowser()
  const tablet = await startTablet(browser.context)
  try {
    await browser.context.setOffline(true)
    const page = await browser.context.newPage()
    await page.addInitScript(instrumentAll)
    const draftId = await openCallDraft(page, tablet.url)
    await barePut(page, draftId)
    const cdp = await browser.context.newCDPSession(page)
    // PROFILE=1: a V8 sampling profile of the app's keystrokes (self time by function)
    const PROFILE = process.env.PROFILE === '1'
    if (PROFILE) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.setSamplingInterval', { interval: 50 })
      await cdp.send('Profiler.start')
    }
    if (TRACE) await cdp.send('Tracing.start', {
      transferMode: 'ReportEvents',
      traceConfig: {
        includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'IndexedDB', 'toplevel', 'v8.execute', 'blink', 'disabled-by-default-devtools.timeline.stack'],
      },
    })
    const start = await page.evaluate(() => (window as unknown as { __trace: { txs: Tx[] } }).__trace.txs.length)
    const evaluated: number[] = []
    for (let i = 0; i < KEYS; i++) {
      await page.keyboard.press(String.fromCharCode(97 + (i % 26)))
      await page.waitForTimeout(60)
      evaluated.push(await barePut(page, draftId))
    }
    if (PROFILE) {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as {
        profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[]; samples: number[]; timeDeltas: number[] }
      }
      const byId = new Map(profile.nodes.map((n) => [n.id, n]))
      const self = new Map<string, number>()
      profile.samples.forEach((id, i) => {
        const frame = byId.get(id)!.callFrame
        const key = `${frame.functionName || '(anon)'} ${frame.url.split('/').pop()}:${frame.lineNumber}:${frame.columnNumber}`
        self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
      })
      console.info(`--- self time over ${KEYS} keystrokes (ms per keystroke)`)
      for (const [key, ms] of [...self].filter(([k]) => !/^\((idle|program|garbage collector)\)/.test(k)).sort((a, b) => b[1] - a[1]).slice(0, 25)) console.info(`  ${(ms / KEYS).toFixed(3)} ${key}`)
    }
    // bare puts made in a keydown handler (no input event: the focus is on the page's body)
    await page.evaluate(() => {
      ;(document.activeElement as HTMLElement | null)?.blur()
      ;(window as unknown as { __bareOnKey: boolean }).__bareOnKey = true
    })
    for (let i = 0; i < KEYS; i++) {
      await page.keyboard.press('x')
      await page.waitForTimeout(60)
      await barePut(page, draftId)
    }
    // a plain textarea outside the app: a bare strict put from its input event (what the measure's floor is)
    await page.evaluate(() => {
      ;(window as unknown as { __bareOnKey: boolean }).__bareOnKey = false
      const box = document.createElement('textarea')
      box.id = 'diag-plain'
      box.style.cssText = 'position:fixed;top:0;left:0;z-index:9999'
      document.body.append(box)
      const results: number[] = []
      ;(window as unknown as { __plainBare: number[] }).__plainBare = results
      const request = indexedDB.open('bench-bare-drafts')
      request.onsuccess = () => {
        const db = request.result
        box.addEventListener('input', () => {
          const t0 = performance.now()
          performance.mark('diag-plain-tx-created')
          const tx = db.transaction('drafts', 'readwrite', { durability: 'strict' })
          tx.objectStore('drafts').put({ id: 'p', kind: 'callRecord', values: { request: box.value }, createdAt: '', updatedAt: String(t0) })
          tx.oncomplete = () => {
            performance.mark('diag-plain-tx-done')
            results.push(performance.now() - t0)
          }
        })
      }
    })
    await page.locator('#diag-plain').click()
    for (let i = 0; i < KEYS; i++) {
      await page.keyboard.press(String.fromCharCode(97 + (i % 26)))
      await page.waitForTimeout(60)
      await barePut(page, draftId)
    }
    const plainBare = await page.evaluate(() => (window as unknown as { __plainBare: number[] }).__plainBare)
    const keyBare = await page.evaluate(() => (window as unknown as { __keyBare: number[] }).__keyBare)
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
    const q95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? Number.NaN
    console.info(`--- bare put from page.evaluate (the benchmark's baseline): p50 ${med(evaluated).toFixed(2)} p95 ${q95(evaluated).toFixed(2)}`)
    console.info(`--- bare put in a plain textarea's input handler: p50 ${med(plainBare).toFixed(2)} p95 ${q95(plainBare).toFixed(2)} ms (${plainBare.map((x) => x.toFixed(1)).join(' ')})`)
    console.info(`--- bare put in a keydown handler: p50 ${med(keyBare).toFixed(2)} ms (${keyBare.map((x) => x.toFixed(1)).join(' ')})`)
    // untraced: the draft's input → complete and created → complete, from the page's own notes
    {
      const all = await page.evaluate(() => (window as unknown as { __trace: { txs: Tx[]; inputs: number[] } }).__trace)
      const drafts = all.txs.filter((t) => t.db === 'steadyline' && t.mode === 'readwrite' && t.stores.includes('drafts') && t.done !== undefined)
      const fromInput = drafts.map((t) => t.done! - Math.max(...all.inputs.filter((i) => i <= t.created))).filter((x) => Number.isFinite(x)).slice(-KEYS)
      const tx = drafts.map((t) => t.done! - t.created).slice(-KEYS)
      const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? Number.NaN
      const painted = await page.evaluate(() => (window as unknown as { __painted: { name: string; start: number; end: number; processingEnd: number }[] }).__painted)
      const slow = drafts.slice(-KEYS).filter((t) => t.done! - t.created > 8)
      for (const t of slow) {
        const input = Math.max(...all.inputs.filter((i) => i <= t.created))
        const events = painted.filter((e) => e.start <= input + 1 && e.end >= input).map((e) => `${e.name} painted +${(e.end - input).toFixed(1)} (handlers done +${(e.processingEnd - input).toFixed(1)})`)
        console.info(`  slow: created +${(t.created - input).toFixed(1)} complete +${(t.done! - input).toFixed(1)}; ${events.join(', ') || 'painted within 16 ms'}`)
      }
      console.info(`--- app draft: input → complete p50 ${p(fromInput, 0.5).toFixed(2)} p95 ${p(fromInput, 0.95).toFixed(2)}; created → complete p50 ${p(tx, 0.5).toFixed(2)} p95 ${p(tx, 0.95).toFixed(2)} (${fromInput.map((x) => x.toFixed(1)).join(' ')})`)
    }
    if (!TRACE) {
      await page.close()
      return
    }
    const events = await readTrace(cdp)
    const txs = await page.evaluate((start) => (window as unknown as { __trace: { txs: Tx[] } }).__trace.txs.slice(start), start)

    // the page's transactions around each keystroke
    console.info('--- IndexedDB transactions of the page (first 3 keystrokes), ms since the input')
    const ins = await page.evaluate(() => (window as unknown as { __trace: { inputs: number[] } }).__trace.inputs)
    const firstInputs = ins.slice(-KEYS, -KEYS + 3)
    for (const input of firstInputs) {
      console.info(`input @${input.toFixed(1)}`)
      for (const tx of txs.filter((t) => t.created >= input - 1 && t.created < input + 55)) {
        console.info(
          `  ${tx.db}/${tx.stores.join('+')} ${tx.mode} created +${(tx.created - input).toFixed(2)} done +${((tx.done ?? Number.NaN) - input).toFixed(2)} (${((tx.done ?? Number.NaN) - tx.created).toFixed(2)} ms) ${tx.requests.join(' ')}`,
        )
      }
    }

    // the trace: marks give each transaction's span on the trace clock
    const marks = events.filter((e) => e.cat.includes('blink.user_timing') && e.name.startsWith('diag-')).sort((a, b) => a.ts - b.ts)
    const rendererPid = marks[0]?.pid
    const names = threadNames(events)
    const mainTid = events.find((e) => e.pid === rendererPid && names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain')?.tid
    const spans = (kind: 'draft' | 'bare' | 'keybare' | 'plain') => {
      const out: { from: number; to: number; input?: number }[] = []
      let open: number | undefined
      let lastInput: number | undefined
      for (const m of marks) {
        if (m.name === 'diag-input') lastInput = m.ts
        if (m.name === `diag-${kind}-tx-created`) open = m.ts
        if (m.name === `diag-${kind}-tx-done` && open !== undefined) {
          out.push({ from: open, to: m.ts, input: lastInput })
          open = undefined
        }
      }
      return out
    }
    const complete = events.filter((e) => e.ph === 'X' && e.dur !== undefined)
    const mainTasks = complete.filter((e) => e.pid === rendererPid && e.tid === mainTid && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask'))
    const idbEvents = complete.filter((e) => e.cat.includes('IndexedDB'))
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
    // a few draft transactions in detail: the main thread's tasks from the input to the complete
    const short = (e: TraceEvent) => {
      const data = (e.args?.data ?? {}) as { functionName?: string; url?: string; type?: string; lineNumber?: number; columnNumber?: number; timerId?: number }
      return `${e.name}${data.type ? `(${data.type})` : ''}${data.functionName !== undefined ? ` ${data.functionName || '(anon)'}@${data.url ? data.url.split('/').pop() : ''}:${data.lineNumber ?? ''}:${data.columnNumber ?? ''}` : ''}${data.timerId !== undefined ? ` timer ${data.timerId}` : ''}`
    }
    for (const s of [...spans('draft').slice(3, 6), ...spans('plain').slice(3, 6)]) {
      const t0 = s.input !== undefined && s.input > s.from - 10_000 ? s.input : s.from
      console.info(`--- tx: input 0, created +${((s.from - t0) / 1000).toFixed(2)}, complete +${((s.to - t0) / 1000).toFixed(2)} ms`)
      for (const t of mainTasks.filter((t) => t.ts + t.dur! >= t0 && t.ts <= s.to + 200).sort((a, b) => a.ts - b.ts)) {
        const inner = complete
          .filter((e) => e.pid === rendererPid && e.tid === mainTid && e !== t && e.ts >= t.ts && e.ts + e.dur! <= t.ts + t.dur! && e.dur! > 20 && /FunctionCall|EventDispatch|TimerFire|RunMicrotasks|Paint|Layout|UpdateLayoutTree|IDBTransaction::onComplete|IDBRequest::dispatchEvent|FireAnimationFrame|HitTest|Commit|PrePaint|ScheduleStyleRecalculation|v8.callFunction/.test(e.name))
          .map((e) => `${short(e)} ${(e.dur! / 1000).toFixed(2)}`)
        console.info(`  task +${((t.ts - t0) / 1000).toFixed(2)} ${(t.dur! / 1000).toFixed(2)} ms: ${inner.slice(0, 8).join(' | ')}`)
      }
      const marksIn = marks.filter((m) => m.ts >= t0 && m.ts <= s.to).map((m) => `${m.name}+${((m.ts - t0) / 1000).toFixed(2)}`)
      console.info(`  marks: ${marksIn.join(' ')}`)
      const idb = idbEvents.filter((e) => e.ts >= t0 && e.ts <= s.to).sort((a, b) => a.ts - b.ts).map((e) => `${e.name}+${((e.ts - t0) / 1000).toFixed(2)}/${(e.dur! / 1000).toFixed(2)}${e.pid === rendererPid ? 'R' : 'B'}`)
      console.info(`  idb: ${idb.join(' ')}`)
    }
    for (const kind of ['draft', 'bare', 'keybare', 'plain'] as const) {
      const list = spans(kind)
      const busy: number[] = []
      const totals: number[] = []
      const byName = new Map<string, number[]>()
      const funcs = new Map<string, number>()
      for (const s of list) {
        totals.push((s.to - s.from) / 1000)
        let b = 0
        for (const t of mainTasks) {
          const from = Math.max(t.ts, s.from)
          const to = Math.min(t.ts + t.dur!, s.to)
          if (to > from) b += to - from
        }
        busy.push(b / 1000)
        const seen = new Map<string, number>()
        for (const e of idbEvents) {
          if (e.ts >= s.from && e.ts < s.to) seen.set(e.name, (seen.get(e.name) ?? 0) + e.dur! / 1000)
        }
        for (const [n, d] of seen) byName.set(n, [...(byName.get(n) ?? []), d])
        for (const e of complete) {
          if (e.pid !== rendererPid || e.tid !== mainTid || e.ts < s.from || e.ts >= s.to) continue
          if (e.name === 'FunctionCall' || e.name === 'EventDispatch' || e.name === 'V8.Execute' || e.name === 'RunMicrotasks' || e.name === 'TimerFire' || e.name === 'UpdateLayoutTree' || e.name === 'Layout' || e.name === 'Paint' || e.name === 'ParseHTML' || e.name === 'v8.run') {
            const data = (e.args?.data ?? {}) as { functionName?: string; url?: string; type?: string; lineNumber?: number }
            const key = `${e.name} ${data.type ?? ''}${data.functionName ?? ''} ${data.url ? data.url.split('/').pop() : ''}:${data.lineNumber ?? ''}`
            funcs.set(key, (funcs.get(key) ?? 0) + e.dur! / 1000)
          }
        }
      }
      console.info(`--- ${kind}: ${list.length} transactions, created → complete p50 ${median(totals).toFixed(2)} ms; renderer main thread busy inside p50 ${median(busy).toFixed(2)} ms`)
      for (const [n, ds] of [...byName].sort((a, b) => median(b[1]) - median(a[1])).slice(0, 15)) console.info(`  IDB ${n}: p50 ${median(ds).toFixed(3)} ms (in ${ds.length})`)
      for (const [n, d] of [...funcs].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.info(`  main ${n}: ${(d / list.length).toFixed(3)} ms per tx`)
    }
    await page.close()
  } finally {
    await tablet.stop()
    await browser.close()
  }
}

void main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
