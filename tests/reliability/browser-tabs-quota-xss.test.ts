// Suites 4 (two tabs), 5 (storage full) and the browser half of 7 (HTML renders as text, CSP on
// the page), in a real Chromium against the real server.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, submitEnrollment } from '../e2e/browser'
import { startServer, type RunningServer } from '../e2e/server'
import { readLocalState } from './chromium'
import { SuiteReport } from './report'

let server: RunningServer
let browser: Browser
const report = new SuiteReport('browser-tabs-quota-xss')

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

afterAll(async () => {
  report.print()
  await browser?.close()
  await server?.stop()
})

async function installAndEnroll(context: BrowserContext, site: string): Promise<Page> {
  const page = await context.newPage()
  await page.goto('/')
  await expect.poll(() => page.locator('h1').first().textContent()).toBe('工作台')
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready
  })
  await page.reload()
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true)
  await page.getByTestId('enroll-hint').getByRole('link').click()
  await submitEnrollment(page, server, site, `${site} 平板`)
  await expect.poll(() => page.getByTestId('enroll-hint').count()).toBe(0)
  return page
}

async function saveCall(page: Page, fields: { phone?: string; name?: string; request: string }) {
  await page.getByTestId('new-call').click()
  await page.waitForURL(/\/calls\/draft\//)
  if (fields.phone) await page.locator('input[name="callerPhone"]').fill(fields.phone)
  if (fields.name) await page.locator('input[name="callerName"]').fill(fields.name)
  await page.locator('textarea[name="request"]').fill(fields.request)
  await page.getByTestId('save').click()
  await page.waitForURL((url) => url.pathname === '/')
}

function serverRows(siteName: string): { id: string; request: string }[] {
  const db = new Database(join(server.dataDir, 'steadyline.sqlite'), { readonly: true })
  try {
    return db
      .prepare(
        `SELECT r.id, json_extract(r.data, '$.request') AS request FROM records r JOIN sites s ON s.id = r.site_id WHERE s.name = ? AND r.kind = 'callRecord'`,
      )
      .all(siteName) as { id: string; request: string }[]
  } finally {
    db.close()
  }
}

const newContext = () =>
  browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 }, baseURL: server.url, serviceWorkers: 'allow' })

describe('two tabs of one tablet', () => {
  it('sync at the same moment without pushing any mutation twice (Web Lock)', async () => {
    const context = await newContext()
    try {
      const site = '双标签大厅'
      const a = await installAndEnroll(context, site)
      const b = await context.newPage()
      await b.goto('/')
      await expect.poll(() => b.getByTestId('enroll-hint').count()).toBe(0)

      // Every push either tab sends is recorded, and slowed down so that the two would overlap.
      const pushed: number[] = []
      await context.route('**/api/sync/push', async (route) => {
        const body = route.request().postDataJSON() as { mutations: { mutationId: number }[] }
        pushed.push(...body.mutations.map((m) => m.mutationId))
        report.try('push requests')
        await new Promise((r) => setTimeout(r, 400))
        await route.continue()
      })

      for (let round = 0; round < 3; round++) {
        await context.setOffline(true)
        for (let i = 0; i < 3; i++) await saveCall(i % 2 ? a : b, { request: `双标签 ${round}-${i}` })
        await expect.poll(() => a.getByTestId('waiting-count').textContent()).toBe('3')
        await context.setOffline(false)
        // both tabs wake up at once (the "online" event) and are also told to sync now
        await Promise.all([a.getByTestId('sync-now').click(), b.getByTestId('sync-now').click()])
        await expect.poll(() => a.getByTestId('waiting-count').textContent(), { timeout: 20_000 }).toBe('0')
        await expect.poll(() => b.getByTestId('waiting-count').textContent(), { timeout: 20_000 }).toBe('0')
        report.try('rounds of both tabs syncing at once')
      }
      const dupes = pushed.filter((id, i) => pushed.indexOf(id) !== i)
      expect(dupes, `mutation ids pushed more than once: ${dupes.join(',')}`).toEqual([])
      expect([...pushed].sort((x, y) => x - y)).toEqual(Array.from({ length: 9 }, (_, i) => i + 1))
      const rows = serverRows(site)
      expect(rows).toHaveLength(9)
      expect(new Set(rows.map((r) => r.request)).size).toBe(9)
      report.find('mutations pushed exactly once', pushed.length)
      report.find('mutations pushed twice', dupes.length)
    } finally {
      await context.close()
    }
  })
})

/** Makes every IndexedDB write of the page fail as a full disk does (see the storage-full test). */
async function makeDiskFull(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __diskFull?: boolean; __quotaPatched?: boolean }
    w.__diskFull = true
    if (w.__quotaPatched) return
    w.__quotaPatched = true
    for (const method of ['put', 'add'] as const) {
      const original = IDBObjectStore.prototype[method]
      IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (w.__diskFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
        return original.apply(this, args)
      }
    }
  })
}

