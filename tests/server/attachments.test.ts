// Attachments (photos and signatures) on the real server app against both stores: upload by
// content hash, idempotency, the refusals, reading back only from the uploading site; and the
// real client upload (Dexie over fake-indexeddb, the HTTP transport) through inject.
import 'fake-indexeddb/auto'
import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { expect, it } from 'vitest'
import { AppDB } from '../../src/client/db/AppDB'
import { attachmentStats, putAttachment } from '../../src/client/db/attachments-repository'
import { uploadPendingAttachments } from '../../src/client/sync/attachments-upload'
import { createHttpTransport } from '../../src/client/sync/transport'
import { ATTACHMENT_CACHE_CONTROL, MAX_ATTACHMENT_BYTES } from '../../src/shared/attachments'
import { newId } from '../../src/shared/ids'
import { ApiErrorSchema } from '../../src/shared/sync'
import { enroll, describeOnStores, storeFactories, uniqueSiteName, type TestDevice } from './helpers'

const STORES = await storeFactories()

const JPEG_MAGIC = [0xff, 0xd8, 0xff, 0xe0]
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** Random bytes that start like the type they claim to be (the server checks the magic number). */
function imageBytes(size: number, magic = JPEG_MAGIC): Buffer {
  const bytes = randomBytes(size)
  Buffer.from(magic).copy(bytes)
  return bytes
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

describeOnStores(STORES, 'attachments', (ctx, { name }) => {
  const newDevice = (siteName = uniqueSiteName()) => enroll(ctx.app, ctx.code, siteName)

  function put(device: TestDevice | undefined, hash: string, bytes: Buffer, type = 'image/jpeg') {
    return ctx.app.inject({
      method: 'PUT',
      url: `/api/attachments/${hash}`,
      headers: { 'content-type': type, ...(device ? { authorization: `Bearer ${device.token}` } : {}) },
      payload: bytes,
    })
  }

  function get(device: TestDevice | undefined, hash: string) {
    return ctx.app.inject({
      method: 'GET',
      url: `/api/attachments/${hash}`,
      headers: device ? { authorization: `Bearer ${device.token}` } : {},
    })
  }

  const errorOf = (res: { json(): unknown }) => ApiErrorSchema.parse(res.json())

  async function rowCounts(hash: string) {
    const [a] = await ctx.t.query(`SELECT COUNT(*) AS n FROM attachments WHERE sha256 = '${hash}'`)
    const [s] = await ctx.t.query(`SELECT COUNT(*) AS n FROM attachment_sites WHERE sha256 = '${hash}'`)
    return { stored: Number(a?.n), links: Number(s?.n) }
  }

  it('stores an upload and gives the bytes back byte for byte, with its type, for a year of caching', async () => {
    const device = await newDevice()
    const bytes = imageBytes(700 * 1024)
    const hash = sha(bytes)
    const created = await put(device, hash, bytes)
    expect(created.statusCode).toBe(201)
    expect(created.json()).toEqual({ sha256: hash, type: 'image/jpeg', size: bytes.length })

    const res = await get(device, hash)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('image/jpeg')
    expect(res.headers['cache-control']).toBe(ATTACHMENT_CACHE_CONTROL)
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.rawPayload.equals(bytes)).toBe(true)
  })

  it('is idempotent: the same upload twice is answered 200 the second time and stored once', async () => {
    const device = await newDevice()
    const bytes = imageBytes(2048, PNG_MAGIC)
    const hash = sha(bytes)
    expect((await put(device, hash, bytes, 'image/png')).statusCode).toBe(201)
    const again = await put(device, hash, bytes, 'image/png')
    expect(again.statusCode).toBe(200)
    expect(again.json()).toEqual({ sha256: hash, type: 'image/png', size: 2048 })
    expect(await rowCounts(hash)).toEqual({ stored: 1, links: 1 })
    if (name === 'sqlite') {
      // one file under <data dir>/attachments/<2 hex>/<sha256>, no temporary file left behind
      const [db] = await ctx.t.query("SELECT file FROM pragma_database_list WHERE name = 'main'")
      const folder = join(dirname(String(db?.file)), 'attachments', hash.slice(0, 2))
      expect(readdirSync(folder)).toEqual([hash])
      expect(readFileSync(join(folder, hash)).equals(bytes)).toBe(true)
    } else {
      const [row] = await ctx.t.query(`SELECT content FROM attachments WHERE sha256 = '${hash}'`)
      expect(Buffer.isBuffer(row?.content) && (row.content as Buffer).equals(bytes)).toBe(true)
    }
  })

  it('refuses bytes whose SHA-256 is not the one in the path (400), and stores nothing', async () => {
    const device = await newDevice()
    const bytes = imageBytes(1000)
    const wrong = sha(imageBytes(1000))
    const res = await put(device, wrong, bytes)
    expect(res.statusCode).toBe(400)
    expect(errorOf(res).code).toBe('bad_request')
    expect(errorOf(res).message).toContain(sha(bytes))
    expect(await rowCounts(wrong)).toEqual({ stored: 0, links: 0 })
    expect((await get(device, wrong)).statusCode).toBe(404)
    // a path that is no hash at all
    expect((await put(device, 'ABC', bytes)).statusCode).toBe(400)
    expect((await get(device, '../../steadyline.sqlite')).statusCode).toBe(404)
    expect((await get(device, 'a'.repeat(63))).statusCode).toBe(400)
  })

  it('refuses an attachment over MAX_ATTACHMENT_BYTES (413)', async () => {
    const device = await newDevice()
    const bytes = imageBytes(MAX_ATTACHMENT_BYTES + 1)
    const res = await put(device, sha(bytes), bytes)
    expect(res.statusCode).toBe(413)
    expect(errorOf(res).code).toBe('payload_too_large')
    // exactly the limit is fine
    const most = imageBytes(MAX_ATTACHMENT_BYTES)
    expect((await put(device, sha(most), most)).statusCode).toBe(201)
  })

  it('refuses other types (415) and bytes that are not the declared type (400)', async () => {
    const device = await newDevice()
    const bytes = imageBytes(1000)
    for (const type of ['image/gif', 'text/html', 'application/json', 'application/octet-stream']) {
      const res = await put(device, sha(bytes), bytes, type)
      expect(res.statusCode, type).toBe(415)
      expect(errorOf(res).message).toContain('image/jpeg')
    }
    const notPng = await put(device, sha(bytes), bytes, 'image/png')
    expect(notPng.statusCode).toBe(400)
    expect(errorOf(notPng).message).toContain('not a image/png')
    expect(await rowCounts(sha(bytes))).toEqual({ stored: 0, links: 0 })
  })

  it('answers 401 without a valid device token, to an upload and to a read', async () => {
    const device = await newDevice()
    const bytes = imageBytes(1000)
    const hash = sha(bytes)
    const anonymous = await put(undefined, hash, bytes)
    expect(anonymous.statusCode).toBe(401)
    expect(errorOf(anonymous).code).toBe('unauthorized')
    expect((await put({ ...device, token: 'x'.repeat(43) }, hash, bytes)).statusCode).toBe(401)
    expect(await rowCounts(hash)).toEqual({ stored: 0, links: 0 })
    expect((await put(device, hash, bytes)).statusCode).toBe(201)
    expect((await get(undefined, hash)).statusCode).toBe(401)
  })

  it('serves an attachment only to the sites that uploaded it (404 to the others)', async () => {
    const a = await newDevice()
    const sameSite = await enroll(ctx.app, ctx.code, a.siteName, 'second tablet')
    const b = await newDevice()
    const bytes = imageBytes(4096)
    const hash = sha(bytes)
    expect((await put(a, hash, bytes)).statusCode).toBe(201)
    expect((await get(sameSite, hash)).rawPayload.equals(bytes)).toBe(true)
    const refused = await get(b, hash)
    expect(refused.statusCode).toBe(404)
    expect(errorOf(refused).code).toBe('not_found')
    // the same answer as for a hash nobody uploaded: site B learns nothing
    expect(errorOf(await get(b, sha(imageBytes(10))))).toEqual(errorOf(refused))
  })

  it('stores the same bytes from two sites once, readable by each', async () => {
    const a = await newDevice()
    const b = await newDevice()
    const bytes = imageBytes(8192)
    const hash = sha(bytes)
    expect((await put(a, hash, bytes)).statusCode).toBe(201)
    expect((await put(b, hash, bytes)).statusCode).toBe(201) // new for site B
    expect((await put(b, hash, bytes)).statusCode).toBe(200)
    expect(await rowCounts(hash)).toEqual({ stored: 1, links: 2 })
    for (const device of [a, b]) {
      const res = await get(device, hash)
      expect(res.statusCode).toBe(200)
      expect(res.rawPayload.equals(bytes)).toBe(true)
    }
  })

  it('takes the real client upload: each pending attachment once, byte for byte, and back through the transport', async () => {
    const device = await newDevice()
    const seen: string[] = []
    const injectFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const body = init?.body instanceof Blob ? Buffer.from(await init.body.arrayBuffer()) : undefined
      const res = await ctx.app.inject({
        method: (init?.method ?? 'GET') as 'GET' | 'PUT',
        url: String(input),
        headers: init?.headers as Record<string, string>,
        ...(body ? { payload: body } : {}),
      })
      if (init?.method === 'PUT') seen.push(String(input).split('/').at(-1)!)
      return new Response(new Uint8Array(res.rawPayload), { status: res.statusCode, headers: { 'content-type': String(res.headers['content-type']) } })
    }) as typeof fetch
    const transport = createHttpTransport({ getToken: async () => device.token, fetch: injectFetch })
    const db = new AppDB(`tablet-${newId()}`)
    const photo = imageBytes(300 * 1024)
    const signature = imageBytes(12 * 1024, PNG_MAGIC)
    const photoRef = await putAttachment(db, new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }))
    const signatureRef = await putAttachment(db, new Blob([new Uint8Array(signature)], { type: 'image/png' }))
    expect(photoRef.sha256).toBe(sha(photo))

    expect(await uploadPendingAttachments(db, transport)).toEqual({ ok: true, uploaded: 2, failed: 0 })
    expect(await attachmentStats(db)).toMatchObject({ count: 2, pending: 0 })
    // a second round has nothing to send
    expect(await uploadPendingAttachments(db, transport)).toEqual({ ok: true, uploaded: 0, failed: 0 })
    expect(seen.sort()).toEqual([photoRef.sha256, signatureRef.sha256].sort())

    const back = await transport.getAttachment(signatureRef.sha256)
    expect(back.type).toBe('image/png')
    expect(Buffer.from(await back.arrayBuffer()).equals(signature)).toBe(true)
  })
})
