// Drain: 10,000 mutations queued on a tablet while it was offline, sent to the server after it
// reconnects, in the real Chromium of the bench (profile on disk), against the real server
// (`npm start`'s: SQLite, real HTTP on 127.0.0.1), both sides in the same browser and run.
//
// Engine side: the real app page (enrolled, a person signed in, its home screen open) with N
// records queued in its outbox — written straight into its IndexedDB (records, outbox, mutation
// counter) and its Cache Storage journal while offline, as `createRecord` leaves them; setup, not
// measured. The page is then opened offline (the service worker serves it) and left until idle,
// the context goes online, and the app's own `online` listener starts the sync round. Timed in the
// page from the `online` event to the commit of the transaction that empties the outbox (and, apart,
// to the end of the round, pull included, and to the last journal copy removed). No app code is
// changed: a script installed before the app notes the event and the transactions.
//
// Baseline: what a Workbox background-sync queue does after reconnect: the real `Queue` of
// workbox-background-sync (its distributed build, as workbox-sw loads it) in a bench-only service
// worker of the same origin, holding N requests of one mutation each (POST /api/sync/push), and its
// own `replayRequests()`: for each entry, read and delete it from IndexedDB, then fetch it.
//
// Both sides are checked on the server, in its SQLite file: N records of their own (none missing,
// none twice), N mutations accepted for their clientId; and the tablet's outbox, pending records
// and journal are empty afterwards. Any shortfall fails the run.
import Database from 'better-sqlite3'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { localIndexOf } from '../../src/client/db/record-index'
import { SQLITE_FILE_NAME } from '../../src/server/config'
import { newId } from '../../src/shared/ids'
import type { RecordEnvelope } from '../../src/shared/records'
import { SYNC_MAX_PUSH_BATCH } from '../../src/shared/sync'
import { ROOT } from '../e2e/server'
import { launchBenchBrowser, startTablet, type BenchTablet } from './browser'
import { fmt, type Row } from './report'

const N = 10_000
const GOAL = 20
/** The table's row names both; run.ts names it the same when the run fails. */
export const DRAIN_BENCHMARK = `Drain: ${fmt(N)} mutations queued offline, sent after reconnect, vs a Workbox background-sync queue replaying them`
export const DRAIN_GOAL = `≥ ${GOAL}x faster`
const ENGINE_TAG = '排空'
const BASELINE_TAG = '重放'
const QUEUE_NAME = 'steadyline-drain-baseline'
const BENCH_SCOPE = '/__bench/'

interface DrainProbe {
  armed: boolean
  /** when the app last touched its storage (a transaction opened or ended, a Cache Storage call made or settled) */
  lastStorageAt: number
  /** its transactions and Cache Storage calls not yet ended */
  storageBusy: number
  lastSyncBefore: unknown
  onlineAt: number
  /** when the last deletion of a journal copy (db/journal.ts) settled */
  journalDeletedAt: number
  outboxEmptyAt: number
  roundDoneAt: number
  /** read-write transactions of the app's database while armed: opened, committed, stores */
  commits: { created: number; done: number; stores: string }[]
}

/**
 * Installed before any script of the drain page: notes the `online` event (before the app's own
 * listener sees it), and the commit of every read-write transaction of the app's database; after
 * each one that touched the outbox or the meta store, reads the outbox count and `lastSyncAt`.
 * No app code is changed.
 */
