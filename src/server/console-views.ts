import { buildCatalog, type Catalog } from '../shared/catalog'
import { deriveCallback, type CallbackEvent, type CallbackEventData, type CallbackSummary } from '../shared/callback'
import type { CallRecordData } from '../shared/call-record'
import {
  CONSOLE_BOOLEAN_LABELS,
  CONSOLE_COLUMN_LABELS,
  CONSOLE_COMMON_COLUMNS,
  CONSOLE_KIND_COLUMNS,
  CONSOLE_TIME_COLUMNS,
  CONSOLE_VALUE_LABELS,
  labelOf,
  type Cell,
  type ConsoleCallbacks,
  type ConsoleClock,
  type ConsoleEvent,
  type ConsoleFault,
  type ConsoleIncident,
  type ConsoleIncidentState,
  type ConsoleNow,
  type ConsoleRecordKind,
  type ConsoleRecordMode,
  type ConsoleRecordRow,
  type ConsoleSite,
  type DrillEntry,
  type Drills,
  type FollowThrough,
  type FollowThroughItem,
} from '../shared/console'
import { deriveFaultState, notifyStatus, outageEndedAt, type FaultData, type FaultEvent, type FaultEventData } from '../shared/fault'
import {
  deriveIncidentState,
  incidentClocks,
  stepsForVariant,
  type ClockContext,
  type ClockState,
  type IncidentData,
  type IncidentEvent,
  type IncidentEventData,
  type IncidentState,
} from '../shared/incident'
import {
  drillOnTime,
  type DrillRecordData,
  type IncidentReportData,
  type IncidentReviewData,
  type RectificationDoneData,
} from '../shared/incident-report'
import type { LogEntryData } from '../shared/log'
import { lostItemStart, lostItemState, type LostItem, type LostItemData, type LostItemEvent, type LostItemEventData } from '../shared/lost-found'
import type { MediaContactData } from '../shared/media'
import { callExportRow, toCsv } from '../shared/outage-export'
import type { Locale, LocalizedText, Playbook, PlaybookCategory } from '../shared/playbook'
import { SHIPPED_PLAYBOOKS } from '../shared/playbooks'
import { rollCallState, type RollCallData, type RollCallMark, type RollCallMarkData, type RollCallRosterEntry } from '../shared/roll-call'
import type { RecordEnvelope } from '../shared/records'

/**
 * The central console's views, built from records already read (routes/console.ts does the bounded
 * reads and the access check). Pure: the same records and `now` give the same view, so the rules
 * are tested without HTTP or a database.
 */

/** A record as the views need it (a StoredRecord fits; `serverSeq` breaks ties of equal times). */
export type ViewRecord = RecordEnvelope

/** How many of an incident's events the Now view shows. */
export const NOW_LATEST_EVENTS = 5

const MINUTE = 60_000

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    if (k === undefined) continue
    const list = groups.get(k)
    if (list) list.push(item)
    else groups.set(k, [item])
  }
  return groups
}

/** The newest record of a list (a correction is a newer record): by creation time, then server order. */
function newest(records: readonly ViewRecord[] | undefined): ViewRecord | undefined {
  let best: ViewRecord | undefined
  for (const r of records ?? []) {
    if (!best || Date.parse(r.createdAt) > Date.parse(best.createdAt) || (r.createdAt === best.createdAt && (r.serverSeq ?? 0) > (best.serverSeq ?? 0))) best = r
  }
  return best
}

const iso = (ms: number) => new Date(ms).toISOString()
const dataOf = <T>(r: ViewRecord) => r.data as unknown as T

/**
 * The plans every incident may refer to: the shipped ones and every version stored on the server
 * (seeded, or edited by a supervisor). An incident runs the version it started with.
 */
export function playbookCatalog(playbookRecords: readonly ViewRecord[]): Catalog<Playbook> {
  return buildCatalog(
    SHIPPED_PLAYBOOKS,
    playbookRecords.map((r) => ({ data: r.data as unknown as Playbook, rejected: false })),
  )
}

export function planOf(catalog: Catalog<Playbook>, data: Pick<IncidentData, 'playbookId' | 'playbookVersion'>): Playbook | undefined {
  return catalog.byIdVersion(data.playbookId, data.playbookVersion) ?? catalog.byId(data.playbookId)
}

function toIncidentEvent(r: ViewRecord): IncidentEvent {
  return { ...dataOf<IncidentEventData>(r), id: r.id, author: r.author, deviceId: r.deviceId }
}

