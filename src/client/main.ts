import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createAppRouter } from './router'
import { createAppI18n, initialLocale, loadEnglish } from './i18n'
import { schemas } from './schemas'
import { useSyncStore } from './stores/sync'
import { useDeviceStore } from './stores/device'
import { useCallRecordsStore } from './stores/callRecords'
import './styles.css'

// The first screen waits for the records' schemas (the router's guard checks the signed-in person
// against the roster with them; the plans are checked with them too): their chunk is fetched and
// run now, while the app is created and IndexedDB opens (db.ts), not when the first read asks.
void schemas().catch(() => undefined)

const app = createApp(App)
app.use(createPinia())
// English (the second language) is its own chunk: loaded before mounting only when it was chosen.
const locale = initialLocale()
const english = locale === 'en' ? await loadEnglish().catch(() => undefined) : undefined
const i18n = createAppI18n(locale, english)
app.use(i18n)
// the router loads the messages of the page's area (e.g. the console's) before showing it
const router = createAppRouter(i18n)
app.use(router)
// The home screen's recent calls are read while the router's guard checks who is signed in.
if (location.pathname === '/') useCallRecordsStore()
app.mount('#app')

document.documentElement.lang = i18n.global.locale.value
// The first date shown (a recent call's time, the last sync) has the browser load its date and time
// formats, a one-time cost: paid in the next task, while the start-up reads are in IndexedDB, not in
// the first render. The formatter lands in i18n's cache, the one the screens use.
setTimeout(() => void i18n.global.d(Date.now(), 'short'), 0)

/** Resolves once the first page is on screen (or soon after, when the page is hidden and paints nothing). */
function firstScreenShown(): Promise<void> {
  return router
    .isReady()
    .catch(() => undefined)
    .then(
      () =>
        new Promise<void>((resolve) => {
          const fallback = setTimeout(resolve, 500)
          requestAnimationFrame(() => {
            clearTimeout(fallback)
            setTimeout(resolve, 0)
          })
        }),
    )
}

// What the first screen does not show waits for it: then, before the first sync, notice a store
// the browser discarded and get the enrollment back (its banner shows when it is found).
void firstScreenShown().then(() => {
  void useDeviceStore()
    .checkLocalStore()
    .finally(() => useSyncStore().start())
  // Ask the browser not to evict our data; the answer is shown in the diagnostics view.
  void import('./stores/diagnostics').then(({ useDiagnosticsStore }) => useDiagnosticsStore().requestPersist()).catch(() => undefined)
})