function installDrainProbe(): void {
  const probe: DrainProbe = { armed: false, lastStorageAt: 0, storageBusy: 0, lastSyncBefore: undefined, onlineAt: 0, journalDeletedAt: 0, outboxEmptyAt: 0, roundDoneAt: 0, commits: [] }
  ;(window as unknown as { __drain: DrainProbe }).__drain = probe
  performance.setResourceTimingBufferSize(100_000)
  const started = () => {
    probe.storageBusy++
    probe.lastStorageAt = performance.now()
  }
  const ended = () => {
    probe.storageBusy--
    probe.lastStorageAt = performance.now()
  }
  for (const method of ['match', 'matchAll', 'keys', 'put', 'delete'] as const) {
    const original = Cache.prototype[method] as (...args: unknown[]) => Promise<unknown>
    Object.defineProperty(Cache.prototype, method, {
      configurable: true,
      writable: true,
      value(this: Cache, ...args: unknown[]) {
        started()
        const journal = method === 'delete' && String(args[0] instanceof Request ? args[0].url : args[0]).includes('/__journal/record/')
        return original.apply(this, args).finally(() => {
          ended()
          if (journal && probe.armed) probe.journalDeletedAt = performance.now()
        })
      },
    })
  }
  window.addEventListener('online', () => {
    if (probe.armed && !probe.onlineAt) probe.onlineAt = performance.now()
  })
  const transaction = IDBDatabase.prototype.transaction
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const tx = transaction.apply(this, args)
    if (this.name !== 'steadyline') return tx
    started()
    tx.addEventListener('complete', ended)
    tx.addEventListener('abort', ended)
    if (args[1] !== 'readwrite' || !probe.armed) return tx
    const stores = typeof args[0] === 'string' ? [args[0]] : Array.from(args[0])
    const created = performance.now()
    tx.addEventListener('complete', () => {
      const done = performance.now()
      probe.commits.push({ created, done, stores: stores.join('+') })
      if (!stores.includes('outbox') && !stores.includes('meta')) return
      const check = transaction.call(this, ['outbox', 'meta'], 'readonly')
      const count = check.objectStore('outbox').count()
      const last = check.objectStore('meta').get('lastSyncAt')
      check.addEventListener('complete', () => {
        if (!probe.outboxEmptyAt && count.result === 0) probe.outboxEmptyAt = done
        const lastSyncAt = (last.result as { value?: unknown } | undefined)?.value
        if (probe.outboxEmptyAt && !probe.roundDoneAt && lastSyncAt !== probe.lastSyncBefore) probe.roundDoneAt = done
      })
    })
    return tx
  } as IDBDatabase['transaction']
}

interface TabletState {
  clientId: string
  token: string
  nextMutationId: number
  outbox: number
  template: RecordEnvelope & Record<string, unknown>
}

/** What the seeding needs from the app's database: its sync identity, its counter, a call record the app made. */
function readTabletState(page: Page): Promise<TabletState> {
  return page.evaluate(
    () =>
      new Promise<TabletState>((resolve, reject) => {
        const open = indexedDB.open('steadyline')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const tx = open.result.transaction(['meta', 'outbox', 'records'], 'readonly')
          const clientId = tx.objectStore('meta').get('clientId')
          const enrollment = tx.objectStore('meta').get('enrollment')
          const next = tx.objectStore('meta').get('nextMutationId')
          const outbox = tx.objectStore('outbox').count()
          const calls = tx.objectStore('records').index('[kind+createdAt]').getAll(IDBKeyRange.bound(['callRecord', ''], ['callRecord', '\uffff']), 1)
          tx.oncomplete = () => {
            open.result.close()
            resolve({
              clientId: (clientId.result as { value: string }).value,
              token: (enrollment.result as { value: { token: string } }).value.token,
              nextMutationId: Number((next.result as { value: number }).value),
              outbox: outbox.result,
              template: (calls.result as TabletState['template'][])[0]!,
            })
          }
          tx.onerror = () => reject(tx.error)
        }
      }),
  )
}

/** N call records as the tablet's signed-in person makes them, each tagged `${tag} i` in its request. */
function makeCalls(template: TabletState['template'], tag: string): RecordEnvelope[] {
  const { siteId, deviceId, author, personId, kind, data } = template
  const start = Date.now() - N * 1000
  return Array.from({ length: N }, (_, i) => {
    const at = new Date(start + i * 1000).toISOString()
    return { id: newId(), kind, siteId, deviceId, author, ...(personId ? { personId } : {}), createdAt: at, updatedAt: at, serverSeq: null, data: { ...data, request: `${tag} ${i}` } }
  })
}

/**
 * Queues the records as `createRecord` leaves them (db/records-repository.ts): each record stored
 * pending with its local index fields, its `record.create` mutation in the outbox, the counter moved
 * on, in one transaction; and the journal's second copy in Cache Storage (db/journal.ts).
 */
