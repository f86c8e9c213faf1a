import { backupRoster } from './identity-backup'
import type { AppDB, LocalRecord, OutboxEntry, SyncIssue } from './AppDB'
import type { PullResponse, PushResponse } from '../../shared/sync'
import { localIndexOf } from './record-index'
import { attachmentHashesIn, exportAttachments } from './attachments-repository'

export function countOutbox(db: AppDB): Promise<number> {
  return db.outbox.count()
}

/**
 * The oldest waiting mutations after mutation `after`, in the order they were made: the server
 * applies them in order. (The sync engine reads the next batch while the answer to the one before
 * is being stored.)
 */
export function readOutboxBatch(db: AppDB, limit: number, after = 0): Promise<OutboxEntry[]> {
  return db.outbox.where('mutationId').above(after).limit(limit).toArray()
}

export function listSyncIssues(db: AppDB): Promise<SyncIssue[]> {
  return db.syncIssues.orderBy('createdAt').reverse().toArray()
}

/**
 * Applies the server's answer to a push in one transaction. Only what the server acknowledged
 * (up to its `lastMutationId`) leaves the outbox; a rejected record stays on the tablet, marked,
 * with the reason shown to the user, never silently dropped.
 *
 * Resolves with the ids of the records the server now holds: their second copy in the journal is
 * not needed any more, and the caller removes it (`forgetRecords`, db/journal.ts). A refused one
 * keeps it, as the tablet is then the only place that record lives.
 */
export async function applyPushResult(db: AppDB, sent: OutboxEntry[], result: PushResponse, now: string): Promise<string[]> {
  await db.transaction('rw', [db.outbox, db.records, db.syncIssues, db.meta], async () => {
    // A batch is answered in a few bulk operations, not one query per record: a backlog of
    // thousands drains in seconds.
    const byId = new Map(result.results.map((r) => [r.mutationId, r]))
    const settled = sent.filter((entry) => entry.mutationId <= result.lastMutationId)
    const rejected = settled.filter((entry) => byId.get(entry.mutationId)?.status === 'rejected')
    const rejectedIds = new Set(rejected.map((entry) => entry.recordId))
    // accepted now, or a duplicate of an earlier push whose answer was lost on the way back
    const synced = settled.filter((entry) => !rejectedIds.has(entry.recordId)).map((entry) => entry.recordId)
    if (synced.length > 0) {
      // read in one go (a key-by-key cursor over the ids costs a round trip each)
      const rows = await db.records.bulkGet(synced)
      const pending = rows.filter((r): r is LocalRecord => r?.syncState === 'pending')
      if (pending.length > 0) await db.records.bulkPut(pending.map((r) => ({ ...r, syncState: 'synced' as const })))
    }
    // The code and params are kept as they came, known to this app version or not: the screens
    // translate the ones they know and show the reason for the rest (useRejectionMessage).
    const rejectionOf = (entry: OutboxEntry) => {
      const answer = byId.get(entry.mutationId)
      return { reason: answer?.reason ?? 'rejected', code: answer?.code, params: answer?.code ? answer.params : undefined }
    }
    for (const entry of rejected) {
      const { reason, code, params } = rejectionOf(entry)
      await db.records.update(entry.recordId, {
        syncState: 'rejected',
        rejectedReason: reason,
        // set or cleared: a record refused again keeps no code from an earlier answer
        rejectedCode: code,
        rejectedParams: params,
      })
    }
    if (rejected.length > 0) {
      await db.syncIssues.bulkPut(
        rejected.map((entry) => {
          const { reason, code, params } = rejectionOf(entry)
          return {
            mutationId: entry.mutationId,
            recordId: entry.recordId,
            reason,
            ...(code ? { code } : {}),
            ...(params ? { params } : {}),
            createdAt: now,
          }
        }),
      )
    }
    // Only what was sent and answered leaves the outbox. `lastMutationId` is the server's high-water
    // mark for this client and may lie beyond this batch (a replay after a lost answer): entries
    // past the batch are still waiting for their own answer, e.g. a rejection with its reason.
    const first = settled[0]?.mutationId ?? 0
    if (settled.every((entry, i) => entry.mutationId === first + i)) {
      // consecutive ids (a batch as the engine reads it): the range holds these entries and no other
      if (settled.length > 0) await db.outbox.where('mutationId').between(first, first + settled.length - 1, true, true).delete()
    } else {
      await db.outbox.bulkDelete(settled.map((entry) => entry.mutationId))
    }
    await db.meta.put({ key: 'lastPushAt', value: now })
  })
  const statusOf = new Map(result.results.map((r) => [r.mutationId, r.status]))
  return sent.filter((e) => e.mutationId <= result.lastMutationId && statusOf.get(e.mutationId) !== 'rejected').map((e) => e.recordId)
}

/**
 * Stores a page of pulled records and the new cursor in the SAME transaction: the cursor can
 * never move past rows that are not on disk, so a crash between the two cannot skip a row.
 * A record still waiting in this tablet's outbox keeps its local state until its push is answered.
 */
export async function applyPullPage(db: AppDB, page: PullResponse): Promise<void> {
  await db.transaction('rw', [db.records, db.meta], async () => {
    const locals = await db.records.bulkGet(page.records.map((r) => r.id))
    await db.records.bulkPut(
      page.records.map((record, i) => {
        const local = locals[i]
        return {
          ...record,
          ...localIndexOf(record),
          syncState: local?.syncState === 'rejected' ? ('rejected' as const) : ('synced' as const),
          ...(local?.rejectedReason ? { rejectedReason: local.rejectedReason } : {}),
          ...(local?.rejectedCode ? { rejectedCode: local.rejectedCode } : {}),
          ...(local?.rejectedParams ? { rejectedParams: local.rejectedParams } : {}),
        }
      }),
    )
    await db.meta.put({ key: 'pullCursor', value: page.cursor })
  })
  // the roster's copy outside IndexedDB (identity-backup.ts), so people can sign in after a store loss
  if (page.records.some((r) => r.kind === 'person' || r.kind === 'siteSettings')) await backupRoster(db).catch(() => undefined)
}

/**
 * Everything on this tablet the server does not hold: records waiting or refused, the open
 * drafts, and the photos and signatures not yet uploaded with those these records and drafts name
 * (bytes as base64). For a revoked tablet's export, so that nothing recorded on it is lost with
 * its token.
 */
export async function unsyncedData(db: AppDB) {
  const records = await db.records.filter((r) => r.syncState !== 'synced').toArray()
  const drafts = await db.drafts.toArray()
  const named = new Set<string>()
  for (const record of records) attachmentHashesIn(record.data, named)
  for (const draft of drafts) attachmentHashesIn(draft.values, named)
  const attachments = await exportAttachments(db, named)
  return { records, drafts, attachments }
}

export async function getPullCursor(db: AppDB): Promise<number> {
  const row = await db.meta.get('pullCursor')
  return Number(row?.value ?? 0)
}

export function recordSyncSuccess(db: AppDB, now: string): Promise<string> {
  return db.meta.put({ key: 'lastSyncAt', value: now })
}
