import type { AppDB } from '../db/AppDB'
import { getClientId } from '../db/meta-repository'
import { rotateClientId } from '../db/identity-repository'
import {
  applyPullPage,
  applyPushResult,
  getPullCursor,
  readOutboxBatch,
  recordSyncSuccess,
} from '../db/sync-repository'
import { SYNC_MAX_PULL_LIMIT, SYNC_MAX_PUSH_BATCH } from '../../shared/sync'
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
  /** @default SYNC_MAX_PULL_LIMIT */
  pageSize?: number
}

/**
 * One full round: push the whole outbox in batches, oldest first, then pull every page since
 * the cursor. Nothing leaves the outbox before the server has answered for it, so any failure
 * (no network, a 5xx, a crash of the tab) leaves the rest queued for the next round; a replay of
 * a batch whose answer was lost is recognised by the server and applied once.
 */
export async function syncOnce(db: AppDB, transport: SyncTransport, options: SyncOnceOptions = {}): Promise<SyncOutcome> {
  const now = options.now ?? (() => new Date())
  const batchSize = options.batchSize ?? SYNC_MAX_PUSH_BATCH
  const pageSize = options.pageSize ?? SYNC_MAX_PULL_LIMIT
  let pushed = 0
  let rejected = 0
  let pulled = 0
  try {
    let clientId = await getClientId(db)
    let rotated = false
    for (;;) {
      const batch = await readOutboxBatch(db, batchSize)
      if (batch.length === 0) break
      const mutations = batch.map(({ recordId: _recordId, ...mutation }) => mutation)
      let result
      try {
        result = await transport.push({ clientId, mutations })
      } catch (error) {
        // The server cannot continue our numbering (copied profile, restored server): start a
        // new one, once per round, and push the same records again under it.
        if (!rotated && error instanceof SyncHttpError && IDENTITY_ERRORS.has(error.code)) {
          clientId = await rotateClientId(db)
          rotated = true
          continue
        }
        throw error
      }
      await applyPushResult(db, batch, result, now().toISOString())
      const settled = result.results.filter((r) => r.mutationId <= result.lastMutationId)
      pushed += settled.length
      rejected += settled.filter((r) => r.status === 'rejected').length
      // A server that acknowledged none of the batch would make this loop spin: stop and retry later.
      if (result.lastMutationId < (batch[0]?.mutationId ?? 0)) {
        throw new SyncHttpError(0, 'bad_response', 'the server acknowledged none of the batch')
      }
    }
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
    if (error instanceof SyncHttpError) return { ok: false, error, pushed }
    throw error
  }
}