async function queueInOutbox(page: Page, records: RecordEnvelope[], firstMutationId: number): Promise<void> {
  const locals = records.map((r) => ({ ...r, syncState: 'pending', ...localIndexOf(r) }))
  const outbox = records.map((r, i) => ({ mutationId: firstMutationId + i, name: 'record.create', args: r, createdAt: r.createdAt, recordId: r.id }))
  await page.evaluate(
    ({ json, next }) =>
      new Promise<void>((resolve, reject) => {
        const { locals, outbox } = JSON.parse(json) as { locals: { id: string }[]; outbox: { args: { id: string } }[] }
        const open = indexedDB.open('steadyline')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const tx = open.result.transaction(['records', 'outbox', 'meta'], 'readwrite', { durability: 'strict' })
          for (const r of locals) tx.objectStore('records').add(r)
          for (const e of outbox) tx.objectStore('outbox').add(e)
          tx.objectStore('meta').put({ key: 'nextMutationId', value: next })
          tx.onerror = () => reject(tx.error)
          tx.oncomplete = async () => {
            open.result.close()
            try {
              const cache = await caches.open('steadyline-journal')
              for (let i = 0; i < outbox.length; i += 500) {
                await Promise.all(
                  outbox.slice(i, i + 500).map(({ args }) =>
                    cache.put(`/__journal/record/${args.id}`, new Response(JSON.stringify(args), { headers: { 'content-type': 'application/json' } })),
                  ),
                )
              }
              resolve()
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)))
            }
          }
        }
      }),
    { json: JSON.stringify({ locals, outbox }), next: firstMutationId + records.length },
  )
}

/** Resolves once the app page has left its storage alone (no transaction, no Cache Storage call) for `quietMs`. */
function storageIdle(page: Page, quietMs: number, timeout: number) {
  return page.waitForFunction(
    (quietMs) => {
      const probe = (window as unknown as { __drain: DrainProbe }).__drain
      return probe.storageBusy === 0 && performance.now() - probe.lastStorageAt > quietMs
    },
    quietMs,
    { timeout, polling: Math.min(250, quietMs / 5) },
  )
}

/** The engine's drain, measured in the app page. */
async function engineDrain(context: BrowserContext, tablet: BenchTablet) {
  const seeding = await context.newPage()
  let state: TabletState
  let seedMs: number
  try {
    await seeding.goto(`${tablet.url}/`)
    await seeding.getByTestId('call-row').first().waitFor()
    // the calls startTablet saved are on the server: the outbox is the drain's alone
    await seeding.locator('[data-testid=waiting-count]:text-is("0")').waitFor({ timeout: 60_000 })
    await context.setOffline(true)
    state = await readTabletState(seeding)
    if (state.outbox !== 0) throw new Error(`the tablet's outbox holds ${state.outbox} mutations before seeding`)
    const t0 = Date.now()
    await queueInOutbox(seeding, makeCalls(state.template, ENGINE_TAG), state.nextMutationId)
    seedMs = Date.now() - t0
  } finally {
    await seeding.close()
  }

  const page = await context.newPage()
  try {
    await page.addInitScript(installDrainProbe)
    // offline: the service worker serves the app, its first sync round fails, N are waiting
    await page.goto(`${tablet.url}/`)
    await page.locator(`[data-testid=waiting-count]:text-is("${N}")`).waitFor({ timeout: 60_000 })
    // then idle, as a tablet is that has been offline a while: its start-up work done (the
    // journal check reads every queued record back), its first sync round failed
    await storageIdle(page, 3000, 180_000)
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const probe = (window as unknown as { __drain: DrainProbe }).__drain
          const open = indexedDB.open('steadyline')
          open.onerror = () => reject(open.error)
          open.onsuccess = () => {
            const get = open.result.transaction('meta', 'readonly').objectStore('meta').get('lastSyncAt')
            get.onsuccess = () => {
              probe.lastSyncBefore = (get.result as { value?: unknown } | undefined)?.value
              probe.armed = true
              open.result.close()
              resolve()
            }
          }
        }),
    )
    await context.setOffline(false)
    const deadline = Date.now() + 300_000
    for (;;) {
      const { onlineAt, roundDoneAt } = await page.evaluate(() => {
        const { onlineAt, roundDoneAt } = (window as unknown as { __drain: DrainProbe }).__drain
        return { onlineAt, roundDoneAt }
      })
      if (onlineAt && roundDoneAt) break
      if (Date.now() > deadline) throw new Error('the drain did not finish within 5 minutes')
      if (!onlineAt && Date.now() > deadline - 290_000) throw new Error('the page saw no online event')
      await page.waitForTimeout(200)
    }
    // the journal's copies go in the background (client/sync/engine.ts): wait until they are all gone
    await storageIdle(page, 500, 120_000)
    const measured = await page.evaluate(() => {
      const probe = (window as unknown as { __drain: DrainProbe }).__drain
      const requests = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
        (e) => e.startTime >= probe.onlineAt && /\/api\/sync\/(push|pull)$/.test(new URL(e.name).pathname),
      )
      const sum = (list: { duration: number }[]) => list.reduce((n, e) => n + e.duration, 0)
      const upTo = (end: number) => ({
        pushes: requests.filter((e) => e.name.endsWith('/push') && e.responseEnd <= end),
        pulls: requests.filter((e) => e.name.endsWith('/pull') && e.responseEnd <= end),
        commits: probe.commits.filter((c) => c.created >= probe.onlineAt && c.done <= end),
      })
      const drain = upTo(probe.outboxEmptyAt)
      const round = upTo(probe.roundDoneAt)
      return {
        drainMs: probe.outboxEmptyAt - probe.onlineAt,
        roundMs: probe.roundDoneAt - probe.onlineAt,
        journalMs: probe.journalDeletedAt - probe.onlineAt,
        pushes: drain.pushes.length,
        pushHttpMs: sum(drain.pushes),
        drainCommits: drain.commits.length,
        drainCommitMs: drain.commits.reduce((n, c) => n + (c.done - c.created), 0),
        pulls: round.pulls.length,
        pullHttpMs: sum(round.pulls),
        roundCommits: round.commits.length,
      }
    })
    const after = await page.evaluate(async () => {
      const journal = (await (await caches.open('steadyline-journal')).keys()).filter((r) => new URL(r.url).pathname.startsWith('/__journal/record/'))
      return new Promise<{ outbox: number; issues: number; pending: number; journal: number }>((resolve, reject) => {
        const open = indexedDB.open('steadyline')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const tx = open.result.transaction(['outbox', 'syncIssues', 'records'], 'readonly')
          const outbox = tx.objectStore('outbox').count()
          const issues = tx.objectStore('syncIssues').count()
          const pending = tx.objectStore('records').index('syncState').count('pending')
          tx.oncomplete = () => {
            open.result.close()
            resolve({ outbox: outbox.result, issues: issues.result, pending: pending.result, journal: journal.length })
          }
        }
      })
    })
    if (after.outbox !== 0 || after.issues !== 0 || after.pending !== 0 || after.journal !== 0) {
      throw new Error(
        `after the drain the tablet still has ${after.outbox} in its outbox, ${after.issues} rejections, ${after.pending} records pending, ${after.journal} journal copies`,
      )
    }
    const server = serverCounts(tablet, ENGINE_TAG, state.clientId, state.nextMutationId)
    return { ...measured, seedMs, server, state }
  } finally {
    await page.close()
  }
}

