import { defineStore } from 'pinia'
import { toRaw } from 'vue'
import { db } from '../db/db'
import { deleteDraft, getDraft, saveDraft } from '../db/drafts-repository'

/**
 * Drafts of the forms filed under an incident (report, review, drill record), one per incident
 * and form, saved on every change like the call form: a long report typed during an incident
 * survives a reload or a power cut.
 */
export const useReportDraftsStore = defineStore('reportDrafts', () => {
  let writes: Promise<unknown> = Promise.resolve()
  const key = (form: 'incidentReport' | 'incidentReview' | 'drillRecord', incidentId: string) => `${form}:${incidentId}`

  async function load<T>(form: 'incidentReport' | 'incidentReview' | 'drillRecord', incidentId: string): Promise<T | undefined> {
    await writes
    return (await getDraft(db, key(form, incidentId)))?.values as T | undefined
  }

  function save(form: 'incidentReport' | 'incidentReview' | 'drillRecord', incidentId: string, values: object): Promise<unknown> {
    const now = new Date().toISOString()
    const write = writes.then(() =>
      saveDraft(db, { id: key(form, incidentId), kind: form, values: structuredClone(toRaw(values)) as Record<string, unknown>, createdAt: now, updatedAt: now }),
    )
    writes = write.catch(() => undefined)
    return write
  }

  async function discard(form: 'incidentReport' | 'incidentReview' | 'drillRecord', incidentId: string): Promise<void> {
    await writes
    await deleteDraft(db, key(form, incidentId))
  }

  return { load, save, discard }
})
