import type { AppDB } from './AppDB'
import { newId } from '../../shared/ids'

/**
 * Gives this database a new sync identity and renumbers its waiting mutations 1, 2, 3… under it,
 * in their order, in one transaction. For when the server cannot take our numbering any more:
 * the profile was copied to another tablet (the server saw our ids with other content, or under
 * another device), or the server was restored from a backup and lost the last mutations it had
 * acknowledged (a gap). Nothing is lost: every waiting record is pushed again under the new id,
 * and a record the server already holds is recognised by its own id and accepted once.
 */
export async function rotateClientId(db: AppDB): Promise<string> {
  return db.transaction('rw', [db.meta, db.outbox], async () => {
    const waiting = await db.outbox.orderBy('mutationId').toArray()
    const clientId = newId()
    await db.outbox.clear()
    await db.outbox.bulkAdd(waiting.map((entry, i) => ({ ...entry, mutationId: i + 1 })))
    await db.meta.bulkPut([
      { key: 'clientId', value: clientId },
      { key: 'nextMutationId', value: waiting.length + 1 },
      { key: 'clientIdRotatedAt', value: new Date().toISOString() },
    ])
    return clientId
  })
}
