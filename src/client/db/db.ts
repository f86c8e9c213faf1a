import { AppDB } from './AppDB'

/** The tablet's one database. Tests make their own `AppDB` on a fresh fake IndexedDB instead. */
export const db = new AppDB()

// A newer version of the app (in another tab) wants to upgrade the schema: let it, and reload
// into that version. Everything saved is on disk; drafts are written on every keystroke.
db.on('versionchange', () => {
  db.close()
  if (typeof location !== 'undefined') location.reload()
  return false
})
