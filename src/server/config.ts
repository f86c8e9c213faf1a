import { resolve } from 'node:path'
import { z } from 'zod'

/** Thrown for an environment the server cannot start with; its message is meant for a person. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** An empty variable (`FOO=`) means "not set": shells and compose files produce them easily. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional())

const EnvSchema = z
  .object({
    /** @default 8080 (0 picks a free port) */
    PORT: optional(z.coerce.number().int().min(0).max(65535)),
    /** @default '0.0.0.0' */
    HOST: optional(z.string().trim()),
    /** Where the SQLite database lives. @default './data' */
    DATA_DIR: optional(z.string()),
    /** A postgres:// URL selects PostgreSQL; unset means SQLite in DATA_DIR. */
    DATABASE_URL: optional(
      z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL (leave it unset to use SQLite)'),
    ),
    TLS_CERT: optional(z.string()),
    TLS_KEY: optional(z.string()),
    /** The built PWA. @default './dist' */
    STATIC_DIR: optional(z.string()),
    /** @default 'info' */
    LOG_LEVEL: optional(z.enum(LOG_LEVELS)),
  })
  .superRefine((env, ctx) => {
    if ((env.TLS_CERT === undefined) !== (env.TLS_KEY === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.TLS_CERT === undefined ? 'TLS_CERT' : 'TLS_KEY'],
        message: 'TLS_CERT and TLS_KEY go together: set both (HTTPS) or neither (HTTP)',
      })
    }
  })

export type LogLevel = (typeof LOG_LEVELS)[number]

export interface Config {
  port: number
  host: string
  /** Absolute path. */
  dataDir: string
  store: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string }
  /** Paths of the certificate and key when the server speaks HTTPS. */
  tls: { certPath: string; keyPath: string } | undefined
  /** Absolute path of the built PWA. */
  staticDir: string
  logLevel: LogLevel
}

export const SQLITE_FILE_NAME = 'steadyline.sqlite'

/** Reads the configuration from the environment, or throws a ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${z.prettifyError(parsed.error)}`)
  }
  const e = parsed.data
  const dataDir = resolve(cwd, e.DATA_DIR ?? './data')
  return {
    port: e.PORT ?? 8080,
    host: e.HOST ?? '0.0.0.0',
    dataDir,
    store: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'sqlite', path: resolve(dataDir, SQLITE_FILE_NAME) },
    tls: e.TLS_CERT && e.TLS_KEY ? { certPath: resolve(cwd, e.TLS_CERT), keyPath: resolve(cwd, e.TLS_KEY) } : undefined,
    staticDir: resolve(cwd, e.STATIC_DIR ?? './dist'),
    logLevel: e.LOG_LEVEL ?? 'info',
  }
}
