import type { FastifyInstance } from 'fastify'

/**
 * Content-Security-Policy of every response. Scripts only from this origin (the build has no
 * inline script); styles may be inline because Vue binds `style` attributes; data:/blob: images
 * for icons and signatures; the service worker and fetch only to this origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** Adds the security headers to every response, errors and 404s included. */
export function securityHeaders(app: FastifyInstance, options: { https: boolean }): void {
  const headers: Record<string, string> = {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  }
  // Only over HTTPS: an HSTS header on plain HTTP is ignored anyway, and a wrong one locks users out.
  if (options.https) headers['strict-transport-security'] = 'max-age=15552000'
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(headers)
    // API answers are per device and change with every push: never from a cache.
    if (request.url.startsWith('/api/') || request.url === '/healthz') reply.header('cache-control', 'no-store')
  })
}