function toFaultEvent(r: ViewRecord): FaultEvent {
  return { ...dataOf<FaultEventData>(r), id: r.id, createdAt: r.createdAt, author: r.author }
}

function toCallbackEvent(r: ViewRecord): CallbackEvent {
  return { ...dataOf<CallbackEventData>(r), id: r.id, createdAt: r.createdAt, author: r.author }
}

function siteNamer(sites: readonly ConsoleSite[]) {
  const names = new Map(sites.map((s) => [s.id, s.name]))
  return (id: string) => names.get(id) ?? id
}

interface IncidentFacts {
  record: ViewRecord
  data: IncidentData
  playbook: Playbook | undefined
  state: IncidentState
  clocks: ClockState[]
}

function incidentFacts(record: ViewRecord, events: readonly ViewRecord[], catalog: Catalog<Playbook>, now: number, context: ClockContext = {}): IncidentFacts {
  const data = dataOf<IncidentData>(record)
  const playbook = planOf(catalog, data)
  const state = deriveIncidentState(events.map(toIncidentEvent))
  const clocks = playbook ? incidentClocks(playbook, data, state, now, context) : []
  return { record, data, playbook, state, clocks }
}

function stepCounts(f: IncidentFacts): { stepsDone: number; stepsTotal: number } {
  const steps = f.playbook ? stepsForVariant(f.playbook, f.data.variantId) : []
  return { stepsDone: steps.filter((s) => f.state.steps.get(s.id)?.done).length, stepsTotal: steps.length }
}

function clockView(c: ClockState, now: number): ConsoleClock {
  const dueAt = c.dueAt ?? now
  return {
    key: c.key,
    label: c.deadline.label,
    kind: c.deadline.kind,
    status: c.status,
    dueAt: iso(dueAt),
    overdueMs: now - dueAt,
    acknowledged: c.acknowledged ?? null,
  }
}

function eventView(e: IncidentEvent, f: IncidentFacts): ConsoleEvent {
  return {
    id: e.id,
    type: e.type,
    at: e.at,
    author: e.author,
    stepId: e.stepId ?? null,
    stepText: (e.stepId && f.playbook?.steps.find((s) => s.id === e.stepId)?.text) || null,
    levelTitle: (e.levelId && f.playbook?.levels?.find((l) => l.id === e.levelId)?.title) || null,
    clockLabel: (e.alarmKey && f.clocks.find((c) => c.key === e.alarmKey)?.deadline.label) || null,
    note: e.note ?? '',
  }
}

export interface NowInput {
  now: Date
  sites: readonly ConsoleSite[]
  catalog: Catalog<Playbook>
  incidents: readonly ViewRecord[]
  incidentEvents: readonly ViewRecord[]
  faults: readonly ViewRecord[]
  faultEvents: readonly ViewRecord[]
  callRecords: readonly ViewRecord[]
  callbackEvents: readonly ViewRecord[]
  partial: boolean
}

/**
 * What is happening now across the sites: open incidents (real ones with overdue clocks first),
 * open faults, and the callbacks still owed per site.
 */
