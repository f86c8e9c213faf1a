import type { Draft } from './AppDB'
import type { RecordEnvelope } from '../../shared/records'

/**
 * A second copy of what has not reached the server yet, kept in Cache Storage, a different
 * storage backend than IndexedDB. Chromium discards an IndexedDB store it finds corrupt — a power
 * cut in the middle of a write can cause that — and this copy lets the app put the unsynced
 * records and the open drafts back. Written alongside the IndexedDB write it mirrors, and a save is
 * confirmed only when both are done, so whatever the app has confirmed is here too; removed once
 * the server has the record or the draft is gone.
 */
const JOURNAL_CACHE = 'steadyline-journal'
const RECORD_PREFIX = '/__journal/record/'
const DRAFT_PREFIX = '/__journal/draft/'

/** Cache Storage exists in secure contexts (https, localhost); elsewhere there is no journal. */
function available(): boolean {
  return typeof caches !== 'undefined'
}

let opened: Promise<Cache> | undefined
/** The journal's cache, opened once per page: opening it again on every keystroke cost more than the write. */
function journal(): Promise<Cache> {
  opened ??= caches.open(JOURNAL_CACHE).catch((error: unknown) => {
    opened = undefined
    throw error
  })
  return opened
}

async function put(path: string, value: unknown): Promise<void> {
  if (!available()) return
  const cache = await journal()
  await cache.put(path, new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json' } }))
}

async function remove(paths: string[]): Promise<void> {
  if (!available() || paths.length === 0) return
  const cache = await journal()
  await Promise.all(paths.map((p) => cache.delete(p)))
}

async function list<T>(prefix: string): Promise<T[]> {
  if (!available()) return []
  const cache = await journal()
  const keys = (await cache.keys()).filter((request) => new URL(request.url).pathname.startsWith(prefix))
  const values: (T | undefined)[] = await Promise.all(
    keys.map(async (request) => ((await cache.match(request))?.json() as Promise<T> | undefined)),
  )
  return values.filter((v): v is T => v !== undefined)
}

export const journalRecord = (record: RecordEnvelope) => put(`${RECORD_PREFIX}${record.id}`, record)
export const journalDraft = (draft: Draft) => put(`${DRAFT_PREFIX}${draft.id}`, draft)
export const forgetRecords = (ids: string[]) => remove(ids.map((id) => `${RECORD_PREFIX}${id}`))
export const forgetDraft = (id: string) => remove([`${DRAFT_PREFIX}${id}`])
export const journaledRecords = () => list<RecordEnvelope>(RECORD_PREFIX)
export const journaledDrafts = () => list<Draft>(DRAFT_PREFIX)
