import type { AttachmentType } from '../../shared/attachments'
import type { OrgWideKind } from '../../shared/org-records'
import type { Contact, Playbook } from '../../shared/playbook'
import type { RecordEnvelope } from '../../shared/records'
import type { PullRequest, PullResponse, PushRequest, PushResponse, RejectionCode, RejectionParams } from '../../shared/sync'

export type StoreDialect = 'sqlite' | 'postgres'

export interface Site {
  id: string
  name: string
}

export interface Device {
  id: string
  siteId: string
  name: string
  /** ISO time, or null before the first authenticated call. */
  lastSeenAt: string | null
  /** ISO time the device's token was revoked; a revoked device is refused like an unknown one. */
  revokedAt: string | null
}

/** What a push came to. Anything but `ok` changed nothing in the store. */
export type PushOutcome =
  | { kind: 'ok'; response: PushResponse }
  /** The batch does not continue where this client left off (or is not consecutive). */
  | { kind: 'gap'; expectedMutationId: number; message: string }
  /** A mutation id already applied came back with a different payload: a cloned or wiped device. */
  | { kind: 'conflict'; mutationId: number }
  /** The clientId is bound to another device. */
  | { kind: 'client_taken' }

export type PullOutcome = { kind: 'ok'; response: PullResponse } | { kind: 'client_taken' }

/**
 * The server's only state. Routes call this and nothing else; both dialects implement it with the
 * same semantics (tests/server runs one suite against each).
 */
export interface Store {
  readonly dialect: StoreDialect
  /** Applies pending migrations (idempotent, safe with several processes); returns how many ran. */
  migrate(): Promise<number>
  /** A real round trip to the database; throws when it is unreachable. */
  ping(): Promise<void>
  close(): Promise<void>
  /** The server's one enrollment code, made on first call and kept in the meta table. */
  getOrCreateEnrollmentCode(): Promise<string>
  /** Finds or creates the site by (trimmed) name and adds a device to it. */
  enrollDevice(input: { siteName: string; deviceName: string; tokenHash: string; now: string }): Promise<{ site: Site; device: Device }>
  findDeviceByTokenHash(tokenHash: string): Promise<Device | undefined>
  touchDevice(deviceId: string, now: string): Promise<void>
  /** Applies a batch exactly once per (clientId, mutationId), in one transaction. */
  push(device: Device, request: PushRequest, now: string): Promise<PushOutcome>
  /**
   * Records of the device's site and every org-wide record (plans, contacts), in one server_seq
   * order: one cursor covers both.
   */
  pull(device: Device, request: PullRequest): Promise<PullOutcome>
  /**
   * Stores the shipped plans and contacts as records of the system site, each only when the server
   * holds no version of it as high (idempotent; a center's own edit is never overwritten, a newer
   * shipped version is added). Runs in a write transaction like a push. Returns how many it stored.
   */
  seed(input: SeedInput): Promise<number>
  countRecords(siteId?: string): Promise<number>
  /** Stored records of these kinds (and sites, and creation window), newest first. */
  queryRecords(query: RecordQuery): Promise<StoredRecord[]>
  /**
   * Records the server itself writes (the roster, site settings), inside a write transaction like
   * a push: `build` reads what it needs (e.g. the current version) and returns the new records,
   * which get their server sequence numbers and are pulled by the site's devices.
   */
  appendServerRecords(
    now: string,
    build: (read: (query: RecordQuery) => Promise<StoredRecord[]>) => Promise<RecordEnvelope[]>,
  ): Promise<StoredRecord[]>
  /** Every site but the system one, by name. */
  listSites(): Promise<SiteInfo[]>
  /** A new site, or undefined when the name is taken. */
  createSite(name: string, now: string): Promise<SiteInfo | undefined>
  listDevices(siteIds?: readonly string[]): Promise<DeviceInfo[]>
  renameDevice(deviceId: string, name: string): Promise<Device | undefined>
  /** Revokes the device's token at once (its next call gets 401); idempotent. */
  revokeDevice(deviceId: string, now: string): Promise<Device | undefined>
  createSession(session: PersonSession): Promise<void>
  findSession(tokenHash: string): Promise<PersonSession | undefined>
  revokeSession(tokenHash: string, now: string): Promise<void>
  /**
   * Stores an attachment (the caller checked that `sha256` is the hash of `bytes`) and links it to
   * the uploading device's site. Idempotent: the bytes are stored once however often and from
   * however many sites they come. `created` when this site had no link to it yet, else `exists`.
   */
  putAttachment(input: AttachmentInput): Promise<'created' | 'exists'>
  /** The attachment, or undefined when it is not stored or linked to none of these sites. */
  getAttachment(sha256: string, siteIds: readonly string[]): Promise<StoredAttachment | undefined>
}

