import Database from 'better-sqlite3'
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { SQLITE_FILE_NAME } from './config'

/**
 * Backup and restore of the SQLite deployment (issue 7, "Backups"): the library behind
 * `npm run backup` (backup.ts) and `npm run restore` (restore.ts).
 *
 * A backup is a folder `steadyline-<UTC stamp>/` holding `steadyline.sqlite` and a copy of
 * `attachments/`: the same layout as a data directory. PostgreSQL is backed up with pg_dump.
 */

/** Where the SQLite deployment keeps attachment files (content-addressed `<2 hex>/<sha256>`, immutable). */
export const ATTACHMENTS_DIR_NAME = 'attachments'
/** The folder under DATA_DIR that backups go to unless `--out` or BACKUP_DIR says otherwise. */
export const BACKUPS_DIR_NAME = 'backups'

const BACKUP_NAME = /^steadyline-(\d{8}T\d{6}Z)(?:-(\d+))?$/
/** Pages per backup step: everything in one step (see `backupSqlite`). */
const ALL_PAGES = 0x7fffffff

/** A refusal or failure whose message is meant for the person at the console. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BackupError'
  }
}

/** `20261128T153000Z`: UTC, sortable, no characters a shell or Windows share would trip on. */
export function backupStamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')
}

/** A path as one shell word (single quotes only when needed). */
export function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`
}

/** The command that backs up a PostgreSQL deployment (the URL stays in the environment, never printed). */
export function pgDumpCommand(file: string): string {
  return `pg_dump --format=custom --file=${shellQuote(file)} "$DATABASE_URL"`
}

/** The command that restores a pg_dump file into the (stopped) deployment's database. */
export function pgRestoreCommand(file: string): string {
  return `pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" ${shellQuote(file)}`
}

// ---------------------------------------------------------------------------------------------
// files

function fsyncPath(path: string): void {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return // a directory that cannot be opened for fsync (some platforms): nothing more to do
  }
  try {
    fsyncSync(fd)
  } catch {
    // directories cannot be fsynced everywhere; the files themselves were
  } finally {
    closeSync(fd)
  }
}

/** Copies a file under a temporary name, syncs it, then renames it: a name never holds half a file. */
function copyFileDurably(from: string, to: string): void {
  const temp = `${to}.copying-${process.pid}`
  copyFileSync(from, temp)
  fsyncPath(temp)
  renameSync(temp, to)
}

export interface TreeCopy {
  /** Regular files in the target after the copy. */
  files: number
  /** Files copied by this run (the rest were there already). */
  copied: number
  /** Bytes of all files in the target. */
  bytes: number
}

/**
 * Copies every regular file under `from` to the same place under `to`, skipping a file that is
 * already there with the same size: attachments are content-addressed and never change once
 * written, so a file of that name and size is that file. A file that disappears while we walk
 * (a writer's temporary file, renamed meanwhile) is skipped.
 */
export function copyTree(from: string, to: string): TreeCopy {
  const result: TreeCopy = { files: 0, copied: 0, bytes: 0 }
  const walk = (src: string, dst: string) => {
    mkdirSync(dst, { recursive: true })
    let copiedHere = false
    for (const entry of readdirSync(src, { withFileTypes: true })) {
      const s = join(src, entry.name)
      const d = join(dst, entry.name)
      if (entry.isDirectory()) {
        walk(s, d)
        continue
      }
      if (!entry.isFile()) continue
      let size: number
      try {
        size = statSync(s).size
      } catch {
        continue
      }
      const existing = existsSync(d) ? statSync(d) : undefined
      if (!existing || !existing.isFile() || existing.size !== size) {
        try {
          copyFileDurably(s, d)
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(s)) continue
          throw error
        }
        result.copied += 1
        copiedHere = true
      }
      result.files += 1
      result.bytes += size
    }
    if (copiedHere) fsyncPath(dst)
  }
  walk(from, to)
  return result
}

// ---------------------------------------------------------------------------------------------
// verification

export interface DatabaseCheck {
  /** `ok`, or the first problems integrity_check found (then the check throws instead). */
  integrity: 'ok'
  /** Rows of `records`. */
  records: number
  /** The server sequence counter (the last `server_seq` handed out). */
  serverSeq: number
  /** The newest migration applied. */
  schemaVersion: number
}