export function buildNowView(input: NowInput): ConsoleNow {
  const now = input.now.getTime()
  const siteName = siteNamer(input.sites)

  // Each fault's state, derived once: for the fault list, and for the incident it was recorded from.
  const faultEvents = groupBy(input.faultEvents, (r) => dataOf<FaultEventData>(r).faultId)
  const faultFacts = input.faults.map((record) => {
    const data = dataOf<FaultData>(record)
    return { record, data, state: deriveFaultState(data, (faultEvents.get(record.id) ?? []).map(toFaultEvent)) }
  })
  // An incident's outage ends when every fault recorded from it has recovered (its "escalate after" clocks stop).
  const faultsByIncident = groupBy(faultFacts, (f) => f.data.incidentId)
  const eventsByIncident = groupBy(input.incidentEvents, (r) => dataOf<IncidentEventData>(r).incidentId)
  const incidents: ConsoleIncident[] = []
  for (const record of input.incidents) {
    const endedAt = outageEndedAt((faultsByIncident.get(record.id) ?? []).map((f) => f.state))
    const f = incidentFacts(record, eventsByIncident.get(record.id) ?? [], input.catalog, now, endedAt ? { endedAt } : {})
    if (f.state.closed) continue
    const overdue = f.clocks.filter((c) => c.status === 'overdue').map((c) => clockView(c, now))
    const upcoming = f.clocks
      .filter((c) => c.status === 'running' || c.status === 'dueSoon')
      .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0))[0]
    incidents.push({
      id: record.id,
      siteId: record.siteId,
      siteName: siteName(record.siteId),
      playbookId: f.data.playbookId,
      playbookVersion: f.data.playbookVersion,
      title: f.playbook?.title ?? null,
      drill: f.data.drill,
      startedAt: f.data.startedAt,
      startedBy: record.author,
      elapsedMs: Math.max(0, now - Date.parse(f.data.startedAt)),
      ...stepCounts(f),
      overdue,
      next: upcoming ? clockView(upcoming, now) : null,
      latestEvents: [...f.state.timeline].reverse().slice(0, NOW_LATEST_EVENTS).map((e) => eventView(e, f)),
    })
  }
  // Real before drills, unacknowledged overdue clocks first, then the longest running.
  const urgency = (i: ConsoleIncident) => i.overdue.filter((c) => !c.acknowledged).length
  incidents.sort((a, b) => Number(a.drill) - Number(b.drill) || urgency(b) - urgency(a) || b.elapsedMs - a.elapsedMs)

  const faults: ConsoleFault[] = []
  for (const { record, data, state } of faultFacts) {
    if (state.recovered) continue
    faults.push({
      id: record.id,
      siteId: record.siteId,
      siteName: siteName(record.siteId),
      system: data.system,
      symptom: data.symptom,
      scope: data.scope,
      startedAt: data.startedAt,
      recordedBy: record.author,
      elapsedMs: Math.max(0, now - Date.parse(data.startedAt)),
      incidentId: data.incidentId ?? null,
      // A fault recorded from an incident has no clocks of its own: its incident's are shown with the incident.
      overdueNotify: data.incidentId ? [] : notifyStatus(data, state, now).filter((n) => n.status === 'overdue').map((n) => n.role),
    })
  }
  faults.sort((a, b) => b.elapsedMs - a.elapsedMs)

  const callbackEvents = groupBy(input.callbackEvents, (r) => dataOf<CallbackEventData>(r).callRecordId)
  const perSite = new Map<string, ConsoleCallbacks>(
    input.sites.map((s) => [s.id, { siteId: s.id, siteName: s.name, outstanding: 0, toCall: 0, noAnswer: 0 }]),
  )
  for (const record of input.callRecords) {
    if (!dataOf<CallRecordData>(record).callbackNeeded) continue
    const { state } = deriveCallback((callbackEvents.get(record.id) ?? []).map(toCallbackEvent))
    if (state !== 'toCall' && state !== 'noAnswer') continue
    const site = perSite.get(record.siteId)
    if (!site) continue
    site.outstanding++
    site[state]++
  }
  const callbacks = [...perSite.values()].sort((a, b) => b.outstanding - a.outstanding || a.siteName.localeCompare(b.siteName, 'zh-CN'))

  return { generatedAt: iso(now), sites: [...input.sites], incidents, faults, callbacks, partial: input.partial }
}

// ---------------------------------------------------------------------------------------------
// Records

export interface RecordsInput {
  now: Date
  lang: Locale
  sites: readonly ConsoleSite[]
  catalog: Catalog<Playbook>
  /** Only rows whose time is in [from, to) (ms), when set. */
  from?: number
  to?: number
  /** The kinds listed (each with what it needs below). */
  kinds: readonly ConsoleRecordKind[]
  /** Every record read, by kind: the listed kinds and what belongs to them. */
  records: Partial<Record<string, readonly ViewRecord[]>>
  /** The sites' people, for the roll-call's "unmarked". */
  roster?: ReadonlyMap<string, readonly RollCallRosterEntry[]>
  /** Only the rows these incident filters match (see CONSOLE_FILTER_KINDS), when set. */
  filter?: RecordFilter
}

/** The Records view's incident filters, as the query gives them. */
export interface RecordFilter {
  state?: ConsoleIncidentState | undefined
  plan?: string | undefined
  mode?: ConsoleRecordMode | undefined
}

const local = (text: LocalizedText | undefined | null, lang: Locale) => (text ? text[lang] : '')

