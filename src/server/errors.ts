import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { ApiError, ApiErrorCode } from '../shared/sync'

/** An error the API answers on purpose, with its status and stable code. */
export class ApiHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly extra: Pick<ApiError, 'expectedMutationId'> = {},
  ) {
    super(message)
    this.name = 'ApiHttpError'
  }
}

/** Parses a request body with a shared schema, or answers 400 with zod's readable message. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body)
  if (!parsed.success) throw new ApiHttpError(400, 'bad_request', z.prettifyError(parsed.error))
  return parsed.data
}

const INTERNAL: ApiError = { code: 'internal', message: 'Internal server error' }

/** Connection-level failures of a store: worth a retry, so 503 rather than 500. */
const UNAVAILABLE_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EPIPE|57P0[123]|08\d{3}|53\d{3}|SQLITE_BUSY)$/

function codeForStatus(status: number): ApiErrorCode {
  switch (status) {
    case 401:
      return 'unauthorized'
    case 403:
      return 'forbidden'
    case 404:
      return 'not_found'
    case 413:
      return 'payload_too_large'
    case 429:
      return 'too_many_attempts'
    default:
      return 'bad_request'
  }
}

function messageFor(error: Partial<FastifyError>): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'The request body is not valid JSON'
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty'
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is too large'
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Send the body as application/json'
    default:
      return error.message ?? 'Bad request'
  }
}

/**
 * The one error handler: every error leaves as JSON matching ApiErrorSchema. A 5xx says nothing
 * but "Internal server error"; what happened goes to the log only.
 */
export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ApiHttpError && error.statusCode < 500) {
    request.log.info({ code: error.code, status: error.statusCode }, error.message)
    return reply.code(error.statusCode).send({ code: error.code, message: error.message, ...error.extra } satisfies ApiError)
  }
  const e = (error ?? {}) as Partial<FastifyError> & { code?: unknown }
  const status = typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed')
    const unavailable = status === 503 || (typeof e.code === 'string' && UNAVAILABLE_CODES.test(e.code))
    return reply.code(unavailable ? 503 : 500).send(INTERNAL)
  }
  request.log.info({ code: e.code, status }, e.message)
  return reply.code(status).send({ code: codeForStatus(status), message: messageFor(e) } satisfies ApiError)
}
