import type { FastifyInstance, FastifyRequest } from 'fastify'
import { PullRequestSchema, PushRequestSchema, SYNC_MAX_PUSH_BYTES, type PullResponse, type PushResponse } from '../../shared/sync'
import { authenticate } from '../auth'
import { ApiHttpError, parseBody } from '../errors'
import type { Device, Store } from '../store'

/**
 * A push as the client makes it (at most SYNC_MAX_PUSH_BYTES of mutations) fits with room to
 * spare, and so does a single mutation up to twice that; the rest of the API keeps the small default.
 */
export const PUSH_BODY_LIMIT = 2 * SYNC_MAX_PUSH_BYTES

const CLIENT_TAKEN = () =>
  new ApiHttpError(403, 'client_taken', 'This clientId belongs to another device; make a new clientId')

/** Thin: authenticate, validate with the shared schema, call the store, map its outcome to HTTP. */
export async function syncRoutes(app: FastifyInstance, { store, now }: { store: Store; now: () => Date }): Promise<void> {
  // Authenticated before the body is read: an unknown caller cannot make the server parse 2 MiB.
  const devices = new WeakMap<FastifyRequest, Device>()
  app.addHook('onRequest', async (request) => {
    devices.set(request, await authenticate(store, request, now()))
  })
  const deviceOf = (request: FastifyRequest): Device => {
    const device = devices.get(request)
    if (!device) throw new Error('sync route reached without an authenticated device')
    return device
  }

  app.post('/api/sync/push', { bodyLimit: PUSH_BODY_LIMIT }, async (request): Promise<PushResponse> => {
    const body = parseBody(PushRequestSchema, request.body)
    const device = deviceOf(request)
    const outcome = await store.push(device, body, now().toISOString())
    switch (outcome.kind) {
      case 'ok':
        return outcome.response
      case 'gap':
        throw new ApiHttpError(409, 'mutation_gap', outcome.message, { expectedMutationId: outcome.expectedMutationId })
      case 'conflict':
        request.log.warn({ clientId: body.clientId, deviceId: device.id, mutationId: outcome.mutationId }, 'mutation conflict')
        throw new ApiHttpError(
          409,
          'mutation_conflict',
          `Mutation ${outcome.mutationId} was already applied with a different payload (a cloned or reset device?)`,
        )
      case 'client_taken':
        throw CLIENT_TAKEN()
    }
  })

  app.post('/api/sync/pull', async (request): Promise<PullResponse> => {
    const body = parseBody(PullRequestSchema, request.body)
    const outcome = await store.pull(deviceOf(request), body)
    if (outcome.kind === 'client_taken') throw CLIENT_TAKEN()
    return outcome.response
  })
}
