// Draws the app icons (a steady white line with one pulse on the brand blue) as PNG files,
// with no image library: run `node scripts/make-icons.mjs` after changing the design.
import { deflateSync } from 'node:zlib'
import { writeFileSync } from 'node:fs'

const BLUE = [15, 76, 129]
const WHITE = [255, 255, 255]

function crc32(buf) {
  let c, crc = 0xffffffff
  for (const byte of buf) {
    c = (crc ^ byte) & 0xff
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    crc = (crc >>> 8) ^ c
  }
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type), data])
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

/** The line: flat, one heartbeat-like pulse in the middle, flat again. y in 0..1 from the top. */
function lineY(x) {
  if (x < 0.38 || x > 0.62) return 0.55
  if (x < 0.44) return 0.55 - (x - 0.38) * 5
  if (x < 0.52) return 0.25 + (x - 0.44) * 7.5
  if (x < 0.58) return 0.85 - (x - 0.52) * 6
  return 0.49 + (x - 0.58) * 1.5
}

function icon(size, { maskable }) {
  const pad = maskable ? 0.2 : 0.12 // maskable icons keep their drawing in the safe zone
  const radius = maskable ? 0 : size * 0.18
  const thick = size * 0.045
  const raw = Buffer.alloc((size * 4 + 1) * size)
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0
    for (let x = 0; x < size; x++) {
      const o = y * (size * 4 + 1) + 1 + x * 4
      // rounded square background (transparent corners unless maskable)
      const cx = Math.max(radius - x, 0, x - (size - 1 - radius))
      const cy = Math.max(radius - y, 0, y - (size - 1 - radius))
      const inside = radius === 0 || cx * cx + cy * cy <= radius * radius
      let color = BLUE
      const u = (x - size * pad) / (size * (1 - 2 * pad))
      if (u >= 0 && u <= 1) {
        // distance to the polyline, sampled finely
        let best = Infinity
        for (let s = -0.02; s <= 0.02; s += 0.002) {
          const uu = Math.min(1, Math.max(0, u + s))
          const px = size * pad + uu * size * (1 - 2 * pad)
          const py = size * pad + lineY(uu) * size * (1 - 2 * pad)
          best = Math.min(best, Math.hypot(px - x, py - y))
        }
        if (best < thick) color = WHITE
      }
      raw[o] = color[0]; raw[o + 1] = color[1]; raw[o + 2] = color[2]; raw[o + 3] = inside ? 255 : 0
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

writeFileSync('public/pwa-192x192.png', icon(192, { maskable: false }))
writeFileSync('public/pwa-512x512.png', icon(512, { maskable: false }))
writeFileSync('public/maskable-512x512.png', icon(512, { maskable: true }))
writeFileSync('public/apple-touch-icon.png', icon(180, { maskable: true }))
writeFileSync(
  'public/favicon.svg',
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#0f4c81"/>` +
    `<polyline points="8,36 24,36 28,24 34,48 38,32 40,36 56,36" fill="none" stroke="#fff" stroke-width="4" stroke-linejoin="round" stroke-linecap="round"/></svg>\n`,
)
console.info('icons written to public/')
