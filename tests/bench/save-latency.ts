// Save latency: a field change in the call form (a real keystroke in its "request" box) to the
// strict-durability commit of the draft autosave, against a bare IndexedDB put with
// `durability: 'strict'` of the same object, interleaved in the same Chromium page.
//
// No app code is instrumented: a script installed before the app loads notes each keydown and
// input event, wraps IDBDatabase.prototype.transaction to note when each read-write transaction on
// the app's `drafts` store completes (with strict durability the data is flushed to disk by then),
// and wraps Cache.put to time the Cache Storage journal copy (db/journal.ts) that the app makes
// after the commit; the save is confirmed at the commit (drafts-repository.ts), so a sample ends
// there, and the journal copy is reported on its own (it must follow every keystroke). Between is
// everything the app does for a keystroke: Vue's input handler, the store's write chain, Dexie.
// The profile is on disk (browser.ts).
import type { BrowserContext, Page } from 'playwright-core'
import type { BenchTablet } from './browser'
import { fmt, summarize, type Row } from './report'

const SAMPLES = 60
const WARMUP = 5

interface Commit {
  /** when the app opened the transaction */
  created: number
  /** its `complete` event */
  done: number
  durability: string
}

interface SaveBench {
  keydowns: number[]
  inputs: number[]
  /** the journal's copy (db/journal.ts): caches.open('steadyline-journal') called, cache.put settled */
  journalStarts: number[]
  journalEnds: number[]
  commits: Commit[]
  waiters: (() => void)[]
}

/** Installed before any script of the page (see the header). */
function instrument(): void {
  const bench: SaveBench = { keydowns: [], inputs: [], journalStarts: [], journalEnds: [], commits: [], waiters: [] }
  ;(window as unknown as { __saveBench: SaveBench }).__saveBench = bench
  window.addEventListener('keydown', () => bench.keydowns.push(performance.now()), true)
  window.addEventListener('input', () => bench.inputs.push(performance.now()), true)
  const put = Cache.prototype.put
  Cache.prototype.put = function (this: Cache, ...args: Parameters<Cache['put']>) {
    const journaled = new URL(args[0] instanceof Request ? args[0].url : String(args[0]), location.href).pathname.startsWith('/__journal/')
    if (journaled) bench.journalStarts.push(performance.now())
    const done = put.apply(this, args)
    return journaled ? done.finally(() => bench.journalEnds.push(performance.now())) : done
  }
  const transaction = IDBDatabase.prototype.transaction
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const tx = transaction.apply(this, args)
    const stores = typeof args[0] === 'string' ? [args[0]] : Array.from(args[0])
    if (this.name === 'steadyline' && args[1] === 'readwrite' && stores.includes('drafts')) {
      const created = performance.now()
      tx.addEventListener('complete', () => {
        bench.commits.push({ created, done: performance.now(), durability: tx.durability })
        for (const wake of bench.waiters.splice(0)) wake()
      })
    }
    return tx
  } as IDBDatabase['transaction']
}

/** Waits for the app's `n`th draft commit (0-based), lets the page settle, and returns the sample. */
function appSample(page: Page, n: number) {
  return page.evaluate(async (n) => {
    const bench = (window as unknown as { __saveBench: SaveBench }).__saveBench
    while (bench.commits.length <= n) await new Promise<void>((resolve) => bench.waiters.push(resolve))
    const commit = bench.commits[n]!
    const last = (list: number[]) => list[list.length - 1] ?? Number.NaN
    // let the journal copy settle, the live queries that follow a write and Vue's update finish
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 30)))
    const key = last(bench.keydowns)
    const input = last(bench.inputs)
    const journalStart = last(bench.journalStarts)
    const journalEnd = last(bench.journalEnds)
    const confirmed = commit.done
    return {
      total: confirmed - key,
      /** the field's input event (the field change) to the save confirmed */
      fromInput: confirmed - input,
      /** keydown to input event: the browser's own handling */
      toInput: input - key,
      /** input event to the first write started: Vue's handler, the page, the store's write chain, Dexie */
      toWrite: commit.created - input,
      journal: journalEnd - journalStart,
      /** the input event to the journal's copy made (it follows the commit) */
      journaledAt: journalEnd - input,
      tx: commit.done - commit.created,
      durability: commit.durability,
      journaled: journalStart >= commit.done && journalEnd > journalStart,
      extra: bench.commits.length - n - 1,
    }
  }, n)
}

