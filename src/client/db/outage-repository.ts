import type { AppDB, LocalRecord } from './AppDB'
import { createRecord, getRecord, newEnvelope } from './records-repository'
import { nameBucketOf, nameSearchKey, phoneBucketOf } from './record-index'
import { DESK_ANY, DESK_OPEN_FAULTS, deskKeyTime, worklistPrefix, worklistSearchPrefix, type DeskState } from './outage-index'
import type { CallbackEventData } from '../../shared/callback'
import { CALLBACK_STATES, type CallbackState } from '../../shared/callback-state'
import type { FaultData, FaultEventData } from '../../shared/fault'
import type { LogBook, LogEntryData } from '../../shared/log'
import { newId } from '../../shared/ids'
import { phoneSearchKey } from '../../shared/phone'
import type { RecordEnvelope, RecordKind } from '../../shared/records'

/** Who writes: the site and device from enrollment, and the person at the tablet. */
export interface Who {
  siteId: string
  deviceId: string
  author: string
  /** The signed-in person (absent only on records made before sign-in existed). */
  personId?: string
}

/** A line the app writes into a log book along with a fault's record (same transaction). */
export interface AutoLogLine {
  log: LogBook
  type: LogEntryData['type']
  text: string
}

const MAX = '\uffff'


/**
 * Stores a record and, with it, the log lines it causes ("fault started", "spare seat 12 assigned"),
 * in ONE transaction: the log can never miss a fault, nor mention one that was not saved. Each
 * record still gets its own outbox mutation (createRecord joins this transaction).
 */
async function createWithLog(db: AppDB, record: RecordEnvelope, lines: AutoLogLine[], faultId: string | undefined, now: Date): Promise<LocalRecord> {
  return db.transaction('rw', [db.records, db.outbox, db.meta, db.drafts], async () => {
    const stored = await createRecord(db, record)
    for (const line of lines) {
      const data: LogEntryData = { ...line, at: now.toISOString(), ...(faultId ? { faultId } : {}) }
      const who: Who = {
        siteId: record.siteId,
        deviceId: record.deviceId,
        author: record.author,
        ...(record.personId ? { personId: record.personId } : {}),
      }
      await createRecord(db, newEnvelope(who, 'logEntry', newId(), data, now))
    }
    return stored
  })
}

export function createFault(db: AppDB, who: Who, id: string, data: FaultData, lines: AutoLogLine[], now: Date): Promise<LocalRecord> {
  return createWithLog(db, newEnvelope(who, 'fault', id, data, now), lines, id, now)
}

export function appendFaultEvent(db: AppDB, who: Who, data: FaultEventData, lines: AutoLogLine[], now: Date): Promise<LocalRecord> {
  return createWithLog(db, newEnvelope(who, 'faultEvent', newId(), data, now), lines, data.faultId, now)
}

export function appendCallbackEvent(db: AppDB, who: Who, data: CallbackEventData, now: Date): Promise<LocalRecord> {
  return createRecord(db, newEnvelope(who, 'callbackEvent', newId(), data, now))
}

export function addLogEntry(db: AppDB, who: Who, data: LogEntryData, now: Date): Promise<LocalRecord> {
  return createRecord(db, newEnvelope(who, 'logEntry', newId(), data, now))
}

/** Newest first, a page at a time. */
export function listFaults(db: AppDB, limit: number): Promise<LocalRecord[]> {
  return db.records.where('[kind+createdAt]').between(['fault', ''], ['fault', MAX]).reverse().limit(limit).toArray()
}

/**
 * Every fault not recovered, whatever its age, newest first: from the `*deskKeys` index, which
 * follows each fault's recovery and reopening (outage-index.ts), so no event is read to find them.
 */
export function listOpenFaults(db: AppDB): Promise<LocalRecord[]> {
  return deskRange(db, DESK_OPEN_FAULTS).reverse().toArray()
}