/** Opens a database file read-only, runs `PRAGMA integrity_check` and counts its records. */
export function checkDatabase(path: string): DatabaseCheck {
  if (!existsSync(path)) throw new BackupError(`No database file at ${path}`)
  let db: Database.Database
  try {
    db = new Database(path, { readonly: true, fileMustExist: true })
  } catch (error) {
    throw new BackupError(`Cannot open ${path}: ${message(error)}`)
  }
  try {
    const problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check)
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new BackupError(`${path} fails PRAGMA integrity_check:\n  ${problems.slice(0, 10).join('\n  ')}`)
    }
    const scalar = (sql: string) => (db.prepare(sql).pluck().get() as number | null | undefined) ?? 0
    try {
      return {
        integrity: 'ok',
        records: scalar('SELECT COUNT(*) FROM records'),
        serverSeq: scalar('SELECT value FROM server_seq WHERE id = 1'),
        schemaVersion: scalar('SELECT MAX(version) FROM schema_migrations'),
      }
    } catch (error) {
      throw new BackupError(`${path} is not a Steadyline database: ${message(error)}`)
    }
  } catch (error) {
    if (error instanceof BackupError) throw error
    throw new BackupError(`Cannot check ${path}: ${message(error)}`)
  } finally {
    db.close()
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error))

// ---------------------------------------------------------------------------------------------
// backup

export interface BackupOptions {
  /** The live database file. */
  dbPath: string
  /** The live attachments folder (skipped when it does not exist). */
  attachmentsDir: string
  /** Where `steadyline-<stamp>/` is made. Ignored when `out` is given. */
  backupDir: string
  /** The backup folder itself, instead of a new one under `backupDir`. */
  out?: string
  /** Keep only the newest N backups in the folder the backup went to. */
  keep?: number
  now?: () => Date
}

export interface BackupSummary {
  folder: string
  dbFile: string
  dbBytes: number
  check: DatabaseCheck
  attachments: TreeCopy | undefined
  /** Backup folders removed by `keep`. */
  pruned: string[]
  durationMs: number
}

