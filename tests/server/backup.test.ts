// Backups and restores of the SQLite store (issue 7, "Backups"): real SQLite files in a temporary
// folder, records written through the real app, the CLIs run as child processes, and a real
// tablet sync engine (Dexie over fake-indexeddb) across a restore.
import 'fake-indexeddb/auto'
import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppDB } from '../../src/client/db/AppDB'
import { saveEnrollment } from '../../src/client/db/meta-repository'
import { createRecord } from '../../src/client/db/records-repository'
import { syncOnce } from '../../src/client/sync/engine'
import { createHttpTransport } from '../../src/client/sync/transport'
import { backupSqlite, checkDatabase, listBackups, pruneBackups, restoreSqlite } from '../../src/server/backups'
import { SQLITE_FILE_NAME } from '../../src/server/config'
import { SqliteStore } from '../../src/server/store/sqlite'
import { newId } from '../../src/shared/ids'
import { buildTestApp, callRecord, creates, enroll, pullAll, push, uniqueSiteName, type TestDevice } from './helpers'

const ROOT = resolve(import.meta.dirname, '../..')

const dirs: string[] = []
const tempDir = (label: string) => {
  const dir = mkdtempSync(join(tmpdir(), `steadyline-backup-${label}-`))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** Runs `node --import tsx src/server/<script>.ts` as `npm run <script>` would. */
function runScript(script: 'backup' | 'restore', args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, `src/server/${script}.ts`), ...args], {
      cwd: ROOT,
      // DATABASE_URL and BACKUP_DIR emptied so that a CI's settings do not leak in.
      env: { ...process.env, DATABASE_URL: '', BACKUP_DIR: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('error', fail)
    child.once('exit', (code) => done({ code, stdout, stderr }))
  })
}

type Row = Record<string, unknown>
/** Every row of a table, read on a connection of its own, in a stable order. */
function rows(dbFile: string, sql: string): Row[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true })
  try {
    return db.prepare(sql).all() as Row[]
  } finally {
    db.close()
  }
}
const RECORDS = 'SELECT * FROM records ORDER BY server_seq'

async function openServer(dataDir: string) {
  const store = new SqliteStore({ path: join(dataDir, SQLITE_FILE_NAME) })
  await store.migrate()
  const app = await buildTestApp({ store })
  const code = await store.getOrCreateEnrollmentCode()
  return { store, app, code, close: async () => (await app.close(), await store.close()) }
}

/** A backup's records are the live server's first N, numbered 1..N with no gap, and nothing else. */
function expectPrefixOfLive(backupDb: string, liveDb: string): number {
  const copy = rows(backupDb, RECORDS)
  const n = copy.length
  expect(copy.map((r) => r.server_seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1))
  expect(rows(backupDb, 'SELECT value FROM server_seq')).toEqual([{ value: n }])
  expect(rows(liveDb, `SELECT * FROM records WHERE server_seq <= ${n} ORDER BY server_seq`)).toEqual(copy)
  return n
}

