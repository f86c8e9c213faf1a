import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, submitEnrollment } from './browser'
import { ROOT, startServer, type RunningServer } from './server'

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

/** A tablet enrolled at `site`: the two tablets below are at different sites, plans are org-wide. */
async function tablet(site: string, deviceName: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 }, baseURL: server.url })
  const page = await context.newPage()
  await page.goto('/enroll')
  await submitEnrollment(page, server, site, deviceName)
  return { context, page }
}

async function syncedHome(page: Page) {
  await page.goto('/')
  await page.getByTestId('sync-now').click()
  await expect.poll(() => page.getByTestId('waiting').textContent(), { timeout: 20_000 }).toContain('已全部同步')
}

describe('a supervisor edits a plan and a contact', () => {
  it('reaches a tablet of another site by sync; a running incident keeps its version', async () => {
    const a = await tablet('客服中心', '主管平板')
    const b = await tablet('第二服务大厅', '大厅平板')

    // B runs C4 as it was shipped and seeded (version 1), and syncs.
    await syncedHome(b.page)
    await b.page.getByTestId('playbook-C4').click()
    const startButtons = b.page.locator('[data-testid="start"], [data-testid^="start-"]')
    await expect.poll(() => startButtons.count()).toBeGreaterThan(0)
    await startButtons.first().click()
    await b.page.waitForURL(/\/incidents\//)
    const incidentUrl = new URL(b.page.url()).pathname
    const stepsBefore = await b.page.locator('[data-testid^="step-"]').count()
    expect(stepsBefore).toBeGreaterThan(0)
    await syncedHome(b.page)

    // A edits C4: one step more, then saves version 2.
    await syncedHome(a.page)
    await a.page.goto('/playbooks/C4')
    await a.page.getByTestId('edit-playbook').click()
    await a.page.waitForURL(/\/playbooks\/C4\/edit$/)
    await a.page.getByTestId('add-step').click()
    const steps = a.page.locator('[data-testid^="edit-step-"]')
    const added = steps.last()
    await added.locator('textarea[name$=".text.zh-CN"]').fill('通知值班经理到场')
    await expect.poll(() => a.page.getByTestId('save-playbook').isDisabled()).toBe(true)
    await expect.poll(() => added.locator('[role="alert"]').first().textContent()).toContain('不能为空')
    mkdirSync(join(ROOT, 'test-results'), { recursive: true })
    await a.page.evaluate(() => window.scrollTo(0, 0))
    await a.page.screenshot({ path: join(ROOT, 'test-results', 'playbook-editor-top-zh-CN.png') })
    await added.scrollIntoViewIfNeeded()
    await a.page.screenshot({ path: join(ROOT, 'test-results', 'playbook-editor-issue-zh-CN.png') })
    await added.locator('textarea[name$=".text.en"]').fill('Call the duty manager in')
    await expect.poll(() => a.page.getByTestId('save-playbook').isEnabled()).toBe(true)
    await a.page.getByTestId('save-playbook').click()
    await a.page.waitForURL(/\/playbooks\/C4$/)
    await expect.poll(() => a.page.locator('.steps-preview').textContent()).toContain('通知值班经理到场')

    // ...and the system vendor's phone.
    await a.page.goto('/contacts')
    await a.page.getByTestId('contact-system-vendor').getByTestId('edit-contact').click()
    await a.page.getByTestId('contact-system-vendor').locator('input[name="phone"]').fill('400-800-1234')
    await a.page.getByTestId('contact-system-vendor').getByTestId('save-contact').click()
    await expect.poll(() => a.page.getByTestId('contact-system-vendor').textContent()).toContain('400-800-1234')
    await syncedHome(a.page)

    // B, at another site, syncs and sees both changes.
    await syncedHome(b.page)
    await b.page.goto('/playbooks/C4')
    await expect.poll(() => b.page.locator('.steps-preview').textContent()).toContain('通知值班经理到场')
    await b.page.goto('/contacts')
    await expect.poll(() => b.page.getByTestId('contact-system-vendor').textContent()).toContain('400-800-1234')

    // The incident B started before the edit still runs version 1's steps.
    await b.page.goto(incidentUrl)
    await expect.poll(() => b.page.locator('[data-testid^="step-"]').count()).toBe(stepsBefore)
    expect(await b.page.getByTestId('incident').textContent()).not.toContain('通知值班经理到场')

    // A new incident of C4 gets the new step.
    await b.page.goto('/playbooks/C4')
    await startButtons.first().click()
    await b.page.waitForURL((url) => url.pathname.startsWith('/incidents/') && url.pathname !== incidentUrl)
    await expect.poll(() => b.page.locator('[data-testid^="step-"]').count()).toBe(stepsBefore + 1)

    await a.context.close()
    await b.context.close()
  })

  it('edits variants and levels on a portrait tablet: nothing wider than the screen, large touch targets', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 768, height: 1024 }, hasTouch: true, baseURL: server.url })
    const page = await context.newPage()
    await page.goto('/enroll')
    await submitEnrollment(page, server, '客服中心', '竖屏平板')
    await syncedHome(page)
    await page.goto('/playbooks/H3/edit')
    await page.getByTestId('edit-variant-0').waitFor()

    // a used variant stays, with the reason in Chinese
    await page.getByTestId('edit-variant-0').getByTestId('remove-variant').click()
    await expect.poll(() => page.getByTestId('edit-variant-0').getByTestId('remove-refused').textContent()).toContain('不能删除')
    expect(await page.locator('[data-testid^="edit-variant-"]').count()).toBe(3)

    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(await overflow()).toBeLessThanOrEqual(0)
    // every button and checkbox of the editor is big enough for a finger
    const small = await page.getByTestId('playbook-editor').evaluate((root) =>
      [...root.querySelectorAll<HTMLElement>('button, select, input, label.field-check')]
        .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().height < 28)
        .map((el) => el.outerHTML.slice(0, 80)),
    )
    expect(small).toEqual([])
    mkdirSync(join(ROOT, 'test-results'), { recursive: true })
    await page.getByTestId('edit-step-0').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(ROOT, 'test-results', 'playbook-editor-portrait-zh-CN.png') })

    await page.goto('/playbooks/C8/edit')
    await page.getByTestId('tab-preview').click()
    await expect.poll(() => page.getByTestId('preview-level-level-2').textContent()).toContain('30 分钟')
    expect(await overflow()).toBeLessThanOrEqual(0)
    await page.screenshot({ path: join(ROOT, 'test-results', 'playbook-preview-levels-portrait-zh-CN.png') })
    await context.close()
  })
})
