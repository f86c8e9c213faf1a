import { AppDB } from './AppDB'

/** The tablet's one database. Tests make their own `AppDB` on a fresh fake IndexedDB instead. */
export const db = new AppDB()
