// Types the views need from the data layer, re-exported so that views never import db/.
export type { Draft, LocalRecord, LocalSyncState, SyncIssue } from '../db/AppDB'
