// Cold start offline: a navigation to a usable home screen served from the service worker cache,
// in Chromium with 4x CPU throttling, against an empty Vue + vite-plugin-pwa shell built the same
// way (tests/bench/fixtures/empty-shell, built here with vite's build() API: the floor for this stack).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { build } from 'vite'
import { serveStatic, waitForServiceWorker, SEEDED_CALLS, type BenchTablet, type StaticServer } from './browser'
import { fmt, summarize, type Row, type Summary } from './report'

const RUNS = 20
const WARMUP = 2
const CPU_THROTTLING = 4
const SHELL_CONFIG = join(import.meta.dirname, 'fixtures/empty-shell/vite.config.ts')

const SHELL = ['[data-testid="shell-ready"]']
// the home screen: its first paint (the "new call" button, with the plan grid) and the home with
// the tablet's own data read from IndexedDB on screen (the recent calls): usable = the latter
const HOME = ['[data-testid="new-call"]', '[data-testid="call-row"]']

/**
 * Builds the empty shell into a temporary directory with vite's build() API (no network: all of it
 * is in node_modules), serves it, and visits it once (the context must be online) so that its
 * service worker installs, precaches and takes control.
 */
export async function startShell(context: BrowserContext): Promise<StaticServer> {
  const dir = mkdtempSync(join(tmpdir(), 'steadyline-empty-shell-'))
  try {
    await build({ configFile: SHELL_CONFIG, logLevel: 'warn', build: { outDir: dir, emptyOutDir: true } })
    const server = await serveStatic(dir)
    await install(context, `${server.url}/`, SHELL[0]!)
    return {
      ...server,
      async stop() {
        await server.stop()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
}

interface RunResult {
  /** ms from navigation start until each selector's element was in the DOM, a frame painted, and the main thread free again. */
  painted: number[]
  /** ms from navigation start until the service worker began handling the navigation (> 0: served by it). */
  workerStart: number
  /** ms from navigation start until the page's HTML had arrived from the service worker. */
  responseEnd: number
  /** ms from navigation start until DOMContentLoaded ended: the module scripts fetched and run (the app created and mounted). */
  scriptsRun: number
}

/**
 * Installed before any script of the page: notes, in the page's own clock (0 = navigation start),
 * when each selector first matches and when the frame after it has been painted, then reports.
 */
function observeReady(selectors: string[]): void {
  const painted: (number | undefined)[] = selectors.map(() => undefined)
  const seen = selectors.map(() => false)
  const report = (window as unknown as { __benchReady: (p: number[]) => void }).__benchReady
  const check = () => {
    selectors.forEach((selector, i) => {
      if (seen[i] || !document.querySelector(selector)) return
      seen[i] = true
      // the element is in the DOM: wait for the frame that shows it, then for the main thread to be free
      requestAnimationFrame(() =>
        setTimeout(() => {
          painted[i] = performance.now()
          if (painted.every((p) => p !== undefined)) report(painted as number[])
        }, 0),
      )
    })
  }
  new MutationObserver(check).observe(document, { childList: true, subtree: true })
}

/**
 * One start in a new tab with 4x CPU throttling. Cold: the service worker is stopped first, so that
 * nothing of the origin is running (a new renderer process, as when the tablet opens the app in the
 * morning). Warm: right after a cold run of the same app, its worker (and process) still alive.
 */
async function startRun(context: BrowserContext, url: string, selectors: string[], cold: boolean): Promise<RunResult> {
  const page = await context.newPage()
  let timer: NodeJS.Timeout | undefined
  try {
    const cdp = await context.newCDPSession(page)
    if (cold) {
      await cdp.send('ServiceWorker.enable')
      await cdp.send('ServiceWorker.stopAllWorkers')
      await cdp.send('ServiceWorker.disable')
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLING })
    let resolveReady: (painted: number[]) => void = () => undefined
    const ready = new Promise<number[]>((resolve) => (resolveReady = resolve))
    await page.exposeFunction('__benchReady', (painted: number[]) => resolveReady(painted))
    await page.addInitScript(observeReady, selectors)
    await page.goto(url, { waitUntil: 'commit' })
    const painted = await Promise.race([
      ready,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${url}: ${selectors.join(', ')} not shown within 60 s`)), 60_000)
      }),
    ])
    const nav = await page.evaluate(() => {
      const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
      return {
        workerStart: entry.workerStart,
        responseEnd: entry.responseEnd,
        scriptsRun: entry.domContentLoadedEventEnd,
        controlled: navigator.serviceWorker.controller !== null,
      }
    })
    if (!nav.controlled || nav.workerStart <= 0) throw new Error(`${url} was not served by its service worker`)
    await cdp.detach()
    return { painted, workerStart: nav.workerStart, responseEnd: nav.responseEnd, scriptsRun: nav.scriptsRun }
  } finally {
    clearTimeout(timer)
    await page.close()
  }
}

/** First visit online: the service worker installs, precaches and takes control. */
async function install(context: BrowserContext, url: string, selector: string): Promise<void> {
  const page = await context.newPage()
  try {
    await page.goto(url)
    await page.locator(selector).first().waitFor()
    await waitForServiceWorker(page)
  } finally {
    await page.close()
  }
}

const ms = (n: number) => `${fmt(n)} ms`
const p50p95 = (s: Summary) => `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}`

/** The context is offline: both apps open from their service worker's cache. */
export async function coldStart(context: BrowserContext, tablet: BenchTablet, shellServer: StaticServer): Promise<Row[]> {
  const servedOnline = shellServer.requests()
  const shell: RunResult[] = []
  const app: RunResult[] = []
  const shellWarm: RunResult[] = []
  const appWarm: RunResult[] = []
  const runShell = async () => [await startRun(context, `${shellServer.url}/`, SHELL, true), await startRun(context, `${shellServer.url}/`, SHELL, false)]
  const runApp = async () => [await startRun(context, `${tablet.url}/`, HOME, true), await startRun(context, `${tablet.url}/`, HOME, false)]
  // interleaved, alternating which goes first, so that drift on the machine hits both alike
  for (let i = 0; i < WARMUP + RUNS; i++) {
    let s: RunResult[]
    let a: RunResult[]
    if (i % 2 === 0) {
      s = await runShell()
      a = await runApp()
    } else {
      a = await runApp()
      s = await runShell()
    }
    if (i >= WARMUP) {
      shell.push(s[0]!)
      shellWarm.push(s[1]!)
      app.push(a[0]!)
      appWarm.push(a[1]!)
    }
  }
  if (shellServer.requests() !== servedOnline) throw new Error('the empty shell reached its server while offline')

  const shellReady = summarize(shell.map((r) => r.painted[0]!))
  const homeFirst = summarize(app.map((r) => r.painted[0]!))
  const homeReady = summarize(app.map((r) => Math.max(...r.painted)))
  const shellHtml = summarize(shell.map((r) => r.responseEnd))
  const appHtml = summarize(app.map((r) => r.responseEnd))
  const shellScripts = summarize(shell.map((r) => r.scriptsRun))
  const appScripts = summarize(app.map((r) => r.scriptsRun))
  const ratio = homeReady.p50 / shellReady.p50
  const ratio95 = homeReady.p95 / shellReady.p95
  const firstRatio = homeFirst.p50 / shellReady.p50
  const homeWarm = summarize(appWarm.map((r) => Math.max(...r.painted)))
  const shellWarmReady = summarize(shellWarm.map((r) => r.painted[0]!))
  const warmRatio = homeWarm.p50 / shellWarmReady.p50
  return [
    {
      benchmark: `Cold start offline from the service worker, ${CPU_THROTTLING}x CPU throttling (${RUNS} runs each: new tab, worker stopped first)`,
      measured:
        `home usable (signed in, ${SEEDED_CALLS} recent calls from IndexedDB painted): ${p50p95(homeReady)}; ` +
        `home first painted ("new call" + plans): ${p50p95(homeFirst)}; HTML from the worker p50 ${ms(appHtml.p50)}, ` +
        `scripts run (DOMContentLoaded) p50 ${ms(appScripts.p50)}`,
      baseline:
        `empty Vue + vite-plugin-pwa shell, its one element painted: ${p50p95(shellReady)}; HTML from the worker p50 ${ms(shellHtml.p50)}, ` +
        `scripts run p50 ${ms(shellScripts.p50)}`,
      ratio:
        `${fmt(ratio, 2)}x at p50, ${fmt(ratio95, 2)}x at p95 (reopened while the worker still runs: ` +
        `home p50 ${ms(homeWarm.p50)} vs shell ${ms(shellWarmReady.p50)}, ${fmt(warmRatio, 2)}x)`,
      goal: '≤ 1.25x of the empty shell',
      met: ratio <= 1.25 ? 'yes' : 'NO',
      raw: {
        runs: RUNS,
        cpuThrottling: CPU_THROTTLING,
        homeUsableP50: homeReady.p50,
        homeUsableP95: homeReady.p95,
        homeFirstPaintP50: homeFirst.p50,
        homeFirstPaintP95: homeFirst.p95,
        shellP50: shellReady.p50,
        shellP95: shellReady.p95,
        ratioP50: ratio,
        ratioP95: ratio95,
        firstPaintRatioP50: firstRatio,
        warmHomeUsableP50: homeWarm.p50,
        warmHomeUsableP95: homeWarm.p95,
        warmShellP50: shellWarmReady.p50,
        warmShellP95: shellWarmReady.p95,
        warmRatioP50: warmRatio,
        homeHtmlP50: appHtml.p50,
        shellHtmlP50: shellHtml.p50,
        homeScriptsRunP50: appScripts.p50,
        shellScriptsRunP50: shellScripts.p50,
        homeWorkerStartP50: summarize(app.map((r) => r.workerStart)).p50,
        shellWorkerStartP50: summarize(shell.map((r) => r.workerStart)).p50,
        homeSamples: app.map((r) => Math.round(Math.max(...r.painted))).join(' '),
        shellSamples: shell.map((r) => Math.round(r.painted[0]!)).join(' '),
      },
    },
  ]
}
