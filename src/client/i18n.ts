import { createI18n } from 'vue-i18n'
import zhCN from './locales/zh-CN'
import peopleZhCN from './locales/people.zh-CN'
import incidentsZhCN from './locales/incidents.zh-CN'
import outageZhCN from './locales/outage.zh-CN'
import { AREAS, type Area, type MessageModule } from './locales/areas'

export const SUPPORTED_LOCALES = ['zh-CN', 'en'] as const
export type AppLocale = (typeof SUPPORTED_LOCALES)[number]
export const LOCALE_STORAGE_KEY = 'steadyline.locale'
/** The language of printed paper (the incident report): Chinese, whatever the screen shows. */
export const PRINT_LOCALE = 'zh-CN' satisfies AppLocale
/** The language a missing English text falls back to. */
export const FALLBACK_LOCALE = 'zh-CN' satisfies AppLocale

/** The saved choice, else Chinese: the floor's language, whatever the tablet's system says. */
export function initialLocale(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): AppLocale {
  const saved = storage?.getItem(LOCALE_STORAGE_KEY)
  return SUPPORTED_LOCALES.find((l) => l === saved) ?? 'zh-CN'
}

/**
 * The core messages, in the start bundle: what the start screens (home, status bar, sign-in and
 * lock, alarm center, reload prompt) and the printed report use. The other areas' messages load
 * with their routes (locales/areas.ts, router.ts).
 */
const CHINESE = { ...zhCN, ...peopleZhCN, ...incidentsZhCN, ...outageZhCN }
/** Both languages have the same keys (the locale tests check it), so one type describes both. */
type Messages = typeof CHINESE

/** The English core messages, loaded on first use (a separate, precached chunk: works offline). */
export async function loadEnglish(): Promise<Messages> {
  return (await import('./locales/core.en')).default as unknown as Messages
}

/** The slice of a global composer that loading messages and switching language need. */
export interface LocaleComposer {
  locale: { value: string }
  mergeLocaleMessage(locale: AppLocale, messages: object): void
}

/**
 * What has been loaded into each global composer (`<area>:<locale>` → its loading, `core:en` for
 * the English core) and which areas were asked for: loading is once per composer, and a language
 * switch loads the new language of every area already asked for.
 */
interface Loaded {
  messages: Map<string, Promise<void>>
  areas: Set<Area>
}
const loadedBy = new WeakMap<object, Loaded>()

function loadedOf(composer: object): Loaded {
  let loaded = loadedBy.get(composer)
  if (!loaded) loadedBy.set(composer, (loaded = { messages: new Map(), areas: new Set() }))
  return loaded
}

/** Merges a module of messages into the composer once; a failed load is forgotten (tried again next time) and rethrown. */
function loadOnce(composer: LocaleComposer, id: string, locale: AppLocale, load: () => Promise<MessageModule>): Promise<void> {
  const { messages } = loadedOf(composer)
  let loading = messages.get(`${id}:${locale}`)
  if (!loading) {
    loading = load().then(
      (module) => composer.mergeLocaleMessage(locale, module.default),
      (error: unknown) => {
        messages.delete(`${id}:${locale}`)
        throw error
      },
    )
    messages.set(`${id}:${locale}`, loading)
  }
  return loading
}

/**
 * Loads the messages of `areas` into the global composer, in `locale` (the current one unless
 * named) and in Chinese (the fallback, and the printed paper's language): an English screen whose
 * English chunk failed still shows words. Idempotent, and never fails: a chunk that did not load
 * (it should not happen, every chunk is precached) leaves its keys to the fallback, and is tried
 * again on the next navigation that needs it.
 */
export async function loadAreas(composer: LocaleComposer, areas: readonly Area[], locale = composer.locale.value as AppLocale): Promise<void> {
  const loaded = loadedOf(composer)
  for (const area of areas) loaded.areas.add(area)
  const locales = new Set<AppLocale>([locale, FALLBACK_LOCALE, PRINT_LOCALE])
  await Promise.all(
    [...new Set(areas)].flatMap((area) =>
      [...locales].map((l) => loadOnce(composer, area, l, AREAS[area][l]).catch((error: unknown) => console.warn(`messages of ${area} (${l}) not loaded`, error))),
    ),
  )
}

/**
 * The app's i18n. The Chinese core is in the start bundle; the English core is passed in when it
 * is already loaded (main.ts loads it first when English was the saved choice), else loaded by
 * `switchLocale` when a person chooses English. Other areas are loaded by `loadAreas` (the
 * router's guard, before a page that needs them resolves).
 */
export function createAppI18n(locale: AppLocale = initialLocale(), english?: Messages) {
  const i18n = createI18n({
    legacy: false,
    locale: locale === 'en' && !english ? 'zh-CN' : locale,
    fallbackLocale: FALLBACK_LOCALE,
    // merged in below, copied: loading an area merges into these trees, never into the modules
    messages: {},
    datetimeFormats: {
      'zh-CN': {
        short: { hour: '2-digit', minute: '2-digit' },
        long: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' },
      },
      en: {
        short: { hour: '2-digit', minute: '2-digit' },
        long: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' },
      },
    },
  })
  const composer: LocaleComposer = i18n.global
  composer.mergeLocaleMessage('zh-CN', CHINESE)
  if (english) {
    composer.mergeLocaleMessage('en', english)
    loadedOf(composer).messages.set('core:en', Promise.resolve())
  }
  return i18n
}

/**
 * Switches the app's language, loading the English core first if needed and the new language of
 * every area already loaded, and remembers the choice.
 */
export async function switchLocale(composer: LocaleComposer, next: AppLocale): Promise<void> {
  if (next === 'en') await loadOnce(composer, 'core', 'en', async () => ({ default: await loadEnglish() }))
  await loadAreas(composer, [...loadedOf(composer).areas], next)
  composer.locale.value = next
  localStorage.setItem(LOCALE_STORAGE_KEY, next)
  document.documentElement.lang = next
}