/** Reads the draft as the app stored it, then times a bare strict put of that object into a store of the same shape. */
export function bareSample(page: Page, draftId: string) {
  return page.evaluate(async (draftId) => {
    const open = (name: string, upgrade?: (db: IDBDatabase) => void) =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const request = upgrade ? indexedDB.open(name, 1) : indexedDB.open(name)
        if (upgrade) request.onupgradeneeded = () => upgrade(request.result)
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
    const cache = window as unknown as { __bare?: { app: IDBDatabase; bare: IDBDatabase } }
    cache.__bare ??= {
      app: await open('steadyline'),
      // what Dexie made for `drafts: 'id, [kind+updatedAt]'`
      bare: await open('bench-bare-drafts', (db) => db.createObjectStore('drafts', { keyPath: 'id' }).createIndex('[kind+updatedAt]', ['kind', 'updatedAt'])),
    }
    const { app, bare } = cache.__bare
    const draft = await new Promise<unknown>((resolve, reject) => {
      const request = app.transaction('drafts', 'readonly').objectStore('drafts').get(draftId)
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    const t0 = performance.now()
    const tx = bare.transaction('drafts', 'readwrite', { durability: 'strict' })
    tx.objectStore('drafts').put(draft)
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error)
    })
    const total = performance.now() - t0
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 30)))
    return { total, durability: tx.durability, request: String((draft as { values: { request?: string } }).values.request ?? '') }
  }, draftId)
}

/**
 * Diagnostics, not the measure: the bare put of the same object made from the input event of a
 * plain textarea added to the same page (no Vue, no Dexie), from the input event to `complete`.
 * After a keystroke Chromium hands IndexedDB's events to the page only once it painted the
 * keystroke, so this is the floor of any save timed from a keystroke; the baseline (a put made
 * from a script, no keystroke) does not wait for a paint.
 */
async function plainInputFloor(page: Page, draftId: string, samples: number): Promise<number[]> {
  await page.evaluate(async (draftId) => {
    const open = (name: string) =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name)
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
    const [app, bare] = [await open('steadyline'), await open('bench-bare-drafts')]
    const draft = await new Promise<{ values: Record<string, unknown> }>((resolve, reject) => {
      const request = app.transaction('drafts', 'readonly').objectStore('drafts').get(draftId)
      request.onsuccess = () => resolve(request.result as { values: Record<string, unknown> })
      request.onerror = () => reject(request.error)
    })
    const box = document.createElement('textarea')
    box.id = 'bench-plain-box'
    box.style.cssText = 'position:fixed;left:0;bottom:0;z-index:9999'
    document.body.append(box)
    const floor = { times: [] as number[], waiters: [] as (() => void)[] }
    ;(window as unknown as { __plainFloor: typeof floor }).__plainFloor = floor
    box.addEventListener('input', () => {
      const t0 = performance.now()
      const tx = bare.transaction('drafts', 'readwrite', { durability: 'strict' })
      tx.objectStore('drafts').put({ ...draft, values: { ...draft.values, request: box.value } })
      tx.oncomplete = () => {
        floor.times.push(performance.now() - t0)
        for (const wake of floor.waiters.splice(0)) wake()
      }
    })
  }, draftId)
  await page.locator('#bench-plain-box').click()
  for (let i = 0; i < samples; i++) {
    await page.keyboard.press(String.fromCharCode(97 + (i % 26)))
    // paced as the app's samples: the put's complete, a frame and 30 ms, a bare sample
    await page.evaluate(async (n) => {
      const floor = (window as unknown as { __plainFloor: { times: number[]; waiters: (() => void)[] } }).__plainFloor
      while (floor.times.length <= n) await new Promise<void>((resolve) => floor.waiters.push(resolve))
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 30)))
    }, i)
    await bareSample(page, draftId)
  }
  return page.evaluate(() => (window as unknown as { __plainFloor: { times: number[] } }).__plainFloor.times)
}

