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
import type { AttachmentRef } from '../../shared/attachments'

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

/** Photos and signatures, by content hash (src/server/routes/attachments.ts). */
export interface AttachmentTransport {
  /** PUT /api/attachments/:sha256 with the raw bytes. Idempotent: `exists` when the site had it. */
  putAttachment(ref: AttachmentRef, blob: Blob): Promise<'created' | 'exists'>
  /** GET /api/attachments/:sha256: the bytes, if a device of this site uploaded them (else a 404). */
  getAttachment(sha256: string): Promise<Blob>
}

export interface HttpTransportOptions {
  /** Origin of the server; the app is served by it, so the default is the page's own. @default '' */
  baseUrl?: string
  getToken: () => Promise<string | undefined>
  fetch?: typeof fetch
  /** A request with no answer after this long counts as a network failure. @default 30000 */
  timeoutMs?: number
  /** The same for one attachment (up to 1 MiB on a slow hall network). @default 120000 */
  attachmentTimeoutMs?: number
}

/**
 * One attachment request: the bytes go as they are (no JSON), errors map as in `call`. Answers
 * that are not OK carry the API's JSON error.
 */
async function attachmentCall(
  options: HttpTransportOptions,
  method: 'PUT' | 'GET',
  sha256: string,
  token: string,
  body?: Blob,
): Promise<Response> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (body) headers['content-type'] = body.type
  let response: Response
  try {
    response = await doFetch(`${options.baseUrl ?? ''}/api/attachments/${encodeURIComponent(sha256)}`, {
      method,
      headers,
      ...(body ? { body } : {}),
      signal: AbortSignal.timeout(options.attachmentTimeoutMs ?? 120_000),
      // a PUT must reach the server; a GET may come from the HTTP cache (the bytes never change)
      cache: method === 'PUT' ? 'no-store' : 'default',
    })
  } catch (error) {
    throw new SyncHttpError(0, 'network', error instanceof Error ? error.message : String(error))
  }
  if (response.ok) return response
  const parsed = ApiErrorSchema.safeParse(await response.json().catch(() => undefined))
  if (parsed.success) throw new SyncHttpError(response.status, parsed.data.code, parsed.data.message)
  throw new SyncHttpError(response.status, response.status >= 500 ? 'internal' : 'bad_response', `HTTP ${response.status}`)
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

export function createHttpTransport(options: HttpTransportOptions): SyncTransport & AttachmentTransport {
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
    async putAttachment(ref, blob) {
      const typed = blob.type === ref.type ? blob : new Blob([blob], { type: ref.type })
      const response = await attachmentCall(options, 'PUT', ref.sha256, await authed(), typed)
      return response.status === 201 ? 'created' : 'exists'
    },
    async getAttachment(sha256) {
      const response = await attachmentCall(options, 'GET', sha256, await authed())
      try {
        return await response.blob()
      } catch (error) {
        throw new SyncHttpError(0, 'network', error instanceof Error ? error.message : String(error))
      }
    },
  }
}

export function enrollDevice(request: EnrollRequest, options: Omit<HttpTransportOptions, 'getToken'> = {}): Promise<EnrollResponse> {
  return call({ ...options, getToken: async () => undefined }, '/api/devices/enroll', request, EnrollResponseSchema)
}