/** The children of one kind of a record, oldest first (a fault's events, a call's callback steps). */
export function listChildrenOfKind(db: AppDB, parentId: string, kind: RecordKind, options: { limit?: number; newestFirst?: boolean } = {}) {
  let query = db.records.where('[parentId+kind+createdAt]').between([parentId, kind, ''], [parentId, kind, MAX])
  if (options.newestFirst) query = query.reverse()
  if (options.limit) query = query.limit(options.limit)
  return query.toArray()
}

export function countChildrenOfKind(db: AppDB, parentId: string, kind: RecordKind): Promise<number> {
  return db.records.where('[parentId+kind+createdAt]').between([parentId, kind, ''], [parentId, kind, MAX]).count()
}

/**
 * Every step of the callbacks of these call records, oldest first for each: one read-only
 * transaction, each call's `[parentId+kind+createdAt]` range asked for at once (the requests go
 * out together; a cursor hopping from range to range would wait for each of its steps in turn).
 */
export function callbackEventsOf(db: AppDB, callIds: string[]): Promise<Map<string, LocalRecord[]>> {
  return callIds.length === 0 ? Promise.resolve(new Map()) : db.transaction('r', db.records, () => readCallbackEvents(db, callIds))
}

/**
 * `callbackEventsOf` within the caller's transaction (a nested Dexie transaction would hold back
 * the caller's other requests until it ends).
 */
async function readCallbackEvents(db: AppDB, callIds: string[]): Promise<Map<string, LocalRecord[]>> {
  const ids = [...new Set(callIds)]
  const lists = await Promise.all(ids.map((id) => listChildrenOfKind(db, id, 'callbackEvent')))
  return new Map(ids.map((id, i) => [id, lists[i]!]))
}

/** A worklist entry: a call record that needs a callback, with its callback steps. */
export interface WorklistRow {
  record: LocalRecord
  events: LocalRecord[]
}

/** Which page of a worklist: in one state (or all), searched by number or name prefix, up to `limit` entries. */
export interface WorklistQuery {
  state?: DeskState
  query?: string
  limit: number
}

/** A page of a worklist; a search also says how many entries match (`matches`). */
export interface WorklistRows {
  rows: WorklistRow[]
  matches?: number
}

/** One key range of the outage desk index (outage-index.ts): every key that starts with `prefix`. */
function deskRange(db: AppDB, prefix: string) {
  return db.records.where('deskKeys').between(prefix, prefix + MAX, true, true)
}

/**
 * How many entries of an outage's worklist are in each state, and in all: counted by the index, no
 * record read (a count walks its range, so each entry is counted once, in its state). The counts
 * are asked for together, in one read-only transaction.
 */
export function countWorklist(db: AppDB, faultId: string): Promise<Record<DeskState, number>> {
  return db.transaction('r', db.records, () => readWorklistCounts(db, faultId))
}

async function readWorklistCounts(db: AppDB, faultId: string): Promise<Record<DeskState, number>> {
  const counts = await Promise.all(CALLBACK_STATES.map((state) => deskRange(db, worklistPrefix(faultId, state)).count()))
  const byState = Object.fromEntries(CALLBACK_STATES.map((state, i) => [state, counts[i]!])) as Record<CallbackState, number>
  return { [DESK_ANY]: counts.reduce((a, b) => a + b, 0), ...byState }
}

/**
 * A page of an outage's callback worklist, oldest call first, in one state or all, optionally
 * searched by number or name prefix. Only the page's call records and their steps are read: the
 * page comes from the `*deskKeys` index (a search reads the index entries of its matches, within
 * this outage's callbacks, and orders them by the call time each key ends with). A search says
 * how many entries match (`matches`); without one, `countWorklist` has the number.
 */
export function listWorklist(db: AppDB, faultId: string, options: WorklistQuery): Promise<WorklistRows> {
  return db.transaction('r', db.records, () => readWorklistPage(db, faultId, options))
}

