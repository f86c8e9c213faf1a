// `npm run bench`: each figure measured side by side with its baseline in the same run, printed as
// a markdown table and written to bench-results.json. Runs after `npm run build` (size needs dist/).
import Database from 'better-sqlite3'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { gzipSync } from 'node:zlib'
import pg from 'pg'
import { newId } from '../../src/shared/ids'
import { EnrollResponseSchema, type Mutation } from '../../src/shared/sync'
import { launchBenchBrowser, startTablet } from './browser'
import { coldStart, startShell } from './cold-start'
import { drain, DRAIN_BENCHMARK, DRAIN_GOAL } from './drain'
import { fmt, type Row } from './report'
import { saveLatency } from './save-latency'
import { scale } from './scale'
import { callRecord, openPostgresTestStore, openSqliteTestStore, PG_URL, postgresReachable, type TestStore, buildTestApp, addPerson} from '../server/helpers'

const ROOT = resolve(import.meta.dirname, '../..')
const DIST = join(ROOT, 'dist')

const rows: Row[] = []

async function withApp<T>(t: TestStore, fn: (url: string, code: string) => Promise<T>): Promise<T> {
  const app = await buildTestApp({ store: t.store })
  await app.listen({ port: 0, host: '127.0.0.1' })
  try {
    return await fn(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, await t.store.getOrCreateEnrollmentCode())
  } finally {
    await app.close()
  }
}

async function enrollHttp(store: TestStore['store'], url: string, code: string, siteName: string) {
  const res = await fetch(`${url}/api/devices/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ siteName, enrollmentCode: code, deviceName: 'bench' }),
  })
  const device = EnrollResponseSchema.parse(await res.json())
  const person = await addPerson(store, device.siteId, { role: 'agent' })
  return { ...device, personId: person.id, personName: person.name, role: person.role }
}

async function pushHttp(url: string, token: string, clientId: string, mutations: Mutation[]) {
  const res = await fetch(`${url}/api/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ clientId, mutations }),
  })
  if (res.status !== 200) throw new Error(`push ${res.status}: ${await res.text()}`)
  await res.arrayBuffer()
}

const T0 = '2026-11-28T08:00:00.000+08:00'

