// Issue 7: two people share one tablet offline; each tick carries the person who made it, and the
// server refuses what a role may not do even when a tablet sends it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { launchBrowser, signIn, submitEnrollment } from './browser'
import { addPersonHttp, startServer, type RunningServer } from './server'

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

const ticks = (page: import('playwright-core').Page) => page.getByTestId('timeline-entry').filter({ hasText: '完成：' })

describe('people on a shared tablet', () => {
  it('two people sign in one after the other offline; each tick names its person, on the tablet and on the server', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 }, baseURL: server.url })
    const page = await context.newPage()
    await page.goto('/enroll')
    const site = '第二服务大厅'
    const { siteId } = await submitEnrollment(page, server, site, '大堂平板', { name: '王芳', role: 'shiftLeader', staffNo: 'W001' })
    const li = await addPersonHttp(server, { siteId, name: '李强', staffNo: 'L002', role: 'agent', pin: '8642' })
    // the new colleague reaches the tablet with the next sync
    await page.getByTestId('sync-now').click()
    await expect.poll(() => page.getByTestId('waiting').textContent(), { timeout: 20_000 }).toContain('已全部同步')
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true)

    // Offline from here: 王芳 (shift leader) starts the system failure plan and ticks a step. The
    // tablet's clock says it started twelve minutes ago, so that its five- and ten-minute
    // escalation deadlines are past when the console looks.
    await context.setOffline(true)
    await page.clock.setSystemTime(Date.now() - 12 * 60_000)
    await page.goto('/')
    await page.getByTestId('playbook-C2').click()
    const startButtons = page.locator('[data-testid="start"], [data-testid^="start-"]')
    await expect.poll(() => startButtons.count()).toBeGreaterThan(0)
    await startButtons.first().click()
    await page.waitForURL(/\/incidents\//)
    const incidentUrl = new URL(page.url()).pathname
    const stepIds = await page.locator('[data-testid^="step-"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')!))
    await page.getByTestId(stepIds[0]!).getByTestId('tick').click()
    await expect.poll(() => ticks(page).count()).toBe(1)

    // She hands the tablet over: one tap, and 李强 (agent) signs in with his PIN, still offline.
    await page.getByTestId('operator').click()
    await page.waitForURL(/\/sign-in/)
    await page.screenshot({ path: 'docs/screenshots/sign-in-roster.png' })
    // a wrong PIN is refused with a message in Chinese
    await page.getByTestId('person-L002').click()
    await page.locator('input[name="pin"]').fill('0000')
    await page.getByTestId('pin-submit').click()
    await expect.poll(() => page.getByTestId('pin-problem').textContent()).toContain('PIN 码不对')
    await page.screenshot({ path: 'docs/screenshots/sign-in-pin.png' })
    await page.getByRole('button', { name: '选别人' }).click()
    await signIn(page, 'L002', '8642')
    expect(new URL(page.url()).pathname).toBe(incidentUrl)
    await expect.poll(() => page.getByTestId('operator').textContent()).toContain('李强')
    await page.getByTestId(stepIds[1]!).getByTestId('tick').click()
    await expect.poll(() => ticks(page).count()).toBe(2)
    const authors = await ticks(page).getByTestId('timeline-author').allTextContents()
    expect(authors).toEqual(['王芳', '李强'])

    // Online again: the server has both ticks, each with its person; nothing refused.
    await context.setOffline(false)
    await page.goto('/')
    await page.getByTestId('sync-now').click()
    await expect.poll(() => page.getByTestId('waiting').textContent(), { timeout: 20_000 }).toContain('已全部同步')
    const db = new Database(join(server.dataDir, 'steadyline.sqlite'), { readonly: true })
    try {
      const rows = db
        .prepare("SELECT author, person_id, json_extract(data, '$.type') AS type FROM records WHERE kind = 'incidentEvent' AND site_id = ? ORDER BY server_seq")
        .all(siteId) as { author: string; person_id: string; type: string }[]
      const tickRows = rows.filter((r) => r.type === 'tick')
      expect(tickRows.map((r) => r.author)).toEqual(['王芳', '李强'])
      expect(tickRows[1]?.person_id).toBe(li.id)
      const log = db.prepare("SELECT COUNT(*) AS n FROM mutation_log WHERE status = 'rejected'").get() as { n: number }
      expect(log.n).toBe(0)
    } finally {
      db.close()
    }

    // The supervisor on the central console (a desktop browser, not enrolled) sees the open
    // incident, its overdue clocks and both ticks with the right names.
    await addPersonHttp(server, { siteId, name: '赵主管', staffNo: 'Z100', role: 'supervisor', pin: '97531' })
    const desk = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 }, baseURL: server.url })
    const consolePage = await desk.newPage()
    await consolePage.goto('/console')
    await consolePage.getByTestId('console-staff-no').fill('Z100')
    await consolePage.getByTestId('console-pin').fill('97531')
    await consolePage.getByTestId('console-sign-in-submit').click()
    const incident = consolePage.getByTestId('console-now-incident')
    await expect.poll(() => incident.count(), { timeout: 20_000 }).toBe(1)
    expect(await incident.getAttribute('data-overdue')).toBe('true')
    expect(await incident.getByTestId('console-overdue').count()).toBeGreaterThan(0)
    const consoleAuthors = await incident.getByTestId('console-event-author').allTextContents()
    expect(consoleAuthors).toEqual(expect.arrayContaining(['王芳', '李强']))
    await consolePage.screenshot({ path: 'docs/screenshots/console-now.png', fullPage: true })

    // The archive of incidents on the console, by plan and state: the open C2 incident is listed
    // under "open", not under "closed", and the filters stay in the address.
    await consolePage.goto('/console/records')
    await consolePage.getByTestId('console-filter-kind').selectOption('incident')
    await consolePage.getByTestId('console-filter-plan').selectOption('C2')
    await consolePage.getByTestId('console-filter-state').selectOption('closed')
    await consolePage.getByTestId('console-records-search').click()
    await expect.poll(() => consolePage.getByTestId('console-records-none').count(), { timeout: 20_000 }).toBe(1)
    await consolePage.getByTestId('console-filter-state').selectOption('open')
    await consolePage.getByTestId('console-records-search').click()
    const rows = consolePage.getByTestId('console-record-row')
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(1)
    expect(await rows.first().getAttribute('data-kind')).toBe('incident')
    expect(new URL(consolePage.url()).searchParams.get('plan')).toBe('C2')
    expect(new URL(consolePage.url()).searchParams.get('state')).toBe('open')
    await consolePage.screenshot({ path: 'docs/screenshots/console-records-filtered.png', fullPage: true })
    await desk.close()
    await context.close()
  })
})
