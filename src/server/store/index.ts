import type { Config } from '../config'
import { PostgresStore } from './postgres'
import { SqliteStore } from './sqlite'
import type { Store } from './types'

export type {
  Device,
  DeviceInfo,
  PersonSession,
  PullOutcome,
  PushOutcome,
  RecordQuery,
  Site,
  SiteInfo,
  Store,
  StoreDialect,
  StoredRecord,
} from './types'

/** The store the configuration asks for, not yet migrated (call `migrate()`). */
export function openStore(
  config: Pick<Config, 'store'>,
  options: { onPoolError?: (error: Error) => void } = {},
): Store {
  return config.store.kind === 'postgres'
    ? new PostgresStore({ connectionString: config.store.url, onPoolError: options.onPoolError })
    : new SqliteStore({ path: config.store.path })
}
