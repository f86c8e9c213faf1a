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

/** Reports a write in flight to whoever waits for them all (the update prompt, see stores/unsavedWork.ts). */
export type TrackWrite = <T>(write: Promise<T>, key: string) => Promise<T>

/**
 * One form's draft writes, one after the other in the order they were made (a keystroke's write
 * never overtakes the one before, nor a discard the save before it): `save` resolves when that
 * version is durable, `settled` when every write queued so far is done, whether it failed or not.
 * Each write is passed to `track` under the draft's id.
 */
export function draftQueue(db: AppDB, track: TrackWrite = (write) => write) {
  let writes: Promise<unknown> = Promise.resolve()
  function queue<T>(id: string, task: () => Promise<T>): Promise<T> {
    const write = writes.then(task)
    writes = write.catch(() => undefined)
    return track(write, id)
  }
  return {
    save(draft: Draft): Promise<string> {
      return queue(draft.id, () => saveDraft(db, draft))
    },
    settled(): Promise<unknown> {
      return writes
    },
    discard(id: string): Promise<void> {
      return queue(id, () => deleteDraft(db, id))
    },
  }
}
