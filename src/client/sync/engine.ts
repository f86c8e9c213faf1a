import type { AppDB, OutboxEntry } from '../db/AppDB'
import { forgetRecords } from '../db/journal'
import { getClientId } from '../db/meta-repository'
import { rotateClientId } from '../db/identity-repository'
import {
  applyPullPage,
  applyPushResult,
  getPullCursor,
  readOutboxBatch,
  recordSyncSuccess,
} from '../db/sync-repository'
import { SYNC_MAX_PULL_LIMIT, SYNC_MAX_PUSH_BATCH, SYNC_MAX_PUSH_BYTES, type Mutation, type PushResponse } from '../../shared/sync'
import { SyncHttpError, type SyncTransport } from './transport'

/** Answers that mean this database's clientId or numbering can no longer be used with the server. */
const IDENTITY_ERRORS = new Set<SyncHttpError['code']>(['mutation_gap', 'mutation_conflict', 'client_taken'])

export type SyncOutcome =
  | { ok: true; pushed: number; rejected: number; pulled: number }
  | { ok: false; error: SyncHttpError; pushed: number }

export interface SyncOnceOptions {
  now?: () => Date
  /** @default SYNC_MAX_PUSH_BATCH */
  batchSize?: number
  /**
   * Largest push, in UTF-8 bytes of its mutations; a single larger mutation still goes, alone.
   * @default SYNC_MAX_PUSH_BYTES
   */
  batchBytes?: number
  /** @default SYNC_MAX_PULL_LIMIT */
  pageSize?: number
}

/** UTF-8 length of a string, without encoding it. */
function utf8Length(text: string): number {
  let bytes = text.length
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    // 2 bytes below U+0800, 3 above; a surrogate pair (2 units) is 4 bytes
    if (c >= 0x80) bytes += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2
  }
  return bytes
}

/** The mutation an outbox entry holds, as it is sent. */
const mutationOf = ({ recordId: _recordId, ...mutation }: OutboxEntry): Mutation => mutation

/** The first entries of `entries` whose mutations fit in `maxBytes` (always at least one). */
function fitBytes(entries: OutboxEntry[], maxBytes: number): OutboxEntry[] {
  let bytes = 0
  for (let i = 0; i < entries.length; i++) {
    bytes += utf8Length(JSON.stringify(mutationOf(entries[i]!))) + 1
    if (i > 0 && bytes > maxBytes) return entries.slice(0, i)
  }
  return entries
}

/**
 * One full round: push the whole outbox in batches, oldest first, then pull every page since
 * the cursor. Nothing leaves the outbox before the server has answered for it, so any failure
 * (no network, a 5xx, a crash of the tab) leaves the rest queued for the next round; a replay of
 * a batch whose answer was lost is recognised by the server and applied once.
 *
 * A backlog drains as a pipeline: as soon as the answer to a batch arrives, the next batch is sent,
 * and the answer is stored while that one is on its way. The server still gets the batches one
 * after another, in order (the next is sent only once the previous one is answered), and answers
 * are stored in order, each in its own transaction; a round that stops (a failed push, a crash)
 * has stored every answer it received, or the outbox still holds those entries and they are sent
 * again, which the server answers as duplicates.
 */
export async function syncOnce(db: AppDB, transport: SyncTransport, options: SyncOnceOptions = {}): Promise<SyncOutcome> {
  const now = options.now ?? (() => new Date())
  const batchSize = options.batchSize ?? SYNC_MAX_PUSH_BATCH
  const batchBytes = options.batchBytes ?? SYNC_MAX_PUSH_BYTES
  const pageSize = options.pageSize ?? SYNC_MAX_PULL_LIMIT
  let pushed = 0
  let rejected = 0
  let pulled = 0
  // the answers received so far, stored in order; awaited before the round ends, whatever happens
  let stored: Promise<void> = Promise.resolve()
  // Records the server holds now, whose second copy in the journal can go: removed once the
  // outbox is sent (or the round stops), so that Cache Storage does not slow the push down. A
  // copy left behind (the tab closed first) is dropped by the check at the next start
  // (identity-backup.ts, pruneJournal).
  const held: string[] = []
  const forgetHeld = () => void forgetRecords(held.splice(0)).catch(() => undefined)
  try {
    let clientId = await getClientId(db)
    let rotated = false
    /** The oldest waiting entries after mutation `after`, as many as fit in one push. */
    const read = async (after: number) => fitBytes(await readOutboxBatch(db, batchSize, after), batchBytes)
    /** A batch sent, with its answer to come; undefined when there is nothing to send. */
    const send = (batch: OutboxEntry[]) => {
      if (batch.length === 0) return undefined
      const answer = transport.push({ clientId, mutations: batch.map(mutationOf) })
      // a failure is awaited (and reported) by the turn of the loop that takes this answer
      answer.catch(() => undefined)
      return { batch, answer }
    }
    const store = (batch: OutboxEntry[], result: PushResponse) =>
      applyPushResult(db, batch, result, now().toISOString()).then((ids) => void held.push(...ids))

    let sending = send(await read(0))
    while (sending) {
      const { batch, answer } = sending
      let result: PushResponse
      try {
        result = await answer
      } catch (error) {
        await stored
        // The server cannot continue our numbering (copied profile, restored server): start a
        // new one, once per round, and push the same records again under it.
        if (!rotated && error instanceof SyncHttpError && IDENTITY_ERRORS.has(error.code)) {
          clientId = await rotateClientId(db)
          rotated = true
          sending = send(await read(0))
          continue
        }
        throw error
      }
      const settled = result.results.filter((r) => r.mutationId <= result.lastMutationId)
      pushed += settled.length
      rejected += settled.filter((r) => r.status === 'rejected').length
      // A server that acknowledged none of the batch would make this loop spin: stop and retry later.
      if (result.lastMutationId < batch[0]!.mutationId) {
        await stored
        await store(batch, result)
        throw new SyncHttpError(0, 'bad_response', 'the server acknowledged none of the batch')
      }
      // The next batch starts after what the server has answered for (entries beyond are sent
      // again); it is read and sent before this answer is stored, so that the two overlap.
      sending = send(await read(Math.min(result.lastMutationId, batch[batch.length - 1]!.mutationId)))
      await stored
      stored = store(batch, result)
      // awaited before the next answer is stored, and before the round ends
      stored.catch(() => undefined)
    }
    await stored
    forgetHeld()
    for (let page = 0; page < 10_000; page++) {
      const cursor = await getPullCursor(db)
      const response = await transport.pull({ clientId, cursor, limit: pageSize })
      await applyPullPage(db, response)
      pulled += response.records.length
      if (!response.hasMore) break
    }
    await recordSyncSuccess(db, now().toISOString())
    return { ok: true, pushed, rejected, pulled }
  } catch (error) {
    // an answer still being stored is stored before the round reports anything
    await stored.catch(() => undefined)
    forgetHeld()
    if (error instanceof SyncHttpError) return { ok: false, error, pushed }
    throw error
  }
}