function row(
  kind: ConsoleRecordKind,
  record: ViewRecord,
  siteName: (id: string) => string,
  fields: Pick<ConsoleRecordRow, 'at' | 'summary' | 'status'> & Partial<Pick<ConsoleRecordRow, 'drill' | 'related'>> & { columns: Record<string, Cell> },
): ConsoleRecordRow {
  return {
    id: record.id,
    kind,
    siteId: record.siteId,
    siteName: siteName(record.siteId),
    author: record.author,
    createdAt: record.createdAt,
    drill: false,
    related: {},
    data: record.data,
    ...fields,
  }
}

const brief = (r: ViewRecord | undefined) => (r ? { id: r.id, author: r.author, createdAt: r.createdAt, data: r.data } : null)

/**
 * The Records view's rows, newest first: each kind with its own columns (the CSV's) and what
 * belongs to it (an incident's newest report and review and the items done, a call's callback
 * steps, a fault's events).
 */
export function buildRecordRows(input: RecordsInput): ConsoleRecordRow[] {
  const { lang, catalog } = input
  const siteName = siteNamer(input.sites)
  const of = (kind: string) => input.records[kind] ?? []
  const byIncident = (kind: string) => groupBy(of(kind), (r) => (r.data as { incidentId?: string }).incidentId)
  const incidentsById = new Map(of('incident').map((r) => [r.id, r]))
  const planTitle = (incidentId: string | undefined) => {
    const incident = incidentId ? incidentsById.get(incidentId) : undefined
    const data = incident ? dataOf<IncidentData>(incident) : undefined
    return { incident, data, title: data ? local(planOf(catalog, data)?.title, lang) : '' }
  }
  const rows: ConsoleRecordRow[] = []
  /** The plan of each row that belongs to an incident (the incident, its drill record, its roll-call). */
  const planOfRow = new Map<ConsoleRecordRow, string>()
  const push = (r: ConsoleRecordRow, playbookId?: string) => {
    rows.push(r)
    if (playbookId) planOfRow.set(r, playbookId)
  }

  if (input.kinds.includes('incident')) {
    const events = byIncident('incidentEvent')
    const reports = byIncident('incidentReport')
    const reviews = byIncident('incidentReview')
    const done = byIncident('rectificationDone')
    const drillRecords = byIncident('drillRecord')
    for (const record of of('incident')) {
      const f = incidentFacts(record, events.get(record.id) ?? [], catalog, input.now.getTime())
      const report = newest(reports.get(record.id))
      const review = newest(reviews.get(record.id))
      const rp = report ? dataOf<IncidentReportData>(report) : undefined
      const rv = review ? dataOf<IncidentReviewData>(review) : undefined
      const doneItems = new Map((done.get(record.id) ?? []).map((d) => [dataOf<RectificationDoneData>(d).itemId, d]))
      const items = rv?.rectifications ?? []
      const title = local(f.playbook?.title, lang)
      push(
        row('incident', record, siteName, {
          at: f.data.startedAt,
          summary: `${f.data.playbookId} ${title}`.trim(),
          status: f.state.closed ? 'closed' : 'open',
          drill: f.data.drill,
          columns: {
            playbookId: f.data.playbookId,
            plan: title,
            drill: f.data.drill,
            variantId: f.data.variantId ? local(f.playbook?.variants?.find((v) => v.id === f.data.variantId)?.title, lang) || f.data.variantId : '',
            startedAt: f.data.startedAt,
            closedAt: f.state.closed?.at ?? '',
            closedBy: f.state.closed?.by ?? '',
            ...stepCounts(f),
            report: rp ? 'submitted' : 'missing',
            incidentType: rp?.incidentType ?? '',
            location: rp ? `${rp.siteName} ${rp.location}` : '',
            propertyLoss: rp?.propertyLoss ?? '',
            casualties: rp?.casualties ?? '',
            scope: rp?.scope ?? '',
            measures: rp?.measures ?? '',
            control: rp?.control ?? '',
            development: rp?.development ?? '',
            other: rp?.other ?? '',
            reportBy: report?.author ?? '',
            reportAt: report?.createdAt ?? '',
            review: rv ? 'submitted' : 'missing',
            reviewCause: rv?.cause ?? '',
            reviewCourse: rv?.course ?? '',
            reviewMeasures: rv?.measures ?? '',
            reviewAddressedTo: rv?.addressedTo ?? '',
            rectifications: items.length,
            rectificationsOpen: items.filter((i) => !doneItems.has(i.id)).length,
            reviewBy: review?.author ?? '',
            reviewAt: review?.createdAt ?? '',
          },
          related: {
            report: brief(report),
            review: brief(review),
            rectificationsDone: [...doneItems.values()].map((d) => ({ itemId: dataOf<RectificationDoneData>(d).itemId, at: d.createdAt, by: d.author, note: dataOf<RectificationDoneData>(d).note })),
            drillRecord: brief(newest(drillRecords.get(record.id))),
            events: f.state.timeline.length,
          },
        }),
        f.data.playbookId,
      )
    }
  }

  if (input.kinds.includes('callRecord')) {
    const steps = groupBy(of('callbackEvent'), (r) => dataOf<CallbackEventData>(r).callRecordId)
    for (const record of of('callRecord')) {
      const data = dataOf<CallRecordData>(record)
      const callback: CallbackSummary | undefined = data.callbackNeeded ? deriveCallback((steps.get(record.id) ?? []).map(toCallbackEvent)) : undefined
      const { recordId: _id, agent: _agent, ...columns } = callExportRow({ record, ...(callback ? { callback } : {}) })
      rows.push(
        row('callRecord', record, siteName, {
          at: data.calledAt,
          summary: `${data.callerName || data.callerPhone}: ${data.request}`,
          status: callback?.state ?? '',
          columns,
          related: {
            callback: callback
              ? { state: callback.state, attempts: callback.attempts, steps: callback.history.map((s) => ({ action: s.state, at: s.at, by: s.author, note: s.note, applied: s.applied })) }
              : null,
          },
        }),
      )
    }
  }

  if (input.kinds.includes('fault')) {
    const events = groupBy(of('faultEvent'), (r) => dataOf<FaultEventData>(r).faultId)
    for (const record of of('fault')) {
      const data = dataOf<FaultData>(record)
      const state = deriveFaultState(data, (events.get(record.id) ?? []).map(toFaultEvent))
      rows.push(
        row('fault', record, siteName, {
          at: data.startedAt,
          summary: `${data.system}: ${data.symptom}`,
          status: state.recovered ? 'recovered' : 'ongoing',
          columns: {
            system: data.system,
            symptom: data.symptom,
            scope: data.scope,
            seat: data.seat,
            startedAt: data.startedAt,
            recoveredAt: state.recoveredAt ?? '',
            recoveredBy: state.recoveredBy ?? '',
            durationMinutes: state.durationMs === undefined ? '' : Math.round(state.durationMs / MINUTE),
            notified: state.notified.map((e) => `${e.role ?? ''} ${e.who}`.trim()).join('; '),
            actions: state.actions.map((e) => e.note).join('; '),
            incidentId: data.incidentId ?? '',
          },
          related: { events: state.timeline.map((e) => ({ type: e.type, at: e.at, by: e.author, role: e.role ?? null, who: e.who, note: e.note })) },
        }),
      )
    }
  }

  if (input.kinds.includes('logEntry')) {
    for (const record of of('logEntry')) {
      const data = dataOf<LogEntryData>(record)
      rows.push(
        row('logEntry', record, siteName, {
          at: data.at,
          summary: data.text,
          status: data.log,
          columns: { log: data.log, type: data.type, text: data.text, faultId: data.faultId ?? '' },
        }),
      )
    }
  }

  if (input.kinds.includes('drillRecord')) {
    for (const record of of('drillRecord')) {
      const data = dataOf<DrillRecordData>(record)
      const { data: incident, title } = planTitle(data.incidentId)
      push(
        row('drillRecord', record, siteName, {
          at: incident?.startedAt ?? record.createdAt,
          summary: `${incident?.playbookId ?? ''} ${title}: ${data.evaluation}`.trim(),
          status: data.rating,
          drill: true,
          columns: {
            incidentId: data.incidentId,
            playbookId: incident?.playbookId ?? '',
            plan: title,
            drillAt: incident?.startedAt ?? '',
            participantCount: data.participants.length,
            participants: data.participants.join('、'),
            rating: data.rating,
            evaluation: data.evaluation,
          },
        }),
        incident?.playbookId,
      )
    }
  }

  if (input.kinds.includes('mediaContact')) {
    for (const record of of('mediaContact')) {
      const data = dataOf<MediaContactData>(record)
      rows.push(
        row('mediaContact', record, siteName, {
          at: data.at,
          summary: `${data.outlet}: ${data.asked}`,
          status: '',
          columns: {
            outlet: data.outlet,
            reporterName: data.reporterName,
            channel: data.channel,
            asked: data.asked,
            filmingAttempted: data.filmingAttempted,
            filmingAction: data.filmingAction,
            response: data.response.type === 'wording' ? data.response.text : 'spokesperson',
            informed: data.informed.map((i) => `${i.who} ${i.at}`).join('; '),
            spokesperson: data.spokesperson,
            incidentId: data.incidentId ?? '',
          },
        }),
      )
    }
  }

  if (input.kinds.includes('rollCall')) {
    // Two tablets may each start one offline for the same incident: one row per incident, all marks.
    const rollCalls = groupBy(of('rollCall'), (r) => dataOf<RollCallData>(r).incidentId)
    const marksByRollCall = groupBy(of('rollCallMark'), (r) => dataOf<RollCallMarkData>(r).rollCallId)
    for (const [incidentId, calls] of rollCalls) {
      const first = [...calls].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))[0]!
      const marks: RollCallMark[] = calls.flatMap((c) =>
        (marksByRollCall.get(c.id) ?? []).map((m) => ({ ...dataOf<RollCallMarkData>(m), id: m.id, createdAt: m.createdAt, author: m.author })),
      )
      const data = dataOf<RollCallData>(first)
      const state = rollCallState(data, marks, input.roster?.get(first.siteId) ?? [])
      const { data: incident, title } = planTitle(incidentId)
      push(
        row('rollCall', first, siteName, {
          at: data.startedAt,
          summary: `${incident?.playbookId ?? ''} ${title}`.trim(),
          status: state.completedAt ? 'complete' : 'inProgress',
          drill: incident?.drill ?? false,
          columns: {
            incidentId,
            startedAt: data.startedAt,
            ...state.counts,
            customersEvacuated: state.customersEvacuated,
            completedAt: state.completedAt ?? '',
            completedBy: state.completedBy ?? '',
          },
          related: {
            people: state.people.map((p) => ({ name: p.name, status: p.mark?.status ?? null, note: p.mark?.note ?? '', at: p.mark?.at ?? null, by: p.mark?.author ?? null })),
          },
        }),
        incident?.playbookId,
      )
    }
  }

  if (input.kinds.includes('lostItem')) {
    const events = groupBy(of('lostItemEvent'), (r) => dataOf<LostItemEventData>(r).itemId)
    for (const record of of('lostItem')) {
      const data = dataOf<LostItemData>(record)
      const item: LostItem = { ...data, id: record.id, createdAt: record.createdAt, author: record.author }
      const state = lostItemState(
        item,
        (events.get(record.id) ?? []).map((e): LostItemEvent => ({ ...dataOf<LostItemEventData>(e), id: e.id, createdAt: e.createdAt, author: e.author })),
        input.now.getTime(),
      )
      const current = (field: string, fallback = '') => (state.current as Record<string, string | undefined>)[field] ?? fallback
      const where = data.mode === 'found' ? current('whereFound') : data.mode === 'reported' ? current('whereLost') : ''
      const contact = data.mode === 'found' ? '' : `${current('contactName')} ${current('contactPhone')}`.trim()
      rows.push(
        row('lostItem', record, siteName, {
          at: current(data.mode === 'found' ? 'foundAt' : data.mode === 'reported' ? 'lostAt' : 'at', lostItemStart(data)),
          summary: current('description', data.description),
          status: state.status,
          columns: {
            mode: data.mode,
            description: current('description', data.description),
            where,
            foundBy: data.mode === 'found' ? current('foundBy') : '',
            witnesses: data.mode === 'found' ? data.witnesses.map((w) => w.name).join('、') : '',
            cctv: data.mode === 'found' ? `${current('cctvCamera')} ${current('cctvTime')}`.trim() : '',
            keptAt: data.mode === 'found' ? current('keptAt') : '',
            contact,
            details: data.mode === 'vehicle' ? `${data.happened}: ${current('details')}` : data.mode === 'reported' ? current('note') : '',
            ownerContactedAt: state.contacted?.at ?? '',
            returnedTo: state.returned?.claimantName ?? '',
            returnedBy: state.returned?.returnedBy.name ?? '',
            returnedAt: state.returned?.at ?? '',
            closedAt: state.closed?.at ?? '',
            ageDays: state.ageDays,
            amendments: state.amended.map((a) => `${a.field}: ${a.original} → ${a.current}`).join('; '),
            incidentId: data.incidentId ?? '',
          },
          related: {
            history: state.history.map((h) => ({ kind: h.kind === 'event' ? h.event.type : 'registered', at: h.createdAt, by: h.author, applied: h.applied })),
          },
        }),
      )
    }
  }

  const inWindow = (r: ConsoleRecordRow) => {
    const t = Date.parse(r.at)
    return (input.from === undefined || t >= input.from) && (input.to === undefined || t < input.to)
  }
  // A row without the filtered fact (a call has no plan, a lost item's `closed` is not an
  // incident's) never matches; a row of a kind that is never a drill is real.
  const { state, plan, mode } = input.filter ?? {}
  const matches = (r: ConsoleRecordRow) =>
    (state === undefined || (r.kind === 'incident' && r.status === state)) &&
    (plan === undefined || planOfRow.get(r) === plan) &&
    (mode === undefined || r.drill === (mode === 'drill'))
  return rows.filter((r) => inWindow(r) && matches(r)).sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.id < b.id ? 1 : -1))
}