describe('storage full', () => {
  it('says so in Chinese, loses nothing saved, and saves again once space returns', async () => {
    const context = await newContext()
    try {
      const page = await installAndEnroll(context, '存储满大厅')
      await context.setOffline(true)
      await saveCall(page, { request: '存储满之前 1' })
      await saveCall(page, { request: '存储满之前 2' })
      const before = await readLocalState(page)
      expect(before.records).toHaveLength(2)

      // An agent is on the form when the disk fills up.
      await page.getByTestId('new-call').click()
      await page.waitForURL(/\/calls\/draft\//)

      // The disk fills up. Storage.overrideQuotaForOrigin is asked first, but in this Chromium build
      // (153, headless) it changes neither navigator.storage.estimate() nor makes IndexedDB writes
      // fail (checked: a 3 MB strict put succeeds under a 1 KB override). So every IndexedDB write
      // is also made to fail the way a full disk fails it: QuotaExceededError.
      const cdp = await context.newCDPSession(page)
      const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0)
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: server.url, quotaSize: usage })
      await makeDiskFull(page)
      report.try('storage made full', 1)

      await page.locator('input[name="callerName"]').fill('满')
      await page.locator('textarea[name="request"]').fill('存储满时的记录')
      await page.getByTestId('save').click()
      const error = page.getByTestId('save-error')
      await expect.poll(() => error.textContent(), { timeout: 10_000 }).toContain('存储空间已满')
      expect(await error.textContent()).toContain('已保存的记录不受影响')
      report.find('clear quota messages in Chinese')

      // nothing saved before is lost
      const during = await readLocalState(page)
      expect(during.records.map((r) => r.request).sort()).toEqual(['存储满之前 1', '存储满之前 2'])

      // space returns: the same form saves
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: server.url })
      await page.evaluate(() => ((window as unknown as { __diskFull?: boolean }).__diskFull = false))
      expect(page.url()).toMatch(/\/calls\/draft\//) // the form and what was typed are still there
      await page.locator('textarea[name="request"]').fill('空间恢复后的记录')
      await page.getByTestId('save').click()
      await page.waitForURL((url) => url.pathname === '/')
      const after = await readLocalState(page)
      expect(after.records.map((r) => r.request).sort()).toEqual(['存储满之前 1', '存储满之前 2', '空间恢复后的记录'].sort())
      report.find('saves after space returned', 1)

      await context.setOffline(false)
      await page.getByTestId('sync-now').click()
      await expect.poll(() => page.getByTestId('waiting-count').textContent(), { timeout: 20_000 }).toBe('0')
      expect(serverRows('存储满大厅').map((r) => r.request).sort()).toEqual(after.records.map((r) => r.request).sort())
    } finally {
      await context.close()
    }
  })

  it('says so when the disk is already full as "new call" is tapped', async () => {
    // Found by this suite: the page used to stay empty, with no message, when the first draft write failed.
    const context = await newContext()
    try {
      const page = await installAndEnroll(context, '开单即满大厅')
      await makeDiskFull(page)
      await page.getByTestId('new-call').click()
      await expect.poll(() => page.getByTestId('open-error').textContent(), { timeout: 10_000 }).toContain('存储空间已满')
    } finally {
      await context.close()
    }
  })
})

describe('hostile text in a record', () => {
  it('renders HTML and script as text, in the list and the form, with a CSP on the page', async () => {
    const context = await newContext()
    try {
      const page = await installAndEnroll(context, '注入测试大厅')
      const dialogs: string[] = []
      page.on('dialog', (d) => {
        dialogs.push(d.message())
        void d.dismiss()
      })
      const name = '<img src=x onerror="window.__pwned=1">'
      const request = '<script>window.__pwned=2</script><b>粗体</b>{{ 7*7 }}'
      await saveCall(page, { phone: '13800138000', name, request })
      const row = page.getByTestId('call-row').first()
      await expect.poll(() => row.textContent()).toContain('<img src=x onerror=')
      expect(await row.locator('img, script, b').count()).toBe(0)
      expect(await page.locator('#app img[src="x"], #app script').count()).toBe(0)
      await page.reload()
      await expect.poll(() => page.getByTestId('call-row').first().textContent()).toContain('<img src=x')
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
      expect(dialogs).toEqual([])
      expect(await page.getByTestId('call-row').first().textContent()).not.toContain('49')

      const res = await page.request.get('/')
      expect(res.headers()['content-security-policy']).toContain("script-src 'self'")
      report.find('hostile strings rendered as text', 2)
    } finally {
      await context.close()
    }
  })
})