/**
 * The bench's service worker: Workbox's own distributed builds (workbox-core, then
 * workbox-background-sync, as workbox-sw would load them), one Queue, and messages to fill it
 * (setup) and to replay it (measured). `forceSyncFallback`: the replay starts when told, not when
 * the browser fires a `sync` event; the `onSync` run at start-up does nothing for the same reason.
 */
function benchServiceWorker(): string {
  const build = (pkg: string, file: string) => readFileSync(join(ROOT, 'node_modules', pkg, 'build', file), 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/m, '')
  const glue = `
// the time spent in fetch (replayRequests calls the global one), to tell the network from IndexedDB
let fetchMs = 0
const fetchOriginal = self.fetch.bind(self)
self.fetch = async (...args) => {
  const t0 = performance.now()
  try {
    return await fetchOriginal(...args)
  } finally {
    fetchMs += performance.now() - t0
  }
}
const queue = new workbox.backgroundSync.Queue(${JSON.stringify(QUEUE_NAME)}, { forceSyncFallback: true, onSync: async () => undefined })
self.addEventListener('install', () => self.skipWaiting())
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()))
self.addEventListener('message', (event) => {
  const reply = (data) => event.source.postMessage(data)
  event.waitUntil((async () => {
    try {
      if (event.data.type === 'fill') {
        // one after another: the queue keeps the order requests were added in
        for (const body of event.data.bodies) {
          await queue.pushRequest({ request: new Request(event.data.url, { method: 'POST', headers: event.data.headers, body }) })
        }
        reply({ type: 'filled', size: await queue.size() })
      } else if (event.data.type === 'replay') {
        fetchMs = 0
        const t0 = performance.now()
        await queue.replayRequests()
        const ms = performance.now() - t0
        reply({ type: 'replayed', ms, fetchMs, size: await queue.size() })
      }
    } catch (error) {
      reply({ type: 'error', message: String(error && error.stack || error) })
    }
  })())
})
`
  return `${build('workbox-core', 'workbox-core.prod.js')}\n${build('workbox-background-sync', 'workbox-background-sync.prod.js')}\n${glue}`
}