/** `2026-11-28 08:05` at `offsetMinutes` from UTC. */
export function wallTime(isoTime: string, offsetMinutes: number): string {
  const t = Date.parse(isoTime)
  if (Number.isNaN(t)) return isoTime
  return new Date(t + offsetMinutes * MINUTE).toISOString().slice(0, 16).replace('T', ' ')
}

/**
 * The rows as CSV (UTF-8 with BOM, CRLF: what Excel opens, as the outage export): the common
 * columns, then the kind's own when the rows are of one kind; headers and coded values in `lang`.
 */
export function recordsCsv(rows: readonly ConsoleRecordRow[], kind: ConsoleRecordKind | undefined, lang: Locale, tzOffset?: number): string {
  const columns = [...CONSOLE_COMMON_COLUMNS, ...(kind ? CONSOLE_KIND_COLUMNS[kind] : [])]
  const headers = Object.fromEntries(columns.map((c) => [c, labelOf(CONSOLE_COLUMN_LABELS, c, lang)]))
  const cells = rows.map((r): Record<string, Cell> => ({
    ...r.columns,
    recordId: r.id,
    kind: r.kind,
    site: r.siteName,
    at: r.at,
    author: r.author,
    summary: r.summary,
    status: r.status,
  }))
  return toCsv(columns, headers, cells.map((c) => Object.fromEntries(columns.map((col) => [col, c[col] ?? '']))), (column, value) => {
    if (value === '') return ''
    if (typeof value === 'boolean') return CONSOLE_BOOLEAN_LABELS[value ? 'yes' : 'no'][lang]
    if (CONSOLE_TIME_COLUMNS.has(column) && tzOffset !== undefined) return wallTime(String(value), tzOffset)
    const table = CONSOLE_VALUE_LABELS[column]
    return table ? labelOf(table, String(value), lang) : value
  })
}

