import { existsSync, readFileSync } from 'node:fs'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { buildApp } from './app'
import { ConfigError, loadConfig, type Config } from './config'
import { BOOTSTRAP_ADMIN_STAFF_NO, ensureAdmin } from './people'
import { openStore, type Store } from './store'
import { DEFAULT_CONTACTS, SHIPPED_PLAYBOOKS } from '../shared/playbooks'

function readTls(tls: NonNullable<Config['tls']>): { cert: Buffer; key: Buffer } {
  const read = (what: string, path: string) => {
    try {
      return readFileSync(path)
    } catch (error) {
      throw new ConfigError(`Cannot read ${what} ${path}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return { cert: read('TLS_CERT', tls.certPath), key: read('TLS_KEY', tls.keyPath) }
}

/** The URLs people can type: localhost and every LAN IPv4 address when listening on all interfaces. */
function urlsFor(host: string, port: number, scheme: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [`${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`]
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => `${scheme}://${a?.address}:${port}`)
  return [`${scheme}://localhost:${port}`, ...lan]
}

async function main(): Promise<void> {
  const config = loadConfig()
  const https = config.tls ? readTls(config.tls) : undefined
  const logger = { level: config.logLevel }

  const store: Store = openStore(config, { onPoolError: (error) => console.error('PostgreSQL pool error:', error.message) })
  await store.migrate()
  // The shipped plans and contacts, as records every tablet pulls (idempotent: see Store.seed).
  const seeded = await store.seed({ playbooks: SHIPPED_PLAYBOOKS, contacts: DEFAULT_CONTACTS, now: new Date().toISOString() })
  const enrollmentCode = await store.getOrCreateEnrollmentCode()
  // The first administrator of an empty server; the PIN is shown this once (change it on the console).
  const adminPin = await ensureAdmin(store, new Date().toISOString(), process.env.ADMIN_PIN || undefined)

  const app = await buildApp({ store, config, logger, https })
  await app.listen({ port: config.port, host: config.host })
  const port = (app.server.address() as AddressInfo).port
  const scheme = https ? 'https' : 'http'

  const where = config.store.kind === 'sqlite' ? `SQLite ${config.store.path}` : 'PostgreSQL (DATABASE_URL)'
  console.info(`Steadyline server listening (${where}):`)
  for (const url of urlsFor(config.host, port, scheme)) console.info(`  ${url}`)
  if (!existsSync(join(config.staticDir, 'index.html'))) {
    console.info(`  (no built app in ${config.staticDir}: run \`npm run build\`; the API works without it)`)
  }
  if (seeded > 0) console.info(`Seeded ${seeded} shipped plans and contacts.`)
  console.info(`Enrollment code: ${enrollmentCode}`)
  console.info('To enroll a tablet: open the URL above, tap Enroll (去登记), enter the site name and the enrollment code.')
  if (adminPin) {
    console.info(`Administrator created: staff number ${BOOTSTRAP_ADMIN_STAFF_NO}, Admin PIN: ${adminPin}`)
    console.info('Sign in at /console with it to add sites and people (shown once; change it there).')
  }
  if (!https) {
    console.info(
      'Note: offline use needs a service worker, which browsers allow only on https:// or http://localhost. ' +
        'For tablets on a LAN address set TLS_CERT and TLS_KEY (or put an HTTPS reverse proxy in front).',
    )
  }

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    app
      .close()
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('Shutdown failed:', error)
          process.exit(1)
        },
      )
  }
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message)
  } else {
    console.error('Steadyline server failed to start:', error instanceof Error ? error.message : error)
  }
  process.exit(1)
})
