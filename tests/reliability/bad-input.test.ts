// Suite 7, bad input and security at the API: property-based fuzzing of push and pull (malformed
// JSON, wrong types, huge strings, unknown kinds, other devices' ids, replayed and altered tokens).
// Never a 5xx; a 4xx always carries a clear JSON message and leaves the store exactly as it was; a
// 200 stores a record only when the record is valid for that device (the shared schema decides),
// and never touches another site's rows. Then the security checks: 401 without a token, no reading
// or writing another site's data, security headers (CSP among them) on every kind of response.
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../src/shared/ids'
import { parseRecord } from '../../src/shared/records'
import { ApiErrorSchema, PushResponseSchema } from '../../src/shared/sync'
import {
  callRecord,
  creates,
  enroll,
  post,
  pull,
  push,
  uniqueSiteName,
  type TestDevice,
  type TestStore,
  storeFactories,
  buildTestApp,
} from '../server/helpers'
import { SuiteReport } from './report'

const STORES = (await storeFactories()).map((f) => ({ ...f, runs: f.name === 'sqlite' ? 400 : 60 }))
const DIST = resolve(import.meta.dirname, '../../dist')

/** Values that do not belong where they are put. */
const weird: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }),
  fc.constantFrom(
    'x'.repeat(100_000),
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    'a\u0000b',
    'lone \ud800 surrogate',
    '__proto__',
    'unknownKind',
    'record.delete',
    "'; DROP TABLE records; --",
    '2026-13-45T99:99:99Z',
    -1,
    0,
    2 ** 53,
    Number.MAX_SAFE_INTEGER,
  ),
)

const PATHS = [
  'clientId',
  'mutations',
  'mutations.0',
  'mutations.0.mutationId',
  'mutations.0.name',
  'mutations.0.args',
  'mutations.0.createdAt',
  'mutations.0.args.id',
  'mutations.0.args.kind',
  'mutations.0.args.siteId',
  'mutations.0.args.deviceId',
  'mutations.0.args.author',
  'mutations.0.args.createdAt',
  'mutations.0.args.updatedAt',
  'mutations.0.args.serverSeq',
  'mutations.0.args.data',
  'mutations.0.args.data.request',
  'mutations.0.args.data.callerPhone',
  'mutations.0.args.data.callerName',
  'mutations.0.args.data.calledAt',
  'mutations.0.args.data.callbackNeeded',
  'mutations.0.args.data.callbackNumber',
  'mutations.0.args.data.extra',
] as const

type Edit =
  | { op: 'set'; path: (typeof PATHS)[number]; value: unknown }
  | { op: 'delete'; path: (typeof PATHS)[number] }
  /** Another device's (or site's) real id in an id field. */
  | { op: 'foreign'; field: 'siteId' | 'deviceId' | 'clientId' }
  /** The same record id as a record already stored. */
  | { op: 'reuse-id' }

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('set' as const), path: fc.constantFrom(...PATHS), value: weird }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), path: fc.constantFrom(...PATHS) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('foreign' as const), field: fc.constantFrom('siteId' as const, 'deviceId' as const, 'clientId' as const) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'reuse-id' as const }) },
)

/** Text both databases can keep: no NUL, no lone surrogate (in keys or values, at any depth). */
function storable(value: unknown): boolean {
  const ok = (s: string) => !s.includes('\u0000') && !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)
  if (typeof value === 'string') return ok(value)
  if (Array.isArray(value)) return value.every(storable)
  if (value !== null && typeof value === 'object') return Object.entries(value).every(([k, v]) => ok(k) && storable(v))
  return true
}

function edit(target: Record<string, unknown>, path: string, fn: (parent: Record<string, unknown>, key: string) => void) {
  const keys = path.split('.')
  let node: unknown = target
  for (const key of keys.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return
    node = (node as Record<string, unknown>)[key]
  }
  if (node !== null && typeof node === 'object') fn(node as Record<string, unknown>, keys[keys.length - 1]!)
}

