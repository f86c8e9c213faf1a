import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import {
  CONSOLE_FILTER_KINDS,
  CONSOLE_RECORD_KINDS,
  ConsoleNowQuerySchema,
  ConsoleRecordsQuerySchema,
  DrillsQuerySchema,
  FollowThroughQuerySchema,
  type ConsoleNow,
  type ConsoleRecordKind,
  type ConsoleRecords,
  type ConsoleSite,
  type Drills,
  type FollowThrough,
} from '../../shared/console'
import { CONSOLE_ROLES } from '../../shared/roles'
import { authenticatePerson } from '../auth'
import { buildDrills, buildFollowThrough, buildNowView, buildRecordRows, playbookCatalog, recordsCsv } from '../console-views'
import { ApiHttpError, parseBody } from '../errors'
import { readPeople, readSiteSettings } from '../people'
import type { RecordQuery, Store, StoredRecord } from '../store'

/**
 * Every console read is bounded: one query per kind with a limit, most of them also a time window.
 * A read that comes back full marks the view `partial` (or `truncated`), so a view never claims to
 * be complete when it may not be. The limits are far above what a center makes in the windows
 * (a few incidents a month, thousands of calls in an outage); the queries use the index on
 * (kind, site_id, server_seq).
 */
export const CONSOLE_READ_LIMITS = {
  /** The Now view looks at incidents, faults and calls created in the last this many days. */
  nowWindowDays: 30,
  incidents: 10_000,
  events: 100_000,
  faults: 5_000,
  calls: 20_000,
  /** Records view: rows of one kind. */
  rows: 5_000,
  reviews: 5_000,
  playbooks: 10_000,
} as const

const DAY = 86_400_000
/**
 * Device times are stored as the device wrote them (with its own offset) and the store compares
 * them as text, so a window is widened by a day before the exact filter on parsed times. A line is
 * often written a little after what it records, so the window's end is widened by a week.
 */
const TEXT_MARGIN_MS = DAY
const LATE_ENTRY_MS = 7 * DAY

/** What belongs to each listed kind, read with it. */
const RELATED_KINDS: Record<ConsoleRecordKind, string[]> = {
  incident: ['incidentEvent', 'incidentReport', 'incidentReview', 'rectificationDone', 'drillRecord'],
  callRecord: ['callbackEvent'],
  fault: ['faultEvent'],
  logEntry: [],
  drillRecord: ['incident'],
  lostItem: ['lostItemEvent'],
  mediaContact: [],
  rollCall: ['rollCallMark', 'incident'],
}

