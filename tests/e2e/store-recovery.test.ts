import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { launchBrowser, signIn, submitEnrollment } from './browser'
import { startServer, type RunningServer } from './server'
import { readLocalState } from '../reliability/chromium'

let server: RunningServer
let browser: Browser

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('the browser discards the local database', () => {
  it('puts back unsynced records, the open draft and the enrollment from the journal, and says so', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 }, baseURL: server.url })
    const page = await context.newPage()
    await page.goto('/enroll')
    const { staffNo } = await submitEnrollment(page, server, '恢复测试大厅', '三号台')
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true)

    // Offline: two records saved on the tablet only, and a call half typed.
    await context.setOffline(true)
    for (const request of ['断网期间的来电一', '断网期间的来电二']) {
      await page.getByTestId('new-call').first().click()
      await page.waitForURL(/\/calls\/draft\//)
      await page.locator('input[name="callerPhone"]').fill('13800138000')
      await page.locator('textarea[name="request"]').fill(request)
      await page.getByTestId('save').click()
      await page.waitForURL((url) => url.pathname === '/')
    }
    await page.getByTestId('new-call').first().click()
    await page.waitForURL(/\/calls\/draft\//)
    const draftUrl = new URL(page.url()).pathname
    await page.locator('textarea[name="request"]').fill('还没说完的来电')
    await expect.poll(() => page.getByTestId('draft-state').textContent()).toContain('草稿已自动保存')
    await expect.poll(async () => (await readLocalState(page)).drafts.map((d) => d.request)).toContain('还没说完的来电')

    // What Chromium does to a store it finds corrupt: the whole database is deleted. The open app
    // gets a versionchange, closes its connection and reloads into an empty store.
    await page.evaluate(() => {
      indexedDB.deleteDatabase('steadyline')
    })
    await expect.poll(() => page.getByTestId('store-lost').count(), { timeout: 20_000 }).toBe(1)
    expect(await page.getByTestId('store-lost').textContent()).toContain('浏览器清空了本机数据库')

    // the sign-in went with the store; the roster came back from its copy, so the PIN works offline
    await page.goto('/')
    await signIn(page, staffNo)
    await expect.poll(() => page.getByTestId('call-row').count(), { timeout: 10_000 }).toBe(2)
    await expect.poll(() => page.getByTestId('waiting-count').textContent()).toBe('2')
    await page.goto(draftUrl)
    await expect.poll(() => page.locator('textarea[name="request"]').inputValue()).toBe('还没说完的来电')

    // Back online, the restored records reach the server once, under the restored enrollment.
    await context.setOffline(false)
    await page.goto('/')
    await page.getByTestId('sync-now').click()
    await expect.poll(() => page.getByTestId('waiting-count').textContent(), { timeout: 20_000 }).toBe('0')
    const db = new Database(join(server.dataDir, 'steadyline.sqlite'), { readonly: true })
    try {
      const rows = db.prepare("SELECT data FROM records WHERE kind = 'callRecord'").all() as { data: string }[]
      expect(rows.map((r) => (JSON.parse(r.data) as { request: string }).request).sort()).toEqual(['断网期间的来电一', '断网期间的来电二'].sort())
    } finally {
      db.close()
    }
    await context.close()
  })
})