// ---------------------------------------------------------------------------------------------
// Follow-through

export interface FollowThroughInput {
  now: Date
  /** `YYYY-MM-DD`: an item due before this day and not done is overdue. */
  today: string
  sites: readonly ConsoleSite[]
  catalog: Catalog<Playbook>
  incidents: readonly ViewRecord[]
  reviews: readonly ViewRecord[]
  done: readonly ViewRecord[]
  partial: boolean
}

/**
 * Every rectification item of the newest review of each incident, with whether it is done (as on
 * the tablet: a `rectificationDone` for the incident and the item) and overdue.
 */
export function buildFollowThrough(input: FollowThroughInput): FollowThrough {
  const siteName = siteNamer(input.sites)
  const incidents = new Map(input.incidents.map((r) => [r.id, r]))
  const reviews = groupBy(input.reviews, (r) => dataOf<IncidentReviewData>(r).incidentId)
  const done = groupBy(input.done, (r) => dataOf<RectificationDoneData>(r).incidentId)
  const items: FollowThroughItem[] = []
  for (const [incidentId, list] of reviews) {
    const review = newest(list)!
    const data = dataOf<IncidentReviewData>(review)
    const incident = incidents.get(incidentId)
    const incidentData = incident ? dataOf<IncidentData>(incident) : undefined
    const doneItems = new Map<string, ViewRecord>()
    for (const d of [...(done.get(incidentId) ?? [])].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))) {
      const itemId = dataOf<RectificationDoneData>(d).itemId
      if (!doneItems.has(itemId)) doneItems.set(itemId, d)
    }
    for (const item of data.rectifications) {
      const d = doneItems.get(item.id)
      items.push({
        incidentId,
        reviewId: review.id,
        itemId: item.id,
        siteId: review.siteId,
        siteName: siteName(review.siteId),
        playbookId: incidentData?.playbookId ?? '',
        title: incidentData ? (planOf(input.catalog, incidentData)?.title ?? null) : null,
        drill: incidentData?.drill ?? false,
        incidentStartedAt: incidentData?.startedAt ?? review.createdAt,
        text: item.text,
        owner: item.owner,
        due: item.due,
        done: d ? { at: d.createdAt, by: d.author, note: dataOf<RectificationDoneData>(d).note } : null,
        overdue: !d && item.due < input.today,
      })
    }
  }
  items.sort((a, b) => a.owner.localeCompare(b.owner, 'zh-CN') || a.due.localeCompare(b.due) || a.text.localeCompare(b.text, 'zh-CN'))
  return { generatedAt: input.now.toISOString(), today: input.today, items, partial: input.partial }
}

