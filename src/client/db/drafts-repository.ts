import type { AppDB, Draft } from './AppDB'
import { forgetDraft, journalDraft } from './journal'

/**
 * The journal's copies of drafts (journal.ts: what puts a draft back after the browser discarded
 * the store), made after the draft's strict commit rather than beside it, where the two writes
 * contended for the disk and doubled the time to confirm a keystroke. One chain per draft keeps
 * its copies in the order of its writes (a discard is never overtaken by an older copy); writes
 * that pile up while one is in flight collapse to the newest.
 */
const journalNext = new Map<string, Draft | null>()
const journalCopies = new Map<string, Promise<void>>()

function copyToJournal(id: string, draft: Draft | null): Promise<void> {
  journalNext.set(id, draft)
  const running = journalCopies.get(id)
  if (running) return running
  const copy = (async () => {
    while (journalNext.has(id)) {
      const next = journalNext.get(id)!
      journalNext.delete(id)
      await (next ? journalDraft(next) : forgetDraft(id)).catch(() => undefined)
    }
    journalCopies.delete(id)
  })()
  journalCopies.set(id, copy)
  return copy
}

/** Removes a draft's journal copy after any copy of it still on its way (a draft that became a record). */
export const forgetDraftCopy = (id: string): Promise<void> => copyToJournal(id, null)

/** Resolves when every journal copy of a draft asked for so far is made (or failed). */
export function draftJournalSettled(): Promise<void> {
  return Promise.all(journalCopies.values()).then(() => undefined)
}

/**
 * Drafts are written on every change of a form, each write its own strict transaction, so a
 * crash or a power cut loses at most the keystroke being typed: the write is confirmed when that
 * transaction commits; its journal copy follows. A draft shares its id with the record it
 * becomes, so saving replaces it in the same transaction that creates the record.
 */
export async function saveDraft(db: AppDB, draft: Draft): Promise<string> {
  const id = await db.drafts.put(draft)
  void copyToJournal(draft.id, draft)
  return id
}

export function getDraft(db: AppDB, id: string): Promise<Draft | undefined> {
  return db.drafts.get(id)
}

export async function deleteDraft(db: AppDB, id: string): Promise<void> {
  await db.drafts.delete(id)
  await forgetDraftCopy(id)
}

export function listDrafts(db: AppDB, kind: Draft['kind']): Promise<Draft[]> {
  return db.drafts.where('[kind+updatedAt]').between([kind, ''], [kind, '\uffff']).reverse().toArray()
}

/** Reports a write in flight to whoever waits for them all (the update prompt, see stores/unsavedWork.ts). */
export type TrackWrite = <T>(write: Promise<T>, key: string) => Promise<T>

/**
 * One form's draft writes, one after the other in the order they were made (a keystroke's write
 * never overtakes the one before, nor a discard the save before it; with none in flight, a write
 * starts at once, before the page re-renders for the keystroke): `save` resolves when that
 * version is durable, `settled` when every write queued so far is done, whether it failed or not.
 * Each write is passed to `track` under the draft's id.
 */
export function draftQueue(db: AppDB, track: TrackWrite = (write) => write) {
  let writes: Promise<unknown> = Promise.resolve()
  /** Writes queued and not done: with none, a write starts at once, in the keystroke's own task. */
  let pending = 0
  function queue<T>(id: string, task: () => Promise<T>): Promise<T> {
    const write = pending === 0 ? new Promise<T>((resolve) => resolve(task())) : writes.then(task)
    pending += 1
    writes = write.catch(() => undefined).then(() => void (pending -= 1))
    return track(write, id)
  }
  return {
    save(draft: Draft): Promise<string> {
      return queue(draft.id, () => saveDraft(db, draft))
    },
    /** Every write queued so far done, and the journal's copies of drafts too. */
    settled(): Promise<unknown> {
      return writes.then(draftJournalSettled)
    },
    discard(id: string): Promise<void> {
      return queue(id, () => deleteDraft(db, id))
    },
  }
}
