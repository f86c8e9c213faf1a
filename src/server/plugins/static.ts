import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ApiHttpError } from '../errors'

/** The last path segment has an extension: a file that is missing, not a page of the app. */
const FILE_LIKE_RE = /\/[^/]*\.[A-Za-z0-9]+$/

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/')
}

/**
 * Serves the built PWA from `staticDir` when it holds an index.html: hashed assets cached for a
 * year, the rest revalidated; any other GET that is not an API call gets index.html (the app's router decides).
 * Unknown API paths, missing files and other methods get a 404 JSON error.
 */
export async function staticSite(app: FastifyInstance, options: { staticDir: string | undefined }): Promise<void> {
  const staticDir = options.staticDir
  const hasSite = staticDir !== undefined && existsSync(join(staticDir, 'index.html'))
  if (hasSite) {
    const root = resolve(staticDir)
    await app.register(fastifyStatic, {
      root,
      cacheControl: false,
      setHeaders(reply, path) {
        const rel = path.slice(root.length).replaceAll('\\', '/')
        // Hashed names change with their content: cache for ever. Everything else (index.html,
        // sw.js, manifest.webmanifest, registerSW.js, icons) is revalidated on every load, or an
        // update would never reach the tablets.
        reply.header('cache-control', rel.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
      },
    })
  }
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/'
    const isRead = request.method === 'GET' || request.method === 'HEAD'
    if (hasSite && isRead && !isApiPath(path) && !FILE_LIKE_RE.test(path) && !path.startsWith('/assets/')) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html')
    }
    throw new ApiHttpError(404, 'not_found', `No such ${isApiPath(path) ? 'API route' : 'page or file'}: ${request.method} ${path}`)
  })
}