/** The next free `steadyline-<stamp>` name in `dir` (a suffix when one was made this same second). */
function newBackupFolder(dir: string, now: Date): string {
  const base = join(dir, `steadyline-${backupStamp(now)}`)
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`
    if (!existsSync(candidate) && !existsSync(`${candidate}.partial`)) return candidate
  }
}

/**
 * Writes a consistent copy of the live database while the server may be writing to it, then the
 * attachments, then checks the copy.
 *
 * - The database goes through SQLite's online backup API (better-sqlite3 `db.backup`) in ONE step:
 *   a single read transaction on the live file, so the copy is the database as of one commit (in
 *   WAL mode that read does not hold up the server's writers). A copy in small steps would restart
 *   each time another process commits and could never finish under a steady stream of pushes.
 * - The copy is switched from WAL to rollback-journal mode, so it is one self-contained file.
 * - Attachments are copied AFTER the database: every attachment row in the copy has its file
 *   (the server writes the file before the row). A record may name an image its tablet has not
 *   uploaded yet (records go first): the tablet still holds it and uploads it to the restored
 *   server. Newer files may come along too; nothing refers to them, which is harmless.
 * - A new backup is built in `<folder>.partial` and renamed when complete and checked: a folder
 *   named `steadyline-<stamp>` is always a whole backup; an interrupted run leaves a `.partial`.
 */
export async function backupSqlite(options: BackupOptions): Promise<BackupSummary> {
  const started = performance.now()
  const now = options.now ?? (() => new Date())
  const dbPath = resolve(options.dbPath)
  if (!existsSync(dbPath)) {
    throw new BackupError(`No database at ${dbPath}: nothing to back up (is DATA_DIR right? the server creates it on first start)`)
  }
  const folder = resolve(options.out ?? newBackupFolder(resolve(options.backupDir), now()))
  const fresh = !existsSync(folder)
  const stage = fresh ? `${folder}.partial` : folder
  if (fresh) rmSync(stage, { recursive: true, force: true })
  mkdirSync(stage, { recursive: true })

  const partialDb = join(stage, `${SQLITE_FILE_NAME}.partial`)
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(partialDb + suffix, { force: true })

  const source = new Database(dbPath, { fileMustExist: true, timeout: 5000 })
  try {
    await source.backup(partialDb, { progress: () => ALL_PAGES })
  } finally {
    source.close()
  }
  const copy = new Database(partialDb)
  try {
    copy.pragma('journal_mode = DELETE')
  } finally {
    copy.close()
  }
  const check = checkDatabase(partialDb)
  fsyncPath(partialDb)
  const dbFile = join(stage, SQLITE_FILE_NAME)
  renameSync(partialDb, dbFile)

  const attachmentsFrom = resolve(options.attachmentsDir)
  const attachments = existsSync(attachmentsFrom) ? copyTree(attachmentsFrom, join(stage, ATTACHMENTS_DIR_NAME)) : undefined
  fsyncPath(stage)
  if (fresh) {
    renameSync(stage, folder)
    fsyncPath(dirname(folder))
  }

  const pruned = options.keep === undefined ? [] : pruneBackups(dirname(folder), options.keep, folder)
  const finalDb = join(folder, SQLITE_FILE_NAME)
  return {
    folder,
    dbFile: finalDb,
    dbBytes: statSync(finalDb).size,
    check,
    attachments,
    pruned,
    durationMs: performance.now() - started,
  }
}

/** Backup folders in `dir`, oldest first (by the stamp in their name, then the same-second suffix). */
export function listBackups(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && BACKUP_NAME.test(e.name))
    .map((e) => {
      const m = BACKUP_NAME.exec(e.name)
      return { name: e.name, stamp: m?.[1] ?? '', n: Number(m?.[2] ?? 1) }
    })
    .sort((a, b) => (a.stamp === b.stamp ? a.n - b.n : a.stamp < b.stamp ? -1 : 1))
    .map((b) => join(dir, b.name))
}

/**
 * Removes all but the newest `keep` backup folders in `dir`; `protect` (the backup just written)
 * is never removed. Only `steadyline-<stamp>` folders are touched: `.partial` leftovers, a
 * `.dump` file or anything else in the folder stay.
 */
export function pruneBackups(dir: string, keep: number, protect?: string): string[] {
  if (!Number.isInteger(keep) || keep < 1) throw new BackupError(`--keep must be a whole number of at least 1 (got ${keep})`)
  const all = listBackups(dir)
  const doomed = all.slice(0, Math.max(0, all.length - keep)).filter((p) => p !== protect)
  for (const path of doomed) rmSync(path, { recursive: true, force: true })
  return doomed
}

// ---------------------------------------------------------------------------------------------
// restore

export interface RestoreOptions {
  /** A backup folder (or its `steadyline.sqlite` file). */
  from: string
  /** The live database file to replace. */
  dbPath: string
  /** The live attachments folder. */
  attachmentsDir: string
  /**
   * The restored server sequence continues from at least this value (see `restoreSqlite`). The
   * value of the database being replaced is used when it can be read.
   */
  seqFloor?: number
  /** Skip the in-use check when the live file cannot even be locked (a damaged file). */
  force?: boolean
  /** How long to wait for the live file's lock before deciding it is in use. @default 250 */
  busyTimeoutMs?: number
  now?: () => Date
}

export interface RestoreSummary {
  backupDb: string
  dbPath: string
  check: DatabaseCheck
  /** The files of the database that was in place, renamed (never deleted). */
  movedAside: string[]
  /** The sequence of the replaced database, when it could be read. */
  liveSeq: number | undefined
  /** The server sequence the restored database continues from. */
  restoredSeq: number
  attachments: TreeCopy | undefined
  /** Things the operator should know (e.g. the live file could not be read). */
  warnings: string[]
  durationMs: number
}

/**
 * Refuses while another connection has the live database open, and reads its server sequence.
 *
 * Why not `BEGIN IMMEDIATE`: in WAL mode it only fails while another connection is WRITING, so an
 * idle server (open, between pushes) would pass the check and keep serving from a file we are
 * about to move away. Every WAL connection holds a shared lock on the database file for as long as
 * it is open, and a connection in `locking_mode = EXCLUSIVE` cannot start `BEGIN EXCLUSIVE` while
 * any such lock exists: so that attempt (with a short busy timeout) fails exactly when a server,
 * or anything else, has the file open. Once it succeeds we checkpoint the WAL into the main file
 * and close, which removes the `-wal` file, so the file moved aside is whole on its own.
 * (A server started in the instant between this check and the rename would still be caught out:
 * stop the service first, as the README says.)
 */
function lockLiveDatabase(
  dbPath: string,
  options: { force: boolean; busyTimeoutMs: number },
): { liveSeq: number | undefined; warnings: string[] } {
  const warnings: string[] = []
  let db: Database.Database
  try {
    db = new Database(dbPath, { fileMustExist: true, timeout: options.busyTimeoutMs })
  } catch (error) {
    if (!options.force) {
      throw new BackupError(
        `Cannot open the current database ${dbPath} (${message(error)}). If no server is running and the file is ` +
          'damaged, run the restore again with --force to move it aside anyway.',
      )
    }
    return { liveSeq: undefined, warnings: [`the current database could not be opened (${message(error)})`] }
  }
  try {
    try {
      db.pragma('locking_mode = EXCLUSIVE')
      db.exec('BEGIN EXCLUSIVE')
    } catch (error) {
      const code = (error as { code?: string }).code ?? ''
      if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
        throw new BackupError(
          `The database ${dbPath} is in use (a Steadyline server or another program has it open). ` +
            'Stop the server (e.g. `systemctl stop steadyline`) and run the restore again.',
        )
      }
      if (!options.force) {
        throw new BackupError(
          `Cannot lock the current database ${dbPath} (${message(error)}). If no server is running and the file is ` +
            'damaged, run the restore again with --force to move it aside anyway.',
        )
      }
      warnings.push(`the current database could not be locked (${message(error)}); --force given, moving it aside anyway`)
      return { liveSeq: undefined, warnings }
    }
    let liveSeq: number | undefined
    try {
      liveSeq = (db.prepare('SELECT value FROM server_seq WHERE id = 1').pluck().get() as number | undefined) ?? undefined
    } catch (error) {
      warnings.push(`the server sequence of the current database could not be read (${message(error)})`)
    }
    db.exec('COMMIT')
    try {
      db.pragma('wal_checkpoint(TRUNCATE)')
    } catch (error) {
      warnings.push(`the current database's WAL could not be checkpointed (${message(error)}); it is moved aside with it`)
    }
    return { liveSeq, warnings }
  } finally {
    db.close()
  }
}