async function readWorklistPage(db: AppDB, faultId: string, options: WorklistQuery): Promise<WorklistRows> {
  const state = options.state ?? DESK_ANY
  const query = options.query?.trim() ?? ''
  let records: LocalRecord[]
  let matches: number | undefined
  if (!query) {
    records = await deskRange(db, worklistPrefix(faultId, state)).limit(options.limit).toArray()
  } else {
    const search = callSearchOf(query)
    if (!search) return { rows: [], matches: 0 }
    // a call can match twice (its caller and its callback number): once here, at its call time
    const found = new Map<string, string>()
    await deskRange(db, worklistSearchPrefix(faultId, state, search.field === 'phoneKey' ? 'tel' : 'name', search.key)).eachKey((key, cursor) => {
      found.set(String(cursor.primaryKey), deskKeyTime(String(key)))
    })
    const ordered = [...found].sort(([a, at], [b, bt]) => (at < bt ? -1 : at > bt ? 1 : a < b ? -1 : a > b ? 1 : 0))
    matches = ordered.length
    records = (await db.records.bulkGet(ordered.slice(0, options.limit).map(([id]) => id))).filter((r): r is LocalRecord => r !== undefined)
  }
  const events = await readCallbackEvents(db, records.map((r) => r.id))
  const rows = records.map((record) => ({ record, events: events.get(record.id) ?? [] }))
  return matches === undefined ? { rows } : { rows, matches }
}

/** What the worklist screen shows of an outage: the fault and its events, a page of its worklist, and its counts. */
export interface WorklistView extends WorklistRows {
  /** Undefined when there is no fault of that id. */
  fault?: { record: LocalRecord; events: LocalRecord[] }
  counts: Record<DeskState, number>
}

/**
 * Everything the worklist screen shows, in ONE read-only transaction (one snapshot: the counts
 * and the page always agree): the fault, its events, each state's count and the page
 * (`listWorklist`) are asked for at once, then the page's callback steps.
 */
export function readWorklist(db: AppDB, faultId: string, options: WorklistQuery): Promise<WorklistView> {
  return db.transaction('r', db.records, async () => {
    // the page first: its steps are read once it is back, behind the other requests
    const [page, record, events, counts] = await Promise.all([
      readWorklistPage(db, faultId, options),
      getRecord(db, faultId),
      listChildrenOfKind(db, faultId, 'faultEvent'),
      readWorklistCounts(db, faultId),
    ])
    return { ...page, counts, ...(record?.kind === 'fault' ? { fault: { record, events } } : {}) }
  })
}

/** How a search query is matched: the caller number's digits when it looks like a number, else the folded name. */
function callSearchOf(query: string): { index: '[phoneKey+createdAt]' | '[nameKey+createdAt]'; field: 'phoneKey' | 'nameKey'; key: string } | undefined {
  const phone = phoneSearchKey(query)
  const looksLikePhone = /^[\d\s()+\-（）]+$/.test(query.normalize('NFKC').trim())
  if (looksLikePhone && phone) return { index: '[phoneKey+createdAt]', field: 'phoneKey', key: phone }
  const name = nameSearchKey(query)
  return name ? { index: '[nameKey+createdAt]', field: 'nameKey', key: name } : undefined
}

/** A search match known from its index entry alone: the record's id and time. */
interface Hit {
  id: string
  at: string
}

const newestFirst = (a: Hit, b: Hit) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0)

/** Up to this many matches, a search reads them all from their index entries: fewer reads than any plan. */
export const SEARCH_FEW_MATCHES = 200
/** Up to this many distinct numbers (or names) match, each one's newest calls are read and merged. */
export const SEARCH_FEW_KEYS = 8
/** How many index entries a newest-first read of a bucket may take per row of the page before it gives way. */
const SEARCH_SCAN_PER_ROW = 30
/** What reading a record costs against reading an index entry. */
const SEARCH_VALUE_COST = 2