describe.each(STORES)('bad input at the API on $name', ({ name, skipReason, open, runs }) => {
  describe.skipIf(skipReason !== undefined)(skipReason ?? 'store reachable', () => {
    let t: TestStore
    let app: FastifyInstance
    let code: string
    let device: TestDevice
    let sibling: TestDevice
    let stranger: TestDevice
    let strangerClientId: string
    let storedId: string
    const report = new SuiteReport(`bad-input-${name}`)

    beforeAll(async () => {
      t = await open()
      app = await buildTestApp({ store: t.store, config: existsSync(resolve(DIST, 'index.html')) ? { staticDir: DIST } : {} })
      code = await t.store.getOrCreateEnrollmentCode()
      const site = uniqueSiteName('fuzz')
      device = await enroll(app, code, site, 'fuzzed')
      sibling = await enroll(app, code, site, 'sibling')
      stranger = await enroll(app, code, uniqueSiteName('stranger'), 'stranger')
      // the stranger's site has a record and a client of its own, which nothing must touch
      strangerClientId = newId()
      const first = callRecord(stranger)
      storedId = first.id
      expect((await push(app, stranger, strangerClientId, creates(1, [first]))).status).toBe(200)
    })

    afterAll(async () => {
      report.print()
      await app?.close()
      await t?.cleanup()
    })

    /** Everything the server keeps, minus the last-seen hint (it moves on any authenticated call). */
    async function snapshot(): Promise<string> {
      const tables = {
        sites: await t.query('SELECT * FROM sites ORDER BY id'),
        devices: await t.query('SELECT id, site_id, name, token_hash, revoked_at FROM devices ORDER BY id'),
        clients: await t.query('SELECT client_id, device_id, last_mutation_id FROM sync_clients ORDER BY client_id'),
        log: await t.query('SELECT client_id, mutation_id, args_hash, status, reason, server_seq FROM mutation_log ORDER BY client_id, mutation_id'),
        records: await t.query('SELECT id, site_id, device_id, data, server_seq FROM records ORDER BY id'),
        seq: await t.query('SELECT * FROM server_seq'),
      }
      return JSON.stringify(tables)
    }
    const recordsOf = async (siteId: string) => JSON.stringify(await t.query(`SELECT * FROM records WHERE site_id = '${siteId}' ORDER BY id`))

    function expectClear4xx(res: { statusCode: number; body: string }) {
      expect(res.statusCode, res.body.slice(0, 300)).toBeGreaterThanOrEqual(400)
      expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500)
      const body = ApiErrorSchema.parse(JSON.parse(res.body))
      expect(body.message.length).toBeGreaterThan(3)
      expect(body.message).not.toMatch(/at .*\.ts:\d+|node_modules|SQLITE_|syntax error at/) // no stack, no SQL
      report.find(`4xx ${res.statusCode} ${body.code}`)
    }

    it(`push: ${runs} fuzzed batches, never a 5xx, never a wrong write`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(editArb, { minLength: 1, maxLength: 3 }), fc.boolean(), async (edits, twoMutations) => {
          report.try('fuzzed push')
          const clientId = newId()
          const records = twoMutations ? [callRecord(device), callRecord(device)] : [callRecord(device)]
          const body = { clientId, mutations: creates(1, records) } as unknown as Record<string, unknown>
          for (const e of edits) {
            report.try(`edit ${e.op}${'path' in e ? ` ${e.path}` : 'field' in e ? ` ${e.field}` : ''}`)
            if (e.op === 'set') edit(body, e.path, (p, k) => (p[k] = e.value))
            else if (e.op === 'delete') edit(body, e.path, (p, k) => delete p[k])
            else if (e.op === 'reuse-id') edit(body, 'mutations.0.args.id', (p, k) => (p[k] = storedId))
            else if (e.field === 'clientId') body.clientId = strangerClientId
            else edit(body, `mutations.0.args.${e.field}`, (p, k) => (p[k] = e.field === 'siteId' ? stranger.siteId : sibling.deviceId))
          }
          const before = await snapshot()
          const strangerBefore = await recordsOf(stranger.siteId)
          const payload = JSON.stringify(body)
          const res = await app.inject({
            method: 'POST',
            url: '/api/sync/push',
            headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/json' },
            payload,
          })
          expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500)
          expect(await recordsOf(stranger.siteId)).toBe(strangerBefore)
          if (res.statusCode !== 200) {
            expectClear4xx(res)
            expect(await snapshot(), 'a refused push changes nothing').toBe(before)
            return
          }
          // Accepted only what the shared schema accepts for this device; everything else rejected with a reason.
          const answer = PushResponseSchema.parse(res.json())
          const sent = JSON.parse(payload) as { mutations: { mutationId: number; args: unknown }[] }
          for (const result of answer.results) {
            const m = sent.mutations.find((x) => x.mutationId === result.mutationId)!
            const parsed = parseRecord(m.args)
            const valid =
              parsed.success &&
              parsed.record.siteId === device.siteId &&
              parsed.record.deviceId === device.deviceId &&
              parsed.record.id !== storedId &&
              storable(parsed.record)
            if (result.status === 'accepted') {
              report.find('fuzzed mutation accepted (valid after the edit)')
              expect(valid, `accepted ${JSON.stringify(m.args).slice(0, 300)}`).toBe(true)
            } else {
              expect(result.status).toBe('rejected')
              expect(result.reason?.length ?? 0).toBeGreaterThan(3)
              report.find('fuzzed mutation rejected with a reason')
            }
          }
        }),
        { numRuns: runs, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
      )
    })

    it('push and pull: malformed bodies and arbitrary JSON get a clear 4xx and change nothing', async () => {
      const bodyArb = fc.oneof(
        fc.string().map((s) => ({ raw: s })),
        fc.jsonValue().map((v) => ({ raw: JSON.stringify(v) })),
        fc.constantFrom('{', '{"clientId":', '[]', 'null', '{"clientId":"x","mutations":[]}', '\u0000', '{"a":1}{"b":2}').map((raw) => ({ raw })),
      )
      await fc.assert(
        fc.asyncProperty(bodyArb, fc.constantFrom('/api/sync/push', '/api/sync/pull'), fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'), async ({ raw }, url, type) => {
          report.try(`malformed ${url}`)
          const before = await snapshot()
          const res = await app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${device.token}`, 'content-type': type }, payload: raw })
          if (res.statusCode === 200) {
            // only a pull whose body happens to be valid may succeed, and it changes nothing either
            expect(url).toBe('/api/sync/pull')
          } else {
            expectClear4xx(res)
          }
          expect(await snapshot()).toBe(before)
        }),
        { numRuns: Math.ceil(runs / 2) },
      )
      const huge = await app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ clientId: newId(), mutations: creates(1, [{ pad: 'x'.repeat(3 * 1024 * 1024) }]) }),
      })
      expect(huge.statusCode).toBe(413)
      expectClear4xx(huge)
    })

    it('pull: fuzzed cursors, limits and client ids never fail the server nor leak another site', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({ clientId: fc.oneof(fc.constant(newId()), fc.constant(strangerClientId), weird), cursor: fc.oneof(fc.nat(), weird), limit: fc.oneof(fc.integer({ min: 1, max: 500 }), weird) }),
          async (body) => {
            report.try('fuzzed pull')
            const before = await snapshot()
            const res = await post(app, '/api/sync/pull', device.token, body)
            expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500)
            if (res.statusCode === 200) {
              const records = (res.json() as { records: { siteId: string }[] }).records
              expect(records.every((r) => r.siteId === device.siteId)).toBe(true)
              // the first pull of a new client registers nothing: pulls never write
              expect(await snapshot()).toBe(before)
            } else {
              expectClear4xx(res)
              expect(await snapshot()).toBe(before)
            }
          },
        ),
        { numRuns: Math.ceil(runs / 2) },
      )
    })

    it('tokens: missing, malformed, altered, revoked or another device replaying a client id: 401/403, nothing changes', async () => {
      const headerArb = fc.oneof(
        fc.constant(undefined),
        fc.string().map((s) => s.replace(/[^\x20-\x7e]/g, '')),
        fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', `bearer ${device.token}x`, `Bearer ${device.token.slice(1)}`),
        fc.integer({ min: 0, max: 42 }).map((i) => `Bearer ${device.token.slice(0, i)}${device.token[i] === 'A' ? 'B' : 'A'}${device.token.slice(i + 1)}`),
      )
      await fc.assert(
        fc.asyncProperty(headerArb, fc.constantFrom('/api/sync/push', '/api/sync/pull'), async (authorization, url) => {
          report.try('bad token')
          const before = await snapshot()
          const res = await app.inject({
            method: 'POST',
            url,
            headers: authorization === undefined ? {} : { authorization },
            payload: url.endsWith('push') ? { clientId: newId(), mutations: creates(1, [callRecord(device)]) } : { clientId: newId(), cursor: 0 },
          })
          expect(res.statusCode).toBe(401)
          expectClear4xx(res)
          expect(await snapshot()).toBe(before)
        }),
        { numRuns: Math.ceil(runs / 4) },
      )

      // a device of another site replays the stranger's client id: refused for push and pull
      const before = await snapshot()
      const taken = await push(app, device, strangerClientId, creates(2, [callRecord(device)]))
      expect(taken.status).toBe(403)
      expect(taken.body).toMatchObject({ code: 'client_taken' })
      expect((await pull(app, device, strangerClientId, 0)).status).toBe(403)
      expect(await snapshot()).toBe(before)

      // a revoked device's token, replayed, is refused like an unknown one
      const revoked = await enroll(app, code, uniqueSiteName('revoked'), 'revoked')
      await t.exec(`UPDATE devices SET revoked_at = '2026-11-28T09:00:00Z' WHERE id = '${revoked.deviceId}'`)
      const after = await snapshot()
      expect((await push(app, revoked, newId(), creates(1, [callRecord(revoked)]))).status).toBe(401)
      expect((await pull(app, revoked, newId(), 0)).status).toBe(401)
      expect(await snapshot()).toBe(after)
    })

    it("a device neither reads nor writes another site's data", async () => {
      const strangerRecords = await recordsOf(stranger.siteId)
      // read: a full pull of this device's site never brings the stranger's record
      const clientId = newId()
      const page = await pull(app, device, clientId, 0)
      expect(page.status).toBe(200)
      expect(page.body.records.every((r) => r.siteId === device.siteId)).toBe(true)
      expect(page.body.records.map((r) => r.id)).not.toContain(storedId)
      // write: a record claiming the stranger's site, device or an existing id of theirs is rejected
      const res = await push(app, device, clientId, creates(1, [
        callRecord(device, { siteId: stranger.siteId }),
        callRecord(device, { deviceId: stranger.deviceId }),
        callRecord(device, { siteId: stranger.siteId, deviceId: stranger.deviceId }),
        callRecord(device, { id: storedId }),
      ]))
      expect(res.status).toBe(200)
      expect(res.body.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected'])
      expect(await recordsOf(stranger.siteId)).toBe(strangerRecords)
      report.find('cross-site writes rejected', 4)
    })

    it('sets the security headers, CSP among them, on API answers, errors, 404s and the app', async () => {
      const responses = [
        await app.inject({ method: 'GET', url: '/healthz' }),
        await post(app, '/api/sync/pull', undefined, {}),
        await post(app, '/api/sync/pull', device.token, { clientId: newId(), cursor: 0 }),
        await app.inject({ method: 'GET', url: '/api/nope' }),
        await app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/json' }, payload: '{' }),
        ...(existsSync(resolve(DIST, 'index.html'))
          ? [await app.inject({ method: 'GET', url: '/' }), await app.inject({ method: 'GET', url: '/calls/new' }), await app.inject({ method: 'GET', url: '/sw.js' })]
          : []),
      ]
      for (const res of responses) {
        const csp = String(res.headers['content-security-policy'] ?? '')
        expect(csp).toContain("default-src 'self'")
        expect(csp).toContain("script-src 'self'")
        expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/)
        expect(csp).toContain("object-src 'none'")
        expect(csp).toContain("frame-ancestors 'none'")
        expect(res.headers['x-content-type-options']).toBe('nosniff')
        expect(res.headers['x-frame-options']).toBe('DENY')
        expect(res.headers['referrer-policy']).toBe('no-referrer')
        report.find('responses with the security headers')
      }
    })
  })
})
