import type { Migration } from './types'

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'init',
    sql: `
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE sites (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        site_id TEXT NOT NULL REFERENCES sites (id),
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_seen_at TEXT,
        revoked_at TEXT
      ) STRICT;
      CREATE INDEX devices_site_id ON devices (site_id);

      CREATE TABLE sync_clients (
        client_id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES devices (id),
        last_mutation_id INTEGER NOT NULL CHECK (last_mutation_id >= 0),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE mutation_log (
        client_id TEXT NOT NULL REFERENCES sync_clients (client_id),
        mutation_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        args_hash TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected')),
        reason TEXT,
        server_seq INTEGER,
        received_at TEXT NOT NULL,
        PRIMARY KEY (client_id, mutation_id)
      ) STRICT;

      -- created_at / updated_at are the device's ISO strings, kept exactly as sent.
      CREATE TABLE records (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        site_id TEXT NOT NULL REFERENCES sites (id),
        device_id TEXT NOT NULL REFERENCES devices (id),
        author TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        data TEXT NOT NULL CHECK (json_valid(data)),
        server_seq INTEGER NOT NULL UNIQUE,
        received_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX records_site_seq ON records (site_id, server_seq);

      -- The pull cursor's source: one row, bumped inside the writing transaction, so a rollback
      -- gives its numbers back and commit order is sequence order.
      CREATE TABLE server_seq (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        value INTEGER NOT NULL
      ) STRICT;
      INSERT INTO server_seq (id, value) VALUES (1, 0);
    `,
  },
  {
    version: 2,
    name: 'org-wide records',
    // Plans and contacts are the same for every site (src/shared/org-records.ts). The system site
    // and device own what the server seeds: the site's name is longer than an enrollment may give
    // (100), the device has no usable token hash (real ones are hex) and is revoked. The partial
    // index serves the org-wide half of the pull and the highest-version lookup of a push; its
    // predicate must stay textually the same as the one in the store's queries.
    sql: `
      INSERT INTO sites (id, name, created_at)
      VALUES ('00000000-0000-7000-8000-000000000000', 'Steadyline organisation-wide records: the seeded plans and contact list (system site, never enrollable)', '2026-01-01T00:00:00.000Z');
      INSERT INTO devices (id, site_id, name, token_hash, created_at, revoked_at)
      VALUES ('00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000000', 'Steadyline',
              'none: the system device never authenticates', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
      CREATE INDEX records_org_seq ON records (server_seq) WHERE kind IN ('playbook', 'contact');
    `,
  },
  {
    version: 3,
    name: 'people',
    // The signed-in person of each record (the roster itself is records of kind 'person', see
    // src/shared/people.ts); the console's sessions (a person signed in with staff number and PIN);
    // and an index for the console's reads by kind across sites.
    sql: `
      ALTER TABLE records ADD COLUMN person_id TEXT;
      CREATE INDEX records_kind_site_seq ON records (kind, site_id, server_seq);
      CREATE TABLE person_sessions (
        token_hash TEXT PRIMARY KEY,
        person_id TEXT NOT NULL,
        site_id TEXT NOT NULL REFERENCES sites (id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT
      ) STRICT;
      CREATE INDEX person_sessions_person ON person_sessions (person_id);
    `,
  },
  {
    version: 4,
    name: 'attachments',
    // Photos and signatures, known by the SHA-256 of their bytes. The bytes are files under
    // <DATA_DIR>/attachments/<2 hex>/<sha256> (SqliteStore.putAttachment), not rows: the database
    // file stays small and fast to back up. A site may read an attachment only once one of its
    // devices uploaded it (attachment_sites): the same bytes from two sites are stored once and
    // linked twice.
    sql: `
      CREATE TABLE attachments (
        sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size > 0),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE attachment_sites (
        sha256 TEXT NOT NULL REFERENCES attachments (sha256),
        site_id TEXT NOT NULL REFERENCES sites (id),
        device_id TEXT NOT NULL REFERENCES devices (id),
        created_at TEXT NOT NULL,
        PRIMARY KEY (sha256, site_id)
      ) STRICT;
    `,
  },
  {
    version: 5,
    name: 'rejection codes',
    // A rejection's stable code and the params its sentence names (src/shared/sync.ts), so that a
    // replay is answered with them again and the tablet can say it in its own language. Nullable:
    // rows logged before have a reason only, and are answered with it alone.
    sql: `
      ALTER TABLE mutation_log ADD COLUMN code TEXT;
      ALTER TABLE mutation_log ADD COLUMN params TEXT CHECK (params IS NULL OR json_valid(params));
    `,
  },
]
