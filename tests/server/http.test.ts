import type { FastifyInstance } from 'fastify'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../src/shared/ids'
import { ApiErrorSchema } from '../../src/shared/sync'
import type { Store } from '../../src/server/store/types'
import { callRecord, creates, enroll, openSqliteTestStore, post, type TestDevice, type TestStore, buildTestApp } from './helpers'

// HTTP behaviour that does not depend on the store: run once, on SQLite.

/** The store, with one method replaced by one that throws `error`. */
function failing(store: Store, method: keyof Store, error: Error): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === method) {
        return async () => {
          throw error
        }
      }
      const value: unknown = Reflect.get(target, prop, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

const SITE_FILES: Record<string, string> = {
  'index.html': '<!doctype html><title>Steadyline test shell</title>',
  'sw.js': 'self.addEventListener("fetch", () => {})',
  'registerSW.js': '/* register */',
  'manifest.webmanifest': '{"name":"Steadyline"}',
  'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'assets/index-abc123.js': 'console.log(1)',
}

let t: TestStore
let app: FastifyInstance
let siteDir: string
let device: TestDevice

beforeAll(async () => {
  t = await openSqliteTestStore()
  siteDir = mkdtempSync(join(tmpdir(), 'steadyline-site-'))
  mkdirSync(join(siteDir, 'assets'))
  for (const [file, content] of Object.entries(SITE_FILES)) writeFileSync(join(siteDir, file), content)
  app = await buildTestApp({ store: t.store, config: { staticDir: siteDir } })
  device = await enroll(app, await t.store.getOrCreateEnrollmentCode(), 'http hall')
})

afterAll(async () => {
  await app?.close()
  await t?.cleanup()
  rmSync(siteDir, { recursive: true, force: true })
})

describe('request errors are JSON', () => {
  it('answers malformed JSON with 400 bad_request', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/devices/enroll',
      headers: { 'content-type': 'application/json' },
      payload: '{"siteName": "x",',
    })
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(ApiErrorSchema.parse(res.json())).toEqual({ code: 'bad_request', message: 'The request body is not valid JSON' })
  })

  it('answers a body that is not JSON at all with 415 and an error body', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/devices/enroll', headers: { 'content-type': 'application/xml' }, payload: '<x/>' })
    expect(res.statusCode).toBe(415)
    expect(ApiErrorSchema.parse(res.json()).code).toBe('bad_request')
  })

  it('answers a body over the limit with 413 payload_too_large (64 KiB in general, 2 MiB for push)', async () => {
    const enrollBig = await post(app, '/api/devices/enroll', undefined, { siteName: 'x'.repeat(70 * 1024) })
    expect(enrollBig.statusCode).toBe(413)
    expect(ApiErrorSchema.parse(enrollBig.json()).code).toBe('payload_too_large')

    const big = callRecord(device, { data: { ...callRecord(device).data, request: 'x'.repeat(3000) } })
    const mutations = creates(1, Array.from({ length: 200 }, () => ({ ...big, id: newId() })))
    // ~0.8 MiB: over the general limit, within push's
    const fits = await post(app, '/api/sync/push', device.token, { clientId: newId(), mutations })
    expect(fits.statusCode).toBe(200)
    const tooBig = await post(app, '/api/sync/push', device.token, {
      clientId: newId(),
      mutations: creates(1, [{ ...big, data: { ...big.data, request: 'x'.repeat(2.1 * 1024 * 1024) } }]),
    })
    expect(tooBig.statusCode).toBe(413)
    expect(tooBig.json()).toMatchObject({ code: 'payload_too_large' })
  })

  it('answers an unknown API route with 404 not_found, whatever the method', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const res = await app.inject({ method, url: '/api/nope' })
      expect(res.statusCode).toBe(404)
      expect(ApiErrorSchema.parse(res.json()).code).toBe('not_found')
    }
  })
})

describe('server faults', () => {
  it('hides the details of a 5xx and keeps them for the log', async () => {
    const lines: string[] = []
    const broken = await buildTestApp({
      store: failing(t.store, 'push', new Error('secret detail: password=hunter2 at db.internal')),
      logger: { level: 'error', stream: { write: (line: string) => lines.push(line) } },
    })
    try {
      const res = await post(broken, '/api/sync/push', device.token, { clientId: newId(), mutations: creates(1, [callRecord(device)]) })
      expect(res.statusCode).toBe(500)
      expect(res.json()).toEqual({ code: 'internal', message: 'Internal server error' })
      expect(res.body).not.toContain('secret')
      expect(lines.join('')).toContain('secret detail')
    } finally {
      await broken.close()
    }
  })

  it('answers 503 when the database is unreachable, so that clients retry', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
    const broken = await buildTestApp({ store: failing(failing(t.store, 'pull', down), 'ping', down) })
    try {
      const res = await post(broken, '/api/sync/pull', device.token, { clientId: newId(), cursor: 0 })
      expect(res.statusCode).toBe(503)
      expect(res.json()).toEqual({ code: 'internal', message: 'Internal server error' })
      const health = await broken.inject({ method: 'GET', url: '/healthz' })
      expect(health.statusCode).toBe(503)
      expect(health.body).not.toContain('ECONNREFUSED')
    } finally {
      await broken.close()
    }
  })
})

describe('security headers', () => {
  it('are on API answers, errors, pages and files', async () => {
    const responses = await Promise.all([
      app.inject({ method: 'GET', url: '/healthz' }),
      app.inject({ method: 'GET', url: '/api/nope' }),
      app.inject({ method: 'GET', url: '/' }),
      app.inject({ method: 'GET', url: '/assets/index-abc123.js' }),
    ])
    for (const res of responses) {
      const csp = String(res.headers['content-security-policy'])
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("connect-src 'self'")
      expect(csp).toContain("img-src 'self' data: blob:")
      expect(csp).toContain("worker-src 'self'")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['referrer-policy']).toBe('no-referrer')
    }
  })
})

describe('the built app', () => {
  it('caches hashed assets for a year and revalidates the shell files', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' })
    expect(asset.statusCode).toBe(200)
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    for (const url of ['/', '/index.html', '/sw.js', '/manifest.webmanifest', '/registerSW.js']) {
      const res = await app.inject({ method: 'GET', url })
      expect(res.statusCode, url).toBe(200)
      expect(res.headers['cache-control'], url).toBe('no-cache')
    }
    const api = await app.inject({ method: 'GET', url: '/healthz' })
    expect(api.headers['cache-control']).toBe('no-store')
  })

  it('answers app routes with index.html, and missing files with 404', async () => {
    const page = await app.inject({ method: 'GET', url: '/calls/draft/0190c2a4-1234?x=1' })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.body).toContain('Steadyline test shell')
    expect(page.headers['cache-control']).toBe('no-cache')

    for (const url of ['/assets/index-gone.js', '/missing.png']) {
      const res = await app.inject({ method: 'GET', url })
      expect(res.statusCode, url).toBe(404)
      expect(res.json()).toMatchObject({ code: 'not_found' })
    }
    const postPage = await app.inject({ method: 'POST', url: '/calls' })
    expect(postPage.statusCode).toBe(404)
  })

  it('serves only the API when there is no built app', async () => {
    const bare = await buildTestApp({ store: t.store, config: { staticDir: join(siteDir, 'nothing-here') } })
    try {
      const res = await bare.inject({ method: 'GET', url: '/' })
      expect(res.statusCode).toBe(404)
      expect(res.json()).toMatchObject({ code: 'not_found' })
      expect((await bare.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
    } finally {
      await bare.close()
    }
  })
})
