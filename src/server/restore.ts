import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ATTACHMENTS_DIR_NAME, BackupError, formatBytes, pgRestoreCommand, restoreSqlite } from './backups'
import { ConfigError, loadConfig } from './config'

// `npm run restore -- <backup folder>`: puts a backup made by `npm run backup` in place of the
// SQLite store of this environment (DATA_DIR), with the server stopped (see restoreSqlite).

const USAGE = `Usage: npm run restore -- <backup folder> [--seq-floor <N>] [--force]

  <backup folder>   a folder made by \`npm run backup\` (steadyline-<UTC time>/, holding steadyline.sqlite)
  --seq-floor <N>   continue the server sequence from at least N (only needed when the current
                    database is lost or unreadable: N = the highest pull cursor a tablet shows under 存储诊断)
  --force           move the current database aside even when it cannot be locked because it is damaged
                    (make sure no server is running)`

async function main(): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      options: { 'seq-floor': { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    })
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`)
    return 64
  }
  const { values, positionals } = parsed
  if (values.help) {
    console.info(USAGE)
    return 0
  }
  if (positionals.length !== 1 || !positionals[0]) {
    console.error(`Name one backup folder to restore.\n\n${USAGE}`)
    return 64
  }
  const seqFloor = values['seq-floor'] === undefined ? undefined : Number(values['seq-floor'])
  if (seqFloor !== undefined && (!Number.isInteger(seqFloor) || seqFloor < 0)) {
    console.error(`--seq-floor needs a whole number, not "${values['seq-floor']}"\n\n${USAGE}`)
    return 64
  }

  const config = loadConfig()
  if (config.store.kind === 'postgres') {
    console.error(
      'DATABASE_URL is set: this deployment keeps its data in PostgreSQL. Stop the server and restore a pg_dump file with:',
    )
    console.info(`  ${pgRestoreCommand(positionals[0])}`)
    return 2
  }

  const attachmentsDir = join(config.dataDir, ATTACHMENTS_DIR_NAME)
  const s = await restoreSqlite({
    from: positionals[0],
    dbPath: config.store.path,
    attachmentsDir,
    ...(seqFloor !== undefined ? { seqFloor } : {}),
    force: values.force ?? false,
  })
  console.info(`Backup checked: ${s.backupDb}`)
  console.info(`  integrity_check ok, ${s.check.records} records, server sequence ${s.check.serverSeq}`)
  if (s.movedAside.length > 0) {
    console.info('The database that was in place is kept, renamed (delete it yourself once you no longer need it):')
    for (const path of s.movedAside) console.info(`  ${path}`)
  }
  console.info(`Restored: ${s.dbPath}`)
  if (s.restoredSeq > s.check.serverSeq) {
    console.info(`  server sequence continues from ${s.restoredSeq} (past the replaced database's), so no tablet's pull cursor skips new records`)
  }
  console.info(
    s.attachments
      ? `  attachments: ${s.attachments.copied} copied into ${attachmentsDir} (${s.attachments.files} ${s.attachments.files === 1 ? 'file' : 'files'}, ${formatBytes(s.attachments.bytes)} in the backup)`
      : '  attachments: none in the backup',
  )
  for (const warning of s.warnings) console.warn(`Warning: ${warning}`)
  console.info(
    'Start the server again. Tablets push what is still in their outbox: one whose numbering the restored server ' +
      'no longer knows takes a new sync identity and pushes it again (see the README, "Backups").',
  )
  console.info(`Took ${(s.durationMs / 1000).toFixed(2)} s.`)
  return 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof BackupError) {
      console.error(error.message)
    } else {
      console.error('Restore failed:', error instanceof Error ? error.message : error)
    }
    process.exitCode = 1
  },
)