/** A `from` / `to` filter as milliseconds: a bare date is the start of its UTC day, or the end for `to`. */
function bound(value: string | undefined, end: boolean): number | undefined {
  if (value === undefined) return undefined
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00.000Z`) + (end ? DAY : 0)
  return Date.parse(value)
}

const isoOf = (ms: number) => new Date(ms).toISOString()

/**
 * The central console's reads (issue 7): Now, Records (JSON and CSV), Follow-through, Drills.
 * Every route authenticates a console session (supervisor, center manager, admin) and reads only
 * the sites that person's view covers; a `siteId` outside them is refused with 403.
 */
export async function consoleRoutes(app: FastifyInstance, { store, now }: { store: Store; now: () => Date }): Promise<void> {
  /** A read that remembers whether any of its queries came back full (per request). */
  function reader() {
    let full = false
    const read = async (query: RecordQuery): Promise<StoredRecord[]> => {
      const rows = await store.queryRecords(query)
      if (rows.length >= query.limit) full = true
      return rows
    }
    return { read, full: () => full }
  }

  /**
   * The person (401 / 403 first, before anything about the request is looked at), then the sites
   * this request reads: all of theirs, or the one asked for when it is one of them.
   */
  async function scope<S extends z.ZodType<{ siteId?: string | undefined }>>(request: FastifyRequest, schema: S) {
    const auth = await authenticatePerson(store, request, now(), CONSOLE_ROLES)
    const q = parseBody(schema, request.query ?? {})
    const siteId = q.siteId
    if (siteId !== undefined && !auth.siteIds.includes(siteId)) {
      throw new ApiHttpError(403, 'forbidden', 'That site is not one your console view covers')
    }
    const siteIds = siteId !== undefined ? [siteId] : auth.siteIds
    return { q, siteIds, sites: await sitesOf(siteIds), ...reader() }
  }

  /** Names as the admin set them last (a site's settings), else as enrolled. */
  async function sitesOf(siteIds: readonly string[]): Promise<ConsoleSite[]> {
    const wanted = new Set(siteIds)
    const settings = new Map((await readSiteSettings((q) => store.queryRecords(q), siteIds)).map((s) => [s.id, s.name]))
    return (await store.listSites())
      .filter((s) => wanted.has(s.id))
      .map((s) => ({ id: s.id, name: settings.get(s.id) ?? s.name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
  }

  /** The plans are org-wide (every device pulls every version), so they are read across sites. */
  async function catalog() {
    return playbookCatalog(await store.queryRecords({ kinds: ['playbook'], limit: CONSOLE_READ_LIMITS.playbooks }))
  }

  app.get('/api/console/now', async (request): Promise<ConsoleNow> => {
    const { siteIds, sites, read, full } = await scope(request, ConsoleNowQuerySchema)
    const at = now()
    const since = isoOf(at.getTime() - CONSOLE_READ_LIMITS.nowWindowDays * DAY)
    const childrenSince = isoOf(at.getTime() - CONSOLE_READ_LIMITS.nowWindowDays * DAY - TEXT_MARGIN_MS)
    const window = { siteIds, createdFrom: since }
    const children = { siteIds, createdFrom: childrenSince }
    const [plans, incidents, incidentEvents, faults, faultEvents, callRecords, callbackEvents] = await Promise.all([
      catalog(),
      read({ kinds: ['incident'], ...window, limit: CONSOLE_READ_LIMITS.incidents }),
      read({ kinds: ['incidentEvent'], ...children, limit: CONSOLE_READ_LIMITS.events }),
      read({ kinds: ['fault'], ...window, limit: CONSOLE_READ_LIMITS.faults }),
      read({ kinds: ['faultEvent'], ...children, limit: CONSOLE_READ_LIMITS.events }),
      read({ kinds: ['callRecord'], ...window, limit: CONSOLE_READ_LIMITS.calls }),
      read({ kinds: ['callbackEvent'], ...children, limit: CONSOLE_READ_LIMITS.events }),
    ])
    return buildNowView({
      now: at,
      sites,
      catalog: plans,
      incidents,
      incidentEvents,
      faults,
      faultEvents,
      callRecords,
      callbackEvents,
      partial: full(),
    })
  })

  app.get('/api/console/records', async (request, reply): Promise<ConsoleRecords | string> => {
    const { q, siteIds, sites, read, full } = await scope(request, ConsoleRecordsQuerySchema)
    const from = bound(q.from, false)
    const to = bound(q.to, true)
    if (from !== undefined && to !== undefined && from >= to) throw new ApiHttpError(400, 'bad_request', '`from` must be before `to`')
    // The incident filters (state, plan, mode) are applied to the rows once built. A console user
    // who picks a state, a plan or drills under "all types" means incidents (and, for a plan or
    // drills, what belongs to them): only the kinds whose rows can match are read, so rows that
    // could never match cost no read and cannot mark the view truncated. A `kind` that `state` or
    // `plan` never apply to was refused by the schema (400); `mode=real` matches every kind (what
    // is never a drill is real), `mode=drill` with another kind lists nothing.
    const canMatch = (k: ConsoleRecordKind) =>
      (q.state === undefined || CONSOLE_FILTER_KINDS.state.includes(k)) &&
      (q.plan === undefined || CONSOLE_FILTER_KINDS.plan.includes(k)) &&
      (q.mode !== 'drill' || CONSOLE_FILTER_KINDS.mode.includes(k))
    const kinds: readonly ConsoleRecordKind[] = q.kind ? [q.kind] : CONSOLE_RECORD_KINDS.filter(canMatch)
    const window = {
      siteIds,
      ...(from !== undefined ? { createdFrom: isoOf(from - TEXT_MARGIN_MS) } : {}),
      ...(to !== undefined ? { createdTo: isoOf(to + LATE_ENTRY_MS) } : {}),
    }
    // What belongs to a record is made after it: same start, no end.
    const children = { siteIds, ...(from !== undefined ? { createdFrom: isoOf(from - TEXT_MARGIN_MS) } : {}) }
    const wanted = new Set<string>()
    for (const kind of kinds) for (const k of RELATED_KINDS[kind]) wanted.add(k)
    const listed = new Set<string>(kinds)
    const records: Record<string, StoredRecord[]> = {}
    await Promise.all([
      ...[...listed].map(async (kind) => {
        records[kind] = await read({ kinds: [kind], ...window, limit: CONSOLE_READ_LIMITS.rows })
      }),
      ...[...wanted]
        .filter((kind) => !listed.has(kind))
        .map(async (kind) => {
          // The incident a drill record or roll-call belongs to started before it: no window start.
          const incidentParent = kind === 'incident'
          records[kind] = await read({
            kinds: [kind],
            ...(incidentParent ? { siteIds } : children),
            limit: incidentParent ? CONSOLE_READ_LIMITS.incidents : CONSOLE_READ_LIMITS.events,
          })
        }),
    ])
    const roster = kinds.includes('rollCall')
      ? groupRoster(await readPeople((query) => store.queryRecords(query), siteIds))
      : undefined
    const plans = await catalog()
    const rows = buildRecordRows({
      now: now(),
      lang: q.lang,
      sites,
      catalog: plans,
      kinds,
      records,
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(roster ? { roster } : {}),
      filter: { state: q.state, plan: q.plan, mode: q.mode },
    })
    if (q.format === 'csv') {
      const day = now().toISOString().slice(0, 10)
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="steadyline-${q.kind ?? 'records'}-${day}.csv"`)
      // `state` without a kind lists incidents only: their CSV has the incident columns.
      return recordsCsv(rows, kinds.length === 1 ? kinds[0] : undefined, q.lang, q.tzOffset)
    }
    return {
      generatedAt: now().toISOString(),
      kind: q.kind ?? null,
      siteIds,
      from: from !== undefined ? isoOf(from) : null,
      to: to !== undefined ? isoOf(to) : null,
      state: q.state ?? null,
      plan: q.plan ?? null,
      mode: q.mode ?? null,
      // Honest with the filters too: a full read may have missed rows that would have matched.
      truncated: full(),
      rows,
      plans: plans.current.map((p) => ({ id: p.id, title: p.title, category: p.category })),
    }
  })

  app.get('/api/console/follow-through', async (request): Promise<FollowThrough> => {
    const { q, siteIds, sites, read, full } = await scope(request, FollowThroughQuerySchema)
    const at = now()
    const [plans, incidents, reviews, done] = await Promise.all([
      catalog(),
      read({ kinds: ['incident'], siteIds, limit: CONSOLE_READ_LIMITS.incidents }),
      read({ kinds: ['incidentReview'], siteIds, limit: CONSOLE_READ_LIMITS.reviews }),
      read({ kinds: ['rectificationDone'], siteIds, limit: CONSOLE_READ_LIMITS.events }),
    ])
    return buildFollowThrough({
      now: at,
      today: q.today ?? at.toISOString().slice(0, 10),
      sites,
      catalog: plans,
      incidents,
      reviews,
      done,
      partial: full(),
    })
  })

  app.get('/api/console/drills', async (request): Promise<Drills> => {
    const { q, siteIds, sites, read, full } = await scope(request, DrillsQuerySchema)
    const [plans, incidents, drillRecords] = await Promise.all([
      catalog(),
      read({ kinds: ['incident'], siteIds, limit: CONSOLE_READ_LIMITS.incidents }),
      read({ kinds: ['drillRecord'], siteIds, limit: CONSOLE_READ_LIMITS.incidents }),
    ])
    return buildDrills({ now: now(), months: q.months, sites, catalog: plans, incidents, drillRecords, partial: full() })
  })
}

function groupRoster(people: Awaited<ReturnType<typeof readPeople>>) {
  const bySite = new Map<string, { id: string; name: string; staffNo: string }[]>()
  for (const p of people) {
    if (!p.active) continue
    const list = bySite.get(p.siteId) ?? []
    list.push({ id: p.id, name: p.name, staffNo: p.staffNo })
    bySite.set(p.siteId, list)
  }
  return bySite
}
