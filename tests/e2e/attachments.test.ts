// Attachments in a real Chromium against the real server (SQLite, files under the data dir): the
// photo really decoded, downscaled and encoded by the browser's canvas, a signature drawn and
// encoded as PNG, both kept in Chromium's IndexedDB, uploaded by the client's upload round over
// HTTP, and read back from the server byte for byte. The client code runs as it is, bundled from
// src/ (tests/e2e/fixtures/attachments-entry.ts): no app screen is needed to reach it.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from 'vite'
import type { Browser, Page } from 'playwright-core'
import { ensureSite, launchBrowser } from './browser'
import { ROOT, startServer, type RunningServer } from './server'
import { EnrollResponseSchema } from '../../src/shared/sync'
import { MAX_ATTACHMENT_BYTES } from '../../src/shared/attachments'

type Bundle = typeof import('./fixtures/attachments-entry')
declare global {
  interface Window {
    SteadylineAttachments: Bundle
  }
}

let server: RunningServer
let browser: Browser
let page: Page
let token: string

/** The entry, bundled for the browser (one IIFE), in memory. */
async function bundle(): Promise<string> {
  const result = await build({
    configFile: false,
    root: ROOT,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: join(ROOT, 'tests/e2e/fixtures/attachments-entry.ts'), formats: ['iife'], name: 'SteadylineAttachments', fileName: 'attachments' },
    },
  })
  const outputs = (Array.isArray(result) ? result : [result]) as { output: { type: string; code?: string }[] }[]
  const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk')
  if (!chunk?.code) throw new Error('the attachment bundle has no code')
  return chunk.code
}

