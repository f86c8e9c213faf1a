import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, submitEnrollment } from './browser'
import { startServer, type RunningServer } from './server'

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

const SITE = '呼叫中心一楼'

async function tablet(deviceName: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 }, baseURL: server.url })
  const page = await context.newPage()
  await page.goto('/enroll')
  await submitEnrollment(page, server, SITE, deviceName)
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready
  })
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true)
  return { context, page }
}

async function syncedHome(page: Page) {
  await page.goto('/')
  await page.getByTestId('sync-now').click()
  await expect.poll(() => page.getByTestId('waiting').textContent(), { timeout: 20_000 }).toContain('已全部同步')
}

const ticks = (page: Page) => page.getByTestId('timeline-entry').filter({ hasText: '完成：' })

/** Every clock chip on the incident screen: which clock, its caption, its state and when it falls due. */
const clockStates = (page: Page) =>
  page.getByTestId('clock').evaluateAll((chips) =>
    chips.map((chip) => ({
      key: chip.getAttribute('data-key'),
      label: chip.querySelector('[data-testid="clock-label"]')?.textContent?.trim(),
      status: chip.getAttribute('data-status'),
      dueAt: chip.getAttribute('data-due-at'),
    })),
  )

describe('two tablets run one incident', () => {
  it('merges the ticks of two tablets, made offline, into one timeline with their authors', async () => {
    const a = await tablet('一号台平板')
    const b = await tablet('二号台平板')

    // Tablet A starts the system failure plan with no network and ticks two steps.
    await a.context.setOffline(true)
    await a.page.goto('/')
    await a.page.getByTestId('playbook-C2').click()
    // The plan starts with one more tap: its start button, or the tile of the situation.
    const startButtons = a.page.locator('[data-testid="start"], [data-testid^="start-"]')
    await expect.poll(() => startButtons.count()).toBeGreaterThan(0)
    await startButtons.first().click()
    await a.page.waitForURL(/\/incidents\//)
    const incidentUrl = new URL(a.page.url()).pathname
    await expect.poll(() => a.page.getByTestId('clock').count()).toBeGreaterThan(0)
    const stepIds = await a.page.locator('[data-testid^="step-"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')!))
    expect(stepIds.length).toBeGreaterThanOrEqual(3)
    await a.page.getByTestId(stepIds[0]!).getByTestId('tick').click()
    await expect.poll(() => ticks(a.page).count()).toBe(1)

    // A reload in the middle keeps the incident, its ticks and its clocks: the same clocks, with
    // the same captions and states, falling due at the same instants (counted from the incident's
    // start, not from the reload).
    const elapsedBefore = await a.page.getByTestId('elapsed').textContent()
    const clocksBefore = await clockStates(a.page)
    expect(clocksBefore.length).toBeGreaterThan(0)
    expect(clocksBefore.every((c) => c.key && c.label && c.status && c.dueAt)).toBe(true)
    expect(clocksBefore.map((c) => c.label)).toContain('5分钟内上报主管')
    await a.page.reload()
    await expect.poll(() => ticks(a.page).count()).toBe(1)
    await expect.poll(() => a.page.getByTestId('elapsed').textContent()).not.toBe('')
    expect(elapsedBefore).toMatch(/\d+:\d\d/)
    await expect.poll(() => clockStates(a.page)).toEqual(clocksBefore)
    await a.page.getByTestId(stepIds[1]!).getByTestId('tick').click()
    await expect.poll(() => ticks(a.page).count()).toBe(2)

    // Back online, A syncs; B pulls the incident and ticks a third step.
    await a.context.setOffline(false)
    await syncedHome(a.page)
    await syncedHome(b.page)
    await expect.poll(() => b.page.getByTestId('open-incidents').count()).toBe(1)
    await b.page.goto(incidentUrl)
    await expect.poll(() => ticks(b.page).count()).toBe(2)
    await b.page.getByTestId(stepIds[2]!).getByTestId('tick').click()
    await expect.poll(() => ticks(b.page).count()).toBe(3)
    await syncedHome(b.page)
    await syncedHome(a.page)

    for (const page of [a.page, b.page]) {
      await page.goto(incidentUrl)
      await expect.poll(() => ticks(page).count()).toBe(3)
      const authors = await ticks(page).getByTestId('timeline-author').allTextContents()
      expect(authors).toEqual(['一号台平板值班员', '一号台平板值班员', '二号台平板值班员'])
    }
    await a.context.close()
    await b.context.close()
  })
})