export interface AttachmentInput {
  sha256: string
  contentType: AttachmentType
  bytes: Buffer
  siteId: string
  deviceId: string
  now: string
}

export interface StoredAttachment {
  contentType: AttachmentType
  bytes: Buffer
}

export interface SeedInput {
  playbooks: readonly Playbook[]
  contacts: readonly Contact[]
  now: string
}

/** A read of stored records by kind, for the console and the people lookups. Newest first. */
export interface RecordQuery {
  kinds: readonly string[]
  /** Only these sites; all sites when absent. */
  siteIds?: readonly string[]
  /** created_at ≥ this ISO time (the device's string compared as text: both are UTC ISO). */
  createdFrom?: string
  /** created_at < this ISO time. */
  createdTo?: string
  limit: number
}

export interface SiteInfo {
  id: string
  name: string
  createdAt: string
}

export interface DeviceInfo extends Device {
  createdAt: string
}

/** A person signed in on the central console (staff number and PIN checked by the server). */
export interface PersonSession {
  tokenHash: string
  personId: string
  siteId: string
  createdAt: string
  expiresAt: string
  revokedAt: string | null
}

/** A record as stored, with its server sequence. */
export type StoredRecord = RecordEnvelope & { serverSeq: number }

export interface LoggedMutation {
  argsHash: string
  status: 'accepted' | 'rejected'
  reason: string | null
  /** The rejection's code and params (shared/sync.ts); null when accepted, or rejected before codes were logged. */
  code: string | null
  params: RejectionParams | null
}

export interface PushReadInput {
  clientId: string
  /** The batch's mutation ids, from ≤ id ≤ to: the log entries of those the client sent before. */
  from: number
  to: number
  /** Record ids the batch may create. */
  recordIds: string[]
  /** The read of the device's roster (as `queryRecords`). */
  roster: RecordQuery
}

export interface PushReads {
  client: { deviceId: string; lastMutationId: number } | undefined
  /**
   * The client's logged mutations with from ≤ id ≤ to: the args hash (to tell a replay from a
   * clone) and how each was decided (a replay of a rejected mutation is answered with its reason,
   * code and params).
   */
  logged: Map<number, LoggedMutation>
  /** The stored records among `recordIds`. */
  records: Map<string, StoredRecord>
  /** What `roster` found. */
  roster: StoredRecord[]
}

/** How one fresh mutation of a push was decided, as the log keeps it. */
export interface MutationLogEntry {
  mutationId: number
  name: string
  argsHash: string
  status: 'accepted' | 'rejected'
  reason: string | null
  code: RejectionCode | null
  params: RejectionParams | null
  /** The index in `PushWrite.records` of the record this mutation stored; null when it stored none. */
  record: number | null
}

/** Everything a push writes, handed to the store at once (it may write it in one statement). */
export interface PushWrite {
  clientId: string
  deviceId: string
  /** The client's new last mutation id. */
  lastMutationId: number
  /** The server's time of the push: received_at of the records and the log, updated_at of the client. */
  receivedAt: string
  /**
   * The new records, which take the next server sequence numbers in this order (their own
   * `serverSeq` is ignored). The log gets each record's number with it.
   */
  records: RecordEnvelope[]
  /** One entry per fresh mutation, in mutation id order. */
  log: MutationLogEntry[]
}

/**
 * The operations the push algorithm (push.ts) needs inside ONE open write transaction. A store
 * opens the transaction so that pushes are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: a row
 * lock on the sequence holder), then hands this to `applyPush`.
 */
export interface PushTx {
  /**
   * What a push reads before it decides, in one go (one round trip): the client, its logged
   * mutations in the batch's id range, which of the batch's record ids are stored, and the
   * roster. A push sends it, then checks the mutations while the database works.
   */
  readForPush(input: PushReadInput): Promise<PushReads>
  /**
   * Takes `count` consecutive server sequence numbers and returns the first. A rolled-back
   * transaction gives them back, so the sequence has no gaps.
   */
  takeServerSeqs(count: number): Promise<number>
  insertRecords(records: StoredRecord[], receivedAt: string): Promise<void>
  /** The highest version stored per (org-wide) record id in `data.id`, for these ids. */
  highestVersions(kind: OrgWideKind, ids: string[]): Promise<Map<string, number>>
  /**
   * The writes of a push: takes `records.length` server sequence numbers (as `takeServerSeqs`),
   * stores the records with them, upserts the client with its new last mutation id, and logs
   * every entry (with its record's sequence number).
   */
  writePush(write: PushWrite): Promise<void>
}