/** Opens a new call form (its draft stored under its own address) with the focus in its request box; gives the draft's id. */
export async function openCallDraft(page: Page, appUrl: string): Promise<string> {
  await page.goto(`${appUrl}/calls/new`)
  await page.waitForURL(/\/calls\/draft\//)
  const draftId = new URL(page.url()).pathname.split('/').pop()!
  await page.locator('textarea[name="request"]').click()
  await page.waitForTimeout(500)
  return draftId
}

export async function saveLatency(context: BrowserContext, tablet: BenchTablet): Promise<Row[]> {
  const page = await context.newPage()
  try {
    await page.addInitScript(instrument)
    const draftId = await openCallDraft(page, tablet.url)
    let next = await page.evaluate(() => (window as unknown as { __saveBench: SaveBench }).__saveBench.commits.length)

    const app: Awaited<ReturnType<typeof appSample>>[] = []
    const bare: number[] = []
    let typed = ''
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const ch = String.fromCharCode(97 + (i % 26))
      await page.keyboard.press(ch)
      typed += ch
      const a = await appSample(page, next++)
      if (a.durability !== 'strict') throw new Error(`the draft was committed with durability ${a.durability}`)
      if (a.extra !== 0) throw new Error('more than one draft write for one keystroke')
      if (!a.journaled) throw new Error('the journal copy was not seen after the commit of the keystroke')
      const b = await bareSample(page, draftId)
      if (b.request !== typed) throw new Error(`the stored draft holds "${b.request}", typed "${typed}"`)
      if (i >= WARMUP) {
        app.push(a)
        bare.push(b.total)
      }
    }

    const floor = summarize((await plainInputFloor(page, draftId, WARMUP + SAMPLES)).slice(WARMUP))

    const total = summarize(app.map((s) => s.total))
    const part = (key: 'fromInput' | 'toInput' | 'toWrite' | 'journal' | 'journaledAt' | 'tx') => summarize(app.map((s) => s[key]))
    const [fromInput, toInput, toWrite, journal, journaledAt, tx] = [part('fromInput'), part('toInput'), part('toWrite'), part('journal'), part('journaledAt'), part('tx')]
    const base = summarize(bare)
    const ratio = fromInput.p50 / base.p50
    const ratio95 = fromInput.p95 / base.p95
    const ms = (n: number) => `${fmt(n, 1)} ms`
    return [
      {
        benchmark: `Save latency: a change in the call form's request box (its input event) to the save confirmed: the draft's strict commit, its journal copy following (${SAMPLES} samples each, no throttling, profile on disk)`,
        measured:
          `p50 ${ms(fromInput.p50)}, p95 ${ms(fromInput.p95)} (from the keydown: p50 ${ms(total.p50)}, p95 ${ms(total.p95)}); p50 parts: keydown → input ${ms(toInput.p50)}, ` +
          `→ Vue + store + Dexie ${ms(toWrite.p50)}, → IndexedDB strict transaction ${ms(tx.p50)} (p95 ${ms(tx.p95)}); then the Cache Storage journal copy ${ms(journal.p50)} (p95 ${ms(journal.p95)}), made p50 ${ms(journaledAt.p50)} after the input event`,
        baseline:
          `bare IndexedDB put, durability 'strict', same object: p50 ${ms(base.p50)}, p95 ${ms(base.p95)} ` +
          `(diagnostics: the same put made in the input event of a plain textarea on the page, no app code: p50 ${ms(floor.p50)}, p95 ${ms(floor.p95)})`,
        ratio: `${fmt(ratio, 2)}x at p50, ${fmt(ratio95, 2)}x at p95 (from the keydown: ${fmt(total.p50 / base.p50, 2)}x, ${fmt(total.p95 / base.p95, 2)}x)`,
        goal: '≤ 1.5x of the bare put',
        met: ratio <= 1.5 && ratio95 <= 1.5 ? 'yes' : 'NO',
        raw: {
          samples: SAMPLES,
          appP50: fromInput.p50,
          appP95: fromInput.p95,
          fromKeydownP50: total.p50,
          fromKeydownP95: total.p95,
          keydownToInputP50: toInput.p50,
          inputToWriteP50: toWrite.p50,
          journalP50: journal.p50,
          journalP95: journal.p95,
          journaledAtP50: journaledAt.p50,
          journaledAtP95: journaledAt.p95,
          transactionP50: tx.p50,
          transactionP95: tx.p95,
          bareP50: base.p50,
          bareP95: base.p95,
          plainInputPutP50: floor.p50,
          plainInputPutP95: floor.p95,
          ratioP50: ratio,
          ratioP95: ratio95,
        },
      },
    ]
  } finally {
    await page.close()
  }
}
