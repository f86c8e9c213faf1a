// Issue 5, the evacuation roll-call, in a real Chromium on a phone-sized screen against the real
// server: a fire incident, people marked with the thumb, customers counted, the roll-call
// completed offline, a reload with no network, and every mark on the server once back online.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, submitEnrollment } from './browser'
import { ROOT, startServer, type RunningServer } from './server'

const SHOTS = join(ROOT, 'docs/screenshots')

let server: RunningServer
let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  context = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    baseURL: server.url,
  })
  page = await context.newPage()
  page.on('dialog', (dialog) => void dialog.accept())
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const row = (name: string) => page.locator(`[data-testid="rc-person"][data-name="${name}"]`)
const count = (key: string) => page.getByTestId(`count-${key}`).locator('.rc-count-n').textContent()
const unmarkedNames = () => page.getByTestId('rc-group-unmarked').getByTestId('rc-person').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))

/** A tap with the thumb, then the page's short guard against a bounce onto the next row. */
async function mark(name: string, status: 'safe' | 'missing' | 'injured') {
  await row(name).getByTestId(`mark-${status}`).tap()
  await expect.poll(() => row(name).getByTestId('rc-status').textContent()).toContain({ safe: '安全', missing: '失联', injured: '受伤' }[status])
  await page.waitForTimeout(450)
}

async function addByName(name: string) {
  await page.locator('input[name="rollCallName"]').fill(name)
  await page.getByTestId('rc-add-submit').tap()
  await expect.poll(() => row(name).count()).toBe(1)
}

