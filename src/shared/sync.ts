import { z } from 'zod'
import { UUID_RE } from './ids'
import { RecordEnvelopeSchema } from './records'
import { REJECTION_CODES } from './rejections'

/**
 * Largest number of mutations in one push; the client sends at most this many at once. A backlog
 * drains in fewer, larger transactions on both ends (tests/bench/drain.ts measured 10,000 queued
 * mutations in Chromium: 200 a push took about twice as long as 1,000).
 */
export const SYNC_MAX_PUSH_BATCH = 1000
/**
 * Largest push the client makes, in UTF-8 bytes of its mutations (one larger mutation still goes,
 * alone): half the server's body limit for a push (PUSH_BODY_LIMIT, 2 MiB, in server/routes/sync.ts).
 */
export const SYNC_MAX_PUSH_BYTES = 1024 * 1024
/** Largest page a pull returns. */
export const SYNC_MAX_PULL_LIMIT = 500

/**
 * One change made on a device. `mutationId` grows by one per mutation on that device's
 * `clientId`, with no gaps: that is what lets the server apply each exactly once, in order.
 */
export const MutationSchema = z.discriminatedUnion('name', [
  z.object({
    mutationId: z.number().int().positive(),
    name: z.literal('record.create'),
    /** The record as the device stored it; `serverSeq` is ignored and set by the server. */
    args: z.unknown(),
    createdAt: z.iso.datetime({ offset: true }),
  }),
])
export type Mutation = z.infer<typeof MutationSchema>
export type MutationName = Mutation['name']

export const PushRequestSchema = z.object({
  clientId: z.string().regex(UUID_RE),
  mutations: z.array(MutationSchema).min(1).max(SYNC_MAX_PUSH_BATCH),
})
export type PushRequest = z.infer<typeof PushRequestSchema>

export {
  REJECTION_CODES,
  REJECTION_PARAMS,
  parseRejection,
  type Rejection,
  type RejectionCode,
  type RejectionDetail,
  type RejectionParams,
} from './rejections'

export const RejectionCodeSchema = z.enum(REJECTION_CODES)
/** The params of any rejection on the wire: names and numbers only. */
export const RejectionParamsSchema = z.record(z.string(), z.union([z.string(), z.number()]))

/**
 * `accepted`: applied now. `duplicate`: applied by an earlier push (a replay, harmless).
 * `rejected`: refused for good, with a reason a person can read; the counter still moves on,
 * so one bad mutation never blocks the ones behind it.
 */
export const MutationResultSchema = z.object({
  mutationId: z.number().int().positive(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  /** For `rejected`: English, for logs and for tablets that do not know the code. */
  reason: z.string().optional(),
  /**
   * For `rejected`: one of REJECTION_CODES (absent from servers before it, and for mutations they
   * logged). Any string here, not the enum: a tablet must still read the answer of a newer server
   * with a code it does not know, or the whole batch would stay in its outbox.
   */
  code: z.string().optional(),
  /** With `code`: what its sentence names (REJECTION_PARAMS). */
  params: RejectionParamsSchema.optional(),
})
export type MutationResult = z.infer<typeof MutationResultSchema>

export const PushResponseSchema = z.object({
  /** The highest mutation id of this client that the server has applied or rejected. */
  lastMutationId: z.number().int().nonnegative(),
  results: z.array(MutationResultSchema),
})
export type PushResponse = z.infer<typeof PushResponseSchema>

export const PullRequestSchema = z.object({
  clientId: z.string().regex(UUID_RE),
  /** The server sequence of the last row this device has; 0 for none. */
  cursor: z.number().int().nonnegative(),
  limit: z.number().int().positive().max(SYNC_MAX_PULL_LIMIT).default(SYNC_MAX_PULL_LIMIT),
})
export type PullRequest = z.infer<typeof PullRequestSchema>

export const PullResponseSchema = z.object({
  records: z.array(RecordEnvelopeSchema),
  /** Save this with the records, in one transaction, and send it with the next pull. */
  cursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
  /** This client's last applied mutation id, so a device can tell what the server holds. */
  lastMutationId: z.number().int().nonnegative(),
})
export type PullResponse = z.infer<typeof PullResponseSchema>

/**
 * How a tablet reads a pull: a record of a kind this app version does not know yet (the server was
 * updated first) is kept as it came, not refused, so the page — and with it the cursor — still
 * goes through, and the record is there when the app is updated. Its `data` is not validated here
 * (the server validated it); nothing in an older app reads a kind it does not know.
 */
export const PullResponseForwardSchema = PullResponseSchema.extend({
  records: z.array(
    z.union([RecordEnvelopeSchema, RecordEnvelopeSchema.extend({ kind: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,59}$/) })]),
  ),
})

export const EnrollRequestSchema = z.object({
  siteName: z.string().trim().min(1).max(100),
  enrollmentCode: z.string().trim().min(1).max(100),
  deviceName: z.string().trim().min(1).max(100),
})
export type EnrollRequest = z.infer<typeof EnrollRequestSchema>

export const EnrollResponseSchema = z.object({
  deviceId: z.string().regex(UUID_RE),
  deviceName: z.string(),
  siteId: z.string().regex(UUID_RE),
  siteName: z.string(),
  /** Bearer token for every sync call. Shown once; the server keeps only its hash. */
  token: z.string().min(32),
})
export type EnrollResponse = z.infer<typeof EnrollResponseSchema>

/**
 * Every error the API returns. `code` is stable and what clients branch on (and translate);
 * `message` is for logs and people reading the raw response.
 */
export const ApiErrorSchema = z.object({
  code: z.enum([
    'bad_request',
    'unauthorized',
    'forbidden',
    'not_found',
    'enrollment_refused',
    'mutation_gap',
    'mutation_conflict',
    'client_taken',
    'conflict',
    'too_many_attempts',
    'payload_too_large',
    'internal',
  ]),
  message: z.string(),
  /** For `mutation_gap`: the mutation id the server expected next. */
  expectedMutationId: z.number().int().optional(),
})
export type ApiError = z.infer<typeof ApiErrorSchema>
export type ApiErrorCode = ApiError['code']
