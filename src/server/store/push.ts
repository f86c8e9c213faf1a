import { hash } from 'node:crypto'
import { isOrgWideKind, versionKeyOf, type OrgWideKind } from '../../shared/org-records'
import { currentPeople, type PersonRecordData } from '../../shared/people'
import { UUID_V7_RE } from '../../shared/ids'
import { parseRecord, type RecordEnvelope } from '../../shared/records'
import { KIND_ROLES } from '../../shared/roles'
import type { Mutation, MutationResult, PushRequest, Rejection } from '../../shared/sync'
import { rosterQuery } from '../people'
import type { Device, PushOutcome, PushTx, StoredRecord } from './types'

/**
 * A string JSON.stringify may escape: a quote, a backslash, a control character (C0, which it
 * escapes, and C1, which it does not: those only take the slower way) or a lone surrogate.
 */
const NEEDS_ESCAPE_RE = /["\\\p{Cc}\p{Cs}]/u
/** JSON.stringify of a string, without the call for the (usual) string that has nothing to escape. */
const jsonString = (s: string): string => (NEEDS_ESCAPE_RE.test(s) ? JSON.stringify(s) : `"${s}"`)

/**
 * JSON with object keys sorted at every level, so equal values always give equal text. Written
 * as loops (no entries arrays, no closures): it runs on every mutation a push brings, for its hash.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return jsonString(value)
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      out += (i === 0 ? '' : ',') + canonicalJson(item === undefined ? null : item)
    }
    return `${out}]`
  }
  const object = value as Record<string, unknown>
  // The default sort compares UTF-16 code units, as `<` does.
  const keys = Object.keys(object).sort()
  let out = '{'
  for (const key of keys) {
    const item = object[key]
    if (item === undefined) continue
    out += `${out.length === 1 ? '' : ','}${jsonString(key)}:${canonicalJson(item)}`
  }
  return `${out}}`
}

/**
 * What identifies a mutation's payload: a replay has the same hash, a clone's reuse of an id does
 * not. It is only ever compared with the logged hash of the same (clientId, mutationId), so any
 * collision-resistant hash would do; it stays SHA-256 (hex) of the canonical JSON, as logged since
 * the first version, because a replay of a mutation an older server logged must still match.
 */
export function mutationHash(mutation: Pick<Mutation, 'name' | 'args'>): string {
  return hash('sha256', canonicalJson({ name: mutation.name, args: mutation.args }), 'hex')
}

function sameContent(a: RecordEnvelope, b: RecordEnvelope): boolean {
  return canonicalJson({ ...a, serverSeq: null }) === canonicalJson({ ...b, serverSeq: null })
}

const LONE_SURROGATE_RE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
const unstorable = (s: string) => s.includes('\u0000') || LONE_SURROGATE_RE.test(s)

/**
 * NUL characters and lone surrogates: SQLite would store them, PostgreSQL refuses them with an
 * error, and a record that errors on every retry would block its device's queue for ever. Both
 * dialects reject them the same way instead.
 */
function hasUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return unstorable(value)
  if (value === null || typeof value !== 'object') return false
  if (Array.isArray(value)) {
    for (const item of value) if (hasUnstorableText(item)) return true
    return false
  }
  for (const key of Object.keys(value)) {
    if (unstorable(key) || hasUnstorableText((value as Record<string, unknown>)[key])) return true
  }
  return false
}

/** A `record.create` checked on its own: the record to store, or why it is refused. */
function checkRecordCreate(device: Device, args: unknown): { record: RecordEnvelope } | { rejection: Rejection } {
  const parsed = parseRecord(args)
  if (!parsed.success) {
    // The path is made of the sender's keys: one the database cannot store is left out, as the
    // rejection is logged (an error there would fail the batch on every retry).
    const field = unstorable(parsed.path) ? '' : parsed.path
    return { rejection: { code: 'invalid_record', params: { field }, reason: parsed.message } }
  }
  const record = parsed.record
  if (hasUnstorableText(record)) {
    return {
      rejection: { code: 'unstorable_text', params: {}, reason: 'the record contains a NUL character or an invalid Unicode sequence' },
    }
  }
  if (record.siteId !== device.siteId) {
    return {
      rejection: {
        code: 'wrong_site',
        params: { siteId: record.siteId, deviceSiteId: device.siteId },
        reason: `siteId ${record.siteId} is not this device's site (${device.siteId})`,
      },
    }
  }
  if (record.deviceId !== device.id) {
    return {
      rejection: {
        code: 'wrong_device',
        params: { deviceId: record.deviceId, expectedDeviceId: device.id },
        reason: `deviceId ${record.deviceId} is not this device (${device.id})`,
      },
    }
  }
  return { record }
}

/**
 * The ids of the records a batch may create, for the read that finds the stored ones: only ids
 * that can pass the envelope's schema (a UUID v7), so the read never carries what the database
 * cannot take. A record that passes the schema has one of these ids.
 */
