import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

// The one server test over a real port: the entry as `npm start` runs it.

const ROOT = resolve(import.meta.dirname, '../..')
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs')

interface Started {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

function start(env: Record<string, string>): Started {
  let output = ''
  const child = spawn(process.execPath, [TSX, join(ROOT, 'src/server/server.ts')], {
    cwd: ROOT,
    // DATABASE_URL is emptied so that a CI's PostgreSQL URL does not leak in: this is the SQLite default.
    env: { ...process.env, DATABASE_URL: '', TLS_CERT: '', TLS_KEY: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  return { child, output: () => output, exited }
}

async function waitFor<T>(what: () => T | undefined, started: Started, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = what()
    if (value !== undefined) return value
    if (started.child.exitCode !== null) throw new Error(`server exited:\n${started.output()}`)
    if (Date.now() > deadline) throw new Error(`timed out; output:\n${started.output()}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const dirs: string[] = []
const tempDir = (label: string) => {
  const dir = mkdtempSync(join(tmpdir(), `steadyline-${label}-`))
  dirs.push(dir)
  return dir
}
const running: ChildProcess[] = []

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL')
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('server.ts', () => {
  it('listens, prints its URL and enrollment code, serves the API and the app, and stops on SIGTERM', async () => {
    const dataDir = tempDir('data')
    const siteDir = tempDir('site')
    writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>real shell</title>')
    const server = start({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, STATIC_DIR: siteDir })
    running.push(server.child)

    const url = await waitFor(() => /http:\/\/127\.0\.0\.1:\d+/.exec(server.output())?.[0], server)
    const code = await waitFor(() => /Enrollment code: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(server.output())?.[1], server)
    expect(server.output()).toMatch(/enter the site name and the enrollment code/)
    expect(server.output()).toMatch(/HTTPS|https/)

    const health = await fetch(`${url}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ ok: true, store: 'sqlite' })

    const page = await fetch(`${url}/calls/new`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('real shell')

    const enrolled = await fetch(`${url}/api/devices/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ siteName: 'entry hall', enrollmentCode: code, deviceName: 'tablet' }),
    })
    expect(enrolled.status).toBe(201)

    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(existsSync(join(dataDir, 'steadyline.sqlite'))).toBe(true)
  })

  it('refuses a bad configuration with a readable message and no stack trace', async () => {
    const server = start({ PORT: '0', DATA_DIR: tempDir('bad'), TLS_CERT: '/nowhere/cert.pem' })
    running.push(server.child)
    expect(await server.exited).toBe(1)
    expect(server.output()).toContain('TLS_CERT and TLS_KEY go together')
    expect(server.output()).not.toMatch(/^\s+at /m)
  })
})