type RecordCollection = ReturnType<AppDB['records']['toCollection']>

/**
 * The matches of a `[xKey+createdAt]` range from its index entries only (each carries its time),
 * in the given scope: at most `hits` of them, reading at most `read` entries; `complete` when no
 * other match can come before them (the range read to its end, or `hits` found).
 */
async function rangeHits(range: RecordCollection, inScope: Set<string> | undefined, caps: { hits?: number; read?: number } = {}) {
  const hits: Hit[] = []
  const maxHits = caps.hits ?? Infinity
  const maxRead = caps.read ?? Infinity
  let read = 0
  await range
    .until(() => hits.length >= maxHits || ++read > maxRead)
    .eachKey((key, cursor) => {
      const id = String(cursor.primaryKey)
      if (!inScope || inScope.has(id)) hits.push({ id, at: String((key as [string, string])[1]) })
    })
  return { hits, complete: hits.length >= maxHits || read <= maxRead }
}

function bucketRange(db: AppDB, bucket: string) {
  return db.records.where('searchKeys').between(bucket, bucket + MAX, true, true)
}

/**
 * The newest matches of a prefix from its time-ordered bucket (`*searchKeys`: `<bucket>|<createdAt>|<key>`,
 * index entries only): a page of them and any others made at the very time of its last one (the
 * page is then cut by id, as every plan does), reading at most `budget` entries; `complete` when
 * the page is exact (filled, or the bucket read to its end).
 */
async function bucketHits(db: AppDB, bucket: string, key: string, inScope: Set<string> | undefined, limit: number, budget: number) {
  const hits: Hit[] = []
  let read = 0
  let last: string | undefined
  let done = false
  await bucketRange(db, bucket)
    .reverse()
    .until(() => done || ++read > budget)
    .eachKey((entry, cursor) => {
      const [, at = '', ...value] = String(entry).split('|')
      if (last !== undefined && at !== last) {
        done = true
        return
      }
      const id = String(cursor.primaryKey)
      if (!value.join('|').startsWith(key) || (inScope && !inScope.has(id))) return
      hits.push({ id, at })
      if (hits.length === limit) last = at
    })
  return { hits, complete: done || read <= budget }
}

async function pageOf(db: AppDB, hits: Hit[], limit: number): Promise<LocalRecord[]> {
  const page = hits.sort(newestFirst).slice(0, limit)
  return (await db.records.bulkGet(page.map((h) => h.id))).filter((r): r is LocalRecord => r !== undefined)
}

/**
 * The distinct keys of a `[xKey+createdAt]` index that start with `prefix`, at most `max`, going on
 * from those already `found`: one small read per key, skipping each key's entries.
 */
async function distinctKeys(db: AppDB, index: string, prefix: string, max: number, found: readonly string[] = []): Promise<string[]> {
  const keys = [...found]
  while (keys.length < max) {
    const after = keys.at(-1)
    const [next] = await db.records
      .where(index)
      .between(after === undefined ? [prefix, ''] : [after, MAX], [prefix + MAX, ''], after === undefined, false)
      .limit(1)
      .keys()
    if (!next) break
    keys.push(String((next as unknown as [string, string])[0]))
  }
  return keys
}