function candidateIds(mutations: readonly Mutation[]): string[] {
  const ids = new Set<string>()
  for (const m of mutations) {
    const id = m.args !== null && typeof m.args === 'object' ? (m.args as { id?: unknown }).id : undefined
    if (typeof id === 'string' && UUID_V7_RE.test(id)) ids.add(id)
  }
  return [...ids]
}

/** What a mutation would do, checked against the schemas and the device; the store is asked later. */
function checkMutation(device: Device, m: Mutation): { record: RecordEnvelope } | { rejection: Rejection } {
  switch (m.name) {
    case 'record.create':
      return checkRecordCreate(device, m.args)
  }
}

/**
 * Roles are enforced here, whatever the tablet showed: the record must name a person of the
 * device's own site's roster (`personId`), still active, whose role may create this kind.
 */
function refusedByRole(record: RecordEnvelope, roster: ReadonlyMap<string, PersonRecordData>): Rejection | undefined {
  const { kind } = record
  const allowed = KIND_ROLES[kind]
  if (allowed.length === 0) {
    return { code: 'server_only_kind', params: { kind }, reason: `${kind} records are written by the server only` }
  }
  if (!record.personId) {
    return {
      code: 'no_person',
      params: { kind },
      reason: 'the record names no signed-in person (personId): sign in on the tablet first',
    }
  }
  const person = roster.get(record.personId)
  if (!person) {
    return {
      code: 'person_unknown',
      params: { personId: record.personId },
      reason: `person ${record.personId} is not on this site's roster`,
    }
  }
  const { name, staffNo, role } = person
  if (!person.active) {
    return { code: 'person_inactive', params: { name, staffNo }, reason: `${name} (${staffNo}) is no longer on this site's roster` }
  }
  if (!allowed.includes(role)) {
    return {
      code: 'role_not_allowed',
      params: { name, staffNo, role, kind },
      reason: `the role ${role} of ${name} may not create ${kind} records`,
    }
  }
  return undefined
}

/** The roster of a push's site, read with its other reads (rosterQuery): the current version of each person, as readPeople. */
const rosterOf = (rows: readonly StoredRecord[]): Map<string, PersonRecordData> =>
  new Map(currentPeople(rows.map((r) => r.data)).map((p) => [p.id, p]))

/** `kind:id` → the highest version the server holds, for the org-wide records of a batch. */
async function highestVersionsOf(tx: PushTx, records: RecordEnvelope[]): Promise<Map<string, number>> {
  const versions = new Map<string, number>()
  const idsOf = (kind: OrgWideKind) =>
    [...new Set(records.filter((r) => r.kind === kind).flatMap((r) => versionKeyOf(r.data)?.id ?? []))]
  for (const kind of ['playbook', 'contact'] as const) {
    const ids = idsOf(kind)
    if (ids.length === 0) continue
    for (const [id, version] of await tx.highestVersions(kind, ids)) versions.set(`${kind}:${id}`, version)
  }
  return versions
}

/**
 * An org-wide record (a plan, a contact) is an edit of the version it was made from: it must carry
 * a higher version than any the server holds for its id, or someone else's edit got there first.
 * Refusing it (rather than letting the later one silently win) keeps both editors' work visible.
 * Updates `versions` when the record passes, so a second edit in the same batch is checked too.
 */
function staleVersion(versions: Map<string, number>, record: RecordEnvelope): Rejection | undefined {
  if (!isOrgWideKind(record.kind)) return undefined
  const key = versionKeyOf(record.data)
  if (!key) return undefined
  const held = versions.get(`${record.kind}:${key.id}`) ?? 0
  if (key.version <= held) {
    return {
      code: 'stale_version',
      params: { kind: record.kind, id: key.id, version: key.version, held },
      reason: `${record.kind} ${key.id} version ${key.version} is not higher than version ${held} on the server: someone else changed it first; open the current version and make the change again`,
    }
  }
  versions.set(`${record.kind}:${key.id}`, key.version)
  return undefined
}

interface Decision {
  m: Mutation
  /** mutationHash(m) */
  argsHash: string
  /** Set when rejected. */
  rejection?: Rejection
  /** Set when this mutation stores a new row: its index among the batch's new records. */
  record?: number
}

/**
 * The push algorithm, the same for both dialects, run inside one write transaction that the store
 * commits when this returns `ok` and rolls back otherwise (or when anything throws, e.g. the
 * database went away: then nothing has advanced and the client retries the same batch).
 *
 * Every check that can refuse the batch (client bound to another device, gap, conflicting replay)
 * happens before the first write, so a 409 never leaves half a batch applied.
 */
