/**
 * The records' schemas as the tablet uses them: to check what it saves and what it reads of the
 * roster and the plans. Loaded with `schemas()` (schemas.ts), a chunk of its own with zod: the start
 * bundle goes without them, and the first use fetches them from the service worker's cache.
 */
export { CallRecordDataSchema } from '../shared/call-record'
export { CallbackEventDataSchema } from '../shared/callback'
export { FaultDataSchema, FaultEventDataSchema } from '../shared/fault'
export { LogEntryDataSchema } from '../shared/log'
export { ContactRecordDataSchema } from '../shared/org-records'
export { currentPeople, currentSiteSettings } from '../shared/people'
export { PlaybookSchema } from '../shared/playbook'