beforeAll(async () => {
  const [code, started] = await Promise.all([bundle(), startServer()])
  server = started
  const siteName = '失物招领测试大厅'
  await ensureSite(server, siteName)
  const enrolled = await fetch(`${server.url}/api/devices/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ siteName, enrollmentCode: server.enrollmentCode, deviceName: '前台平板' }),
  })
  token = EnrollResponseSchema.parse(await enrolled.json()).token
  browser = await launchBrowser()
  // The server's CSP allows no inline script; the bundle is test code injected into the page.
  const context = await browser.newContext({ bypassCSP: true, baseURL: server.url })
  page = await context.newPage()
  await page.goto('/healthz')
  await page.addScriptTag({ content: code })
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

describe('attachments in a real browser', () => {
  it('downscales a camera-sized photo to a JPEG under 1 MiB, 1600 px at most, in its proportions', async () => {
    const result = await page.evaluate(async () => {
      const { downscalePhoto } = window.SteadylineAttachments
      // 3200 × 2400 of coarse noise (2 × 2 px grains, so that the halving does not average it
      // away): the hardest case for JPEG, so the quality (and maybe the size) must come down
      const grains = new OffscreenCanvas(1600, 1200)
      const pixels = grains.getContext('2d')!.createImageData(1600, 1200)
      let seed = 42
      for (let i = 0; i < pixels.data.length; i++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
        pixels.data[i] = i % 4 === 3 ? 255 : seed >>> 24
      }
      grains.getContext('2d')!.putImageData(pixels, 0, 0)
      const source = new OffscreenCanvas(3200, 2400)
      const context = source.getContext('2d')!
      context.imageSmoothingEnabled = false
      context.drawImage(grains, 0, 0, 3200, 2400)
      const png = await source.convertToBlob({ type: 'image/png' })
      const photo = await downscalePhoto(png)
      const decoded = await createImageBitmap(photo)
      const head = [...new Uint8Array(await photo.slice(0, 3).arrayBuffer())]
      // what the first step alone (1600 px at quality 0.82) would weigh: more than allowed
      const first = new OffscreenCanvas(1600, 1200)
      const firstContext = first.getContext('2d')!
      firstContext.imageSmoothingQuality = 'high'
      firstContext.drawImage(source, 0, 0, 1600, 1200)
      const firstBytes = (await first.convertToBlob({ type: 'image/jpeg', quality: 0.82 })).size
      return { inputBytes: png.size, firstBytes, type: photo.type, size: photo.size, width: decoded.width, height: decoded.height, head }
    })
    expect(result.inputBytes).toBeGreaterThan(MAX_ATTACHMENT_BYTES)
    expect(result.firstBytes).toBeGreaterThan(MAX_ATTACHMENT_BYTES) // so the quality had to come down
    expect(result.type).toBe('image/jpeg')
    expect(result.head).toEqual([0xff, 0xd8, 0xff])
    expect(result.size).toBeLessThanOrEqual(MAX_ATTACHMENT_BYTES)
    expect(Math.max(result.width, result.height)).toBeLessThanOrEqual(1600)
    expect(result.width / result.height).toBeCloseTo(4 / 3, 1)
  })

  it('keeps a photo and a signature in IndexedDB, uploads them once each, and the server has them byte for byte', async () => {
    const fromPage = await page.evaluate(async (token) => {
      const lib = window.SteadylineAttachments
      const photoCanvas = new OffscreenCanvas(2400, 1800)
      const pc = photoCanvas.getContext('2d')!
      const gradient = pc.createLinearGradient(0, 0, 2400, 1800)
      gradient.addColorStop(0, '#c33')
      gradient.addColorStop(1, '#33c')
      pc.fillStyle = gradient
      pc.fillRect(0, 0, 2400, 1800)
      pc.fillStyle = '#fff'
      pc.font = '200px sans-serif'
      pc.fillText('钱包 wallet', 200, 900)
      const photo = await lib.downscalePhoto(await photoCanvas.convertToBlob({ type: 'image/png' }))

      const pad = document.createElement('canvas')
      pad.width = 600
      pad.height = 200
      const sc = pad.getContext('2d')!
      sc.lineWidth = 3
      sc.beginPath()
      sc.moveTo(20, 150)
      sc.bezierCurveTo(120, 20, 220, 180, 580, 40)
      sc.stroke()
      const signature = await lib.canvasToPngBlob(pad)

      const db = new lib.AppDB(`e2e-attachments-${Date.now()}`)
      const photoRef = await lib.putAttachment(db, photo)
      const signatureRef = await lib.putAttachment(db, signature)
      await lib.putAttachment(db, signature) // twice: still one
      const before = await lib.attachmentStats(db)
      const stored = await lib.getAttachmentBlob(db, photoRef.sha256)
      const transport = lib.createHttpTransport({ getToken: async () => token })
      const round = await lib.uploadPendingAttachments(db, transport)
      const again = await lib.uploadPendingAttachments(db, transport)
      const after = await lib.attachmentStats(db)
      const fromServer = await transport.getAttachment(signatureRef.sha256)
      const base64 = async (blob: Blob) => {
        const bytes = new Uint8Array(await blob.arrayBuffer())
        let text = ''
        for (const b of bytes) text += String.fromCharCode(b)
        return btoa(text)
      }
      return {
        photoRef,
        signatureRef,
        before,
        after,
        round,
        again,
        storedSameSize: stored?.size === photo.size && stored?.type === 'image/jpeg',
        photo: await base64(photo),
        signature: await base64(signature),
        signatureFromServer: await base64(fromServer),
      }
    }, token)

    const photo = Buffer.from(fromPage.photo, 'base64')
    const signature = Buffer.from(fromPage.signature, 'base64')
    expect(fromPage.photoRef).toEqual({ sha256: sha(photo), type: 'image/jpeg', size: photo.length })
    expect(fromPage.signatureRef).toEqual({ sha256: sha(signature), type: 'image/png', size: signature.length })
    expect(fromPage.storedSameSize).toBe(true)
    expect(fromPage.before).toEqual({ count: 2, bytes: photo.length + signature.length, pending: 2 })
    expect(fromPage.round).toEqual({ ok: true, uploaded: 2, failed: 0 })
    expect(fromPage.again).toEqual({ ok: true, uploaded: 0, failed: 0 })
    expect(fromPage.after).toMatchObject({ count: 2, pending: 0 })
    expect(Buffer.from(fromPage.signatureFromServer, 'base64').equals(signature)).toBe(true)

    for (const [bytes, type] of [
      [photo, 'image/jpeg'],
      [signature, 'image/png'],
    ] as const) {
      const hash = sha(bytes)
      const res = await fetch(`${server.url}/api/attachments/${hash}`, { headers: { authorization: `Bearer ${token}` } })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe(type)
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true)
      // SQLite keeps the bytes as files under the data dir
      expect(readFileSync(join(server.dataDir, 'attachments', hash.slice(0, 2), hash)).equals(bytes)).toBe(true)
    }
  })
})
