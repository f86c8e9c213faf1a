import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { AttachmentType } from '../../shared/attachments'
import { ATTACHMENTS_DIR_NAME } from '../backups'
import { readAttachmentFile, writeAttachmentFile } from './attachment-files'
import type { AttachmentInput, StoredAttachment } from './types'
import { newId } from '../../shared/ids'
import { SYSTEM_SITE_ID } from '../../shared/org-records'
import type { RecordEnvelope, RecordKind } from '../../shared/records'
import { SQLITE_MIGRATIONS } from './migrations/sqlite'
import { checkMigrations } from './migrations/types'
import { applyPush } from './push'
import { applySeed } from './seed'
import { makeEnrollmentCode } from '../tokens'
import type {
  Device,
  DeviceInfo,
  PersonSession,
  PullOutcome,
  PushOutcome,
  PushTx,
  RecordQuery,
  SeedInput,
  SiteInfo,
  Store,
  StoredRecord,
} from './types'
import type { PullRequest, PushRequest, RejectionParams } from '../../shared/sync'

export interface SqliteStoreOptions {
  /** File path, or ':memory:'. Its folder is created if missing. */
  path: string
  /** How long a writer waits for another process's lock. @default 5000 */
  busyTimeoutMs?: number
  /**
   * Folder of the attachment files (see attachment-files.ts), where backups look for them.
   * @default `attachments` next to the database file (none for ':memory:': attachments then fail)
   */
  attachmentsDir?: string
}

interface DeviceRow {
  id: string
  site_id: string
  name: string
  last_seen_at: string | null
  revoked_at: string | null
}

interface RecordRow {
  id: string
  kind: string
  site_id: string
  device_id: string
  author: string
  created_at: string
  updated_at: string
  data: string
  server_seq: number
  person_id: string | null
}

const toDevice = (r: DeviceRow): Device => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  lastSeenAt: r.last_seen_at,
  revokedAt: r.revoked_at,
})

const toRecord = (r: RecordRow): StoredRecord => ({
  id: r.id,
  kind: r.kind as RecordKind,
  siteId: r.site_id,
  deviceId: r.device_id,
  author: r.author,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  serverSeq: r.server_seq,
  data: JSON.parse(r.data) as Record<string, unknown>,
  ...(r.person_id ? { personId: r.person_id } : {}),
})

const RECORD_COLUMNS = 'id, kind, site_id, device_id, author, created_at, updated_at, data, server_seq, person_id'

const INSERT_RECORDS = `INSERT INTO records (${RECORD_COLUMNS}, received_at) VALUES `
const RECORD_WIDTH = 11
const INSERT_LOG = `INSERT INTO mutation_log
  (client_id, mutation_id, name, args_hash, status, reason, code, params, server_seq, received_at) VALUES `
const LOG_WIDTH = 10

/**
 * Most rows one INSERT statement takes. A batch is written by a few multi-row statements (128 +
 * 64 + 8 rows for 200), each prepared once per size: far fewer calls into SQLite than a row each.
 */
const MAX_ROWS_PER_INSERT = 128

/**
 * A page of the pull: the site's records and the org-wide ones (plans, contacts), merged in
 * server_seq order. Two index range scans, each stopping after `limit` rows (records_site_seq, and
 * the partial index records_org_seq, whose predicate this repeats), then a sort of at most 2 ×
 * limit rows: an OR in one WHERE would make SQLite walk every row after the cursor. An org-wide
 * record of the device's own site comes from the first half only.
 */
const PULL_SQL = `
  SELECT * FROM (SELECT ${RECORD_COLUMNS} FROM records
                 WHERE site_id = :site AND server_seq > :cursor ORDER BY server_seq LIMIT :limit)
  UNION ALL
  SELECT * FROM (SELECT ${RECORD_COLUMNS} FROM records
                 WHERE kind IN ('playbook', 'contact') AND site_id <> :site AND server_seq > :cursor
                 ORDER BY server_seq LIMIT :limit)
  ORDER BY server_seq LIMIT :limit`

