import type { AppDB, Draft } from './AppDB'
import { forgetDraft, journalDraft } from './journal'

/**
 * Drafts are written on every change of a form, each write its own strict transaction, so a
 * crash or a power cut loses at most the keystroke being typed. A draft shares its id with the
 * record it becomes, so saving replaces it in the same transaction that creates the record.
 */
export async function saveDraft(db: AppDB, draft: Draft): Promise<string> {
  // the second copy (journal.ts) in parallel: the write is confirmed when both are done
  const [id] = await Promise.all([db.drafts.put(draft), journalDraft(draft).catch(() => undefined)])
  return id
}

export function getDraft(db: AppDB, id: string): Promise<Draft | undefined> {
  return db.drafts.get(id)
}

export async function deleteDraft(db: AppDB, id: string): Promise<void> {
  await db.drafts.delete(id)
  await forgetDraft(id).catch(() => undefined)
}

export function listDrafts(db: AppDB, kind: Draft['kind']): Promise<Draft[]> {
  return db.drafts.where('[kind+updatedAt]').between([kind, ''], [kind, '\uffff']).reverse().toArray()
}

/**
 * One form's draft writes, one after the other in the order they were made (a keystroke's write
 * never overtakes the one before): `save` resolves when that version is durable, `settled` when
 * every write queued so far is done, whether it failed or not.
 */
export function draftQueue(db: AppDB) {
  let writes: Promise<unknown> = Promise.resolve()
  return {
    save(draft: Draft): Promise<string> {
      const write = writes.then(() => saveDraft(db, draft))
      writes = write.catch(() => undefined)
      return write
    },
    settled(): Promise<unknown> {
      return writes
    },
    async discard(id: string): Promise<void> {
      await writes
      await deleteDraft(db, id)
    },
  }
}
