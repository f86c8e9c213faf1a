import type { AppDB, LocalRecord, OutboxEntry } from './AppDB'
import { getEnrollment } from './meta-repository'
import type { RecordEnvelope } from '../../shared/records'
import { newId } from '../../shared/ids'

/** The envelope a record was pushed with, from the row this tablet keeps (local fields dropped). */
function envelopeOf(row: LocalRecord): RecordEnvelope {
  const { syncState: _s, rejectedReason: _r, rejectedCode: _rc, rejectedParams: _rp, parentId: _p, phoneKey: _ph, nameKey: _n, ...envelope } = row
  return { ...envelope, serverSeq: null }
}

/**
 * Gives this database a new sync identity and renumbers its waiting mutations 1, 2, 3… under it,
 * in their order, in one transaction. For when the server cannot take our numbering any more:
 * the profile was copied to another tablet (the server saw our ids with other content, or under
 * another device), or the server was restored from a backup and lost the last mutations it had
 * acknowledged (a gap). Nothing is lost: every waiting record is pushed again under the new id,
 * and a record the server already holds is recognised by its own id and accepted once.
 *
 * A restored server may also have lost records it had acknowledged, which have left the outbox:
 * so every record THIS device made that the tablet holds as synced is queued again too, first and
 * oldest first (the server answers the ones it holds as accepted, once, and stores the lost ones).
 * The same for photos and signatures: every one this tablet holds is uploaded again (the server
 * answers "exists" for what it has, by content hash).
 */
export async function rotateClientId(db: AppDB): Promise<string> {
  return db.transaction('rw', [db.meta, db.outbox, db.records, db.attachments], async () => {
    const waiting = await db.outbox.orderBy('mutationId').toArray()
    const deviceId = (await getEnrollment(db))?.deviceId
    const queued = new Set(waiting.map((entry) => entry.recordId))
    const own = deviceId
      ? (await db.records.filter((r) => r.deviceId === deviceId && r.syncState === 'synced' && !queued.has(r.id)).toArray()).sort(
          (a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1),
        )
      : []
    const again: Omit<OutboxEntry, 'mutationId'>[] = own.map((row) => ({
      name: 'record.create',
      args: envelopeOf(row),
      createdAt: row.createdAt,
      recordId: row.id,
    }))
    const all = [...again, ...waiting.map(({ mutationId: _m, ...entry }) => entry)]
    const clientId = newId()
    await db.attachments.where('uploadState').equals('uploaded').modify({ uploadState: 'pending' })
    await db.outbox.clear()
    await db.outbox.bulkAdd(all.map((entry, i) => ({ ...entry, mutationId: i + 1 }) as OutboxEntry))
    await db.meta.bulkPut([
      { key: 'clientId', value: clientId },
      { key: 'nextMutationId', value: all.length + 1 },
      { key: 'clientIdRotatedAt', value: new Date().toISOString() },
    ])
    return clientId
  })
}