describe('SQLite backup and restore', () => {
  const dataDir = tempDir('data')
  const liveDb = join(dataDir, SQLITE_FILE_NAME)
  const attachment = randomBytes(48 * 1024)
  const attachmentName = createHash('sha256').update(attachment).digest('hex')
  const attachmentPath = (dir: string) => join(dir, 'attachments', attachmentName.slice(0, 2), attachmentName)
  let server: Awaited<ReturnType<typeof openServer>>
  let device: TestDevice
  const writerClient = newId()
  let nextMutation = 1
  let cliBackup = ''
  let libBackup = ''

  const write = async (count: number) => {
    const records = Array.from({ length: count }, (_, i) => callRecord(device, { data: { ...callRecord(device).data, request: `第${nextMutation + i}通` } }))
    const { status } = await push(server.app, device, writerClient, creates(nextMutation, records))
    expect(status).toBe(200)
    nextMutation += count
  }

  beforeAll(async () => {
    server = await openServer(dataDir)
    device = await enroll(server.app, server.code, uniqueSiteName())
    for (let i = 0; i < 4; i++) await write(50)
    mkdirSync(join(dataDir, 'attachments', attachmentName.slice(0, 2)), { recursive: true })
    writeFileSync(attachmentPath(dataDir), attachment)
  })
  afterAll(async () => {
    await server?.close()
  })

  it('takes consistent backups (the CLI in another process and the library in this one) while a writer keeps pushing', async () => {
    let writing = true
    let pushesDuringBackup = 0
    const writer = (async () => {
      while (writing) {
        await write(5)
        pushesDuringBackup += 1
      }
    })()
    const backupDir = join(dataDir, 'backups')
    const cli = runScript('backup', [], { DATA_DIR: dataDir })
    await new Promise((r) => setTimeout(r, 50))
    libBackup = (await backupSqlite({ dbPath: liveDb, attachmentsDir: join(dataDir, 'attachments'), backupDir, out: join(dataDir, 'lib-backup') })).folder
    const pushesAtLibBackupEnd = pushesDuringBackup
    const result = await cli
    const pushesAtCliEnd = pushesDuringBackup
    await new Promise((r) => setTimeout(r, 20))
    writing = false
    await writer

    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    // the writer really wrote while the backups ran, and after them
    expect(pushesAtLibBackupEnd).toBeGreaterThan(0)
    expect(pushesAtCliEnd).toBeGreaterThan(pushesAtLibBackupEnd)
    expect(pushesDuringBackup).toBeGreaterThan(pushesAtCliEnd)

    const made = listBackups(backupDir)
    expect(made).toHaveLength(1)
    cliBackup = made[0] ?? ''
    expect(cliBackup).toMatch(/steadyline-\d{8}T\d{6}Z$/)
    expect(result.stdout).toContain(`Backup written and checked: ${cliBackup}`)
    expect(result.stdout).toMatch(/integrity_check ok, \d+ records, server sequence \d+/)
    expect(result.stdout).toMatch(/attachments {2}1 file \(48 KB\), 1 copied by this run/)
    expect(result.stdout).toMatch(/took +\d+\.\d\d s/)
    expect(readdirSync(backupDir)).toEqual([cliBackup.split('/').at(-1)]) // no .partial left behind

    const live = rows(liveDb, 'SELECT COUNT(*) AS n FROM records')[0]?.n as number
    for (const folder of [libBackup, cliBackup]) {
      const dbFile = join(folder, SQLITE_FILE_NAME)
      const check = checkDatabase(dbFile)
      expect(check.integrity).toBe('ok')
      // one self-contained file: rollback-journal mode, nothing beside it
      expect(rows(dbFile, 'PRAGMA journal_mode')).toEqual([{ journal_mode: 'delete' }])
      expect(readdirSync(folder).sort()).toEqual(['attachments', SQLITE_FILE_NAME])
      const n = expectPrefixOfLive(dbFile, liveDb)
      expect(check.records).toBe(n)
      expect(n).toBeGreaterThan(200)
      expect(n).toBeLessThan(live)
      // the writer's sync state is from the same instant as its records
      const written = rows(dbFile, `SELECT COUNT(*) AS n FROM records WHERE author = '${device.personName}'`)[0]?.n
      expect(rows(dbFile, `SELECT last_mutation_id AS n FROM sync_clients WHERE client_id = '${writerClient}'`)).toEqual([{ n: written }])
      expect(readFileSync(attachmentPath(folder)).equals(attachment)).toBe(true)
    }
    expect(result.stdout).toContain(`${checkDatabase(join(cliBackup, SQLITE_FILE_NAME)).records} records`)
  })

  it('restores with the CLI into a fresh data directory: a store started on it serves the records, attachments byte for byte', async () => {
    const fresh = join(tempDir('fresh'), 'data')
    const result = await runScript('restore', [cliBackup], { DATA_DIR: fresh })
    expect(result.code).toBe(0)
    const backupRecords = rows(join(cliBackup, SQLITE_FILE_NAME), RECORDS)
    expect(result.stdout).toContain(`integrity_check ok, ${backupRecords.length} records`)
    expect(result.stdout).toContain(`Restored: ${join(fresh, SQLITE_FILE_NAME)}`)
    expect(result.stdout).toContain('attachments: 1 copied')
    // no database was there before: nothing moved aside, and a word about the unknown sequence
    expect(result.stdout).not.toContain('before-restore')
    expect(result.stderr).toContain('--seq-floor')

    expect(readFileSync(attachmentPath(fresh)).equals(attachment)).toBe(true)
    expect(rows(join(fresh, SQLITE_FILE_NAME), RECORDS)).toEqual(backupRecords) // every column, data text byte for byte

    const restored = await openServer(fresh)
    try {
      expect(await restored.store.countRecords()).toBe(backupRecords.length)
      // the device enrolled before the backup still syncs with its token and gets its site's records
      const pulled = await pullAll(restored.app, device, newId())
      const expected = backupRecords.filter((r) => r.site_id === device.siteId)
      expect(pulled.map((r) => r.id)).toEqual(expected.map((r) => r.id))
      expect(pulled.map((r) => JSON.stringify(r.data))).toEqual(expected.map((r) => r.data))
    } finally {
      await restored.close()
    }
  })

  it('refuses to restore while a server has the database open, even when it is idle, and changes nothing', async () => {
    const before = readdirSync(dataDir).sort()
    await expect(
      restoreSqlite({ from: libBackup, dbPath: liveDb, attachmentsDir: join(dataDir, 'attachments') }),
    ).rejects.toThrow(/in use.*Stop the server/s)
    expect(readdirSync(dataDir).sort()).toEqual(before)
    expect(await server.store.countRecords()).toBeGreaterThan(checkDatabase(join(libBackup, SQLITE_FILE_NAME)).records)
  })

  it('restores over the live database once the server is stopped: moves it aside whole, continues its sequence', async () => {
    const liveRecords = rows(liveDb, RECORDS)
    const liveSeq = rows(liveDb, 'SELECT value FROM server_seq')[0]?.value as number
    await server.close()

    const summary = await restoreSqlite({ from: libBackup, dbPath: liveDb, attachmentsDir: join(dataDir, 'attachments') })
    expect(summary.warnings).toEqual([])
    expect(summary.movedAside).toHaveLength(1) // the WAL was checkpointed into it first
    const aside = summary.movedAside[0] ?? ''
    expect(aside).toMatch(/steadyline\.sqlite\.before-restore-\d{8}T\d{6}Z$/)
    expect(rows(aside, RECORDS)).toEqual(liveRecords) // nothing deleted
    expect(existsSync(`${liveDb}-wal`)).toBe(false)
    expect(summary).toMatchObject({ liveSeq, restoredSeq: liveSeq })
    expect(rows(liveDb, RECORDS)).toEqual(rows(join(libBackup, SQLITE_FILE_NAME), RECORDS))

    server = await openServer(dataDir)
    // The writer's numbering went past what the restored server knows: a gap, which makes a
    // tablet start a new sync identity and push its outbox again (src/client/sync/engine.ts).
    const { status, body } = await push(server.app, device, writerClient, creates(nextMutation, [callRecord(device)]))
    expect(status).toBe(409)
    expect(body.code).toBe('mutation_gap')
    const fresh = newId()
    expect((await push(server.app, device, fresh, creates(1, [callRecord(device)]))).status).toBe(200)
    // new records are numbered past everything the old database handed out
    const newest = rows(liveDb, 'SELECT MAX(server_seq) AS s FROM records')[0]?.s as number
    expect(newest).toBe(liveSeq + 1)
  })

  it('refuses a damaged backup before touching anything', async () => {
    const bad = join(tempDir('bad'), 'steadyline-20260101T000000Z')
    mkdirSync(bad)
    const good = readFileSync(join(libBackup, SQLITE_FILE_NAME))
    const damaged = Buffer.from(good)
    randomBytes(4096).copy(damaged, 4096 * 2) // a page in the middle
    writeFileSync(join(bad, SQLITE_FILE_NAME), damaged)
    const target = tempDir('target')
    writeFileSync(join(target, SQLITE_FILE_NAME), good)
    await expect(restoreSqlite({ from: bad, dbPath: join(target, SQLITE_FILE_NAME), attachmentsDir: join(target, 'attachments') })).rejects.toThrow(
      /integrity_check|malformed|not a database|Cannot check/,
    )
    expect(readdirSync(target)).toEqual([SQLITE_FILE_NAME])
    await expect(restoreSqlite({ from: tempDir('empty'), dbPath: join(target, SQLITE_FILE_NAME), attachmentsDir: target })).rejects.toThrow(
      /not a Steadyline backup folder/,
    )
  })
})

