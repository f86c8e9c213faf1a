import { newId } from '../../shared/ids'
import { SYSTEM_AUTHOR, SYSTEM_DEVICE_ID, SYSTEM_SITE_ID, type OrgWideKind } from '../../shared/org-records'
import { ContactSchema, PlaybookSchema } from '../../shared/playbook'
import type { RecordEnvelope } from '../../shared/records'
import type { PushTx, SeedInput } from './types'

/**
 * The seeding algorithm, the same for both dialects, inside the store's write transaction (so it
 * is serialised with pushes and with another process seeding at the same time). A shipped plan or
 * contact is stored only when the server holds no version of it as high: running it again stores
 * nothing, and a plan the center edited (a higher version) stays as the center left it.
 */
export async function applySeed(tx: Pick<PushTx, 'highestVersions' | 'takeServerSeqs' | 'insertRecords'>, input: SeedInput): Promise<number> {
  const envelope = (kind: OrgWideKind, data: Record<string, unknown>): RecordEnvelope => ({
    id: newId(),
    kind,
    siteId: SYSTEM_SITE_ID,
    deviceId: SYSTEM_DEVICE_ID,
    author: SYSTEM_AUTHOR,
    createdAt: input.now,
    updatedAt: input.now,
    serverSeq: null,
    data,
  })
  // Parsed here: a broken shipped plan stops the server at boot instead of reaching every tablet.
  const candidates: { kind: OrgWideKind; id: string; version: number; record: RecordEnvelope }[] = [
    ...input.playbooks.map((p) => {
      const data = PlaybookSchema.parse(p)
      return { kind: 'playbook' as const, id: data.id, version: data.version, record: envelope('playbook', data) }
    }),
    ...input.contacts.map((c) => {
      const data = { ...ContactSchema.parse(c), version: 1 }
      return { kind: 'contact' as const, id: data.id, version: 1, record: envelope('contact', data) }
    }),
  ]
  const highest = {
    playbook: await tx.highestVersions('playbook', candidates.filter((c) => c.kind === 'playbook').map((c) => c.id)),
    contact: await tx.highestVersions('contact', candidates.filter((c) => c.kind === 'contact').map((c) => c.id)),
  }
  const fresh = candidates.filter((c) => (highest[c.kind].get(c.id) ?? 0) < c.version)
  if (fresh.length === 0) return 0
  const first = await tx.takeServerSeqs(fresh.length)
  await tx.insertRecords(
    fresh.map((c, i) => ({ ...c.record, serverSeq: first + i })),
    input.now,
  )
  return fresh.length
}
