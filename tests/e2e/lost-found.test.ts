// Issue 5, the lost-and-found register (plan H9), in a real Chromium against the real server: with
// no network, a found wallet is registered with a photo and the two counters' signatures drawn
// with the pointer, then returned against the claimant's identity check and signature, and an
// amendment made; a reload with no network shows all of it from the tablet's disk. Back online,
// the server holds the entry, its events, and the photo and three signatures byte for byte.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { ensureSite, launchBrowser, submitEnrollment } from './browser'
import { addPersonHttp, ROOT, startServer, type RunningServer } from './server'

const SHOTS = join(ROOT, 'docs/screenshots')
const FIXTURE = join(ROOT, 'tests/e2e/fixtures/lost-wallet.png')
const SITE = '第二服务大厅'

let server: RunningServer
let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 }, deviceScaleFactor: 2, baseURL: server.url })
  page = await context.newPage()
  page.on('dialog', (dialog) => void dialog.accept())
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

/** A signature drawn with the pointer: a few strokes across the pad, pressed, moved, released. */
async function sign(pad: Locator, seed: number) {
  const canvas = pad.getByTestId('signature-canvas')
  await canvas.scrollIntoViewIfNeeded()
  const box = (await canvas.boundingBox())!
  const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const
  for (let stroke = 0; stroke < 3; stroke++) {
    const [x0, y0] = at(0.15 + stroke * 0.25, 0.6)
    await page.mouse.move(x0, y0)
    await page.mouse.down()
    for (let i = 1; i <= 12; i++) {
      const [x, y] = at(0.15 + stroke * 0.25 + i * 0.018, 0.6 - Math.sin((i + seed) / 2) * 0.25)
      await page.mouse.move(x, y, { steps: 2 })
    }
    await page.mouse.up()
  }
  await pad.getByTestId('signature-confirm').click()
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

interface Stored {
  itemId: string
  photo: string
  witnesses: string[]
  claimant: string
  /** SHA-256 of the bytes Chromium's IndexedDB holds, by the reference's hash. */
  hashes: Record<string, { computed: string; type: string; size: number }>
  token: string
}

describe('the lost-and-found register, offline, on a tablet', () => {
  let stored: Stored

  it('registers a found item with a photo and two drawn signatures, returns it with the claimant signing, all offline', async () => {
    // The hall's security guard is on the roster: he will be the second counter.
    const siteId = await ensureSite(server, SITE)
    await addPersonHttp(server, { siteId, name: '刘保安', staffNo: 'LF-G1', role: 'security', pin: '2468' })
    await page.goto('/enroll')
    // A counter clerk (an agent: the lowest role) does all of it: hall staff of every role may.
    await submitEnrollment(page, server, SITE, '失物登记平板', { name: '陈柜员', role: 'agent' })
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await page.reload()
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true)
    // The roster (with the guard) is on the tablet before the network goes.
    await page.getByTestId('sync-now').click()
    await expect.poll(() => page.getByTestId('waiting').textContent(), { timeout: 20_000 }).toContain('已全部同步')

    await context.setOffline(true)
    await expect.poll(() => page.getByTestId('network').textContent()).toContain('离线')

    await page.getByTestId('lost-found-link').click()
    await page.waitForURL(/\/hall\/lost-found$/)
    await page.getByTestId('lf-new-found').click()
    await page.waitForURL(/\/hall\/lost-found\/draft\/[0-9a-f-]+$/)
    expect(await page.getByTestId('mode-found').getAttribute('aria-pressed')).toBe('true')

    await page.locator('textarea[name="description"]').fill('黑色钱包：身份证1张、银行卡2张、现金350元')
    await page.locator('input[name="whereFound"]').fill('3号柜台座椅下')
    expect(await page.locator('input[name="foundBy"]').inputValue()).toBe('陈柜员')

    // A photo from a file: downscaled and re-encoded by the browser, kept on the tablet.
    await page.getByTestId('photo-file-input').setInputFiles(FIXTURE)
    await expect.poll(() => page.getByTestId('photo-thumb').getByTestId('attachment-image').count(), { timeout: 10_000 }).toBe(1)

    // Saving too early says what is missing, in Chinese, and keeps everything.
    await page.getByTestId('lf-save').click()
    await expect.poll(() => page.getByTestId('witness-0-signature-error').textContent()).toContain('请清点人在此签名')
    expect(await page.getByTestId('lf-error-summary').textContent()).toContain('还有')

    // Counter 1 is the signed-in clerk (filled in); counter 2 is the guard, chosen by name.
    expect(await page.locator('input[name="witness0Name"]').inputValue()).toBe('陈柜员')
    await sign(page.getByTestId('witness-0').getByTestId('signature-pad'), 0)
    await expect.poll(() => page.getByTestId('witness-0-signed').count()).toBe(1)
    await page.locator('input[name="witness1Name"]').fill('刘保安')
    await sign(page.getByTestId('witness-1').getByTestId('signature-pad'), 3)
    await expect.poll(() => page.getByTestId('witness-1-signed').getByTestId('attachment-image').count()).toBe(1)

    await page.locator('input[name="cctvCamera"]').fill('大厅2号摄像头')
    await page.locator('input[name="keptAt"]').fill('值班室保险柜')
    // The draft is on disk: a crash now loses nothing.
    await expect.poll(() => page.getByTestId('lf-draft-state').textContent()).toContain('草稿已自动保存')
    mkdirSync(SHOTS, { recursive: true })
    await page.screenshot({ path: join(SHOTS, 'lost-found-form-tablet-full.png'), fullPage: true })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: join(SHOTS, 'lost-found-form-phone-full.png'), fullPage: true })
    await page.setViewportSize({ width: 1024, height: 768 })
    await page.getByTestId('lf-save').click()
    await page.waitForURL(/\/hall\/lost-found\/[0-9a-f]{8}-[0-9a-f-]+$/)
    expect(await page.getByTestId('lf-status').textContent()).toContain('待认领')
    // While unclaimed, a phone shows the next steps first, under the thumb.
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: join(SHOTS, 'lost-found-open-phone.png') })
    expect((await page.getByTestId('lf-step-returned').boundingBox())!.y).toBeLessThan(844)
    await page.setViewportSize({ width: 1024, height: 768 })

    // The return: the full ID number is refused and not kept; the last four are; the claimant signs.
    await page.getByTestId('lf-step-returned').click()
    await page.locator('input[name="claimantName"]').fill('王女士')
    await page.getByTestId('id-residentId').click()
    await page.locator('input[name="idLast4"]').fill('11010119900307123X')
    await expect.poll(() => page.getByTestId('id-too-long').textContent()).toContain('只需后四位')
    expect(await page.locator('input[name="idLast4"]').inputValue()).toBe('')
    await page.getByTestId('lf-step-save').click()
    await expect.poll(() => page.getByTestId('claimant-signature-error').textContent()).toContain('请领取人在此签名')
    await page.locator('input[name="idLast4"]').fill('123x')
    await sign(page.getByTestId('lf-step-form').getByTestId('signature-pad'), 6)
    await expect.poll(() => page.getByTestId('claimant-signed').getByTestId('attachment-image').count()).toBe(1)
    const stepDrafts = await page.evaluate(async () => {
      const open = indexedDB.open('steadyline')
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        open.onsuccess = () => resolve(open.result)
        open.onerror = () => reject(open.error)
      })
      const all = await new Promise<{ kind: string; values: Record<string, unknown> }[]>((resolve) => {
        const req = db.transaction('drafts').objectStore('drafts').getAll()
        req.onsuccess = () => resolve(req.result as never)
      })
      db.close()
      return all.filter((d) => d.kind === 'lostItemEvent').map((d) => d.values.idLast4)
    })
    // What is on disk is the last four, never the full number typed before.
    expect(stepDrafts).toEqual(['123X'])
    await page.getByTestId('lf-actions').screenshot({ path: join(SHOTS, 'lost-found-return-tablet.png') })
    await page.getByTestId('lf-step-save').click()
    await expect.poll(() => page.getByTestId('lf-status').textContent()).toContain('已归还')
    expect(await page.getByTestId('lf-returned').textContent()).toContain('后四位 123X')

    // After the return only an amendment; it keeps the original.
    expect(await page.getByTestId('lf-step-ownerContacted').count()).toBe(0)
    await page.getByTestId('lf-step-amendment').click()
    await page.locator('select[name="field"]').selectOption('keptAt')
    expect(await page.getByTestId('amend-before').textContent()).toBe('值班室保险柜')
    await page.locator('input[name="after"]').fill('大堂经理室保险柜')
    await page.locator('input[name="reason"]').fill('登记时写错了存放地点')
    await page.getByTestId('lf-step-save').click()
    await expect.poll(() => page.getByTestId('fact-keptAt').textContent()).toContain('大堂经理室保险柜')
    expect(await page.getByTestId('fact-keptAt').textContent()).toContain('原登记：值班室保险柜')

    // Reload with no network: everything comes back from the tablet's disk.
    await page.reload()
    await expect.poll(() => page.getByTestId('lf-status').textContent(), { timeout: 10_000 }).toContain('已归还')
    const history = await page.getByTestId('lf-history-entry').allTextContents()
    expect(history).toHaveLength(3)
    expect(history[0]).toContain('登记')
    expect(history[1]).toContain('归还给 王女士')
    expect(history[2]).toContain('值班室保险柜 → 大堂经理室保险柜')
    expect(history.every((h) => h.includes('陈柜员'))).toBe(true)
    await expect.poll(() => page.getByTestId('lost-found-item').getByTestId('attachment-image').count()).toBe(4)

    const itemId = new URL(page.url()).pathname.split('/').pop()!
    stored = await page.evaluate(async (id) => {
      const open = indexedDB.open('steadyline')
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        open.onsuccess = () => resolve(open.result)
        open.onerror = () => reject(open.error)
      })
      const get = <T,>(store: string, key: string) =>
        new Promise<T>((resolve, reject) => {
          const req = db.transaction(store).objectStore(store).get(key)
          req.onsuccess = () => resolve(req.result as T)
          req.onerror = () => reject(req.error)
        })
      const item = await get<{ data: { photos: { sha256: string }[]; witnesses: { signature: { sha256: string } }[] } }>('records', id)
      const events = await new Promise<{ kind: string; data: Record<string, unknown> }[]>((resolve) => {
        const req = db.transaction('records').objectStore('records').getAll()
        req.onsuccess = () => resolve(req.result as never)
      })
      const returned = events.find((e) => e.kind === 'lostItemEvent' && e.data.type === 'returned')!
      const claimant = (returned.data.claimantSignature as { sha256: string }).sha256
      const photo = item.data.photos[0]!.sha256
      const witnesses = item.data.witnesses.map((w) => w.signature.sha256)
      const hashes: Record<string, { computed: string; type: string; size: number }> = {}
      for (const hash of [photo, ...witnesses, claimant]) {
        const row = await get<{ bytes: ArrayBuffer; type: string; size: number }>('attachments', hash)
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', row.bytes))
        hashes[hash] = { computed: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''), type: row.type, size: row.bytes.byteLength }
      }
      const enrollment = await get<{ value: { token: string } }>('meta', 'enrollment')
      db.close()
      return { itemId: id, photo, witnesses, claimant, hashes, token: enrollment.value.token }
    }, itemId)
    // What the browser holds hashes to the names the records give it; the photo is the downscaled JPEG, not the file.
    for (const [hash, row] of Object.entries(stored.hashes)) expect(row.computed).toBe(hash)
    expect(stored.hashes[stored.photo]!.type).toBe('image/jpeg')
    expect(stored.photo).not.toBe(sha(readFileSync(FIXTURE)))
    expect(new Set([...stored.witnesses, stored.claimant]).size).toBe(3)
    for (const s of [...stored.witnesses, stored.claimant]) expect(stored.hashes[s]!.type).toBe('image/png')

    // Screenshots of the entry with its history: a tablet, then a phone.
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: join(SHOTS, 'lost-found-entry-tablet.png') })
    await page.screenshot({ path: join(SHOTS, 'lost-found-entry-tablet-full.png'), fullPage: true })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: join(SHOTS, 'lost-found-entry-phone.png') })
    await page.screenshot({ path: join(SHOTS, 'lost-found-entry-phone-full.png'), fullPage: true })
    await page.getByTestId('lf-history').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SHOTS, 'lost-found-entry-phone-history.png') })
    // One-handed on a phone: the steps are big targets and nothing runs off the side.
    const actionBox = await page.getByTestId('lf-step-amendment').boundingBox()
    expect(actionBox!.height).toBeGreaterThanOrEqual(48)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await page.goto('/hall/lost-found')
    await expect.poll(() => page.getByTestId('lf-row').count()).toBe(1)
    await page.screenshot({ path: join(SHOTS, 'lost-found-list-phone.png') })

    // A vehicle at the door: "no guard" shows the plan's own consequence before anything is agreed.
    await page.getByTestId('lf-new-vehicle').click()
    await page.waitForURL(/\/hall\/lost-found\/draft\//)
    expect(await page.getByTestId('mode-vehicle').getAttribute('aria-pressed')).toBe('true')
    expect(await page.getByTestId('lf-consequence').count()).toBe(0)
    await page.getByTestId('guard-no').click()
    await expect.poll(() => page.getByTestId('lf-consequence').textContent()).toContain('未指定专人看管的，婉拒赔偿并建议报案')
    await page.getByTestId('lf-guard').screenshot({ path: join(SHOTS, 'lost-found-vehicle-phone.png') })
    await page.getByTestId('lf-discard').click()
    await page.waitForURL(/\/hall\/lost-found$/)
    await page.setViewportSize({ width: 1024, height: 768 })
  })

  it('delivers the entry, its events, the photo and the three signatures to the server byte for byte', async () => {
    await context.setOffline(false)
    await page.goto(`/hall/lost-found/${stored.itemId}`)
    await page.getByTestId('sync-now').click()
    await expect.poll(() => page.getByTestId('waiting').textContent(), { timeout: 30_000 }).toContain('已全部同步')

    const db = new Database(join(server.dataDir, 'steadyline.sqlite'), { readonly: true })
    try {
      const rows = (db.prepare("SELECT id, kind, data FROM records WHERE kind IN ('lostItem', 'lostItemEvent') ORDER BY server_seq").all() as { id: string; kind: string; data: string }[]).map(
        (r) => ({ id: r.id, kind: r.kind, data: JSON.parse(r.data) as Record<string, unknown> }),
      )
      expect(rows.map((r) => r.kind)).toEqual(['lostItem', 'lostItemEvent', 'lostItemEvent'])
      const item = rows[0]!
      expect(item.id).toBe(stored.itemId)
      expect(item.data).toMatchObject({
        mode: 'found',
        description: '黑色钱包：身份证1张、银行卡2张、现金350元',
        whereFound: '3号柜台座椅下',
        foundBy: '陈柜员',
        keptAt: '值班室保险柜',
        cctv: { camera: '大厅2号摄像头' },
        photos: [{ sha256: stored.photo, type: 'image/jpeg' }],
      })
      const witnesses = item.data.witnesses as { name: string; personId?: string; signature: { sha256: string } }[]
      expect(witnesses.map((w) => w.name)).toEqual(['陈柜员', '刘保安'])
      expect(witnesses.every((w) => typeof w.personId === 'string')).toBe(true)
      expect(witnesses.map((w) => w.signature.sha256)).toEqual(stored.witnesses)
      expect(rows[1]!.data).toMatchObject({
        itemId: stored.itemId,
        type: 'returned',
        claimantName: '王女士',
        idType: 'residentId',
        idLast4: '123X',
        claimantSignature: { sha256: stored.claimant, type: 'image/png' },
        returnedBy: { name: '陈柜员' },
      })
      expect(rows[2]!.data).toMatchObject({ itemId: stored.itemId, type: 'amendment', field: 'keptAt', before: '值班室保险柜', after: '大堂经理室保险柜' })
      // Nothing longer than the last four of the ID number reached the server.
      expect(JSON.stringify(rows)).not.toContain('11010119900307')
    } finally {
      db.close()
    }

    // The images may follow the records a moment later (they never hold them up): wait for each.
    for (const hash of [stored.photo, ...stored.witnesses, stored.claimant]) {
      let bytes: Buffer | undefined
      await expect
        .poll(
          async () => {
            const res = await fetch(`${server.url}/api/attachments/${hash}`, { headers: { authorization: `Bearer ${stored.token}` } })
            if (res.status !== 200) return res.status
            bytes = Buffer.from(await res.arrayBuffer())
            return 200
          },
          { timeout: 30_000, interval: 500 },
        )
        .toBe(200)
      expect(sha(bytes!)).toBe(hash)
      expect(sha(bytes!)).toBe(stored.hashes[hash]!.computed)
      expect(bytes!.length).toBe(stored.hashes[hash]!.size)
    }
  })
})
