// Issue 4, the outage desk, in a real Chromium against the real server: offline through a C2
// fault, a call record typed and the page closed without saving, five records, the recovery,
// the callback worklist, the CSV export, and everything on the server once back online.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, submitEnrollment } from './browser'
import { startServer, type RunningServer } from './server'

/** Set STEADYLINE_SHOTS=dir to keep screenshots of each screen at both tablet sizes. */
const SHOTS = process.env.STEADYLINE_SHOTS

let server: RunningServer
let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 }, baseURL: server.url, acceptDownloads: true })
  page = await context.newPage()
  page.on('dialog', (dialog) => void dialog.accept())
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function shot(name: string) {
  if (!SHOTS) return
  mkdirSync(SHOTS, { recursive: true })
  for (const [w, h] of [[1024, 768], [768, 1024]] as const) {
    await page.setViewportSize({ width: w, height: h })
    await page.screenshot({ path: join(SHOTS, `${name}-${w}x${h}.png`), fullPage: true })
  }
  await page.setViewportSize({ width: 1024, height: 768 })
}

/** The draft of `id` as it is on disk right now, read with the raw IndexedDB API. */
function draftOnDisk(id: string) {
  return page.evaluate(
    (draftId) =>
      new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
        const open = indexedDB.open('steadyline')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const get = open.result.transaction('drafts').objectStore('drafts').get(draftId)
          get.onsuccess = () => {
            resolve((get.result as { values?: Record<string, unknown> } | undefined)?.values)
            open.result.close()
          }
          get.onerror = () => reject(get.error)
        }
      }),
    id,
  )
}

async function typeCall(call: { phone?: string; withheld?: boolean; name: string; request: string; callback?: { number?: string; time?: string } }) {
  if (call.withheld) await page.getByTestId('withheld').click()
  else await page.locator('input[name="callerPhone"]').fill(call.phone ?? '')
  await page.locator('input[name="callerName"]').fill(call.name)
  await page.locator('textarea[name="request"]').fill(call.request)
  if (call.callback) {
    await page.locator('input[name="callbackNeeded"]').check()
    if (call.callback.number) await page.locator('input[name="callbackNumber"]').fill(call.callback.number)
    if (call.callback.time) await page.locator('input[name="callbackTime"]').fill(call.callback.time)
  }
}

/** Ctrl+Enter: save, and a new call opens at once (the next draft's address). */
async function saveAndNext() {
  const before = page.url()
  await page.locator('textarea[name="request"]').press('Control+Enter')
  await page.waitForURL((url) => url.pathname.startsWith('/calls/draft/') && url.href !== before)
}

