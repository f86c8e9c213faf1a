import pg from 'pg'
import type { AttachmentType } from '../../shared/attachments'
import type { AttachmentInput, StoredAttachment } from './types'
import { newId } from '../../shared/ids'
import { SYSTEM_SITE_ID } from '../../shared/org-records'
import type { RecordEnvelope, RecordKind } from '../../shared/records'
import { makeEnrollmentCode } from '../tokens'
import { POSTGRES_MIGRATIONS } from './migrations/postgres'
import { checkMigrations } from './migrations/types'
import { applyPush } from './push'
import { applySeed } from './seed'
import type {
  Device,
  DeviceInfo,
  LoggedMutation,
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
import type { PullRequest, PushRequest } from '../../shared/sync'

export interface PostgresStoreOptions {
  connectionString: string
  /** Schema to work in (created by the caller); tests use one per file. @default the server's search_path */
  schema?: string
  /** @default 10 */
  maxConnections?: number
  /** Called when an idle pooled connection fails (e.g. the database restarted). */
  onPoolError?: (error: Error) => void
}

interface DeviceRow {
  id: string
  site_id: string
  name: string
  last_seen_at: Date | null
  revoked_at: Date | null
}

interface RecordRow {
  id: string
  kind: string
  site_id: string
  device_id: string
  author: string
  created_at: string
  updated_at: string
  data: Record<string, unknown>
  server_seq: string
  person_id: string | null
}

const toDevice = (r: DeviceRow): Device => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  lastSeenAt: r.last_seen_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
})

// bigint columns come back from pg as strings; sequences here stay far below 2^53.
const toRecord = (r: RecordRow): StoredRecord => ({
  id: r.id,
  kind: r.kind as RecordKind,
  siteId: r.site_id,
  deviceId: r.device_id,
  author: r.author,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  serverSeq: Number(r.server_seq),
  data: r.data,
  ...(r.person_id ? { personId: r.person_id } : {}),
})

const RECORD_COLUMNS = 'id, kind, site_id, device_id, author, created_at, updated_at, data, server_seq, person_id'
const IDENTIFIER_RE = /^[a-z_][a-z0-9_]*$/

/**
 * A page of the pull: the site's records and the org-wide ones (plans, contacts), merged in
 * server_seq order. Two index range scans that each stop after `limit` rows (records_site_seq, and
 * the partial index records_org_seq, whose predicate this repeats), then a sort of at most 2 ×
 * limit rows, where an OR would read every row after the cursor. An org-wide record of the
 * device's own site comes from the first half only.
 */
const PULL_SQL = `
  (SELECT ${RECORD_COLUMNS} FROM records WHERE site_id = $1 AND server_seq > $2 ORDER BY server_seq LIMIT $3)
  UNION ALL
  (SELECT ${RECORD_COLUMNS} FROM records
   WHERE kind IN ('playbook', 'contact') AND site_id <> $1 AND server_seq > $2 ORDER BY server_seq LIMIT $3)
  ORDER BY server_seq LIMIT $3`

/**
 * Opens a write transaction and takes the global write lock, in one round trip (a simple query may
 * hold several statements; the transaction goes on after it). The lock is held until COMMIT, so
 * pushes commit one at a time and commit order is server_seq order.
 */
const BEGIN_WRITE = 'BEGIN; SELECT value FROM server_seq WHERE id = 1 FOR UPDATE'

/**
 * What a push reads first, in one statement (one round trip), each part as JSON (bigint as a JSON
 * number: these stay far below 2^53): the client row (locked, as it always was, though every
 * writer of it holds the global lock already), its logged mutations in the batch's id range, the
 * stored records among the batch's ids, and the roster query's records (`roster`, from $5 on).
 */
const readForPushSql = (roster: string) => `
  SELECT
    (SELECT json_build_object('deviceId', device_id, 'lastMutationId', last_mutation_id)
     FROM sync_clients WHERE client_id = $1 FOR UPDATE) AS client,
    (SELECT json_agg(json_build_object('mutationId', mutation_id, 'argsHash', args_hash, 'status', status,
                                       'reason', reason, 'code', code, 'params', params))
     FROM mutation_log WHERE client_id = $1 AND mutation_id BETWEEN $2 AND $3) AS logged,
    (SELECT json_agg(r) FROM (SELECT ${RECORD_COLUMNS} FROM records WHERE id = ANY($4::text[])) r) AS records,
    (SELECT json_agg(q ORDER BY q.server_seq DESC) FROM (${roster}) q) AS roster`

