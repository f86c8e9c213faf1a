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

/**
 * Has the browser open the database's files while the start-up script is still being run: Dexie
 * opens its connection only once the whole script has run (its open waits for a microtask), and
 * opening the files is most of what an open costs. A connection at Dexie's own version, closed
 * as soon as it is open (the browser keeps the files open a moment longer); anything else (a new
 * database, one to upgrade, one a newer app has upgraded) is left to Dexie untouched: the upgrade
 * such an open would start is aborted, which leaves the database as it was.
 */
function warmUp(name: string, version: number): void {
  try {
    const request = indexedDB.open(name, version)
    request.onupgradeneeded = () => request.transaction?.abort()
    request.onsuccess = () => request.result.close()
    request.onerror = (event) => event.preventDefault()
  } catch {
    // no IndexedDB here: Dexie says so on the first read
  }
}

if (import.meta.env.PROD && typeof indexedDB !== 'undefined') warmUp(db.name, Math.round(db.verno * 10))