/**
 * Puts a backup in place of the live database: checks the backup, refuses while the database is
 * in use, copies the backup's attachments into the live folder (added to what is there: they are
 * content-addressed, so nothing is overwritten or lost), renames the live database files to
 * `<name>.before-restore-<stamp>` (never deleted) and renames a checked copy of the backup in.
 *
 * The restored server sequence continues past the replaced database's (or `seqFloor`): tablets
 * pulled up to that database's sequence, and their pull cursor is a server sequence, so new
 * records numbered from the backup's older, lower value would sit below their cursor and never
 * reach them. A gap in the sequence is harmless (a pull asks for everything after its cursor).
 */
export async function restoreSqlite(options: RestoreOptions): Promise<RestoreSummary> {
  const started = performance.now()
  const now = options.now ?? (() => new Date())
  const from = resolve(options.from)
  if (!existsSync(from)) throw new BackupError(`No backup at ${from}`)
  const isFolder = statSync(from).isDirectory()
  const backupDb = isFolder ? join(from, SQLITE_FILE_NAME) : from
  const backupAttachments = join(isFolder ? from : dirname(from), ATTACHMENTS_DIR_NAME)
  if (isFolder && !existsSync(backupDb)) {
    throw new BackupError(`${from} is not a Steadyline backup folder: it has no ${SQLITE_FILE_NAME}`)
  }
  const check = checkDatabase(backupDb)

  const dbPath = resolve(options.dbPath)
  if (backupDb === dbPath) throw new BackupError('That is the live database itself, not a backup')
  mkdirSync(dirname(dbPath), { recursive: true })
  const warnings: string[] = []
  let liveSeq: number | undefined
  if (existsSync(dbPath)) {
    const live = lockLiveDatabase(dbPath, { force: options.force ?? false, busyTimeoutMs: options.busyTimeoutMs ?? 250 })
    liveSeq = live.liveSeq
    warnings.push(...live.warnings)
  }

  const stamp = backupStamp(now())
  const staged = `${dbPath}.restoring-${stamp}`
  copyFileSync(backupDb, staged)
  const floor = Math.max(liveSeq ?? 0, options.seqFloor ?? 0)
  let restoredSeq = check.serverSeq
  const db = new Database(staged, { fileMustExist: true })
  try {
    db.pragma('journal_mode = DELETE')
    if (floor > check.serverSeq) {
      db.prepare('UPDATE server_seq SET value = ? WHERE id = 1 AND value < ?').run(floor, floor)
      restoredSeq = floor
    }
    const copied = db.prepare('SELECT COUNT(*) FROM records').pluck().get() as number
    if (copied !== check.records) throw new BackupError(`The copy of the backup holds ${copied} records, not ${check.records}`)
  } catch (error) {
    db.close()
    rmSync(staged, { force: true })
    throw error
  }
  db.close()
  fsyncPath(staged)

  // Attachments first: adding files is harmless, and the database rename below is the commit point.
  const attachments = existsSync(backupAttachments)
    ? copyTree(backupAttachments, resolve(options.attachmentsDir))
    : undefined

  const movedAside: string[] = []
  const aside = `${dbPath}.before-restore-${stamp}`
  // A -wal left beside the restored file would be replayed into it: the live one moves with its database.
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (!existsSync(dbPath + suffix)) continue
    renameSync(dbPath + suffix, aside + suffix)
    movedAside.push(aside + suffix)
  }
  renameSync(staged, dbPath)
  fsyncPath(dirname(dbPath))

  if (liveSeq === undefined && options.seqFloor === undefined) {
    warnings.push(
      'the server sequence of the database this backup replaces is unknown: if tablets synced after the backup was ' +
        'taken, they may miss new records until the sequence passes their pull cursor (shown under 存储诊断); ' +
        'to prevent it, run the restore again with --seq-floor <the highest cursor> before starting the server',
    )
  }
  return {
    backupDb,
    dbPath,
    check,
    movedAside,
    liveSeq,
    restoredSeq,
    attachments,
    warnings,
    durationMs: performance.now() - started,
  }
}

/** `1.2 MB` */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}