describe('keeping backups', () => {
  it('--keep N keeps the newest N backup folders and nothing else is touched; no attachments folder is fine', async () => {
    const dataDir = tempDir('keep')
    const s = await openServer(dataDir)
    await s.close()
    const backupDir = join(dataDir, 'backups')
    const at = (iso: string) => () => new Date(iso)
    const opts = { dbPath: join(dataDir, SQLITE_FILE_NAME), attachmentsDir: join(dataDir, 'attachments'), backupDir }
    const first = await backupSqlite({ ...opts, now: at('2026-11-01T23:30:00Z') })
    expect(first.attachments).toBeUndefined()
    mkdirSync(join(backupDir, 'steadyline-20261101T000000Z.partial')) // an interrupted run
    writeFileSync(join(backupDir, 'notes.txt'), 'keep me')
    await backupSqlite({ ...opts, now: at('2026-11-08T23:30:00Z') })
    const third = await backupSqlite({ ...opts, now: at('2026-11-08T23:30:00Z'), keep: 2 }) // same second: a suffix
    expect(third.folder).toMatch(/steadyline-20261108T233000Z-2$/)
    expect(third.pruned).toEqual([first.folder])
    expect(readdirSync(backupDir).sort()).toEqual([
      'notes.txt',
      'steadyline-20261101T000000Z.partial',
      'steadyline-20261108T233000Z',
      'steadyline-20261108T233000Z-2',
    ])
    expect(pruneBackups(backupDir, 1)).toEqual([join(backupDir, 'steadyline-20261108T233000Z')])
    expect(() => pruneBackups(backupDir, 0)).toThrow(/at least 1/)
  })
})

