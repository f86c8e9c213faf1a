import type { AppDB, OutboxEntry, SyncIssue } from './AppDB'
import type { PullResponse, PushResponse } from '../../shared/sync'
import { localIndexOf } from './record-index'

export function countOutbox(db: AppDB): Promise<number> {
  return db.outbox.count()
}

/** The oldest waiting mutations, in the order they were made: the server applies them in order. */
export function readOutboxBatch(db: AppDB, limit: number): Promise<OutboxEntry[]> {
  return db.outbox.orderBy('mutationId').limit(limit).toArray()
}

export function listSyncIssues(db: AppDB): Promise<SyncIssue[]> {
  return db.syncIssues.orderBy('createdAt').reverse().toArray()
}

/**
 * Applies the server's answer to a push in one transaction. Only what the server acknowledged
 * (up to its `lastMutationId`) leaves the outbox; a rejected record stays on the tablet, marked,
 * with the reason shown to the user, never silently dropped.
 */
export async function applyPushResult(db: AppDB, sent: OutboxEntry[], result: PushResponse, now: string): Promise<void> {
  await db.transaction('rw', [db.outbox, db.records, db.syncIssues, db.meta], async () => {
    const byId = new Map(result.results.map((r) => [r.mutationId, r]))
    for (const entry of sent) {
      if (entry.mutationId > result.lastMutationId) continue
      const answer = byId.get(entry.mutationId)
      if (answer?.status === 'rejected') {
        const reason = answer.reason ?? 'rejected'
        await db.records.update(entry.recordId, { syncState: 'rejected', rejectedReason: reason })
        await db.syncIssues.put({ mutationId: entry.mutationId, recordId: entry.recordId, reason, createdAt: now })
      } else {
        // accepted now, or a duplicate of an earlier push whose answer was lost on the way back
        await db.records.where('id').equals(entry.recordId).and((r) => r.syncState === 'pending')
          .modify({ syncState: 'synced' })
      }
    }
    await db.outbox.where('mutationId').belowOrEqual(result.lastMutationId).delete()
    await db.meta.put({ key: 'lastPushAt', value: now })
  })
}

/**
 * Stores a page of pulled records and the new cursor in the SAME transaction: the cursor can
 * never move past rows that are not on disk, so a crash between the two cannot skip a row.
 * A record still waiting in this tablet's outbox keeps its local state until its push is answered.
 */
export async function applyPullPage(db: AppDB, page: PullResponse): Promise<void> {
  await db.transaction('rw', [db.records, db.meta], async () => {
    for (const record of page.records) {
      const local = await db.records.get(record.id)
      await db.records.put({
        ...record,
        ...localIndexOf(record),
        syncState: local?.syncState === 'rejected' ? 'rejected' : 'synced',
        ...(local?.rejectedReason ? { rejectedReason: local.rejectedReason } : {}),
      })
    }
    await db.meta.put({ key: 'pullCursor', value: page.cursor })
  })
}

export async function getPullCursor(db: AppDB): Promise<number> {
  const row = await db.meta.get('pullCursor')
  return Number(row?.value ?? 0)
}

export function recordSyncSuccess(db: AppDB, now: string): Promise<string> {
  return db.meta.put({ key: 'lastSyncAt', value: now })
}
