import {
  ApiErrorSchema,
  EnrollResponseSchema,
  PullResponseForwardSchema,
  PushResponseSchema,
  type ApiErrorCode,
  type EnrollRequest,
  type EnrollResponse,
  type PullRequest,
  type PullResponse,
  type PushRequest,
  type PushResponse,
} from '../../shared/sync'
import type { z } from 'zod'

/**
 * A failed call to the server. `status` 0 means the request never got an answer (offline, reset,
 * timeout): whether the server applied it is unknown, which the protocol makes harmless.
 */
export class SyncHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode | 'network' | 'bad_response',
    message: string,
    readonly expectedMutationId?: number,
  ) {
    super(message)
    this.name = 'SyncHttpError'
  }

  /** Worth trying again later: no answer, a server fault, or the server asking us to slow down. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429
  }
}

export interface SyncTransport {
  push(request: PushRequest): Promise<PushResponse>
  pull(request: PullRequest): Promise<PullResponse>
}

export interface HttpTransportOptions {
  /** Origin of the server; the app is served by it, so the default is the page's own. @default '' */
  baseUrl?: string
  getToken: () => Promise<string | undefined>
  fetch?: typeof fetch
  /** A request with no answer after this long counts as a network failure. @default 30000 */
  timeoutMs?: number
}

async function call<S extends z.ZodType>(
  options: HttpTransportOptions,
  path: string,
  body: unknown,
  schema: S,
  token?: string,
): Promise<z.infer<S>> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (token) headers.authorization = `Bearer ${token}`
  let response: Response
  try {
    response = await doFetch(`${options.baseUrl ?? ''}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      cache: 'no-store',
    })
  } catch (error) {
    throw new SyncHttpError(0, 'network', error instanceof Error ? error.message : String(error))
  }
  const json: unknown = await response.json().catch(() => undefined)
  if (!response.ok) {
    const parsed = ApiErrorSchema.safeParse(json)
    if (parsed.success) {
      throw new SyncHttpError(response.status, parsed.data.code, parsed.data.message, parsed.data.expectedMutationId)
    }
    throw new SyncHttpError(response.status, response.status >= 500 ? 'internal' : 'bad_response', `HTTP ${response.status}`)
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw new SyncHttpError(response.status, 'bad_response', 'unexpected response from the server')
  return parsed.data
}

export function createHttpTransport(options: HttpTransportOptions): SyncTransport {
  const authed = async () => {
    const token = await options.getToken()
    if (!token) throw new SyncHttpError(401, 'unauthorized', 'this tablet is not enrolled')
    return token
  }
  return {
    async push(request) {
      return call(options, '/api/sync/push', request, PushResponseSchema, await authed())
    },
    async pull(request) {
      // records of kinds newer than this app are kept as they came (see PullResponseForwardSchema)
      return call(options, '/api/sync/pull', request, PullResponseForwardSchema, await authed()) as Promise<PullResponse>
    },
  }
}

export function enrollDevice(request: EnrollRequest, options: Omit<HttpTransportOptions, 'getToken'> = {}): Promise<EnrollResponse> {
  return call({ ...options, getToken: async () => undefined }, '/api/devices/enroll', request, EnrollResponseSchema)
}