describe('the outage desk', () => {
  let faultUrl = ''

  it('works through a C2 fault offline, keeps a draft to the last character, and fills the worklist at recovery', async () => {
    await page.goto('/')
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await page.reload()
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true)
    await page.getByTestId('enroll-hint').getByRole('link').click()
    // 张三 signs in on the tablet: every record below carries his name and person id
    await submitEnrollment(page, server, '呼叫中心一楼', '三号座席平板', { name: '张三', role: 'shiftLeader' })
    await expect.poll(() => page.getByTestId('operator').textContent()).toContain('张三')

    await context.setOffline(true)
    await page.reload()
    await expect.poll(() => page.getByTestId('network').textContent()).toContain('离线')

    // A C2 fault: the CRM is down for every seat.
    await page.getByTestId('outage-desk').click()
    await page.getByTestId('new-fault').click()
    await page.locator('input[name="system"]').fill('CRM 客户关系系统')
    await page.getByTestId('scope-allSeats').click()
    await page.locator('textarea[name="symptom"]').fill('全部座席无法登录 CRM，提示“服务不可用”')
    await page.getByTestId('fault-save').click()
    await page.waitForURL(/\/outage\/faults\/[0-9a-f-]+$/)
    faultUrl = new URL(page.url()).pathname
    await expect.poll(() => page.getByTestId('fault-state').textContent()).toContain('故障中')
    await page.getByTestId('notified-supervisor').click()
    await expect.poll(() => page.getByTestId('notify').textContent()).toContain('已通知')
    await shot('fault-ongoing')

    // A call, typed key by key from the status bar's "new call", and the page closed unsaved.
    await page.getByTestId('bar-new-call').click()
    await page.waitForURL(/\/calls\/draft\//)
    const draftUrl = page.url()
    const draftId = draftUrl.split('/').pop()!
    await expect.poll(() => page.getByTestId('call-fault').inputValue()).toBe(faultUrl.split('/').pop())
    await page.locator('input[name="callerPhone"]').pressSequentially('13800138000')
    await page.locator('input[name="callerName"]').pressSequentially('周女士')
    await page.locator('input[name="callbackNeeded"]').check()
    const request = '停电后营业厅何时恢复？请回电告知，谢谢'
    await page.locator('textarea[name="request"]').pressSequentially(request)
    await expect.poll(() => draftOnDisk(draftId).then((v) => v?.request)).toBe(request)
    await shot('call-form')
    await page.close({ runBeforeUnload: false })

    page = await context.newPage()
    page.on('dialog', (dialog) => void dialog.accept())
    await page.goto('/')
    await expect.poll(() => page.getByTestId('drafts').textContent()).toContain('周女士')
    await page.goto(draftUrl)
    await expect.poll(() => page.locator('textarea[name="request"]').inputValue()).toBe(request)
    expect(await page.locator('input[name="callerPhone"]').inputValue()).toBe('13800138000')
    expect(await page.locator('input[name="callerName"]').inputValue()).toBe('周女士')
    expect(await page.locator('input[name="callbackNeeded"]').isChecked()).toBe(true)

    // Five records, two of them needing a callback, saved with Ctrl+Enter one after the other.
    await saveAndNext()
    await typeCall({ phone: '010-12345678', name: '王先生', request: '咨询账单，已按统一口径答复' })
    await saveAndNext()
    await typeCall({ phone: '139 1234 5678', name: '李女士', request: '投诉：宽带断网，要求上门维修', callback: { number: '0755-1234567', time: '下午3点后' } })
    await saveAndNext()
    await typeCall({ phone: '1380013', name: '赵先生', request: '报修，号码没听清' })
    await page.locator('input[name="callerName"]').focus()
    await expect.poll(() => page.getByTestId('phone-warning').textContent()).toContain('未核实')
    await saveAndNext()
    await typeCall({ withheld: true, name: '钱女士', request: '询问何时恢复' })
    await page.getByTestId('save').click()
    await page.waitForURL((url) => url.pathname === '/')
    await expect.poll(() => page.getByTestId('drafts').count()).toBe(0)

    // The worklist waits for the recovery, then shows exactly the two callbacks.
    await page.goto(`${faultUrl}/worklist`)
    await expect.poll(() => page.getByTestId('worklist-waiting').textContent()).toContain('2')
    await page.goto(faultUrl)
    await expect.poll(() => page.getByTestId('fault-calls').textContent()).toContain('5')
    await page.getByTestId('record-recovery').click()
    await expect.poll(() => page.getByTestId('fault-state').textContent()).toContain('已恢复')
    await page.getByTestId('open-worklist').click()
    await page.waitForURL(/\/worklist$/)
    await expect.poll(() => page.getByTestId('worklist-entry').count()).toBe(2)
    const names = await page.getByTestId('worklist-entry').locator('strong').allTextContents()
    expect(names.sort()).toEqual(['周女士', '李女士'].sort())
    expect(await page.getByTestId('worklist').textContent()).toContain('0755-1234567')

    const li = page.getByTestId('worklist-entry').filter({ hasText: '李女士' })
    await li.getByTestId('act-noAnswer').click()
    await expect.poll(() => li.textContent()).toContain('已拨 1 次未接通')
    const zhou = page.getByTestId('worklist-entry').filter({ hasText: '周女士' })
    await zhou.getByTestId('act-reentered').click()
    await expect.poll(() => zhou.getAttribute('data-state')).toBe('reentered')
    await expect.poll(() => zhou.textContent()).toContain('张三')
    await shot('worklist')

    // The CSV for Excel: a BOM, the columns, Chinese text and the callback states.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('worklist-csv').click()])
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv.charCodeAt(0)).toBe(0xfeff)
    const lines = csv.slice(1).trim().split('\r\n')
    expect(lines[0]).toContain('来电时间,接听人,来电号码')
    expect(lines).toHaveLength(6)
    expect(csv).toContain('已补录 CRM')
    expect(csv).toContain('投诉：宽带断网，要求上门维修')
  })

  it('delivers the five records, the fault and the worklist states to the server once online', async () => {
    await page.goto('/outage')
    await shot('desk')
    await page.goto('/outage/logs/leader')
    await expect.poll(() => page.getByTestId('log-entry').count()).toBe(2)
    await shot('leader-log')
    await page.goto('/outage/calls')
    await page.getByTestId('call-search').fill('139 12')
    await expect.poll(() => page.getByTestId('call-result').count()).toBe(1)
    await shot('calls-search')

    await context.setOffline(false)
    await page.goto('/')
    await expect.poll(() => page.getByTestId('waiting-count').textContent(), { timeout: 20_000 }).toBe('0')

    const db = new Database(join(server.dataDir, 'steadyline.sqlite'), { readonly: true })
    try {
      const rows = db.prepare('SELECT kind, author, data FROM records ORDER BY server_seq').all() as { kind: string; author: string; data: string }[]
      const of = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => JSON.parse(r.data) as Record<string, unknown>)
      const calls = of('callRecord')
      expect(calls).toHaveLength(5)
      expect(calls.map((c) => c.callerName).sort()).toEqual(['周女士', '李女士', '王先生', '赵先生', '钱女士'].sort())
      expect(calls.filter((c) => c.callbackNeeded)).toHaveLength(2)
      expect(calls.find((c) => c.callerName === '赵先生')).toMatchObject({ callerPhone: '1380013', callerPhoneStatus: 'unverified' })
      expect(calls.find((c) => c.callerName === '钱女士')).toMatchObject({ callerPhone: '', callerPhoneStatus: 'withheld' })
      expect(calls.find((c) => c.callerName === '周女士')).toMatchObject({ request: '停电后营业厅何时恢复？请回电告知，谢谢' })
      const faultId = faultUrl.split('/').pop()
      expect(calls.every((c) => c.faultId === faultId)).toBe(true)
      expect(of('fault')).toEqual([expect.objectContaining({ system: 'CRM 客户关系系统', scope: 'allSeats' })])
      expect(of('faultEvent').map((e) => e.type).sort()).toEqual(['notified', 'recovered'])
      const steps = of('callbackEvent')
      expect(steps.map((s) => s.state).sort()).toEqual(['noAnswer', 'reentered'])
      const zhou = rows.find((r) => r.kind === 'callRecord' && (JSON.parse(r.data) as { callerName: string }).callerName === '周女士')
      expect(zhou?.author).toBe('张三')
      expect(of('logEntry')).toHaveLength(2)
    } finally {
      db.close()
    }
  })
})
