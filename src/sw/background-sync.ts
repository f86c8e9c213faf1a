/// <reference lib="webworker" />

export const SYNC_TAG = 'steadyline-sync'

/**
 * Background Sync is a bonus wake-up, never the only path: the browser fires it when the network
 * returns, and the open pages run their sync loop (under the same Web Lock as always). The
 * outbox lives in IndexedDB, so nothing depends on this event firing.
 */
export async function notifyClientsToSync(clients: Clients): Promise<void> {
  const windows = await clients.matchAll({ type: 'window' })
  for (const client of windows) client.postMessage({ type: 'SYNC_REQUESTED' })
}
