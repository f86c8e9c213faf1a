import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, submitEnrollment } from './browser'
import { startServer, type RunningServer } from './server'
import { readLocalState } from '../reliability/chromium'

let server: RunningServer
let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 }, baseURL: server.url })
  page = await context.newPage()
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function saveCall(phone: string, name: string, request: string) {
  await page.getByTestId('new-call').click()
  await page.waitForURL(/\/calls\/draft\//)
  await page.locator('input[name="callerPhone"]').fill(phone)
  await page.locator('input[name="callerName"]').fill(name)
  await page.locator('textarea[name="request"]').fill(request)
  await page.getByTestId('save').click()
  await page.waitForURL((url) => url.pathname === '/')
}

describe('a tablet works offline and its records reach the server exactly once', () => {
  it('loads, enrolls, works offline through a reload, and syncs three records when back online', async () => {
    await page.goto('/')
    await expect.poll(() => page.locator('h1').textContent()).toBe('工作台')
    // The service worker installs on the first visit and controls the page after a reload.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await page.reload()
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true)

    await page.getByTestId('enroll-hint').getByRole('link').click()
    await submitEnrollment(page, server, '第一服务大厅', '一号台平板')
    await expect.poll(() => page.getByTestId('enroll-hint').count()).toBe(0)

    await context.setOffline(true)
    await page.reload()
    await expect.poll(() => page.locator('h1').textContent()).toBe('工作台')
    await expect.poll(() => page.getByTestId('network').textContent()).toContain('离线')

    await saveCall('13800138000', '王先生', '营业厅系统故障，无法缴费')
    await saveCall('010-12345678', '李女士', '咨询停电期间的账单')
    await saveCall('13912345678', '赵先生', '投诉：排队时间过长')
    await expect.poll(() => page.getByTestId('waiting-count').textContent()).toBe('3')
    expect(await page.getByTestId('call-row').count()).toBe(3)

    await context.setOffline(false)
    await expect.poll(() => page.getByTestId('waiting-count').textContent(), { timeout: 20_000 }).toBe('0')
    await expect.poll(() => page.getByTestId('call-row').filter({ hasText: '已同步' }).count()).toBe(3)

    const db = new Database(join(server.dataDir, 'steadyline.sqlite'), { readonly: true })
    try {
      const rows = db.prepare("SELECT id, data FROM records WHERE kind = 'callRecord' ORDER BY server_seq").all() as { id: string; data: string }[]
      expect(rows).toHaveLength(3)
      expect(new Set(rows.map((r) => r.id)).size).toBe(3)
      expect(rows.map((r) => (JSON.parse(r.data) as { callerName: string }).callerName).sort()).toEqual(['李女士', '王先生', '赵先生'].sort())
    } finally {
      db.close()
    }
  })

  it('keeps a half-typed draft through a reload while offline', async () => {
    await context.setOffline(true)
    await page.getByTestId('new-call').click()
    await page.waitForURL(/\/calls\/draft\//)
    const draftUrl = page.url()
    await page.locator('input[name="callerName"]').fill('周女士')
    await page.locator('textarea[name="request"]').fill('停电后营业厅何时恢复？')
    await expect.poll(() => page.getByTestId('draft-state').textContent()).toContain('草稿已自动保存')
    // the last keystroke's autosave is on disk (the status line already shows the first one's)
    await expect.poll(async () => (await readLocalState(page)).drafts.map((d) => d.request)).toContain('停电后营业厅何时恢复？')
    await page.reload()
    expect(page.url()).toBe(draftUrl)
    await expect.poll(() => page.locator('textarea[name="request"]').inputValue()).toBe('停电后营业厅何时恢复？')
    expect(await page.locator('input[name="callerName"]').inputValue()).toBe('周女士')
    await page.goto('/')
    await expect.poll(() => page.getByTestId('drafts').textContent()).toContain('周女士')
    await context.setOffline(false)
  })

  it('switches to English offline (its messages are a chunk of their own) and keeps it after a reload', async () => {
    await context.setOffline(true)
    await page.goto('/')
    await expect.poll(() => page.getByTestId('network').textContent()).toContain('离线')
    await page.getByTestId('locale').click()
    await expect.poll(() => page.getByTestId('network').textContent()).toContain('Offline')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en')
    await page.reload()
    await expect.poll(() => page.getByTestId('network').textContent()).toContain('Offline')
    await page.getByTestId('locale').click()
    await expect.poll(() => page.getByTestId('network').textContent()).toContain('离线')
    await context.setOffline(false)
  })
})
