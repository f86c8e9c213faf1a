import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { SHA256_HEX_RE } from '../../shared/attachments'

/**
 * Attachment bytes as files, for the SQLite deployment: `<dir>/<first two hex>/<sha256>`, the
 * layout backups.ts copies. Why files and not BLOB rows: the database file stays small (a backup
 * of it, an integrity check, a VACUUM stay fast), and an immutable content-addressed file is the
 * simplest thing to copy incrementally. PostgreSQL keeps the bytes in its own table instead (see
 * the migration): its processes may run on hosts that share no disk.
 *
 * A file is complete or absent: it is written under a temporary name in the same folder, fsynced,
 * renamed (atomic on one file system) and the folder fsynced. A file already there under the hash
 * is kept: its name is its content, so it can only hold the same bytes.
 */
export function attachmentPath(dir: string, sha256: string): string {
  // The name becomes a path: refuse anything but a hash (no `..`, no separators).
  if (!SHA256_HEX_RE.test(sha256)) throw new Error(`not a sha256: ${sha256}`)
  return join(dir, sha256.slice(0, 2), sha256)
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false
      throw error
    },
  )
}

async function fsyncDir(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined)
  if (!handle) return
  try {
    await handle.sync()
  } catch {
    // some platforms cannot fsync a directory; the file itself was
  } finally {
    await handle.close()
  }
}

/** Writes the file unless it is there already; resolves once it is durable. Returns whether it wrote. */
export async function writeAttachmentFile(dir: string, sha256: string, bytes: Uint8Array): Promise<boolean> {
  const path = attachmentPath(dir, sha256)
  if (await exists(path)) return false
  const folder = join(dir, sha256.slice(0, 2))
  await mkdir(folder, { recursive: true })
  const temp = join(folder, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(temp, 'wx')
    try {
      await handle.writeFile(bytes)
      await handle.sync()
    } finally {
      await handle.close()
    }
    // Two uploads of the same bytes at once both get here: the second rename replaces the first
    // file with identical bytes, which is harmless.
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  await fsyncDir(folder)
  return true
}

export function readAttachmentFile(dir: string, sha256: string): Promise<Buffer> {
  return readFile(attachmentPath(dir, sha256))
}
