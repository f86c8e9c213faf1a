// What the browser benchmarks (cold-start.ts, save-latency.ts) share: one real Chromium on a
// persistent profile (an incognito context would keep IndexedDB and Cache Storage in memory, and
// strict durability would mean nothing), a Steadyline tablet enrolled and signed in against the
// real server, and a static server for other builds.
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { CHROMIUM_ARGS, chromiumPath, submitEnrollment } from '../e2e/browser'
import { startServer, type RunningServer } from '../e2e/server'

export interface BenchBrowser {
  context: BrowserContext
  close(): Promise<void>
}

/** Chromium on a fresh profile on disk, as a tablet's browser is. */
export async function launchBenchBrowser(): Promise<BenchBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'steadyline-bench-profile-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: await chromiumPath(),
    args: CHROMIUM_ARGS,
    headless: true,
    locale: 'zh-CN',
    viewport: { width: 1024, height: 768 },
  })
  // tsx (which runs the bench) compiles with esbuild's keepNames: functions handed to the page
  // (page.evaluate, addInitScript) then call a `__name` helper the page does not have.
  await context.addInitScript({ content: 'globalThis.__name ??= (fn) => fn' })
  return {
    context,
    async close() {
      await context.close().catch(() => undefined)
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/** Waits until the service worker controls the page (clientsClaim on the first visit; a reload otherwise). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready
  })
  for (let i = 0; i < 50; i++) {
    if (await page.evaluate(() => navigator.serviceWorker.controller !== null)) return
    await page.waitForTimeout(100)
    if (i === 20) await page.reload()
  }
  throw new Error(`the service worker never took control of ${page.url()}`)
}

/** Calls saved on the tablet before measuring, so that its home screen has a list to read and show. */
export const SEEDED_CALLS = 5

export interface BenchTablet {
  server: RunningServer
  url: string
  stop(): Promise<void>
}

/**
 * A tablet as it is after its first morning (the context must be online): the real server
 * (`npm start`'s, on dist/), a first visit that installs the service worker, enrollment with a
 * person signed in (what the e2e tests do), a few calls saved. `staticDir`: what the server serves
 * instead of dist/ (a copy of it with a benchmark's own files added).
 */
export async function startTablet(context: BrowserContext, options: { staticDir?: string } = {}): Promise<BenchTablet> {
  const server = await startServer(options.staticDir ? { env: { STATIC_DIR: options.staticDir } } : {})
  try {
    const page = await context.newPage()
    await page.goto(`${server.url}/`)
    await page.getByTestId('enroll-hint').waitFor()
    await waitForServiceWorker(page)
    await page.getByTestId('enroll-hint').getByRole('link').click()
    await submitEnrollment(page, server, '基准测试大厅', '基准平板')
    for (let i = 0; i < SEEDED_CALLS; i++) {
      await page.getByTestId('new-call').click()
      await page.waitForURL(/\/calls\/draft\//)
      await page.locator('input[name="callerPhone"]').fill(`1380013800${i}`)
      await page.locator('input[name="callerName"]').fill(`来电人${i}`)
      await page.locator('textarea[name="request"]').fill(`基准测试来电 ${i}：营业厅系统故障，无法缴费`)
      await page.getByTestId('save').click()
      await page.waitForURL((u) => u.pathname === '/')
    }
    await page.getByTestId('call-row').nth(SEEDED_CALLS - 1).waitFor()
    await page.close()
    return { server, url: server.url, stop: () => server.stop() }
  } catch (error) {
    await server.stop()
    throw error
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
}

export interface StaticServer {
  url: string
  /** What pages asked for (not the browser's service worker update checks). */
  requests(): number
  stop(): Promise<void>
}

/** A static server for a built app: files as they are, any other path gets index.html (an SPA). */
export async function serveStatic(dir: string): Promise<StaticServer> {
  let requests = 0
  const server = createServer((req, res) => {
    // the browser's own update checks of the worker script get through Playwright's offline mode
    if (req.headers['service-worker'] !== 'script') requests++
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '')
    let file = join(dir, path)
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) file = join(dir, 'index.html')
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' })
    createReadStream(file).pipe(res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