/**
 * SQLite through better-sqlite3. Its calls are synchronous, but a push spans awaits (the algorithm
 * is shared with PostgreSQL), and anything run on this one connection while a transaction is open
 * would join it: so every operation goes through `exclusive`, one at a time. Other processes on the
 * same file are kept out by BEGIN IMMEDIATE and busy_timeout.
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const
  private readonly db: Database.Database
  private queue: Promise<unknown> = Promise.resolve()
  private readonly statements = new Map<string, Database.Statement>()
  private readonly attachmentsDir: string | undefined

  constructor(options: SqliteStoreOptions) {
    this.attachmentsDir =
      options.attachmentsDir ?? (options.path === ':memory:' ? undefined : join(dirname(options.path), ATTACHMENTS_DIR_NAME))
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true })
    this.db = new Database(options.path)
    this.db.pragma('journal_mode = WAL')
    // FULL: a commit is on disk when the push is answered (NORMAL could lose it on power loss).
    this.db.pragma('synchronous = FULL')
    this.db.pragma('foreign_keys = ON')
    this.db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`)
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }

  /**
   * Runs `head` (an INSERT … VALUES) for every `width` values of `values`, as few multi-row
   * statements of 1, 2, 4 … MAX_ROWS_PER_INSERT rows (so only that many ever get prepared).
   */
  private insertRows(head: string, width: number, values: unknown[]): void {
    const rows = values.length / width
    for (let at = 0; at < rows; ) {
      let n = MAX_ROWS_PER_INSERT
      while (n > rows - at) n >>= 1
      const key = `${head}\u0000${n}`
      let statement = this.statements.get(key)
      if (!statement) {
        const tuple = `(${new Array<string>(width).fill('?').join(', ')})`
        statement = this.db.prepare(head + new Array<string>(n).fill(tuple).join(', '))
        this.statements.set(key, statement)
      }
      statement.run(at === 0 && n === rows ? values : values.slice(at * width, (at + n) * width))
      at += n
    }
  }

  private takeServerSeqsNow(count: number): number {
    const row = this.stmt('UPDATE server_seq SET value = value + ? WHERE id = 1 RETURNING value').get(count) as { value: number }
    return row.value - count + 1
  }

  private insertRecordsNow(records: readonly StoredRecord[], receivedAt: string): void {
    const values: unknown[] = []
    for (const r of records) {
      values.push(r.id, r.kind, r.siteId, r.deviceId, r.author, r.createdAt, r.updatedAt, JSON.stringify(r.data), r.serverSeq)
      values.push(r.personId ?? null, receivedAt)
    }
    this.insertRows(INSERT_RECORDS, RECORD_WIDTH, values)
  }

  private exclusive<T>(task: () => T | Promise<T>): Promise<T> {
    const run = this.queue.then(task, task)
    this.queue = run.catch(() => undefined)
    return run
  }

  migrate(): Promise<number> {
    return this.exclusive(() => {
      checkMigrations(SQLITE_MIGRATIONS)
      this.db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`)
      const apply = this.db.transaction(() => {
        const row = this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }
        const current = row.v ?? 0
        const pending = SQLITE_MIGRATIONS.filter((m) => m.version > current)
        for (const m of pending) {
          this.db.exec(m.sql)
          this.db
            .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
            .run(m.version, m.name, new Date().toISOString())
        }
        return pending.length
      })
      // IMMEDIATE: two processes starting together must not both apply the same step.
      return apply.immediate()
    })
  }

  ping(): Promise<void> {
    return this.exclusive(() => {
      this.stmt('SELECT 1').get()
    })
  }

  close(): Promise<void> {
    return this.exclusive(() => {
      if (this.db.open) this.db.close()
    })
  }

  getOrCreateEnrollmentCode(): Promise<string> {
    return this.exclusive(() => {
      this.stmt("INSERT INTO meta (key, value) VALUES ('enrollment_code', ?) ON CONFLICT (key) DO NOTHING").run(
        makeEnrollmentCode(),
      )
      return (this.stmt("SELECT value FROM meta WHERE key = 'enrollment_code'").get() as { value: string }).value
    })
  }

  enrollDevice(input: { siteName: string; deviceName: string; tokenHash: string; now: string }) {
    return this.exclusive(() =>
      this.db.transaction(() => {
        const name = input.siteName.trim()
        this.stmt('INSERT INTO sites (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING').run(
          newId(),
          name,
          input.now,
        )
        const site = this.stmt('SELECT id, name FROM sites WHERE name = ?').get(name) as { id: string; name: string }
        const deviceId = newId()
        const deviceName = input.deviceName.trim()
        this.stmt('INSERT INTO devices (id, site_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(
          deviceId,
          site.id,
          deviceName,
          input.tokenHash,
          input.now,
        )
        const device: Device = { id: deviceId, siteId: site.id, name: deviceName, lastSeenAt: null, revokedAt: null }
        return { site, device }
      }).immediate(),
    )
  }

  findDeviceByTokenHash(tokenHash: string): Promise<Device | undefined> {
    return this.exclusive(() => {
      const row = this.stmt('SELECT id, site_id, name, last_seen_at, revoked_at FROM devices WHERE token_hash = ?').get(
        tokenHash,
      ) as DeviceRow | undefined
      return row && toDevice(row)
    })
  }

  touchDevice(deviceId: string, now: string): Promise<void> {
    return this.exclusive(() => {
      this.stmt('UPDATE devices SET last_seen_at = ? WHERE id = ?').run(now, deviceId)
    })
  }

  push(device: Device, request: PushRequest, now: string): Promise<PushOutcome> {
    return this.exclusive(async () => {
      this.db.exec('BEGIN IMMEDIATE')
      try {
        const outcome = await applyPush(this.pushTx(), device, request, now)
        this.db.exec(outcome.kind === 'ok' ? 'COMMIT' : 'ROLLBACK')
        return outcome
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK')
        throw error
      }
    })
  }

  seed(input: SeedInput): Promise<number> {
    return this.exclusive(async () => {
      this.db.exec('BEGIN IMMEDIATE')
      try {
        const stored = await applySeed(this.pushTx(), input)
        this.db.exec('COMMIT')
        return stored
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK')
        throw error
      }
    })
  }

  private pushTx(): PushTx {
    return {
      readForPush: async ({ clientId, from, to, recordIds, roster }) => {
        const client = this.stmt('SELECT device_id, last_mutation_id FROM sync_clients WHERE client_id = ?').get(clientId) as
          | { device_id: string; last_mutation_id: number }
          | undefined
        const logged = this.stmt(
          `SELECT mutation_id, args_hash, status, reason, code, params FROM mutation_log
           WHERE client_id = ? AND mutation_id BETWEEN ? AND ?`,
        ).all(clientId, from, to) as {
          mutation_id: number
          args_hash: string
          status: 'accepted' | 'rejected'
          reason: string | null
          code: string | null
          params: string | null
        }[]
        // The ids as one JSON array, each looked up in the primary key.
        const records =
          recordIds.length === 0
            ? []
            : (this.stmt(`SELECT ${RECORD_COLUMNS} FROM records WHERE id IN (SELECT value FROM json_each(?))`).all(
                JSON.stringify(recordIds),
              ) as RecordRow[])
        return {
          client: client && { deviceId: client.device_id, lastMutationId: client.last_mutation_id },
          logged: new Map(
            logged.map((r) => [
              r.mutation_id,
              {
                argsHash: r.args_hash,
                status: r.status,
                reason: r.reason,
                code: r.code,
                params: r.params === null ? null : (JSON.parse(r.params) as RejectionParams),
              },
            ]),
          ),
          records: new Map(records.map((r) => [r.id, toRecord(r)])),
          roster: this.queryRecordsNow(roster),
        }
      },
      takeServerSeqs: async (count) => this.takeServerSeqsNow(count),
      insertRecords: async (records, receivedAt) => this.insertRecordsNow(records, receivedAt),
      highestVersions: async (kind, ids) => {
        if (ids.length === 0) return new Map()
        // The predicate names the org-wide kinds as the partial index records_org_seq does: one
        // walk of the org-wide records for the whole batch.
        const rows = this.stmt(
          `SELECT json_extract(data, '$.id') AS id, MAX(json_extract(data, '$.version')) AS v FROM records
           WHERE kind IN ('playbook', 'contact') AND kind = ? AND json_extract(data, '$.id') IN (SELECT value FROM json_each(?))
           GROUP BY 1`,
        ).all(kind, JSON.stringify(ids)) as { id: string; v: number | null }[]
        const found = new Map<string, number>()
        for (const row of rows) if (row.v !== null) found.set(row.id, row.v)
        return found
      },
      writePush: async (w) => {
        this.stmt(
          `INSERT INTO sync_clients (client_id, device_id, last_mutation_id, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (client_id) DO UPDATE SET last_mutation_id = excluded.last_mutation_id, updated_at = excluded.updated_at`,
        ).run(w.clientId, w.deviceId, w.lastMutationId, w.receivedAt, w.receivedAt)
        let first = 0
        if (w.records.length > 0) {
          first = this.takeServerSeqsNow(w.records.length)
          this.insertRecordsNow(w.records.map((r, i) => ({ ...r, serverSeq: first + i })), w.receivedAt)
        }
        const values: unknown[] = []
        for (const e of w.log) {
          const params = e.params === null ? null : JSON.stringify(e.params)
          const seq = e.record === null ? null : first + e.record
          values.push(w.clientId, e.mutationId, e.name, e.argsHash, e.status, e.reason, e.code, params, seq, w.receivedAt)
        }
        this.insertRows(INSERT_LOG, LOG_WIDTH, values)
      },
    }
  }

  pull(device: Device, request: PullRequest): Promise<PullOutcome> {
    return this.exclusive(() => {
      const client = this.stmt('SELECT device_id, last_mutation_id FROM sync_clients WHERE client_id = ?').get(
        request.clientId,
      ) as { device_id: string; last_mutation_id: number } | undefined
      if (client && client.device_id !== device.id) return { kind: 'client_taken' as const }
      const rows = this.stmt(PULL_SQL).all({ site: device.siteId, cursor: request.cursor, limit: request.limit + 1 }) as RecordRow[]
      const hasMore = rows.length > request.limit
      const records = rows.slice(0, request.limit).map(toRecord)
      return {
        kind: 'ok' as const,
        response: {
          records,
          cursor: records.at(-1)?.serverSeq ?? request.cursor,
          hasMore,
          lastMutationId: client?.last_mutation_id ?? 0,
        },
      }
    })
  }

  /** Runs on the connection as it is (inside or outside a transaction); callers hold the queue. */
  private queryRecordsNow(query: RecordQuery): StoredRecord[] {
    if (query.kinds.length === 0 || query.siteIds?.length === 0) return []
    const where = [`kind IN (${query.kinds.map(() => '?').join(',')})`]
    const params: unknown[] = [...query.kinds]
    if (query.siteIds) {
      where.push(`site_id IN (${query.siteIds.map(() => '?').join(',')})`)
      params.push(...query.siteIds)
    }
    if (query.createdFrom !== undefined) {
      where.push('created_at >= ?')
      params.push(query.createdFrom)
    }
    if (query.createdTo !== undefined) {
      where.push('created_at < ?')
      params.push(query.createdTo)
    }
    const sql = `SELECT ${RECORD_COLUMNS} FROM records WHERE ${where.join(' AND ')} ORDER BY server_seq DESC LIMIT ?`
    return (this.stmt(sql).all(...params, query.limit) as RecordRow[]).map(toRecord)
  }

  queryRecords(query: RecordQuery): Promise<StoredRecord[]> {
    return this.exclusive(() => this.queryRecordsNow(query))
  }

  appendServerRecords(
    now: string,
    build: (read: (query: RecordQuery) => Promise<StoredRecord[]>) => Promise<RecordEnvelope[]>,
  ): Promise<StoredRecord[]> {
    return this.exclusive(async () => {
      this.db.exec('BEGIN IMMEDIATE')
      try {
        const tx = this.pushTx()
        const records = await build(async (q) => this.queryRecordsNow(q))
        const first = records.length > 0 ? await tx.takeServerSeqs(records.length) : 0
        const stored = records.map((r, i) => ({ ...r, serverSeq: first + i }))
        await tx.insertRecords(stored, now)
        this.db.exec('COMMIT')
        return stored
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK')
        throw error
      }
    })
  }

  listSites(): Promise<SiteInfo[]> {
    return this.exclusive(() =>
      (
        this.stmt('SELECT id, name, created_at FROM sites WHERE id <> ? ORDER BY name').all(SYSTEM_SITE_ID) as {
          id: string
          name: string
          created_at: string
        }[]
      ).map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at })),
    )
  }

  createSite(name: string, now: string): Promise<SiteInfo | undefined> {
    return this.exclusive(() => {
      const id = newId()
      const done = this.stmt('INSERT INTO sites (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING').run(
        id,
        name.trim(),
        now,
      )
      return done.changes === 1 ? { id, name: name.trim(), createdAt: now } : undefined
    })
  }

  listDevices(siteIds?: readonly string[]): Promise<DeviceInfo[]> {
    return this.exclusive(() => {
      const cols = 'id, site_id, name, last_seen_at, revoked_at, created_at'
      const rows = (
        siteIds
          ? this.db
              .prepare(`SELECT ${cols} FROM devices WHERE site_id IN (${siteIds.map(() => '?').join(',') || "''"}) ORDER BY name`)
              .all(...siteIds)
          : this.stmt(`SELECT ${cols} FROM devices WHERE site_id <> ? ORDER BY name`).all(SYSTEM_SITE_ID)
      ) as (DeviceRow & { created_at: string })[]
      return rows.map((r) => ({ ...toDevice(r), createdAt: r.created_at }))
    })
  }

  renameDevice(deviceId: string, name: string): Promise<Device | undefined> {
    return this.exclusive(() => {
      this.stmt('UPDATE devices SET name = ? WHERE id = ? AND site_id <> ?').run(name.trim(), deviceId, SYSTEM_SITE_ID)
      const row = this.stmt('SELECT id, site_id, name, last_seen_at, revoked_at FROM devices WHERE id = ? AND site_id <> ?').get(
        deviceId,
        SYSTEM_SITE_ID,
      ) as DeviceRow | undefined
      return row && toDevice(row)
    })
  }

  revokeDevice(deviceId: string, now: string): Promise<Device | undefined> {
    return this.exclusive(() => {
      this.stmt('UPDATE devices SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND site_id <> ?').run(now, deviceId, SYSTEM_SITE_ID)
      const row = this.stmt('SELECT id, site_id, name, last_seen_at, revoked_at FROM devices WHERE id = ? AND site_id <> ?').get(
        deviceId,
        SYSTEM_SITE_ID,
      ) as DeviceRow | undefined
      return row && toDevice(row)
    })
  }

  createSession(session: PersonSession): Promise<void> {
    return this.exclusive(() => {
      this.stmt(
        'INSERT INTO person_sessions (token_hash, person_id, site_id, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(session.tokenHash, session.personId, session.siteId, session.createdAt, session.expiresAt, session.revokedAt)
    })
  }

  findSession(tokenHash: string): Promise<PersonSession | undefined> {
    return this.exclusive(() => {
      const r = this.stmt(
        'SELECT token_hash, person_id, site_id, created_at, expires_at, revoked_at FROM person_sessions WHERE token_hash = ?',
      ).get(tokenHash) as
        | { token_hash: string; person_id: string; site_id: string; created_at: string; expires_at: string; revoked_at: string | null }
        | undefined
      return (
        r && {
          tokenHash: r.token_hash,
          personId: r.person_id,
          siteId: r.site_id,
          createdAt: r.created_at,
          expiresAt: r.expires_at,
          revokedAt: r.revoked_at,
        }
      )
    })
  }

  revokeSession(tokenHash: string, now: string): Promise<void> {
    return this.exclusive(() => {
      this.stmt('UPDATE person_sessions SET revoked_at = COALESCE(revoked_at, ?) WHERE token_hash = ?').run(now, tokenHash)
    })
  }

  countRecords(siteId?: string): Promise<number> {
    return this.exclusive(() => {
      const row = (
        siteId === undefined
          ? this.stmt('SELECT COUNT(*) AS n FROM records').get()
          : this.stmt('SELECT COUNT(*) AS n FROM records WHERE site_id = ?').get(siteId)
      ) as { n: number }
      return row.n
    })
  }

  private requireAttachmentsDir(): string {
    if (this.attachmentsDir === undefined) throw new Error('this SQLite store has no attachments folder (attachmentsDir)')
    return this.attachmentsDir
  }

  /**
   * The file first (durable, outside the queue: it touches no row), then the rows in one
   * transaction: a row never names a missing file, which backups rely on (they copy the files
   * after the database). A crash in between leaves a file without a row, which the next upload
   * of the same bytes adopts.
   */
  async putAttachment(input: AttachmentInput): Promise<'created' | 'exists'> {
    await writeAttachmentFile(this.requireAttachmentsDir(), input.sha256, input.bytes)
    return this.exclusive(() =>
      this.db
        .transaction(() => {
          this.stmt(
            'INSERT INTO attachments (sha256, content_type, size, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING',
          ).run(input.sha256, input.contentType, input.bytes.length, input.now)
          const linked = this.stmt(
            `INSERT INTO attachment_sites (sha256, site_id, device_id, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (sha256, site_id) DO NOTHING`,
          ).run(input.sha256, input.siteId, input.deviceId, input.now)
          return linked.changes === 1 ? ('created' as const) : ('exists' as const)
        })
        .immediate(),
    )
  }

  async getAttachment(sha256: string, siteIds: readonly string[]): Promise<StoredAttachment | undefined> {
    if (siteIds.length === 0) return undefined
    const row = await this.exclusive(
      () =>
        this.db
          .prepare(
            `SELECT a.content_type FROM attachments a
             WHERE a.sha256 = ? AND EXISTS (SELECT 1 FROM attachment_sites s
                                            WHERE s.sha256 = a.sha256 AND s.site_id IN (${siteIds.map(() => '?').join(',')}))`,
          )
          .get(sha256, ...siteIds) as { content_type: AttachmentType } | undefined,
    )
    if (!row) return undefined
    // A row without its file is a damaged data folder: an error (500, logged), never a quiet 404.
    return { contentType: row.content_type, bytes: await readAttachmentFile(this.requireAttachmentsDir(), sha256) }
  }
}
