import { defineStore } from 'pinia'
import { toRaw } from 'vue'
import { db } from '../db/db'
import type { Draft } from '../db/AppDB'
import { draftQueue, getDraft } from '../db/drafts-repository'
import { useUnsavedWorkStore } from './unsavedWork'

/** The forms there is one of per owner, and the kind of record each becomes. */
const FORM_KINDS = {
  incidentReport: 'incidentReport',
  incidentReview: 'incidentReview',
  drillRecord: 'drillRecord',
  /** An incident's next note (becomes an incident event). */
  incidentNote: 'incidentEvent',
  /** A log book's next entry (the owner is the book). */
  logEntry: 'logEntry',
} as const satisfies Record<string, Draft['kind']>
export type DraftForm = keyof typeof FORM_KINDS

/**
 * Drafts of the forms there is one of per incident (report, review, drill record, the next
 * note) or per log book (the next entry), saved on every change like the call form: a long report
 * typed during an incident survives a reload or a power cut. Writes are queued one after the
 * other and reported to the unsaved-work store, which the update prompt waits for.
 */
export const useReportDraftsStore = defineStore('reportDrafts', () => {
  const writes = draftQueue(db, useUnsavedWorkStore().track)
  const key = (form: DraftForm, ownerId: string) => `${form}:${ownerId}`

  async function load<T>(form: DraftForm, ownerId: string): Promise<T | undefined> {
    await writes.settled()
    return (await getDraft(db, key(form, ownerId)))?.values as T | undefined
  }

  function save(form: DraftForm, ownerId: string, values: object): Promise<unknown> {
    const now = new Date().toISOString()
    const copy = structuredClone(toRaw(values)) as Record<string, unknown>
    return writes.save({ id: key(form, ownerId), kind: FORM_KINDS[form], values: copy, createdAt: now, updatedAt: now })
  }

  function discard(form: DraftForm, ownerId: string): Promise<void> {
    return writes.discard(key(form, ownerId))
  }

  return { load, save, discard }
})
