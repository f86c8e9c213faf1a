import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createAppRouter } from './router'
import { createAppI18n, initialLocale, loadEnglish } from './i18n'
import { useSyncStore } from './stores/sync'
import { useDeviceStore } from './stores/device'
import { useDiagnosticsStore } from './stores/diagnostics'
import './styles.css'

const app = createApp(App)
app.use(createPinia())
// English (the second language) is its own chunk: loaded before mounting only when it was chosen.
const locale = initialLocale()
const english = locale === 'en' ? await loadEnglish().catch(() => undefined) : undefined
const i18n = createAppI18n(locale, english)
app.use(i18n)
// the router loads the messages of the page's area (e.g. the console's) before showing it
app.use(createAppRouter(i18n))
app.mount('#app')

document.documentElement.lang = i18n.global.locale.value
// Before the first sync: notice a store the browser discarded, and get the enrollment back.
void useDeviceStore()
  .checkLocalStore()
  .finally(() => useSyncStore().start())
// Ask the browser not to evict our data; the answer is shown in the diagnostics view.
void useDiagnosticsStore().requestPersist()