/**
 * Every write of a push in one statement (one round trip): the sequence numbers are taken, the
 * client upserted, the records and the log inserted, each by unnest over parallel arrays. A record
 * gets `base + its 1-based position`, and its log entry the same number through the position it
 * names (0-based). The sub-statements see one snapshot, and the foreign keys are checked at the
 * end of the statement, when the client row is there.
 */
const WRITE_PUSH_SQL = `
  WITH seq AS (
    UPDATE server_seq SET value = value + $1 WHERE id = 1 RETURNING value - $1 AS base
  ), client AS (
    INSERT INTO sync_clients (client_id, device_id, last_mutation_id, created_at, updated_at)
    VALUES ($2, $3, $4, $5::timestamptz, $5::timestamptz)
    ON CONFLICT (client_id) DO UPDATE SET last_mutation_id = excluded.last_mutation_id, updated_at = excluded.updated_at
  ), inserted AS (
    INSERT INTO records (${RECORD_COLUMNS}, received_at)
    SELECT r.id, r.kind, r.site_id, r.device_id, r.author, r.created_at, r.updated_at, r.data, seq.base + r.n, r.person_id,
           $5::timestamptz
    FROM seq, unnest($6::text[], $7::text[], $8::uuid[], $9::uuid[], $10::text[], $11::text[], $12::text[], $13::jsonb[],
                     $14::text[])
              WITH ORDINALITY AS r (id, kind, site_id, device_id, author, created_at, updated_at, data, person_id, n)
  )
  INSERT INTO mutation_log (client_id, mutation_id, name, args_hash, status, reason, code, params, server_seq, received_at)
  SELECT $2, l.mutation_id, l.name, l.args_hash, l.status, l.reason, l.code, l.params, seq.base + 1 + l.record, $5::timestamptz
  FROM seq, unnest($15::bigint[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::jsonb[], $22::int[])
            AS l (mutation_id, name, args_hash, status, reason, code, params, record)`

/**
 * The SELECT of `Store.queryRecords`, its parameters appended to `params` (numbered after those
 * already there); undefined when it can find nothing.
 */
function recordQuerySql(query: RecordQuery, params: unknown[]): string | undefined {
  if (query.kinds.length === 0 || query.siteIds?.length === 0) return undefined
  params.push(query.kinds)
  const where = [`kind = ANY($${params.length}::text[])`]
  if (query.siteIds) {
    params.push(query.siteIds)
    where.push(`site_id = ANY($${params.length}::uuid[])`)
  }
  if (query.createdFrom !== undefined) {
    params.push(query.createdFrom)
    where.push(`created_at >= $${params.length}`)
  }
  if (query.createdTo !== undefined) {
    params.push(query.createdTo)
    where.push(`created_at < $${params.length}`)
  }
  params.push(query.limit)
  return `SELECT ${RECORD_COLUMNS} FROM records WHERE ${where.join(' AND ')} ORDER BY server_seq DESC LIMIT $${params.length}`
}

/** `Store.queryRecords` on a pool or on a transaction's client. */
async function queryRecordsOn(db: Pick<pg.Pool, 'query'>, query: RecordQuery): Promise<StoredRecord[]> {
  const params: unknown[] = []
  const sql = recordQuerySql(query, params)
  if (sql === undefined) return []
  const { rows } = await db.query<RecordRow>(sql, params)
  return rows.map(toRecord)
}

/**
 * PostgreSQL through a pg Pool. Several server processes may share the database: every push
 * starts by locking the single server_seq row, so pushes commit one at a time and the sequence
 * numbers they hand out are visible in the order they were given (a pull never skips a row).
 */
