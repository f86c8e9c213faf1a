import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/server/config'

const CWD = '/srv/steadyline'

describe('loadConfig', () => {
  it('has defaults that need nothing but a disk', () => {
    expect(loadConfig({}, CWD)).toEqual({
      port: 8080,
      host: '0.0.0.0',
      dataDir: join(CWD, 'data'),
      store: { kind: 'sqlite', path: join(CWD, 'data', 'steadyline.sqlite') },
      tls: undefined,
      staticDir: join(CWD, 'dist'),
      logLevel: 'info',
    })
  })

  it('takes every variable, and treats an empty one as unset', () => {
    const config = loadConfig(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: '/var/lib/steadyline',
        DATABASE_URL: 'postgresql://u:p@db/steadyline',
        TLS_CERT: 'tls/cert.pem',
        TLS_KEY: 'tls/key.pem',
        STATIC_DIR: '',
        LOG_LEVEL: 'warn',
      },
      CWD,
    )
    expect(config).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      dataDir: '/var/lib/steadyline',
      store: { kind: 'postgres', url: 'postgresql://u:p@db/steadyline' },
      tls: { certPath: join(CWD, 'tls/cert.pem'), keyPath: join(CWD, 'tls/key.pem') },
      staticDir: join(CWD, 'dist'),
      logLevel: 'warn',
    })
    expect(loadConfig({ DATABASE_URL: '' }, CWD).store.kind).toBe('sqlite')
  })

  it('refuses TLS_CERT without TLS_KEY, and the other way round, with a readable message', () => {
    for (const env of [{ TLS_CERT: 'cert.pem' }, { TLS_KEY: 'key.pem' }]) {
      expect(() => loadConfig(env, CWD)).toThrow(ConfigError)
      expect(() => loadConfig(env, CWD)).toThrow(/TLS_CERT and TLS_KEY go together/)
    }
  })

  it('names every bad variable at once', () => {
    let error: unknown
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' }, CWD)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as Error).message
    expect(message).toContain('PORT')
    expect(message).toContain('DATABASE_URL')
    expect(message).toContain('postgres://')
    expect(message).toContain('LOG_LEVEL')
    expect(() => loadConfig({ PORT: '70000' }, CWD)).toThrow(/PORT/)
  })
})