// ---------------------------------------------------------------------------------------------
// Drills

export interface DrillsInput {
  now: Date
  months: number
  sites: readonly ConsoleSite[]
  catalog: Catalog<Playbook>
  /** The sites' incidents, real and drills (the real ones tell which plans a site runs). */
  incidents: readonly ViewRecord[]
  drillRecords: readonly ViewRecord[]
  partial: boolean
}

/** `months` calendar months before `now` (the same day of the month, clamped to its end). */
export function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now.getTime())
  const day = d.getUTCDate()
  d.setUTCDate(1)
  d.setUTCMonth(d.getUTCMonth() - months)
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()
  d.setUTCDate(Math.min(day, last))
  return d
}

const ALL_CATEGORIES: PlaybookCategory[] = ['serviceHall', 'callCenter']

/** A drill record's steps on time, as kept in the record (null when it kept none). */
function onTimeOf(record: DrillRecordData): { onTime: number | null; timed: number | null } {
  return record.stepTimes ? drillOnTime(record.stepTimes) : { onTime: null, timed: null }
}

/**
 * Per site, every plan it runs with its drills (newest first) and their evaluation; a plan with no
 * drill since `months` months before `now` is flagged (the plans ask for regular drills). Which
 * plans a site runs: the categories of the plans it has started (a service hall starts H plans, a
 * call center floor C plans); a site that has started none is shown every plan.
 */