export async function applyPush(tx: PushTx, device: Device, request: PushRequest, now: string): Promise<PushOutcome> {
  const { clientId, mutations } = request
  const first = mutations[0]?.mutationId ?? 1
  // The reads go out first; the mutations are checked and hashed (what needs no store, and the
  // most work) while the database answers. A batch refused below wasted that work, nothing else.
  const reading = tx.readForPush({
    clientId,
    from: first,
    to: first + mutations.length - 1,
    recordIds: candidateIds(mutations),
    roster: rosterQuery([device.siteId]),
  })
  reading.catch(() => undefined) // awaited below: a failure is thrown there, not left unhandled
  const prepared = mutations.map((m) => ({ m, argsHash: mutationHash(m), check: checkMutation(device, m) }))
  const { client, logged, records, roster: people } = await reading

  if (client && client.deviceId !== device.id) return { kind: 'client_taken' }
  const last = client?.lastMutationId ?? 0
  if (first > last + 1) {
    return { kind: 'gap', expectedMutationId: last + 1, message: `expected mutation ${last + 1}, got ${first}` }
  }
  for (let i = 1; i < mutations.length; i++) {
    const id = mutations[i]?.mutationId
    if (id !== first + i) {
      return {
        kind: 'gap',
        expectedMutationId: last + 1,
        message: `mutation ids in a batch must be consecutive: ${first + i} expected at position ${i}, got ${id}`,
      }
    }
  }

  const replayed = prepared.filter(({ m }) => m.mutationId <= last)
  for (const { m, argsHash } of replayed) {
    // A missing log entry cannot be told apart from a clone, so it is refused the same way.
    if (logged.get(m.mutationId)?.argsHash !== argsHash) return { kind: 'conflict', mutationId: m.mutationId }
  }

  // A replay gets the first answer again: `duplicate` for an applied mutation, and for a rejected
  // one the rejection with its reason and code. Answering `duplicate` there would let a tablet whose
  // first answer was lost mark the record as synced, when the server never stored it. A rejection
  // logged before codes existed (migration 5) is answered with its reason alone.
  const results: MutationResult[] = replayed.map(({ m }) => {
    const entry = logged.get(m.mutationId)
    if (entry?.status !== 'rejected') return { mutationId: m.mutationId, status: 'duplicate' }
    return {
      mutationId: m.mutationId,
      status: 'rejected',
      reason: entry.reason ?? 'rejected',
      ...(entry.code !== null ? { code: entry.code, params: entry.params ?? {} } : {}),
    }
  })
  const fresh = prepared.filter(({ m }) => m.mutationId > last)
  if (fresh.length === 0) return { kind: 'ok', response: { lastMutationId: last, results } }

  // Write transactions are serialised, so no other push can insert one of these ids between the
  // read and the insert.
  const roster = rosterOf(people)
  const known = new Map<string, RecordEnvelope>(records)
  const versions = await highestVersionsOf(tx, fresh.flatMap(({ check }) => ('record' in check ? [check.record] : [])))
  const toInsert: RecordEnvelope[] = []
  const decided = fresh.map(({ m, argsHash, check }): Decision => {
    if ('rejection' in check) return { m, argsHash, rejection: check.rejection }
    const prior = known.get(check.record.id)
    if (!prior) {
      // Roles are judged on new records; a record the server holds already (re-queued after a
      // restore) is recognised below whoever sends it again.
      const refused = refusedByRole(check.record, roster)
      if (refused) return { m, argsHash, rejection: refused }
      const stale = staleVersion(versions, check.record)
      if (stale) return { m, argsHash, rejection: stale }
      known.set(check.record.id, check.record)
      return { m, argsHash, record: toInsert.push(check.record) - 1 }
    }
    // The same record sent again under a new mutation id (e.g. re-queued): stored already, accepted.
    if (sameContent(prior, check.record)) return { m, argsHash }
    const { id } = check.record
    return { m, argsHash, rejection: { code: 'id_taken', params: { id }, reason: `a different record already has this id (${id})` } }
  })

  // Every write of the batch in one call: the store takes the server sequence numbers for the new
  // records (in this order) and writes the client, the records and the log together.
  const lastMutationId = fresh[fresh.length - 1]?.m.mutationId ?? last
  await tx.writePush({
    clientId,
    deviceId: device.id,
    lastMutationId,
    receivedAt: now,
    records: toInsert,
    log: decided.map(({ m, argsHash, rejection, record }) => ({
      mutationId: m.mutationId,
      name: m.name,
      argsHash,
      status: rejection === undefined ? 'accepted' : 'rejected',
      reason: rejection?.reason ?? null,
      code: rejection?.code ?? null,
      params: rejection?.params ?? null,
      record: record ?? null,
    })),
  })
  for (const { m, rejection } of decided) {
    results.push(
      rejection === undefined
        ? { mutationId: m.mutationId, status: 'accepted' }
        : { mutationId: m.mutationId, status: 'rejected', ...rejection },
    )
  }
  return { kind: 'ok', response: { lastMutationId, results } }
}
