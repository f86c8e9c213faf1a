import { z } from 'zod'
import { AdminPersonSchema, SessionResponseSchema, type PersonCreateSchema, type PersonUpdateSchema, type SiteCreateSchema, type SiteUpdateSchema } from '../../shared/admin'
import {
  AdminDeviceSchema,
  AdminSiteSchema,
  ConsoleNowSchema,
  ConsoleRecordsSchema,
  DrillsSchema,
  FollowThroughSchema,
  SessionInfoSchema,
  type ConsoleIncidentState,
  type ConsoleRecordKind,
  type ConsoleRecordMode,
} from '../../shared/console'
import { ApiErrorSchema, type ApiErrorCode } from '../../shared/sync'

/**
 * The central console's calls to the server: `fetch` with the console session's bearer token, every
 * answer parsed with the shared schema (a server of another version fails loudly here, not deep in
 * a page). The console has no offline store: it reads the server, so it needs the network.
 */

/**
 * A failed console call. `status` 0: no answer (offline, timeout). `message` is the server's, in
 * English, for logs; pages show their own words by `status` and `code`.
 */
export class ConsoleApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode | 'network' | 'bad_response',
    message: string,
  ) {
    super(message)
    this.name = 'ConsoleApiError'
  }
}

export interface ConsoleApiOptions {
  getToken: () => string | undefined
  /** @default globalThis.fetch */
  fetch?: typeof fetch
  /** Origin of the server; the console is served by it. @default '' */
  baseUrl?: string
  /** A call with no answer after this long counts as a network failure. @default 20000 */
  timeoutMs?: number
}

export interface RecordsFilter {
  kind?: ConsoleRecordKind
  siteId?: string
  /** ISO times: [from, to). */
  from?: string
  to?: string
  /** Incident filters (see CONSOLE_FILTER_KINDS: `state` and `plan` only with no kind or a kind they apply to). */
  state?: ConsoleIncidentState
  /** A playbook id, `H4`. */
  plan?: string
  mode?: ConsoleRecordMode
  lang?: 'zh-CN' | 'en'
}

type Query = Record<string, string | number | undefined>

function queryString(query: Query | undefined): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v))
  const text = params.toString()
  return text ? `?${text}` : ''
}

export function createConsoleApi(options: ConsoleApiOptions) {
  const timeoutMs = options.timeoutMs ?? 20_000

  async function send(method: string, path: string, init: { query?: Query; body?: unknown; auth?: boolean } = {}): Promise<Response> {
    const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
    const headers: Record<string, string> = {}
    if (init.body !== undefined) headers['content-type'] = 'application/json'
    const token = init.auth === false ? undefined : options.getToken()
    if (token) headers.authorization = `Bearer ${token}`
    let response: Response
    try {
      response = await doFetch(`${options.baseUrl ?? ''}${path}${queryString(init.query)}`, {
        method,
        headers,
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
        cache: 'no-store',
      })
    } catch (error) {
      throw new ConsoleApiError(0, 'network', error instanceof Error ? error.message : String(error))
    }
    if (!response.ok) {
      const parsed = ApiErrorSchema.safeParse(await response.json().catch(() => undefined))
      if (parsed.success) throw new ConsoleApiError(response.status, parsed.data.code, parsed.data.message)
      throw new ConsoleApiError(response.status, response.status >= 500 ? 'internal' : 'bad_response', `HTTP ${response.status}`)
    }
    return response
  }

  async function json<S extends z.ZodType>(schema: S, method: string, path: string, init?: { query?: Query; body?: unknown; auth?: boolean }): Promise<z.infer<S>> {
    const response = await send(method, path, init)
    const parsed = schema.safeParse(await response.json().catch(() => undefined))
    if (!parsed.success) throw new ConsoleApiError(response.status, 'bad_response', z.prettifyError(parsed.error))
    return parsed.data
  }

  const records = (filter: RecordsFilter, format: 'json' | 'csv'): Query => ({
    ...filter,
    format,
    // the CSV's times as the wall clock of this browser
    tzOffset: -new Date().getTimezoneOffset(),
  })

  return {
    signIn: (staffNo: string, pin: string) => json(SessionResponseSchema, 'POST', '/api/session', { body: { staffNo, pin }, auth: false }),
    session: () => json(SessionInfoSchema, 'GET', '/api/session'),
    signOut: async () => {
      await send('DELETE', '/api/session')
    },
    now: (siteId?: string) => json(ConsoleNowSchema, 'GET', '/api/console/now', { query: { siteId } }),
    records: (filter: RecordsFilter) => json(ConsoleRecordsSchema, 'GET', '/api/console/records', { query: records(filter, 'json') }),
    /** The CSV as the server writes it (UTF-8 with BOM, for Excel). */
    recordsCsv: async (filter: RecordsFilter): Promise<string> => {
      const response = await send('GET', '/api/console/records', { query: records(filter, 'csv') })
      // Response.text() would drop the byte order mark Excel needs to read UTF-8; keep it.
      return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer())
    },
    followThrough: (query: { siteId?: string; today?: string }) => json(FollowThroughSchema, 'GET', '/api/console/follow-through', { query }),
    drills: (query: { siteId?: string; months?: number }) => json(DrillsSchema, 'GET', '/api/console/drills', { query }),
    admin: {
      sites: () => json(z.array(AdminSiteSchema), 'GET', '/api/admin/sites'),
      createSite: (input: z.input<typeof SiteCreateSchema>) => json(AdminSiteSchema, 'POST', '/api/admin/sites', { body: input }),
      updateSite: (id: string, input: z.input<typeof SiteUpdateSchema>) =>
        json(z.object({ id: z.string() }).loose(), 'PATCH', `/api/admin/sites/${encodeURIComponent(id)}`, { body: input }),
      people: (siteId?: string) => json(z.array(AdminPersonSchema), 'GET', '/api/admin/people', { query: { siteId } }),
      createPerson: (input: z.input<typeof PersonCreateSchema>) => json(AdminPersonSchema, 'POST', '/api/admin/people', { body: input }),
      updatePerson: (id: string, input: z.input<typeof PersonUpdateSchema>) =>
        json(AdminPersonSchema, 'PATCH', `/api/admin/people/${encodeURIComponent(id)}`, { body: input }),
      devices: (siteId?: string) => json(z.array(AdminDeviceSchema), 'GET', '/api/admin/devices', { query: { siteId } }),
      renameDevice: (id: string, name: string) =>
        json(AdminDeviceSchema.partial({ createdAt: true }), 'PATCH', `/api/admin/devices/${encodeURIComponent(id)}`, { body: { name } }),
      revokeDevice: (id: string) =>
        json(AdminDeviceSchema.partial({ createdAt: true }), 'POST', `/api/admin/devices/${encodeURIComponent(id)}/revoke`),
    },
  }
}

export type ConsoleApi = ReturnType<typeof createConsoleApi>
