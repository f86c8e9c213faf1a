import { createHash } from 'node:crypto'
import { isOrgWideKind, versionKeyOf, type OrgWideKind } from '../../shared/org-records'
import type { PersonRecordData } from '../../shared/people'
import { readPeople } from '../people'
import { parseRecord, type RecordEnvelope } from '../../shared/records'
import { KIND_ROLES } from '../../shared/roles'
import type { Mutation, MutationResult, PushRequest, Rejection } from '../../shared/sync'
import type { Device, LoggedMutation, MutationLogEntry, PushOutcome, PushTx } from './types'

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/** What identifies a mutation's payload: a replay has the same hash, a clone's reuse of an id does not. */
export function mutationHash(mutation: Pick<Mutation, 'name' | 'args'>): string {
  return createHash('sha256').update(canonicalJson({ name: mutation.name, args: mutation.args })).digest('hex')
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
  if (Array.isArray(value)) return value.some(hasUnstorableText)
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => unstorable(k) || hasUnstorableText(v))
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

async function rosterOf(tx: PushTx, siteId: string): Promise<Map<string, PersonRecordData>> {
  return new Map((await readPeople(tx.queryRecords, [siteId])).map((p) => [p.id, p]))
}

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
  /** Set when rejected. */
  rejection?: Rejection
  /** Set when this mutation stores a new row. */
  inserted?: RecordEnvelope
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
  const client = await tx.getClient(clientId)
  if (client && client.deviceId !== device.id) return { kind: 'client_taken' }
  const last = client?.lastMutationId ?? 0

  const first = mutations[0]?.mutationId ?? last + 1
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

  const replayed = mutations.filter((m) => m.mutationId <= last)
  const logged = replayed.length > 0 ? await tx.getLoggedMutations(clientId, first, last) : new Map<number, LoggedMutation>()
  for (const m of replayed) {
    // A missing log entry cannot be told apart from a clone, so it is refused the same way.
    if (logged.get(m.mutationId)?.argsHash !== mutationHash(m)) return { kind: 'conflict', mutationId: m.mutationId }
  }

  // A replay gets the first answer again: `duplicate` for an applied mutation, and for a rejected
  // one the rejection with its reason and code. Answering `duplicate` there would let a tablet whose
  // first answer was lost mark the record as synced, when the server never stored it. A rejection
  // logged before codes existed (migration 5) is answered with its reason alone.
  const results: MutationResult[] = replayed.map((m) => {
    const entry = logged.get(m.mutationId)
    if (entry?.status !== 'rejected') return { mutationId: m.mutationId, status: 'duplicate' }
    return {
      mutationId: m.mutationId,
      status: 'rejected',
      reason: entry.reason ?? 'rejected',
      ...(entry.code !== null ? { code: entry.code, params: entry.params ?? {} } : {}),
    }
  })
  const fresh = mutations.filter((m) => m.mutationId > last)
  if (fresh.length === 0) return { kind: 'ok', response: { lastMutationId: last, results } }

  // Reads and writes go in bulk (a few round trips per batch, not per record). Write transactions
  // are serialised, so no other push can insert one of these ids between the read and the insert.
  const roster = await rosterOf(tx, device.siteId)
  const checked = fresh.map((m) => ({ m, check: checkMutation(device, m) }))
  const ids = [...new Set(checked.flatMap(({ check }) => ('record' in check ? [check.record.id] : [])))]
  const known = new Map<string, RecordEnvelope>(await tx.findRecords(ids))
  const versions = await highestVersionsOf(tx, checked.flatMap(({ check }) => ('record' in check ? [check.record] : [])))
  const toInsert: RecordEnvelope[] = []
  const decided = checked.map(({ m, check }): Decision => {
    if ('rejection' in check) return { m, rejection: check.rejection }
    const prior = known.get(check.record.id)
    if (!prior) {
      // Roles are judged on new records; a record the server holds already (re-queued after a
      // restore) is recognised below whoever sends it again.
      const refused = refusedByRole(check.record, roster)
      if (refused) return { m, rejection: refused }
      const stale = staleVersion(versions, check.record)
      if (stale) return { m, rejection: stale }
      known.set(check.record.id, check.record)
      toInsert.push(check.record)
      return { m, inserted: check.record }
    }
    // The same record sent again under a new mutation id (e.g. re-queued): stored already, accepted.
    if (sameContent(prior, check.record)) return { m }
    const { id } = check.record
    return { m, rejection: { code: 'id_taken', params: { id }, reason: `a different record already has this id (${id})` } }
  })

  const firstSeq = toInsert.length > 0 ? await tx.takeServerSeqs(toInsert.length) : 0
  const seqOf = new Map(toInsert.map((r, i) => [r, firstSeq + i]))
  const lastMutationId = fresh[fresh.length - 1]?.mutationId ?? last
  await tx.upsertClient(clientId, device.id, lastMutationId, now)
  await tx.insertRecords(toInsert.map((r) => ({ ...r, serverSeq: seqOf.get(r) ?? 0 })), now)
  const log: MutationLogEntry[] = decided.map(({ m, rejection, inserted }) => ({
    clientId,
    mutationId: m.mutationId,
    name: m.name,
    argsHash: mutationHash(m),
    status: rejection === undefined ? 'accepted' : 'rejected',
    reason: rejection?.reason ?? null,
    code: rejection?.code ?? null,
    params: rejection?.params ?? null,
    serverSeq: inserted ? (seqOf.get(inserted) ?? null) : null,
    receivedAt: now,
  }))
  await tx.logMutations(log)
  for (const { m, rejection } of decided) {
    results.push(
      rejection === undefined
        ? { mutationId: m.mutationId, status: 'accepted' }
        : { mutationId: m.mutationId, status: 'rejected', ...rejection },
    )
  }
  return { kind: 'ok', response: { lastMutationId, results } }
}
