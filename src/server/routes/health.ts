import type { FastifyInstance } from 'fastify'
import { ApiHttpError } from '../errors'
import type { Store } from '../store'

export async function healthRoutes(app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get('/healthz', async (request) => {
    try {
      await store.ping()
    } catch (error) {
      request.log.error({ err: error }, 'store ping failed')
      throw new ApiHttpError(503, 'internal', 'store unreachable')
    }
    return { ok: true, store: store.dialect }
  })
}