/** Server ingest: mutations per second through push, against a bare batched insert into the same database. */
async function ingest(name: 'sqlite' | 'postgres') {
  const N = 10_000
  const BATCH = 200
  const t = name === 'sqlite' ? await openSqliteTestStore() : await openPostgresTestStore()
  try {
    const pushRate = await withApp(t, async (url, code) => {
      const device = await enrollHttp(t.store, url, code, `ingest ${newId()}`)
      const clientId = newId()
      const records = Array.from({ length: N }, (_, i) => callRecord(device, { data: { ...callRecord(device).data, request: `吞吐 ${i}` } }))
      const t0 = performance.now()
      for (let i = 0; i < N; i += BATCH) {
        await pushHttp(url, device.token, clientId, records.slice(i, i + BATCH).map((args, j) => ({ mutationId: i + j + 1, name: 'record.create', args, createdAt: T0 })))
      }
      return N / ((performance.now() - t0) / 1000)
    })
    // bare: the same rows, batched the same way, straight into a table of the same shape
    const sample = callRecord({ siteId: newId(), deviceId: newId(), deviceName: 'bench' } as never)
    let bareRate: number
    if (name === 'sqlite') {
      // the store's own connection (same file, same WAL + synchronous=FULL settings)
      const db = (t.store as unknown as { db: Database.Database }).db
      db.exec('CREATE TABLE IF NOT EXISTS bare_records (id TEXT PRIMARY KEY, kind TEXT, site_id TEXT, device_id TEXT, author TEXT, created_at TEXT, updated_at TEXT, data TEXT, server_seq INTEGER UNIQUE, received_at TEXT)')
      const insert = db.prepare('INSERT INTO bare_records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      const t0 = performance.now()
      for (let i = 0; i < N; i += BATCH) {
        db.transaction(() => {
          for (let j = i; j < i + BATCH; j++) {
            insert.run(newId(), 'callRecord', sample.siteId, sample.deviceId, 'bench', T0, T0, JSON.stringify({ ...sample.data, request: `裸 ${j}` }), j + 1, T0)
          }
        })()
      }
      bareRate = N / ((performance.now() - t0) / 1000)
    } else {
      const schema = String((await t.query('SELECT current_schema() AS s'))[0]?.s)
      const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` })
      await c.connect()
      await c.query('CREATE TABLE bare_records (id TEXT PRIMARY KEY, kind TEXT, site_id TEXT, device_id TEXT, author TEXT, created_at TEXT, updated_at TEXT, data JSONB, server_seq BIGINT UNIQUE, received_at TEXT)')
      const t0 = performance.now()
      for (let i = 0; i < N; i += BATCH) {
        const values: unknown[] = []
        const tuples: string[] = []
        for (let j = i; j < i + BATCH; j++) {
          const b = values.length
          tuples.push(`(${Array.from({ length: 10 }, (_, k) => `$${b + k + 1}`).join(',')})`)
          values.push(newId(), 'callRecord', sample.siteId, sample.deviceId, 'bench', T0, T0, JSON.stringify({ ...sample.data, request: `裸 ${j}` }), j + 1, T0)
        }
        await c.query('BEGIN')
        await c.query(`INSERT INTO bare_records VALUES ${tuples.join(',')}`, values)
        await c.query('COMMIT')
      }
      bareRate = N / ((performance.now() - t0) / 1000)
      await c.end()
    }
    const ratio = pushRate / bareRate
    rows.push({
      benchmark: `Server ingest, ${name === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (10,000 mutations, batches of 200)`,
      measured: `${fmt(pushRate)} mutations/s through POST /api/sync/push`,
      baseline: `${fmt(bareRate)} rows/s bare batched INSERT`,
      ratio: `${fmt(ratio, 2)}x of bare`,
      goal: '≥ 0.5x of bare',
      met: ratio >= 0.5 ? 'yes' : 'NO',
      raw: { pushRate, bareRate, ratio, n: N },
    })
  } finally {
    await t.cleanup()
  }
}

/** Size: initial JS and CSS (what index.html loads) gzipped, and the precache total. */
function size() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ missing: run npm run build first')
  const html = readFileSync(join(DIST, 'index.html'), 'utf8')
  const refs = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!)
  const gz = (file: string) => gzipSync(readFileSync(join(DIST, file))).length
  const js = refs.filter((f) => f.endsWith('.js')).reduce((n, f) => n + gz(f), 0)
  const css = refs.filter((f) => f.endsWith('.css')).reduce((n, f) => n + gz(f), 0)
  const sw = readFileSync(join(DIST, 'sw.js'), 'utf8')
  const precached = [...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!)
  const precache = precached.reduce((n, u) => n + (existsSync(join(DIST, u)) ? statSync(join(DIST, u)).size : 0), 0)
  const kb = (n: number) => `${fmt(n / 1024, 1)} KB`
  rows.push({
    benchmark: 'Size: initial JavaScript (gzip)',
    measured: kb(js),
    baseline: '150 KB budget',
    ratio: `${fmt(js / (150 * 1024), 2)}x of budget`,
    goal: '< 150 KB gzip',
    met: js < 150 * 1024 ? 'yes' : 'NO',
    raw: { jsGzipBytes: js, files: refs.join(' ') },
  })
  rows.push({
    benchmark: 'Size: initial CSS (gzip); precache total (raw)',
    measured: `${kb(css)}; precache ${kb(precache)} in ${precached.length} files`,
    baseline: '—',
    ratio: '—',
    goal: 'reported',
    met: 'yes',
    raw: { cssGzipBytes: css, precacheBytes: precache, precacheFiles: precached.length },
  })
}

/** An error's first line, for a cell of the table. */
const firstLine = (error: unknown) => (error instanceof Error ? error.message.split('\n')[0] : String(error))

function notMeasured(benchmark: string, goal: string, why: string) {
  rows.push({ benchmark, measured: `not measured: ${why}`, baseline: '—', ratio: '—', goal, met: 'not measured', raw: {} })
}

const SCALE = 'Scale: 100,000 local records, call list first page, phone-prefix search, incident archive filter'
const SCALE_GOAL = 'p95 < 50 ms each'

/** Cold start offline, save latency and scale, in one real Chromium (profile on disk), one enrolled tablet. */
async function browserBenchmarks() {
  try {
    const browser = await launchBenchBrowser()
    try {
      const tablet = await startTablet(browser.context)
      try {
        const shell = await startShell(browser.context)
        try {
          await browser.context.setOffline(true)
          // `npm run bench -- cold|save|scale`: one browser figure alone
          if (wantedInBrowser('cold')) rows.push(...(await coldStart(browser.context, tablet, shell)))
          if (wantedInBrowser('save')) rows.push(...(await saveLatency(browser.context, tablet)))
          // last: it fills the tablet's database with 100,000 records
          if (wantedInBrowser('scale')) {
            try {
              rows.push(...(await scale(browser.context, tablet)))
            } catch (error) {
              console.error(error)
              notMeasured(SCALE, SCALE_GOAL, `failed: ${firstLine(error)}`)
            }
          }
        } finally {
          await shell.stop()
        }
      } finally {
        await tablet.stop()
      }
    } finally {
      await browser.close()
    }
  } catch (error) {
    console.error(error)
    const why = `failed: ${firstLine(error)}`
    const missing = (part: string, name: string) => wantedInBrowser(part) && !rows.some((r) => r.benchmark.startsWith(name))
    if (missing('cold', 'Cold start')) notMeasured('Cold start offline (4x CPU throttling) vs empty Vue + PWA shell', '≤ 1.25x', why)
    if (missing('save', 'Save latency')) notMeasured('Save latency p50/p95 vs bare IndexedDB strict put', '≤ 1.5x', why)
    if (missing('scale', 'Scale')) notMeasured(SCALE, SCALE_GOAL, why)
  }
}

/**
 * `npm run bench -- drain`: only the parts named (drain, ingest, size, browser; or one browser
 * figure: cold, save, scale), printed but not written to bench-results.json.
 */
const ONLY = process.argv.slice(2)
const wanted = (part: string) => ONLY.length === 0 || ONLY.includes(part)
const BROWSER_PARTS = ['cold', 'save', 'scale']
const wantedInBrowser = (part: string) => wanted('browser') || ONLY.includes(part)

async function main() {
  const started = new Date().toISOString()
  if (wanted('drain')) {
    try {
      rows.push(...(await drain()))
    } catch (error) {
      // a drain that loses or doubles a mutation is a failure of the run, not a missing figure
      console.error(error)
      process.exitCode = 1
      rows.push({ benchmark: DRAIN_BENCHMARK, measured: `FAILED: ${firstLine(error)}`, baseline: '—', ratio: '—', goal: DRAIN_GOAL, met: 'NO', raw: {} })
    }
  }
  if (wanted('ingest')) {
    await ingest('sqlite')
    if (await postgresReachable()) await ingest('postgres')
    else notMeasured('Server ingest, PostgreSQL', '≥ 0.5x of bare', `PostgreSQL not reachable at ${PG_URL}`)
  }
  if (wanted('size')) size()
  if (BROWSER_PARTS.some(wantedInBrowser)) await browserBenchmarks()

  const table = [
    '| benchmark | measured | baseline (same run) | ratio | goal | met |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.benchmark} | ${r.measured} | ${r.baseline} | ${r.ratio} | ${r.goal} | ${r.met} |`),
  ].join('\n')
  console.info(table)
  if (ONLY.length > 0) {
    console.info(JSON.stringify(rows.map((r) => r.raw), null, 2))
    return
  }
  writeFileSync(
    join(ROOT, 'bench-results.json'),
    `${JSON.stringify({ started, finished: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`,
  )
  console.info('\nwritten to bench-results.json')
}

await main()
