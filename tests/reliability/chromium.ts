import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { CHROMIUM_ARGS, chromiumPath } from '../e2e/browser'

/**
 * A Chromium we started ourselves on a persistent profile, so that it can be killed like a power
 * cut (SIGKILL: no shutdown, no flush beyond what IndexedDB already committed) and started again
 * on the same profile. Playwright attaches over CDP.
 */
export interface PersistentChromium {
  browser: Browser
  context: BrowserContext
  page: Page
  process: ChildProcess
  /** SIGKILL, then wait for the process to be gone. */
  kill(): Promise<void>
  /** A clean close (for the last round). */
  close(): Promise<void>
}

export async function startPersistentChromium(userDataDir: string, extraArgs: string[] = []): Promise<PersistentChromium> {
  // A killed Chromium leaves its port file and its profile lock behind.
  const portFile = join(userDataDir, 'DevToolsActivePort')
  rmSync(portFile, { force: true })
  for (const lock of ['SingletonLock', 'SingletonSocket', 'SingletonCookie']) rmSync(join(userDataDir, lock), { force: true })
  const child = spawn(
    await chromiumPath(),
    [...CHROMIUM_ARGS, '--headless=new', `--user-data-dir=${userDataDir}`, '--remote-debugging-port=0', '--window-size=1024,768', '--lang=zh-CN', ...extraArgs, 'about:blank'],
    // Its own process group: a power cut stops the browser and all its helper processes (renderer,
    // storage service…) at the same instant, so the kill below takes the whole group. Killing only
    // the browser process leaves its storage service writing to the profile while the next
    // Chromium opens it, which makes Chromium discard the IndexedDB store as corrupt.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  )
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)))
  const deadline = Date.now() + 30_000
  let port: string | undefined
  while (!port) {
    if (child.exitCode !== null) throw new Error(`chromium exited (${child.exitCode}): ${stderr}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`chromium did not open its debugging port: ${stderr}`)
    }
    if (existsSync(portFile)) port = readFileSync(portFile, 'utf8').split('\n')[0]?.trim() || undefined
    if (!port) await new Promise((r) => setTimeout(r, 50))
  }
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`)
  const context = browser.contexts()[0]!
  const page = context.pages()[0] ?? (await context.newPage())
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
  })
  return {
    browser,
    context,
    page,
    process: child,
    async kill() {
      killGroup(child, 'SIGKILL')
      await exited
      await groupGone(child)
    },
    async close() {
      await browser.close().catch(() => undefined)
      child.kill('SIGTERM')
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
      killGroup(child, 'SIGKILL')
      await groupGone(child)
    },
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal)
  } catch {
    // the group is gone already
  }
}

/** Waits (bounded) until no process of the group is left. */
async function groupGone(child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100 && child.pid; i++) {
    try {
      process.kill(-child.pid, 0)
    } catch {
      return
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** A small seeded generator (mulberry32), so that a failing run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** What the tablet's IndexedDB holds, read in the page with the raw API (after the app opened it). */
export function readLocalState(page: Page): Promise<{
  /** Call records only (the tablet also pulls the org-wide plans and contacts). */
  records: { id: string; request: string; syncState: string }[]
  drafts: { id: string; request: string }[]
  outbox: number
  /** The database's sync identity: a new one means the browser discarded the whole store. */
  clientId: string
}> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('steadyline')
      r.onsuccess = () => resolve(r.result)
      r.onerror = () => reject(r.error)
    })
    try {
      const tx = db.transaction(['records', 'drafts', 'outbox', 'meta'], 'readonly')
      const all = <T>(store: string) =>
        new Promise<T[]>((resolve, reject) => {
          const r = tx.objectStore(store).getAll()
          r.onsuccess = () => resolve(r.result as T[])
          r.onerror = () => reject(r.error)
        })
      const records = (await all<{ id: string; kind: string; syncState: string; data: { request?: string } }>('records')).filter(
        (r) => r.kind === 'callRecord',
      )
      const drafts = await all<{ id: string; values: { request?: string } }>('drafts')
      const outbox = await all<unknown>('outbox')
      const meta = await all<{ key: string; value: unknown }>('meta')
      return {
        clientId: String(meta.find((m) => m.key === 'clientId')?.value ?? ''),
        records: records.map((r) => ({ id: r.id, request: String(r.data.request ?? ''), syncState: r.syncState })),
        drafts: drafts.map((d) => ({ id: d.id, request: String(d.values.request ?? '') })),
        outbox: outbox.length,
      }
    } finally {
      db.close()
    }
  })
}
