import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

// Runs after `npm run build` (the test script builds before the e2e project).
const dist = resolve(import.meta.dirname, '../../dist')

function precachedUrls(): string[] {
  const sw = readFileSync(resolve(dist, 'sw.js'), 'utf8')
  return [...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!)
}

describe('build output', () => {
  it('precaches the app shell (index.html and every built asset) but not the service worker itself', () => {
    const urls = precachedUrls()
    expect(urls).toContain('index.html')
    expect(urls).toContain('manifest.webmanifest')
    expect(urls.some((u) => /^assets\/index-.*\.js$/.test(u))).toBe(true)
    expect(urls.some((u) => /^assets\/.*\.css$/.test(u))).toBe(true)
    expect(urls.filter((u) => /(^|\/)sw\.js$/.test(u))).toEqual([])
    for (const url of urls) expect(existsSync(resolve(dist, url)), url).toBe(true)
  })

  it('has an installable manifest: Chinese name, theme colour, 192, 512 and maskable icons', () => {
    const manifest = JSON.parse(readFileSync(resolve(dist, 'manifest.webmanifest'), 'utf8')) as {
      name: string
      lang: string
      theme_color: string
      display: string
      icons: { src: string; sizes: string; purpose?: string }[]
    }
    expect(manifest.name).toMatch(/[\u4e00-\u9fff]/)
    expect(manifest.lang).toBe('zh-CN')
    expect(manifest.display).toBe('standalone')
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i)
    const sizes = manifest.icons.map((i) => `${i.sizes}${i.purpose ? ` ${i.purpose}` : ''}`)
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512', '512x512 maskable']))
    for (const icon of manifest.icons) {
      const png = readFileSync(resolve(dist, icon.src))
      // PNG signature, then the IHDR width and height match the declared size
      expect(png.subarray(1, 4).toString()).toBe('PNG')
      expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(icon.sizes)
    }
  })

  it('links the manifest from index.html', () => {
    expect(readFileSync(resolve(dist, 'index.html'), 'utf8')).toContain('rel="manifest" href="/manifest.webmanifest"')
  })
})
