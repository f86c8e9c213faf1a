// Benchmark (issue 4): the outage desk's lists and search with 100,000 records on the tablet, in a
// real Chromium. The numbers are printed (and written to STEADYLINE_BENCH_OUT when set), never
// asserted against a time: what is asserted is that the right rows come back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from './browser'
import { startServer, type RunningServer } from './server'
import { makeRecords, seedIndexedDb } from './seed-100k'

let server: RunningServer
let browser: Browser
let page: Page

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 }, baseURL: server.url })).newPage()
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

/**
 * Wall time from an action to the moment the page shows `count` rows matching `selector` (and, when
 * given, each containing `text`), checked every animation frame. Navigations (`page.goto`) include
 * the app's own start from the service worker's precache: a screen opened cold.
 */
async function timed(action: () => Promise<unknown>, selector: string, count: number | 'some', text?: string): Promise<number> {
  const t0 = performance.now()
  await action()
  await page.waitForFunction(
    ({ selector, count, text }) => {
      const rows = [...document.querySelectorAll(selector)]
      const enough = count === 'some' ? rows.length > 0 : rows.length === count
      return enough && (!text || rows.every((row) => row.textContent?.includes(text)))
    },
    { selector, count, text },
    { polling: 'raf', timeout: 20_000 },
  )
  return Math.round(performance.now() - t0)
}

describe('outage desk with 100,000 local records (benchmark)', () => {
  it('keeps the lists, the search and the worklist instant', async () => {
    await page.goto('/')
    await expect.poll(() => page.locator('h1').textContent()).toBe('工作台')
    const { records, faultIds } = makeRecords()
    expect(records).toHaveLength(100_000)

    const fillMs = await seedIndexedDb(page, records)

    const results: Record<string, number> = { fillMs }
    results.callListFirstPageMs = await timed(() => page.goto('/outage/calls'), '[data-testid=call-result]', 50)
    results.callListMoreMs = await timed(() => page.getByTestId('more-calls').click(), '[data-testid=call-result]', 100)
    results.phoneSearchMs = await timed(() => page.getByTestId('call-search').fill('010-2000'), '[data-testid=call-result]', 'some', '010-2000')
    results.nameSearchMs = await timed(() => page.getByTestId('call-search').fill('周女士1'), '[data-testid=call-result]', 'some', '周女士1')
    results.faultListMs = await timed(() => page.goto('/outage'), '[data-testid=fault-list] li', 20)
    results.worklistMs = await timed(() => page.goto(`/outage/faults/${faultIds[7]}/worklist`), '[data-testid=worklist-entry]', 50)
    results.leaderLogMs = await timed(() => page.goto('/outage/logs/leader'), '[data-testid=log-entry]', 50)
    results.homeMs = await timed(() => page.goto('/'), '[data-testid=call-row]', 100)

    // The rows are the right ones: the worklist of one outage has its 1,600 / 5 = 320 callbacks.
    await page.goto(`/outage/faults/${faultIds[7]}/worklist`)
    await expect.poll(() => page.getByRole('button', { name: /全部/ }).textContent()).toContain('320')

    console.info(`outage desk, 100,000 records (ms wall time; goto = screen opened cold with app start; search includes its 150 ms debounce): ${JSON.stringify(results)}`)
    if (process.env.STEADYLINE_BENCH_OUT) writeFileSync(process.env.STEADYLINE_BENCH_OUT, JSON.stringify({ records: 100_000, ...results }, null, 2))
  })
})