/**
 * Call records by caller number prefix (digits; "138 0013", "010-1234") or else by caller name
 * prefix, newest first, a page at a time; with `faultId`, only that outage's calls.
 *
 * `[phoneKey+createdAt]` orders matches by number, then time: the newest calls of a prefix are
 * spread over its whole range. The first of these plans that applies gives the exact page; each
 * step reads a bounded number of index entries to learn whether its plan applies (no count: a
 * count walks its range on a tablet's disk):
 * 1. one number or name (an exact number, mostly): its range read newest first, a page of index
 *    entries, then the page's records;
 * 2. few matches (≤ SEARCH_FEW_MATCHES): all their index entries read (each carries its time),
 *    sorted, and the page fetched;
 * 3. few numbers or names (≤ SEARCH_FEW_KEYS, found by skipping from key to key): each one's
 *    range read newest first, at most a page each, merged;
 * 4. many: the prefix's time-ordered bucket in `*searchKeys` (record-index.ts) read newest first,
 *    index entries only, filtered by the whole prefix (a 1-digit number prefix: the calls
 *    themselves), which fills a page within a few hundred entries, unless the matches are crowded
 *    into older days: after SEARCH_SCAN_PER_ROW entries per row of the page, it gives way to
 * 5. every match's index entry read, sorted, and the page fetched.
 */
export async function searchCalls(db: AppDB, query: string, limit: number, options: { faultId?: string } = {}): Promise<LocalRecord[]> {
  const search = callSearchOf(query)
  if (!search || limit <= 0) return []
  const { index, field, key } = search
  const faultId = options.faultId
  const all = () => db.records.where(index).between([key, ''], [key + MAX, ''], true, false)
  const first = await distinctKeys(db, index, key, 2)
  if (first.length === 0) return []
  const scope = faultId
    ? new Set(await db.records.where('[parentId+kind+createdAt]').between([faultId, 'callRecord', ''], [faultId, 'callRecord', MAX]).primaryKeys())
    : undefined
  const newestOf = async (keys: string[]) => {
    const perKey = await Promise.all(keys.map((k) => rangeHits(db.records.where(index).between([k, ''], [k, MAX]).reverse(), scope, { hits: limit })))
    return pageOf(db, perKey.flatMap((k) => k.hits), limit)
  }

  if (first.length === 1) return newestOf(first)
  const few = await rangeHits(all(), scope, { read: SEARCH_FEW_MATCHES })
  if (few.complete) return pageOf(db, few.hits, limit)
  const keys = await distinctKeys(db, index, key, SEARCH_FEW_KEYS + 1, first)
  if (keys.length <= SEARCH_FEW_KEYS) return newestOf(keys)

  const budget = limit * SEARCH_SCAN_PER_ROW
  const bucket = field === 'phoneKey' ? phoneBucketOf(key) : nameBucketOf(key)
  if (bucket) {
    const { hits, complete } = await bucketHits(db, bucket, key, scope, limit, budget)
    if (complete) return pageOf(db, hits, limit)
  } else {
    const calls = faultId
      ? db.records.where('[parentId+kind+createdAt]').between([faultId, 'callRecord', ''], [faultId, 'callRecord', MAX])
      : db.records.where('[kind+createdAt]').between(['callRecord', ''], ['callRecord', MAX])
    const rows = budget / SEARCH_VALUE_COST
    let read = 0
    const newest = await calls
      .reverse()
      .until(() => ++read > rows)
      .filter((r) => (r[field] ?? '').startsWith(key))
      .limit(limit)
      .toArray()
    if (newest.length === limit || read <= rows) return newest
  }
  return pageOf(db, (await rangeHits(all(), scope)).hits, limit)
}

/** Earlier calls from the same number (digits key) recorded since `since` (ISO). */
export function callsFromSince(db: AppDB, phoneKey: string, since: string): Promise<LocalRecord[]> {
  return db.records.where('[phoneKey+createdAt]').between([phoneKey, since], [phoneKey, MAX]).reverse().limit(5).toArray()
}

/** A log book, newest first, a page at a time. */
export function listLog(db: AppDB, log: LogBook, limit: number): Promise<LocalRecord[]> {
  return db.records.where('[kind+data.log+createdAt]').between(['logEntry', log, ''], ['logEntry', log, MAX]).reverse().limit(limit).toArray()
}

export function countLog(db: AppDB, log: LogBook): Promise<number> {
  return db.records.where('[kind+data.log+createdAt]').between(['logEntry', log, ''], ['logEntry', log, MAX]).count()
}
