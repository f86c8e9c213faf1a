import type { Draft, LocalAttachment } from './AppDB'
import type { RecordEnvelope } from '../../shared/records'

/**
 * A second copy of what has not reached the server yet, kept in Cache Storage, a different
 * storage backend than IndexedDB. Chromium discards an IndexedDB store it finds corrupt — a power
 * cut in the middle of a write can cause that — and this copy lets the app put the unsynced
 * records, the open drafts and the photos and signatures not yet uploaded back. A record's or an
 * image's copy is written alongside the IndexedDB write it mirrors, and that save is confirmed only
 * when both are done; a draft's copy follows its strict commit (a keystroke is confirmed when
 * IndexedDB has it; drafts-repository.ts keeps the copies in order). Removed once the server has
 * the record or the image, or the draft is gone.
 */
const JOURNAL_CACHE = 'steadyline-journal'
const RECORD_PREFIX = '/__journal/record/'
const DRAFT_PREFIX = '/__journal/draft/'
/** An attachment's bytes as they are, under its SHA-256, with its type as the content type. */
const ATTACHMENT_PREFIX = '/__journal/attachment/'
/** When the image was taken: the upload order (oldest first) survives a restore. */
const CREATED_AT_HEADER = 'x-steadyline-created-at'

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

/**
 * What the journal holds: the ids of its records and drafts and the hashes of its images, from one
 * listing of its keys, without reading an entry (at every start, with a backlog of thousands).
 */
export async function journaledIds(): Promise<{ records: string[]; drafts: string[]; attachments: string[] }> {
  const paths = available() ? (await (await journal()).keys()).map((request) => new URL(request.url).pathname) : []
  const under = (prefix: string) => paths.filter((path) => path.startsWith(prefix)).map((path) => path.slice(prefix.length))
  return { records: under(RECORD_PREFIX), drafts: under(DRAFT_PREFIX), attachments: under(ATTACHMENT_PREFIX) }
}

/** An image as the journal keeps it (the bytes the IndexedDB row holds, and what restoring needs). */
export type JournaledAttachment = Pick<LocalAttachment, 'sha256' | 'type' | 'bytes' | 'createdAt'>

/** Only for an attachment the server does not have yet (a pending upload). */
export async function journalAttachment(attachment: JournaledAttachment): Promise<void> {
  if (!available()) return
  const cache = await journal()
  // the Response copies the bytes (Fetch: a BufferSource body is copied), the row keeps its own
  const headers = { 'content-type': attachment.type, [CREATED_AT_HEADER]: attachment.createdAt }
  await cache.put(`${ATTACHMENT_PREFIX}${attachment.sha256}`, new Response(attachment.bytes, { headers }))
}

export const forgetAttachments = (hashes: string[]) => remove(hashes.map((sha256) => `${ATTACHMENT_PREFIX}${sha256}`))

/** The hashes of the journaled images, without reading their bytes (each may weigh 1 MiB). */
export async function journaledAttachmentHashes(): Promise<string[]> {
  return (await journaledIds()).attachments
}

/** One journaled image with its bytes, as written (read one at a time, to restore it). */
export async function readJournaledAttachment(sha256: string): Promise<(Omit<JournaledAttachment, 'type'> & { type: string }) | undefined> {
  if (!available()) return undefined
  const response = await (await journal()).match(`${ATTACHMENT_PREFIX}${sha256}`)
  if (!response) return undefined
  return {
    sha256,
    type: response.headers.get('content-type') ?? '',
    createdAt: response.headers.get(CREATED_AT_HEADER) ?? new Date().toISOString(),
    bytes: await response.arrayBuffer(),
  }
}
