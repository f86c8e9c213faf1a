import { afterAll, beforeAll, beforeEach } from 'vitest'

/**
 * Cache Storage in memory, for the unit tests (happy-dom has none): what the journal
 * (src/client/db/journal.ts) uses, with the browser's behaviour where it matters — keys are
 * absolute URLs (a path is resolved against the page), `put` reads the whole body and refuses a
 * used one or a non-GET request, `match` gives a new Response each time, `open` gives the same
 * cache for the same name until `delete`. Only in tests.
 */
interface StoredResponse {
  body: ArrayBuffer
  status: number
  statusText: string
  headers: [string, string][]
}

const urlOf = (request: RequestInfo | URL): string =>
  new URL(request instanceof Request ? request.url : String(request), globalThis.location?.href ?? 'http://localhost/').href

class MemoryCache {
  readonly entries = new Map<string, StoredResponse>()

  async put(request: RequestInfo | URL, response: Response): Promise<void> {
    if (request instanceof Request && request.method !== 'GET') throw new TypeError('Cache.put: only GET requests')
    if (response.bodyUsed) throw new TypeError('Cache.put: the response body is already used')
    if (response.status === 206) throw new TypeError('Cache.put: partial responses are not cached')
    const url = urlOf(request)
    const stored: StoredResponse = {
      body: await response.arrayBuffer(),
      status: response.status,
      statusText: response.statusText,
      headers: [...response.headers.entries()],
    }
    this.entries.set(url, stored)
  }

  async match(request: RequestInfo | URL): Promise<Response | undefined> {
    const stored = this.entries.get(urlOf(request))
    return stored && new Response(stored.body.slice(0), { status: stored.status, statusText: stored.statusText, headers: stored.headers })
  }

  async delete(request: RequestInfo | URL): Promise<boolean> {
    return this.entries.delete(urlOf(request))
  }

  async keys(): Promise<readonly Request[]> {
    return [...this.entries.keys()].map((url) => new Request(url))
  }
}

export class MemoryCacheStorage {
  readonly caches = new Map<string, MemoryCache>()

  async open(name: string): Promise<MemoryCache> {
    let cache = this.caches.get(name)
    if (!cache) this.caches.set(name, (cache = new MemoryCache()))
    return cache
  }

  async has(name: string): Promise<boolean> {
    return this.caches.has(name)
  }

  async delete(name: string): Promise<boolean> {
    return this.caches.delete(name)
  }

  async keys(): Promise<string[]> {
    return [...this.caches.keys()]
  }

  async match(request: RequestInfo | URL): Promise<Response | undefined> {
    for (const cache of this.caches.values()) {
      const found = await cache.match(request)
      if (found) return found
    }
    return undefined
  }

  /** Empties every cache but keeps the Cache objects: the journal holds on to the one it opened. */
  clear(): void {
    for (const cache of this.caches.values()) cache.entries.clear()
  }
}

/**
 * Installs a MemoryCacheStorage as `caches` for this test file, emptied before each test, and
 * removed after the file. Returns it.
 */
export function useMemoryCaches(): MemoryCacheStorage {
  const storage = new MemoryCacheStorage()
  const global = globalThis as { caches?: unknown }
  beforeAll(() => {
    global.caches = storage
  })
  beforeEach(() => storage.clear())
  afterAll(() => {
    delete global.caches
  })
  return storage
}
