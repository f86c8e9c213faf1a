/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { clientsClaim } from 'workbox-core'
import { SYNC_TAG, notifyClientsToSync } from './background-sync'

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<string | { url: string; revision: string | null }> }

// The app shell: every built file, so that the app opens with no network at all.
precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()
// Take control of open pages when this version activates: on the first visit that makes the app
// work offline without a reload; on an update it happens only after the user agreed (below).
clientsClaim()

// Any page address opens the shell; the API never goes through the cache (sync is the page's job).
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//, /^\/healthz/] }))

// registerType 'prompt': the new version waits until the user says so (their drafts are on disk).
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | undefined)?.type === 'SKIP_WAITING') {
    void self.skipWaiting()
  }
})

self.addEventListener('sync', (event) => {
  const syncEvent = event as ExtendableEvent & { tag: string }
  if (syncEvent.tag === SYNC_TAG) syncEvent.waitUntil(notifyClientsToSync(self.clients))
})