describe('PostgreSQL', () => {
  it('does not dump: prints the pg_dump (and pg_restore) line, without the password, and exits non-zero', async () => {
    const env = { DATABASE_URL: 'postgres://steadyline:s3cret@db.example:5432/steadyline', DATA_DIR: tempDir('pg') }
    const [backup, restore] = await Promise.all([runScript('backup', ['--keep', '8'], env), runScript('restore', ['/backups/x.dump'], env)])
    expect(backup.code).toBe(2)
    expect(backup.stderr).toContain('PostgreSQL')
    expect(backup.stdout).toMatch(/^ {2}pg_dump --format=custom --file=\S+\/backups\/steadyline-\d{8}T\d{6}Z\.dump "\$DATABASE_URL"\n$/)
    expect(backup.stderr).toContain('pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL"')
    expect(restore.code).toBe(2)
    expect(restore.stdout).toContain('pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" /backups/x.dump')
    for (const out of [backup.stdout, backup.stderr, restore.stdout, restore.stderr]) expect(out).not.toContain('s3cret')
    expect(existsSync(join(env.DATA_DIR, 'backups'))).toBe(false)
  })
})

describe('a tablet across a restore (real sync engine)', () => {
  it('pushes its outbox again under a new identity, and still receives new records; what the server acknowledged after the backup is not sent again', async () => {
    const dataDir = tempDir('tablet')
    let s = await openServer(dataDir)
    const site = uniqueSiteName()
    const deviceA = await enroll(s.app, s.code, site, 'A')
    const deviceB = await enroll(s.app, s.code, site, 'B')
    const fetchToCurrentServer = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const res = await s.app.inject({
        method: 'POST',
        url: String(input),
        headers: init?.headers as Record<string, string>,
        payload: init?.body as string,
      })
      return new Response(res.body, { status: res.statusCode, headers: { 'content-type': 'application/json' } })
    }) as typeof fetch
    const tablet = async (device: TestDevice) => {
      const db = new AppDB(`tablet-${newId()}`)
      await saveEnrollment(db, { ...device, enrolledAt: new Date().toISOString() })
      const transport = createHttpTransport({ getToken: async () => device.token, fetch: fetchToCurrentServer })
      return { db, sync: () => syncOnce(db, transport) }
    }
    const a = await tablet(deviceA)
    const b = await tablet(deviceB)
    const call = () => callRecord(deviceA)

    for (let i = 0; i < 3; i++) await createRecord(a.db, call())
    expect(await a.sync()).toMatchObject({ ok: true, pushed: 3 })
    const backup = await backupSqlite({ dbPath: join(dataDir, SQLITE_FILE_NAME), attachmentsDir: join(dataDir, 'attachments'), backupDir: join(dataDir, 'backups') })
    const afterBackup = [await createRecord(a.db, call()), await createRecord(a.db, call())]
    expect(await a.sync()).toMatchObject({ ok: true, pushed: 2 })
    expect(await b.sync()).toMatchObject({ ok: true }) // B's cursor is now past the backup's sequence
    const waiting = await createRecord(a.db, call()) // saved offline: still in A's outbox

    await s.close()
    await restoreSqlite({ from: backup.folder, dbPath: join(dataDir, SQLITE_FILE_NAME), attachmentsDir: join(dataDir, 'attachments') })
    s = await openServer(dataDir)
    try {
      const clientBefore = (await a.db.meta.get('clientId'))?.value
      // the waiting record, and A's five synced ones queued again under the new identity
      expect(await a.sync()).toMatchObject({ ok: true, pushed: 6 })
      expect((await a.db.meta.get('clientId'))?.value).not.toBe(clientBefore)
      const onServer = new Set((await s.store.queryRecords({ kinds: ['callRecord'], siteIds: [deviceA.siteId], limit: 100 })).map((r) => r.id))
      expect(onServer.has(waiting.id)).toBe(true)
      // B pulls the record pushed after the restore although its cursor was past the backup
      expect(await b.db.records.get(waiting.id)).toBeUndefined()
      expect(await b.sync()).toMatchObject({ ok: true })
      expect(await b.db.records.get(waiting.id)).toBeDefined()
      // The two records A pushed between the backup and the restore had left its outbox; A queued
      // its own synced records again with the new identity, so the restored server has them back,
      // once each, and nothing is doubled.
      for (const r of afterBackup) {
        expect(onServer.has(r.id)).toBe(true)
        expect(await a.db.records.get(r.id)).toMatchObject({ syncState: 'synced' })
      }
      expect(onServer.size).toBe(6)
    } finally {
      await s.close()
      a.db.close()
      b.db.close()
    }
  })
})
