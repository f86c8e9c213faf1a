// Suite 6, update while editing: the app is served from a copy of dist/; while a call record is
// half filled in, a new version of the service worker appears on the server (sw.js changed by a
// byte, as a deploy does). The update prompt appears, typing goes on, and after the user accepts
// the update the new worker controls the page and the draft holds everything typed. A form that
// keeps its input only in memory (the new-fault form) holds the update until the person says so.
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../e2e/browser'
import { ROOT, startServer, type RunningServer } from '../e2e/server'
import { SuiteReport } from './report'

let server: RunningServer
let browser: Browser
let site: string
const report = new SuiteReport('update-while-editing')

beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), 'steadyline-update-'))
  cpSync(join(ROOT, 'dist'), site, { recursive: true })
  server = await startServer({ env: { STATIC_DIR: site } })
  browser = await launchBrowser()
})

afterAll(async () => {
  report.print()
  await browser?.close()
  await server?.stop()
  rmSync(site, { recursive: true, force: true })
})

describe('a new version arrives while a form is half filled', () => {
  it('prompts, and the draft survives the update', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 }, baseURL: server.url })
    const page = await context.newPage()
    await page.goto('/')
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await page.reload()
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true)
    const firstWorker = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.scriptURL)
    expect(firstWorker).toContain('/sw.js')

    await page.getByTestId('new-call').click()
    await page.waitForURL(/\/calls\/draft\//)
    const draftUrl = page.url()
    await page.locator('input[name="callerPhone"]').fill('13800138000')
    await page.locator('input[name="callerName"]').fill('钱先生')

    // deploy: the service worker file changes on the server; the page checks for an update
    appendFileSync(join(site, 'sw.js'), `\n// new version ${Date.now()}\n`)
    report.try('service worker versions deployed')
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update()
    })
    await expect.poll(() => page.getByTestId('update-prompt').isVisible(), { timeout: 20_000 }).toBe(true)
    report.find('update prompts shown')
    // the old version keeps running until the user says so: typing goes on, the form is intact
    expect(page.url()).toBe(draftUrl)
    await page.locator('textarea[name="request"]').pressSequentially('新版本到达时正在填写', { delay: 5 })
    expect(await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting)).toBe(true)

    await page.getByTestId('update-prompt').getByRole('button').first().click()
    await page.waitForLoadState('load')
    await expect.poll(async () => page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration()
      return !!navigator.serviceWorker.controller && !reg?.waiting && reg?.active?.state === 'activated'
    }), { timeout: 20_000 }).toBe(true)
    expect(page.url()).toBe(draftUrl)
    await expect.poll(() => page.locator('textarea[name="request"]').inputValue(), { timeout: 20_000 }).toBe('新版本到达时正在填写')
    expect(await page.locator('input[name="callerName"]').inputValue()).toBe('钱先生')
    expect(await page.locator('input[name="callerPhone"]').inputValue()).toBe('13800138000')
    expect(await page.getByTestId('update-prompt').count()).toBe(0)
    report.find('drafts intact after the update')
    await context.close()
  })

  it('holds the update while a form has input only in memory; a log entry is a draft and comes back', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 }, baseURL: server.url })
    const page = await context.newPage()
    await page.goto('/')
    await page.evaluate(async () => void (await navigator.serviceWorker.ready))
    await page.reload()
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true)

    // in the app, no page load in between: the leader's log, then the new-fault form
    await page.getByTestId('outage-desk').click()
    await page.locator('a[href="/outage/logs/leader"]').click()
    await page.locator('textarea[name="logText"]').fill('更新到达前写了一半的日志')
    await page.locator('.status-bar .brand').click()
    await page.getByTestId('outage-desk').click()
    await page.getByTestId('new-fault').click()
    await page.locator('input[name="system"]').fill('CRM')
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true))

    appendFileSync(join(site, 'sw.js'), `\n// another version ${Date.now()}\n`)
    report.try('service worker versions deployed')
    await page.evaluate(async () => void (await (await navigator.serviceWorker.getRegistration())?.update()))
    await expect.poll(() => page.getByTestId('update-prompt').isVisible(), { timeout: 20_000 }).toBe(true)
    report.find('update prompts shown')
    await page.getByTestId('update-prompt').getByRole('button').first().click()
    // the form is named and the page stays as it is: no reload over the typed input
    await expect.poll(() => page.getByTestId('unsaved-form').textContent()).toBe('登记系统故障')
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true)
    expect(await page.locator('input[name="system"]').inputValue()).toBe('CRM')
    report.find('updates held by a form with unsaved input')

    // "update anyway" (the person was told): no second question from the tab, the new version loads
    await page.getByTestId('update-anyway').click()
    await expect.poll(async () => page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration()
      const reloaded = !(window as unknown as { sameDocument?: boolean }).sameDocument
      return reloaded && !!navigator.serviceWorker.controller && !reg?.waiting && reg?.active?.state === 'activated'
    }), { timeout: 20_000 }).toBe(true)
    await page.goto('/outage/logs/leader')
    await expect.poll(() => page.locator('textarea[name="logText"]').inputValue(), { timeout: 20_000 }).toBe('更新到达前写了一半的日志')
    report.find('drafts intact after the update')
    await context.close()
  })
})
