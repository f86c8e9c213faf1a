import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import {
  ATTACHMENTS_DIR_NAME,
  BACKUPS_DIR_NAME,
  BackupError,
  backupSqlite,
  backupStamp,
  formatBytes,
  pgDumpCommand,
  pgRestoreCommand,
} from './backups'
import { ConfigError, loadConfig } from './config'

// `npm run backup [-- --out <folder>] [--keep N]`: a consistent backup of the SQLite store while
// the server may be running (see backups.ts). The environment is read as the server reads it
// (DATA_DIR, DATABASE_URL), plus BACKUP_DIR (default <DATA_DIR>/backups).

const USAGE = `Usage: npm run backup -- [--out <folder>] [--keep <N>]

  --out <folder>  write the backup to this folder (default: $BACKUP_DIR or <DATA_DIR>/backups/steadyline-<UTC time>)
  --keep <N>      afterwards keep only the newest N backups in that folder (e.g. 8: two months of weekly backups)`

async function main(): Promise<number> {
  let values
  try {
    values = parseArgs({
      options: { out: { type: 'string' }, keep: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
    }).values
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`)
    return 64
  }
  if (values.help) {
    console.info(USAGE)
    return 0
  }
  const keep = values.keep === undefined ? undefined : Number(values.keep)
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 1)) {
    console.error(`--keep needs a whole number of at least 1, not "${values.keep}"\n\n${USAGE}`)
    return 64
  }

  const config = loadConfig()
  const backupDir = process.env.BACKUP_DIR?.trim() ? resolve(process.env.BACKUP_DIR) : join(config.dataDir, BACKUPS_DIR_NAME)

  if (config.store.kind === 'postgres') {
    const file = values.out ? resolve(values.out) : join(backupDir, `steadyline-${backupStamp(new Date())}.dump`)
    console.error(
      'DATABASE_URL is set: this deployment keeps its data in PostgreSQL, and `npm run backup` only backs up SQLite.\n' +
        'Back PostgreSQL up with pg_dump (client tools of the server\'s version or newer), in the same environment:',
    )
    console.info(`  ${pgDumpCommand(file)}`)
    console.error(`Restore such a file (server stopped) with:\n  ${pgRestoreCommand(file)}`)
    return 2
  }

  const attachmentsDir = join(config.dataDir, ATTACHMENTS_DIR_NAME)
  const summary = await backupSqlite({
    dbPath: config.store.path,
    attachmentsDir,
    backupDir,
    ...(values.out ? { out: values.out } : {}),
    ...(keep !== undefined ? { keep } : {}),
  })
  const c = summary.check
  const a = summary.attachments
  console.info(`Backup written and checked: ${summary.folder}`)
  console.info(`  database     ${summary.dbFile}`)
  console.info(`               ${formatBytes(summary.dbBytes)}, integrity_check ok, ${c.records} records, server sequence ${c.serverSeq}`)
  console.info(
    a
      ? `  attachments  ${a.files} ${a.files === 1 ? 'file' : 'files'} (${formatBytes(a.bytes)}), ${a.copied} copied by this run`
      : `  attachments  none (${attachmentsDir} does not exist yet)`,
  )
  if (summary.pruned.length > 0) {
    console.info(`  pruned       ${summary.pruned.length} older backup(s), kept the newest ${keep}:`)
    for (const path of summary.pruned) console.info(`               ${path}`)
  }
  console.info(`  took         ${(summary.durationMs / 1000).toFixed(2)} s`)
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
      console.error('Backup failed:', error instanceof Error ? error.message : error)
    }
    process.exitCode = 1
  },
)