export function buildDrills(input: DrillsInput): Drills {
  const since = monthsBefore(input.now, input.months)
  const records = groupBy(input.drillRecords, (r) => dataOf<DrillRecordData>(r).incidentId)
  const bySite = groupBy(input.incidents, (r) => r.siteId)
  const sites = input.sites.map((site) => {
    const incidents = bySite.get(site.id) ?? []
    const categories = ALL_CATEGORIES.filter((c) =>
      incidents.some((r) => planOf(input.catalog, dataOf<IncidentData>(r))?.category === c),
    )
    const shown = categories.length > 0 ? categories : ALL_CATEGORIES
    const drills = groupBy(
      incidents.filter((r) => dataOf<IncidentData>(r).drill),
      (r) => dataOf<IncidentData>(r).playbookId,
    )
    const plans = input.catalog.current
      .filter((p) => shown.includes(p.category))
      .map((plan) => {
        const entries: DrillEntry[] = (drills.get(plan.id) ?? [])
          .map((r) => {
            const data = dataOf<IncidentData>(r)
            const rec = newest(records.get(r.id))
            const rd = rec ? dataOf<DrillRecordData>(rec) : undefined
            return {
              incidentId: r.id,
              startedAt: data.startedAt,
              startedBy: r.author,
              record: rec && rd ? { rating: rd.rating, evaluation: rd.evaluation, participants: rd.participants, recordedBy: rec.author, recordedAt: rec.createdAt, ...onTimeOf(rd) } : null,
            }
          })
          .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))
        const last = entries[0]?.startedAt ?? null
        return {
          playbookId: plan.id,
          title: plan.title,
          category: plan.category,
          lastDrilledAt: last,
          drills: entries,
          notDrilled: last === null || Date.parse(last) < since.getTime(),
        }
      })
    return { siteId: site.id, siteName: site.name, categories: shown, plans }
  })
  return { generatedAt: input.now.toISOString(), months: input.months, since: since.toISOString(), sites, partial: input.partial }
}
