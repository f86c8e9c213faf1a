import type { AppDB, Draft } from './AppDB'

/**
 * Drafts are written on every change of a form, each write its own strict transaction, so a
 * crash or a power cut loses at most the keystroke being typed. A draft shares its id with the
 * record it becomes, so saving replaces it in the same transaction that creates the record.
 */
export function saveDraft(db: AppDB, draft: Draft): Promise<string> {
  return db.drafts.put(draft)
}

export function getDraft(db: AppDB, id: string): Promise<Draft | undefined> {
  return db.drafts.get(id)
}

export function deleteDraft(db: AppDB, id: string): Promise<void> {
  return db.drafts.delete(id)
}

export function listDrafts(db: AppDB, kind: Draft['kind']): Promise<Draft[]> {
  return db.drafts.where('[kind+updatedAt]').between([kind, ''], [kind, '\uffff']).reverse().toArray()
}
