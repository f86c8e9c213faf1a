// The screens a person looks at in the worst ten minutes, in a real Chromium, in Chinese: the home
// screen with a running incident, the incident with a deadline passed (alarm), and the printed
// report. Each is asserted on and saved to docs/screenshots/ (gitignored) for a person to look at.
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { launchBrowser, signIn, submitEnrollment } from './browser'
import { startServer, type RunningServer } from './server'

const SHOTS = resolve(import.meta.dirname, '../../docs/screenshots')

let server: RunningServer
let browser: Browser

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  server = await startServer()
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('incident screens (zh-CN)', () => {
  it('home with a running plan, the overdue alarm with its acknowledgement, and the printed report', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 }, baseURL: server.url })
    // the page's clock runs as usual, and can be moved on to a deadline instead of waiting for it
    await context.clock.install()
    const page = await context.newPage()
    await page.goto('/enroll')
    const { staffNo } = await submitEnrollment(page, server, '营业厅一楼', '一号台平板')
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true)

    // C2 (system failure) from the home grid, offline: the floor's network is what failed
    await context.setOffline(true)
    await page.goto('/')
    await page.getByTestId('playbook-C2').click()
    await page.locator('[data-testid="start"], [data-testid^="start-"]').first().click()
    await page.waitForURL(/\/incidents\/[^/]+$/)
    const incidentPath = new URL(page.url()).pathname
    const firstStep = page.locator('[data-testid^="step-"]').first()
    await firstStep.getByTestId('tick').click()
    await expect.poll(() => firstStep.getByTestId('done-by').count()).toBe(1)

    await page.goto('/')
    await expect.poll(() => page.getByTestId('open-incidents').count()).toBe(1)
    await page.screenshot({ path: join(SHOTS, 'home-tablet.png') })

    // six minutes on: the supervisor should have been told within five
    await page.goto(incidentPath)
    await expect.poll(() => page.getByTestId('alarms').count()).toBe(0)
    // nobody touched the tablet for six minutes: the site's idle lock (5 min) covered the page,
    // and the alarm still shows above the lock screen
    await page.clock.fastForward('06:00')
    await expect.poll(() => page.getByTestId('lock-screen').count(), { timeout: 10_000 }).toBe(1)
    await expect.poll(() => page.getByTestId('alarm-bar').isVisible()).toBe(true)
    await page.screenshot({ path: join(SHOTS, 'incident-alarm-locked-tablet.png') })
    await signIn(page, staffNo)
    await expect.poll(() => page.getByTestId('lock-screen').count(), { timeout: 10_000 }).toBe(0)
    const alarms = page.getByTestId('alarms')
    await expect.poll(() => alarms.isVisible(), { timeout: 10_000 }).toBe(true)
    expect(new URL(page.url()).pathname).toBe(incidentPath)
    const ack = alarms.locator('[data-testid^="ack-"]')
    expect(await ack.count()).toBeGreaterThan(0)
    await page.screenshot({ path: join(SHOTS, 'incident-alarm-tablet.png') })
    const before = await ack.count()
    await ack.first().click()
    await expect.poll(() => ack.count()).toBe(before - 1)
    await expect.poll(() => page.getByTestId('timeline').textContent()).toContain('确认')

    // the report: pre-filled from the timeline, completed, submitted, printed
    await page.getByTestId('open-report').click()
    await page.waitForURL(/\/report$/)
    const form = page.getByTestId('report-form')
    await expect.poll(() => form.locator('textarea[name="measures"]').inputValue()).not.toBe('')
    for (const field of await form.locator('textarea, input:not([type="datetime-local"])').all()) {
      if ((await field.inputValue()).trim() === '') await field.fill('无（系统故障期间手工记录，未发生财产损失与人员伤亡）')
    }
    await page.getByTestId('submit-report').click()
    const sheet = page.getByTestId('report-view')
    await expect.poll(() => sheet.count()).toBe(1)
    await page.emulateMedia({ media: 'print' })
    await page.setViewportSize({ width: 794, height: 1123 }) // A4 at 96 dpi
    expect(await sheet.locator('h3').count()).toBe(8) // the seven contents and the timeline
    expect(await page.locator('.print-only').first().isVisible()).toBe(true)
    expect(await page.getByTestId('print').isVisible()).toBe(false)
    expect(await sheet.textContent()).toContain('系统故障期间手工记录')
    await page.screenshot({ path: join(SHOTS, 'report-print-a4.png'), fullPage: true })
    await context.close()
  })
})