export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const
  private readonly pool: pg.Pool

  constructor(options: PostgresStoreOptions) {
    if (options.schema !== undefined && !IDENTIFIER_RE.test(options.schema)) {
      throw new Error(`invalid schema name: ${options.schema}`)
    }
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: 10_000,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    })
    this.pool.on('error', options.onPoolError ?? (() => undefined))
  }

  /** `begin` opens the transaction: BEGIN, or BEGIN_WRITE for the writers that take the global lock. */
  private async transaction<T>(
    task: (client: pg.PoolClient) => Promise<{ commit: boolean; value: T }>,
    begin = 'BEGIN',
  ): Promise<T> {
    const client = await this.pool.connect()
    let broken: Error | undefined
    try {
      await client.query(begin)
      const { commit, value } = await task(client)
      await client.query(commit ? 'COMMIT' : 'ROLLBACK')
      return value
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        // The connection itself is gone: do not hand it back to the pool.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))
      })
      throw error
    } finally {
      client.release(broken)
    }
  }

  async migrate(): Promise<number> {
    checkMigrations(POSTGRES_MIGRATIONS)
    return this.transaction(async (c) => {
      // Several processes starting at once: one applies, the others wait and find nothing to do.
      await c.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.steadyline_migrations'))")
      await c.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
      const { rows } = await c.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations')
      const current = rows[0]?.v ?? 0
      const pending = POSTGRES_MIGRATIONS.filter((m) => m.version > current)
      for (const m of pending) {
        await c.query(m.sql)
        await c.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name])
      }
      return { commit: true, value: pending.length }
    })
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1')
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end()
  }

  async getOrCreateEnrollmentCode(): Promise<string> {
    await this.pool.query(
      "INSERT INTO meta (key, value) VALUES ('enrollment_code', $1) ON CONFLICT (key) DO NOTHING",
      [makeEnrollmentCode()],
    )
    const { rows } = await this.pool.query<{ value: string }>("SELECT value FROM meta WHERE key = 'enrollment_code'")
    const code = rows[0]?.value
    if (!code) throw new Error('enrollment code missing after insert')
    return code
  }

  async enrollDevice(input: { siteName: string; deviceName: string; tokenHash: string; now: string }) {
    return this.transaction(async (c) => {
      const name = input.siteName.trim()
      await c.query('INSERT INTO sites (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [
        newId(),
        name,
        input.now,
      ])
      const site = (await c.query<{ id: string; name: string }>('SELECT id, name FROM sites WHERE name = $1', [name])).rows[0]
      if (!site) throw new Error(`site ${name} missing after insert`)
      const deviceId = newId()
      const deviceName = input.deviceName.trim()
      await c.query('INSERT INTO devices (id, site_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)', [
        deviceId,
        site.id,
        deviceName,
        input.tokenHash,
        input.now,
      ])
      const device: Device = { id: deviceId, siteId: site.id, name: deviceName, lastSeenAt: null, revokedAt: null }
      return { commit: true, value: { site, device } }
    })
  }

  async findDeviceByTokenHash(tokenHash: string): Promise<Device | undefined> {
    const { rows } = await this.pool.query<DeviceRow>(
      'SELECT id, site_id, name, last_seen_at, revoked_at FROM devices WHERE token_hash = $1',
      [tokenHash],
    )
    return rows[0] && toDevice(rows[0])
  }

  async touchDevice(deviceId: string, now: string): Promise<void> {
    await this.pool.query('UPDATE devices SET last_seen_at = $1 WHERE id = $2', [now, deviceId])
  }

  push(device: Device, request: PushRequest, now: string): Promise<PushOutcome> {
    return this.transaction(async (c) => {
      const outcome = await applyPush(this.pushTx(c), device, request, now)
      return { commit: outcome.kind === 'ok', value: outcome }
    }, BEGIN_WRITE)
  }

  seed(input: SeedInput): Promise<number> {
    return this.transaction(async (c) => {
      // The same global write lock as a push: seeding is serialised with pushes and other processes.
      return { commit: true, value: await applySeed(this.pushTx(c), input) }
    }, BEGIN_WRITE)
  }

  private pushTx(c: pg.PoolClient): PushTx {
    return {
      readForPush: async ({ clientId, from, to, recordIds, roster }) => {
        const values: unknown[] = [clientId, from, to, recordIds]
        const text = readForPushSql(recordQuerySql(roster, values) ?? 'SELECT NULL::bigint AS server_seq WHERE false')
        const { rows } = await c.query<{
          client: { deviceId: string; lastMutationId: number } | null
          logged: (LoggedMutation & { mutationId: number })[] | null
          records: RecordRow[] | null
          roster: RecordRow[] | null
        }>(text, values)
        const row = rows[0]
        return {
          client: row?.client ?? undefined,
          logged: new Map((row?.logged ?? []).map(({ mutationId, ...entry }) => [mutationId, entry])),
          records: new Map((row?.records ?? []).map((r) => [r.id, toRecord(r)])),
          roster: (row?.roster ?? []).map(toRecord),
        }
      },
      takeServerSeqs: async (count) => {
        const { rows } = await c.query<{ value: string }>(
          'UPDATE server_seq SET value = value + $1 WHERE id = 1 RETURNING value',
          [count],
        )
        return Number(rows[0]?.value) - count + 1
      },
      // One statement per batch: unnest turns the parallel arrays back into rows.
      insertRecords: async (records, receivedAt) => {
        if (records.length === 0) return
        await c.query(
          `INSERT INTO records (${RECORD_COLUMNS}, received_at)
           SELECT *, $11::timestamptz FROM unnest(
             $1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::bigint[],
             $10::text[])`,
          [
            records.map((r) => r.id),
            records.map((r) => r.kind),
            records.map((r) => r.siteId),
            records.map((r) => r.deviceId),
            records.map((r) => r.author),
            records.map((r) => r.createdAt),
            records.map((r) => r.updatedAt),
            records.map((r) => JSON.stringify(r.data)),
            records.map((r) => r.serverSeq),
            records.map((r) => r.personId ?? null),
            receivedAt,
          ],
        )
      },
      highestVersions: async (kind, ids) => {
        if (ids.length === 0) return new Map()
        // The predicate names the org-wide kinds as the partial index records_org_seq does.
        const { rows } = await c.query<{ id: string; v: number }>(
          `SELECT data->>'id' AS id, MAX((data->>'version')::int) AS v FROM records
           WHERE kind IN ('playbook', 'contact') AND kind = $1 AND data->>'id' = ANY($2::text[])
           GROUP BY data->>'id'`,
          [kind, ids],
        )
        return new Map(rows.map((r) => [r.id, Number(r.v)]))
      },
      writePush: async (w) => {
        await c.query(WRITE_PUSH_SQL, [
          w.records.length,
          w.clientId,
          w.deviceId,
          w.lastMutationId,
          w.receivedAt,
          w.records.map((r) => r.id),
          w.records.map((r) => r.kind),
          w.records.map((r) => r.siteId),
          w.records.map((r) => r.deviceId),
          w.records.map((r) => r.author),
          w.records.map((r) => r.createdAt),
          w.records.map((r) => r.updatedAt),
          w.records.map((r) => JSON.stringify(r.data)),
          w.records.map((r) => r.personId ?? null),
          w.log.map((e) => e.mutationId),
          w.log.map((e) => e.name),
          w.log.map((e) => e.argsHash),
          w.log.map((e) => e.status),
          w.log.map((e) => e.reason),
          w.log.map((e) => e.code),
          w.log.map((e) => (e.params === null ? null : JSON.stringify(e.params))),
          w.log.map((e) => e.record),
        ])
      },
    }
  }

  async pull(device: Device, request: PullRequest): Promise<PullOutcome> {
    const client = (
      await this.pool.query<{ device_id: string; last_mutation_id: string }>(
        'SELECT device_id, last_mutation_id FROM sync_clients WHERE client_id = $1',
        [request.clientId],
      )
    ).rows[0]
    if (client && client.device_id !== device.id) return { kind: 'client_taken' }
    const { rows } = await this.pool.query<RecordRow>(
      PULL_SQL,
      [device.siteId, request.cursor, request.limit + 1],
    )
    const hasMore = rows.length > request.limit
    const records = rows.slice(0, request.limit).map(toRecord)
    return {
      kind: 'ok',
      response: {
        records,
        cursor: records.at(-1)?.serverSeq ?? request.cursor,
        hasMore,
        lastMutationId: client ? Number(client.last_mutation_id) : 0,
      },
    }
  }

  queryRecords(query: RecordQuery): Promise<StoredRecord[]> {
    return queryRecordsOn(this.pool, query)
  }

  appendServerRecords(
    now: string,
    build: (read: (query: RecordQuery) => Promise<StoredRecord[]>) => Promise<RecordEnvelope[]>,
  ): Promise<StoredRecord[]> {
    return this.transaction(async (c) => {
      // The same global write lock as a push (BEGIN_WRITE).
      const tx = this.pushTx(c)
      const records = await build((q) => queryRecordsOn(c, q))
      const first = records.length > 0 ? await tx.takeServerSeqs(records.length) : 0
      const stored = records.map((r, i) => ({ ...r, serverSeq: first + i }))
      await tx.insertRecords(stored, now)
      return { commit: true, value: stored }
    }, BEGIN_WRITE)
  }

  async listSites(): Promise<SiteInfo[]> {
    const { rows } = await this.pool.query<{ id: string; name: string; created_at: Date }>(
      'SELECT id, name, created_at FROM sites WHERE id <> $1 ORDER BY name',
      [SYSTEM_SITE_ID],
    )
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at.toISOString() }))
  }

  async createSite(name: string, now: string): Promise<SiteInfo | undefined> {
    const id = newId()
    const { rowCount } = await this.pool.query(
      'INSERT INTO sites (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
      [id, name.trim(), now],
    )
    return rowCount === 1 ? { id, name: name.trim(), createdAt: now } : undefined
  }

  async listDevices(siteIds?: readonly string[]): Promise<DeviceInfo[]> {
    const cols = 'id, site_id, name, last_seen_at, revoked_at, created_at'
    const { rows } = siteIds
      ? await this.pool.query<DeviceRow & { created_at: Date }>(
          `SELECT ${cols} FROM devices WHERE site_id = ANY($1::uuid[]) ORDER BY name`,
          [siteIds],
        )
      : await this.pool.query<DeviceRow & { created_at: Date }>(`SELECT ${cols} FROM devices WHERE site_id <> $1 ORDER BY name`, [
          SYSTEM_SITE_ID,
        ])
    return rows.map((r) => ({ ...toDevice(r), createdAt: r.created_at.toISOString() }))
  }

  async renameDevice(deviceId: string, name: string): Promise<Device | undefined> {
    const { rows } = await this.pool.query<DeviceRow>(
      `UPDATE devices SET name = $1 WHERE id = $2 AND site_id <> $3 RETURNING id, site_id, name, last_seen_at, revoked_at`,
      [name.trim(), deviceId, SYSTEM_SITE_ID],
    )
    return rows[0] && toDevice(rows[0])
  }

  async revokeDevice(deviceId: string, now: string): Promise<Device | undefined> {
    const { rows } = await this.pool.query<DeviceRow>(
      `UPDATE devices SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND site_id <> $3
       RETURNING id, site_id, name, last_seen_at, revoked_at`,
      [now, deviceId, SYSTEM_SITE_ID],
    )
    return rows[0] && toDevice(rows[0])
  }

  async createSession(session: PersonSession): Promise<void> {
    await this.pool.query(
      'INSERT INTO person_sessions (token_hash, person_id, site_id, created_at, expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [session.tokenHash, session.personId, session.siteId, session.createdAt, session.expiresAt, session.revokedAt],
    )
  }

  async findSession(tokenHash: string): Promise<PersonSession | undefined> {
    const { rows } = await this.pool.query<{
      token_hash: string
      person_id: string
      site_id: string
      created_at: Date
      expires_at: Date
      revoked_at: Date | null
    }>('SELECT token_hash, person_id, site_id, created_at, expires_at, revoked_at FROM person_sessions WHERE token_hash = $1', [tokenHash])
    const r = rows[0]
    return (
      r && {
        tokenHash: r.token_hash,
        personId: r.person_id,
        siteId: r.site_id,
        createdAt: r.created_at.toISOString(),
        expiresAt: r.expires_at.toISOString(),
        revokedAt: r.revoked_at?.toISOString() ?? null,
      }
    )
  }

  async revokeSession(tokenHash: string, now: string): Promise<void> {
    await this.pool.query('UPDATE person_sessions SET revoked_at = COALESCE(revoked_at, $1) WHERE token_hash = $2', [now, tokenHash])
  }

  async countRecords(siteId?: string): Promise<number> {
    const { rows } =
      siteId === undefined
        ? await this.pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM records')
        : await this.pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM records WHERE site_id = $1', [siteId])
    return Number(rows[0]?.n ?? 0)
  }

  /**
   * The bytes go into the attachments table (see migration 4 for why not files), once: a second
   * upload, from this site or another, only adds the site's link. Two processes storing the same
   * bytes at once are serialised by the primary key (ON CONFLICT waits for the other commit).
   */
  async putAttachment(input: AttachmentInput): Promise<'created' | 'exists'> {
    return this.transaction(async (c) => {
      const known = await c.query('SELECT 1 FROM attachments WHERE sha256 = $1', [input.sha256])
      if (known.rowCount === 0) {
        await c.query(
          `INSERT INTO attachments (sha256, content_type, size, content, created_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (sha256) DO NOTHING`,
          [input.sha256, input.contentType, input.bytes.length, input.bytes, input.now],
        )
      }
      const linked = await c.query(
        `INSERT INTO attachment_sites (sha256, site_id, device_id, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sha256, site_id) DO NOTHING`,
        [input.sha256, input.siteId, input.deviceId, input.now],
      )
      return { commit: true, value: linked.rowCount === 1 ? ('created' as const) : ('exists' as const) }
    })
  }

  async getAttachment(sha256: string, siteIds: readonly string[]): Promise<StoredAttachment | undefined> {
    if (siteIds.length === 0) return undefined
    const { rows } = await this.pool.query<{ content_type: AttachmentType; content: Buffer }>(
      `SELECT a.content_type, a.content FROM attachments a
       WHERE a.sha256 = $1 AND EXISTS (SELECT 1 FROM attachment_sites s WHERE s.sha256 = a.sha256 AND s.site_id = ANY($2::uuid[]))`,
      [sha256, siteIds],
    )
    const row = rows[0]
    return row && { contentType: row.content_type, bytes: row.content }
  }
}