/** Posts a message to the bench service worker and waits for its answer. */
function askWorker(page: Page, message: Record<string, unknown>) {
  return page.evaluate(
    (message) =>
      new Promise<{ type: string; ms?: number; fetchMs?: number; size?: number; message?: string }>((resolve) => {
        navigator.serviceWorker.addEventListener('message', (event: MessageEvent) => resolve(event.data as never), { once: true })
        navigator.serviceWorker.controller!.postMessage(message)
      }),
    message,
  )
}

/** The baseline: Workbox's background-sync queue replaying N one-mutation pushes. */
async function workboxReplay(context: BrowserContext, tablet: BenchTablet, token: string, template: TabletState['template']) {
  const page = await context.newPage()
  try {
    // registered from an app page, with a scope of its own: the app's worker is left alone, and
    // the bench's blank page under that scope is no app page (no sync of its own during the replay)
    await page.goto(`${tablet.url}/`)
    await page.evaluate(async (scope) => {
      const registration = await navigator.serviceWorker.register(`${scope}sw.js`, { scope })
      const worker = registration.installing ?? registration.waiting ?? registration.active
      if (!worker) throw new Error('the bench service worker did not install')
      await new Promise<void>((resolve, reject) => {
        const settled = () => {
          if (worker.state === 'activated') resolve()
          else if (worker.state === 'redundant') reject(new Error('the bench service worker failed to install'))
        }
        worker.addEventListener('statechange', settled)
        settled()
      })
    }, BENCH_SCOPE)
    await page.goto(`${tablet.url}${BENCH_SCOPE}page.html`)
    await page.waitForFunction((scope) => navigator.serviceWorker.controller?.scriptURL.endsWith(`${scope}sw.js`), BENCH_SCOPE)

    const clientId = newId()
    const records = makeCalls(template, BASELINE_TAG)
    const bodies = records.map((args, i) => JSON.stringify({ clientId, mutations: [{ mutationId: i + 1, name: 'record.create', args, createdAt: args.createdAt }] }))
    const t0 = Date.now()
    const filled = await askWorker(page, {
      type: 'fill',
      url: `${tablet.url}/api/sync/push`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      bodies,
    })
    if (filled.type !== 'filled' || filled.size !== N) throw new Error(`the Workbox queue holds ${filled.size ?? filled.message} requests`)
    const fillMs = Date.now() - t0
    const replayed = await askWorker(page, { type: 'replay' })
    if (replayed.type !== 'replayed' || replayed.size !== 0) throw new Error(`the Workbox replay failed: ${replayed.message ?? `${replayed.size} left`}`)
    const server = serverCounts(tablet, BASELINE_TAG, clientId, 1)
    return { replayMs: replayed.ms!, fetchMs: replayed.fetchMs!, fillMs, server }
  } finally {
    await page.close()
  }
}

/**
 * Read from the server's own SQLite file: the records tagged `${tag} i` (all N there, none twice),
 * and the mutations of `clientId` from `firstMutationId` on (N, all accepted). Throws otherwise.
 */
function serverCounts(tablet: BenchTablet, tag: string, clientId: string, firstMutationId: number) {
  const db = new Database(join(tablet.server.dataDir, SQLITE_FILE_NAME), { readonly: true, fileMustExist: true })
  try {
    const like = `${tag} %`
    const records = db
      .prepare("SELECT count(*) AS rows, count(DISTINCT json_extract(data, '$.request')) AS distinct_requests FROM records WHERE json_extract(data, '$.request') LIKE ?")
      .get(like) as { rows: number; distinct_requests: number }
    const mutations = db
      .prepare("SELECT count(*) AS rows, sum(status = 'accepted') AS accepted, min(mutation_id) AS first, max(mutation_id) AS last FROM mutation_log WHERE client_id = ? AND mutation_id >= ?")
      .get(clientId, firstMutationId) as { rows: number; accepted: number; first: number; last: number }
    const expectedLast = firstMutationId + N - 1
    if (records.rows !== N || records.distinct_requests !== N || mutations.rows !== N || mutations.accepted !== N || mutations.first !== firstMutationId || mutations.last !== expectedLast) {
      throw new Error(
        `the server holds ${records.rows} records tagged ${tag} (${records.distinct_requests} distinct) and ${mutations.rows} mutations ` +
          `(${mutations.accepted} accepted, ids ${mutations.first}..${mutations.last}) of client ${clientId}; expected ${N} each, ids ${firstMutationId}..${expectedLast}`,
      )
    }
    return { records: records.rows, distinct: records.distinct_requests, mutations: mutations.rows }
  } finally {
    db.close()
  }
}

