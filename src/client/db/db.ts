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
 * Has the browser open the database's files while the rest of the start-up script runs: Dexie
 * opens its own connection only on the first read (the router's sign-in check), and opening the
 * files is most of what an open costs. The warm-up asks for Dexie's own version (Dexie's formula,
 * `verno * 10`) and closes the connection at once (Chromium keeps the files open a moment longer
 * for the next one). Anything else is left to Dexie, whose open waits in the browser's queue behind
 * this one: a new database, or one to upgrade, gets its upgrade aborted (the database stays as it
 * was; a tab still on the old version is asked to close first, as Dexie's own open would ask it);
 * one a newer app has upgraded fails with a VersionError, which is silenced.
 *
 * Not on Safari: there Dexie first waits until IndexedDB answers (Safari 14 could hang an open made
 * too early), and an open made before that would hold Dexie's up behind it.
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

/** The test Dexie makes before it waits for IndexedDB on Safari (its `idbReady`). */
const isSafari = () =>
  typeof navigator !== 'undefined' && !('userAgentData' in navigator) && /Safari\//.test(navigator.userAgent) && !/Chrom(e|ium)\//.test(navigator.userAgent)

if (import.meta.env.PROD && typeof indexedDB !== 'undefined' && !isSafari()) warmUp(db.name, Math.round(db.verno * 10))
