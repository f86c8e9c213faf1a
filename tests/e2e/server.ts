import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { AdminPerson } from '../../src/shared/admin'
import type { Role } from '../../src/shared/people'

export const ROOT = resolve(import.meta.dirname, '../..')

export interface RunningServer {
  url: string
  port: number
  dataDir: string
  enrollmentCode: string
  /** The first administrator's PIN (staff number `admin`), set through ADMIN_PIN. */
  adminPin: string
  process: ChildProcess
  output: () => string
  stop: () => Promise<void>
}

export const TEST_ADMIN_PIN = '246810'

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolvePort(port))
    })
  })
}

/**
 * Starts the real server the way `npm start` does (the built PWA in dist/, SQLite in a fresh data
 * dir), on a free port, and reads the enrollment code it prints.
 */
export async function startServer(
  options: {
    dataDir?: string
    env?: Record<string, string>
    /**
     * Run the server in ONE process (`node --import tsx`) instead of through the tsx CLI, which
     * forwards signals to a child: SIGKILL on `process` then really kills the server (crash tests).
     */
    singleProcess?: boolean
  } = {},
): Promise<RunningServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'steadyline-e2e-'))
  const port = await freePort()
  let output = ''
  const args = options.singleProcess
    ? ['--import', 'tsx', join(ROOT, 'src/server/server.ts')]
    : [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/server/server.ts')]
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      STATIC_DIR: join(ROOT, 'dist'),
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      ADMIN_PIN: TEST_ADMIN_PIN,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`)
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok).catch(() => false)
    const code = /(?:enrollment code|登记码)\W*([A-Z0-9][A-Z0-9-]{5,})/i.exec(output)?.[1]
    if (ok && code) {
      return {
        url,
        port,
        dataDir,
        enrollmentCode: code,
        adminPin: options.env?.ADMIN_PIN ?? TEST_ADMIN_PIN,
        process: child,
        output: () => output,
        stop: async () => {
          if (child.exitCode === null) {
            child.kill('SIGTERM')
            await new Promise((r) => child.once('exit', r))
          }
          if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true })
        },
      }
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server did not become ready:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** A console session of the server's first administrator. */
export async function adminToken(server: Pick<RunningServer, 'url' | 'adminPin'>): Promise<string> {
  const res = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ staffNo: 'admin', pin: server.adminPin }),
  })
  if (res.status !== 201) throw new Error(`admin sign-in failed: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

export interface NewPerson {
  siteId: string
  name: string
  staffNo: string
  role: Role
  pin?: string
  manages?: string[]
}

/** Adds a person to a site's roster through the admin API, as an administrator would. */
export async function addPersonHttp(server: Pick<RunningServer, 'url' | 'adminPin'>, person: NewPerson): Promise<AdminPerson> {
  const token = await adminToken(server)
  const res = await fetch(`${server.url}/api/admin/people`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(person),
  })
  if (res.status !== 201) throw new Error(`adding ${person.name} failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as AdminPerson
}