const ms = (n: number) => `${fmt(n)} ms`

/**
 * Both sides in one fresh Chromium (profile on disk) and one fresh tablet, so no other benchmark's
 * data is in the way. The tablet's server serves a copy of dist/ with the bench's service worker
 * and a blank page under /__bench/. Playwright does not watch service workers' network in this
 * browser (it costs about a millisecond a request, and no tablet has DevTools attached): the
 * replay's 10,000 requests go as they would on a tablet; the app page's own are watched, as always.
 */
export async function drain(): Promise<Row[]> {
  const staticDir = mkdtempSync(join(tmpdir(), 'steadyline-bench-drain-'))
  cpSync(join(ROOT, 'dist'), staticDir, { recursive: true })
  mkdirSync(join(staticDir, BENCH_SCOPE))
  writeFileSync(join(staticDir, BENCH_SCOPE, 'sw.js'), benchServiceWorker())
  writeFileSync(join(staticDir, BENCH_SCOPE, 'page.html'), '<!doctype html><title>bench</title>\n')
  const watched = process.env.PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK
  process.env.PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK = '1'
  const browser = await launchBenchBrowser()
  try {
    const tablet = await startTablet(browser.context, { staticDir })
    try {
      const engine = await engineDrain(browser.context, tablet)
      const baseline = await workboxReplay(browser.context, tablet, engine.state.token, engine.state.template)
      const speedup = baseline.replayMs / engine.drainMs
      const speedupRound = baseline.replayMs / engine.roundMs
      return [
        {
          benchmark:
            `${DRAIN_BENCHMARK} ` +
            `(real Chromium, profile on disk; real IndexedDB; real HTTP to the SQLite server of \`npm start\`; both sides in the same browser, server and run, ` +
            `and checked on the server: ${fmt(N)} records each, none missing or doubled)`,
          measured:
            `${ms(engine.drainMs)}: the app page (enrolled, signed in, home screen open) goes online with ${fmt(N)} in its outbox and its own sync engine drains it, ` +
            `from the online event to the commit that empties the outbox; ${engine.pushes} pushes of up to ${fmt(SYNC_MAX_PUSH_BATCH)} mutations, each sent while the answer ` +
            `to the one before is being stored (summed: HTTP + server ${ms(engine.pushHttpMs)}, ${engine.drainCommits} read-write transactions ${ms(engine.drainCommitMs)}); ` +
            `the whole round, with the pull of the ${fmt(N)} records back (${engine.pulls} pages): ${ms(engine.roundMs)}; the journal's copies all removed at ${ms(engine.journalMs)}`,
          baseline:
            `${ms(baseline.replayMs)}: the real Workbox Queue (workbox-background-sync 7.4 distributed build) in a service worker of the same origin, ` +
            `replayRequests() over ${fmt(N)} stored one-mutation pushes: per entry an IndexedDB read and delete (Workbox's, relaxed durability; the app's are strict), ` +
            `then the fetch (${ms(baseline.fetchMs)} of it in fetch)`,
          ratio: `${fmt(speedup, 1)}x faster (${fmt(speedupRound, 1)}x counting the pull)`,
          goal: DRAIN_GOAL,
          met: speedup >= GOAL ? 'yes' : 'NO',
          raw: {
            n: N,
            batch: SYNC_MAX_PUSH_BATCH,
            engineMs: engine.drainMs,
            engineRoundMs: engine.roundMs,
            engineJournalMs: engine.journalMs,
            pushes: engine.pushes,
            pushHttpMs: engine.pushHttpMs,
            commits: engine.drainCommits,
            commitMs: engine.drainCommitMs,
            pulls: engine.pulls,
            pullHttpMs: engine.pullHttpMs,
            baselineMs: baseline.replayMs,
            baselineFetchMs: baseline.fetchMs,
            speedup,
            speedupWithPull: speedupRound,
            engineSeedMs: engine.seedMs,
            baselineFillMs: baseline.fillMs,
            serverRecordsEngine: engine.server.records,
            serverRecordsBaseline: baseline.server.records,
          },
        },
      ]
    } finally {
      await tablet.stop()
    }
  } finally {
    await browser.close()
    if (watched === undefined) delete process.env.PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK
    else process.env.PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK = watched
    rmSync(staticDir, { recursive: true, force: true })
  }
}
