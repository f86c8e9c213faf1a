import { db } from '../db/db'
import { getEnrollment } from '../db/meta-repository'
import { uploadPendingAttachments } from './attachments-upload'
import { syncOnce } from './engine'
import { createHttpTransport } from './transport'

/**
 * The sync engine with its transport, as the sync store runs it. A chunk of its own, loaded after
 * the first paint: the home screen never waits for the engine, the protocol's schemas or zod.
 */
const transport = createHttpTransport({
  getToken: async () => (await getEnrollment(db))?.token,
})

export const runSync = () => syncOnce(db, transport)

export const uploadAttachments = (interrupted: () => boolean) => uploadPendingAttachments(db, transport, { interrupted })
