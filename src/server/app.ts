import fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Config } from './config'
import { errorHandler } from './errors'
import { securityHeaders } from './plugins/security-headers'
import { staticSite } from './plugins/static'
import { adminRoutes } from './routes/admin'
import { attachmentRoutes } from './routes/attachments'
import { consoleRoutes } from './routes/console'
import { deviceRoutes } from './routes/devices'
import { healthRoutes } from './routes/health'
import { sessionRoutes } from './routes/session'
import { syncRoutes } from './routes/sync'
import type { Store } from './store'

/** Body limit of every route but push. */
export const DEFAULT_BODY_LIMIT = 64 * 1024

export interface BuildAppOptions {
  store: Store
  /** `staticDir`: the built PWA, served when it holds an index.html. `tls`: only whether HTTPS is on. */
  config?: Partial<Pick<Config, 'staticDir' | 'tls'>>
  /** Fastify's logger option. @default false */
  logger?: FastifyServerOptions['logger']
  /** Certificate and key: the app then speaks HTTPS. */
  https?: { cert: Buffer; key: Buffer }
  /** The clock, passed in for tests. @default () => new Date() */
  now?: () => Date
}

/** The whole HTTP app, not listening: the entry (server.ts) listens, tests call `inject`. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { store } = options
  const now = options.now ?? (() => new Date())
  // Fastify's default request log has method, url and address: never the token or the body.
  const logger = options.logger ?? false
  // Fastify types an HTTPS instance separately; the app only uses what both have in common.
  const app = options.https
    ? (fastify({ logger, bodyLimit: DEFAULT_BODY_LIMIT, https: options.https }) as unknown as FastifyInstance)
    : fastify({ logger, bodyLimit: DEFAULT_BODY_LIMIT })

  app.setErrorHandler(errorHandler)
  securityHeaders(app, { https: options.https !== undefined || options.config?.tls !== undefined })
  await app.register(healthRoutes, { store })
  await app.register(deviceRoutes, { store, now })
  await app.register(syncRoutes, { store, now })
  await app.register(sessionRoutes, { store, now })
  await app.register(adminRoutes, { store, now })
  await app.register(consoleRoutes, { store, now })
  await app.register(attachmentRoutes, { store, now })
  await staticSite(app, { staticDir: options.config?.staticDir })
  return app
}