describe('the evacuation roll-call on a phone', () => {
  let rollCallUrl = ''
  let rosterSize = 0

  it('marks people one-handed, counts customers, completes offline and keeps everything after a reload', async () => {
    await page.goto('/enroll')
    // The shift leader signs in on the hall's phone; the roster has at least them.
    await submitEnrollment(page, server, '第一服务大厅', '大厅值班手机', { name: '周组长', role: 'shiftLeader' })
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await page.reload()
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true)

    // A fire in the hall: plan H4 from the home screen, started as the real thing.
    await page.goto('/')
    await page.getByTestId('playbook-H4').tap()
    await page.getByTestId('start').tap()
    await page.waitForURL(/\/incidents\/[0-9a-f-]+$/)
    await page.getByTestId('open-roll-call').tap()
    await page.waitForURL(/\/roll-call$/)
    rollCallUrl = new URL(page.url()).pathname
    await expect.poll(() => page.getByTestId('roll-call').getAttribute('data-ready')).toBe('true')

    // Whoever the site's roster holds (maybe nobody yet), plus the people present, added by name.
    rosterSize = Number(await count('unmarked'))
    for (const name of ['张伟', '李娜', '王芳']) await addByName(name)
    await expect.poll(() => count('unmarked')).toBe(String(rosterSize + 3))

    // Big rows, big buttons: a thumb finds them while walking.
    const button = await row('张伟').getByTestId('mark-safe').boundingBox()
    expect(button!.height).toBeGreaterThanOrEqual(56)
    expect(button!.width).toBeGreaterThanOrEqual(90)

    await mark('张伟', 'safe')
    // The marked person leaves the top of the list: the people still to find come first.
    expect((await unmarkedNames()).slice(-2)).toEqual(['李娜', '王芳'])
    await mark('李娜', 'injured')
    await row('李娜').locator('input[name="rollCallNote"]').fill('手臂烫伤，在对面药店处理')
    await row('李娜').getByTestId('rc-note-save').tap()
    await expect.poll(() => row('李娜').getByTestId('rc-note-save').isDisabled()).toBe(true)
    await mark('王芳', 'missing')
    await row('王芳').locator('input[name="rollCallNote"]').fill('最后见于二楼档案室')
    await row('王芳').getByTestId('rc-note-save').tap()
    await expect.poll(() => row('王芳').getByTestId('rc-note-save').isDisabled()).toBe(true)
    await expect.poll(() => page.getByTestId('rc-missing-alert').textContent()).toContain('1 人失联')

    for (const step of ['customers-plus5', 'customers-plus', 'customers-plus', 'customers-minus', 'customers-plus']) await page.getByTestId(step).tap()
    await expect.poll(() => page.getByTestId('customers-count').textContent()).toBe('7')

    // The counts stay in sight at the top however far down the list the thumb goes.
    await page.getByTestId('rc-customers').scrollIntoViewIfNeeded()
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
    const counts = await page.getByTestId('rc-counts').boundingBox()
    expect(counts!.y).toBeGreaterThanOrEqual(0)
    // On a phone the status bar scrolls away on this page: the counts own the top edge.
    expect(counts!.y).toBeLessThan(10)
    expect(await page.getByTestId('count-missing').isVisible()).toBe(true)

    // Out of the building, out of signal: a helper added by name, the last marks, then complete.
    await context.setOffline(true)
    await expect.poll(() => page.getByTestId('network').textContent()).toContain('离线')
    await addByName('刘师傅')
    await mark('刘师傅', 'safe')
    await page.evaluate(() => window.scrollTo(0, 0))
    mkdirSync(SHOTS, { recursive: true })
    await page.screenshot({ path: join(SHOTS, 'roll-call-phone-marking.png') })

    await page.getByTestId('rc-complete').tap()
    await expect.poll(() => page.getByTestId('rc-completed').count()).toBe(1)

    await page.reload()
    await expect.poll(() => page.getByTestId('roll-call').count()).toBe(1)
    await expect.poll(() => page.getByTestId('rc-completed').count()).toBe(1)
    expect(await count('safe')).toBe('2')
    expect(await count('injured')).toBe('1')
    expect(await count('missing')).toBe('1')
    expect(await count('unmarked')).toBe(String(rosterSize))
    expect(await page.getByTestId('customers-count').textContent()).toBe('7')
    expect(await row('李娜').locator('input[name="rollCallNote"]').inputValue()).toBe('手臂烫伤，在对面药店处理')
    expect(await row('王芳').getByTestId('rc-status').textContent()).toContain('失联')
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: join(SHOTS, 'roll-call-phone.png') })
    await page.screenshot({ path: join(SHOTS, 'roll-call-phone-full.png'), fullPage: true })
    // Deep in the list with the thumb: the counts are still the first thing on the screen.
    await page.getByTestId('rc-customers').evaluate((el) => el.scrollIntoView({ block: 'end' }))
    expect((await page.getByTestId('rc-counts').boundingBox())!.y).toBeLessThan(10)
    await page.screenshot({ path: join(SHOTS, 'roll-call-phone-scrolled.png') })
  })

  it('delivers the roll-call and every mark to the server once online', async () => {
    await context.setOffline(false)
    await page.goto(rollCallUrl)
    await page.getByTestId('sync-now').tap()
    await expect.poll(() => page.getByTestId('waiting').textContent(), { timeout: 20_000 }).toContain('已全部同步')

    const db = new Database(join(server.dataDir, 'steadyline.sqlite'), { readonly: true })
    try {
      const rows = (db.prepare('SELECT kind, data FROM records ORDER BY server_seq').all() as { kind: string; data: string }[]).map((r) => ({
        kind: r.kind,
        data: JSON.parse(r.data) as Record<string, unknown>,
      }))
      const incident = rows.find((r) => r.kind === 'incident' && r.data.playbookId === 'H4')
      const rollCalls = rows.filter((r) => r.kind === 'rollCall')
      expect(rollCalls).toHaveLength(1)
      expect(rollCalls[0]!.data.incidentId).toBeDefined()
      expect(incident).toBeDefined()
      const marks = rows.filter((r) => r.kind === 'rollCallMark').map((r) => r.data)
      const statuses = marks.filter((m) => m.type === 'status').map((m) => `${String(m.name)}:${String(m.status)}`)
      expect(statuses).toEqual(['张伟:safe', '李娜:injured', '李娜:injured', '王芳:missing', '王芳:missing', '刘师傅:safe'])
      expect(marks.filter((m) => m.type === 'addPerson').map((m) => m.name)).toEqual(['张伟', '李娜', '王芳', '刘师傅'])
      expect(marks.filter((m) => m.type === 'customers').map((m) => m.count)).toEqual([5, 6, 7, 6, 7])
      expect(marks.filter((m) => m.type === 'complete')).toHaveLength(1)
      expect(marks.find((m) => m.status === 'missing' && m.note)?.note).toBe('最后见于二楼档案室')
    } finally {
      db.close()
    }
  })
})
