import type { Migration } from './types'

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'init',
    // Ids the server makes are uuid; ids a device sends (record id, clientId) are text, compared
    // exactly as sent, the same as in SQLite.
    sql: `
      CREATE TABLE meta (
        key text PRIMARY KEY,
        value text NOT NULL
      );

      CREATE TABLE sites (
        id uuid PRIMARY KEY,
        name text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL
      );

      CREATE TABLE devices (
        id uuid PRIMARY KEY,
        site_id uuid NOT NULL REFERENCES sites (id),
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        last_seen_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX devices_site_id ON devices (site_id);

      CREATE TABLE sync_clients (
        client_id text PRIMARY KEY,
        device_id uuid NOT NULL REFERENCES devices (id),
        last_mutation_id bigint NOT NULL CHECK (last_mutation_id >= 0),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );

      CREATE TABLE mutation_log (
        client_id text NOT NULL REFERENCES sync_clients (client_id),
        mutation_id bigint NOT NULL,
        name text NOT NULL,
        args_hash text NOT NULL,
        status text NOT NULL CHECK (status IN ('accepted', 'rejected')),
        reason text,
        server_seq bigint,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (client_id, mutation_id)
      );

      -- created_at / updated_at are the device's ISO strings, kept exactly as sent.
      CREATE TABLE records (
        id text PRIMARY KEY,
        kind text NOT NULL,
        site_id uuid NOT NULL REFERENCES sites (id),
        device_id uuid NOT NULL REFERENCES devices (id),
        author text NOT NULL,
        created_at text NOT NULL,
        updated_at text NOT NULL,
        data jsonb NOT NULL,
        server_seq bigint NOT NULL UNIQUE,
        received_at timestamptz NOT NULL
      );
      CREATE INDEX records_site_seq ON records (site_id, server_seq);

      -- The pull cursor's source. Every push locks this row first (SELECT … FOR UPDATE) and bumps
      -- it inside its transaction: pushes commit one at a time, in sequence order, and a rollback
      -- gives its numbers back (a PostgreSQL SEQUENCE would do neither).
      CREATE TABLE server_seq (
        id integer PRIMARY KEY CHECK (id = 1),
        value bigint NOT NULL
      );
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
      ALTER TABLE records ADD COLUMN person_id text;
      CREATE INDEX records_kind_site_seq ON records (kind, site_id, server_seq);
      CREATE TABLE person_sessions (
        token_hash text PRIMARY KEY,
        person_id text NOT NULL,
        site_id uuid NOT NULL REFERENCES sites (id),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX person_sessions_person ON person_sessions (person_id);
    `,
  },
  {
    version: 4,
    name: 'attachments',
    // Photos and signatures, known by the SHA-256 of their bytes. Here the bytes are in the
    // database (content), not in files: several server processes on different hosts may share
    // this database with no shared disk, and pg_dump then backs up records and attachments in one
    // place. JPEG, PNG and WebP are compressed already: EXTERNAL storage skips TOAST's attempt to
    // compress them again. A site may read an attachment only once one of its devices uploaded it
    // (attachment_sites): the same bytes from two sites are stored once and linked twice.
    sql: `
      CREATE TABLE attachments (
        sha256 text PRIMARY KEY CHECK (length(sha256) = 64),
        content_type text NOT NULL,
        size integer NOT NULL CHECK (size > 0),
        content bytea NOT NULL,
        created_at timestamptz NOT NULL
      );
      ALTER TABLE attachments ALTER COLUMN content SET STORAGE EXTERNAL;
      CREATE TABLE attachment_sites (
        sha256 text NOT NULL REFERENCES attachments (sha256),
        site_id uuid NOT NULL REFERENCES sites (id),
        device_id uuid NOT NULL REFERENCES devices (id),
        created_at timestamptz NOT NULL,
        PRIMARY KEY (sha256, site_id)
      );
    `,
  },
  {
    version: 5,
    name: 'rejection codes',
    // A rejection's stable code and the params its sentence names (src/shared/sync.ts), so that a
    // replay is answered with them again and the tablet can say it in its own language. Nullable:
    // rows logged before have a reason only, and are answered with it alone.
    sql: `
      ALTER TABLE mutation_log ADD COLUMN code text;
      ALTER TABLE mutation_log ADD COLUMN params jsonb;
    `,
  },
]
