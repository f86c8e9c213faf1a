import { createI18n } from 'vue-i18n'
import zhCN from './locales/zh-CN'
import peopleZhCN from './locales/people.zh-CN'
import incidentsZhCN from './locales/incidents.zh-CN'
import outageZhCN from './locales/outage.zh-CN'
import editorZhCN from './locales/playbooks-editor.zh-CN'
import hallZhCN from './locales/hall.zh-CN'
import lostFoundZhCN from './locales/lost-found.zh-CN'
import consoleZhCN from './locales/console.zh-CN'

export const SUPPORTED_LOCALES = ['zh-CN', 'en'] as const
export type AppLocale = (typeof SUPPORTED_LOCALES)[number]
export const LOCALE_STORAGE_KEY = 'steadyline.locale'
/** The language of printed paper (the incident report): Chinese, whatever the screen shows. */
export const PRINT_LOCALE = 'zh-CN' satisfies AppLocale

/** The saved choice, else Chinese: the floor's language, whatever the tablet's system says. */
export function initialLocale(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): AppLocale {
  const saved = storage?.getItem(LOCALE_STORAGE_KEY)
  return SUPPORTED_LOCALES.find((l) => l === saved) ?? 'zh-CN'
}

const CHINESE = { ...zhCN, ...peopleZhCN, ...incidentsZhCN, ...outageZhCN, ...editorZhCN, ...hallZhCN, ...lostFoundZhCN, ...consoleZhCN }
/** Both languages have the same keys (the locale tests check it), so one type describes both. */
type Messages = typeof CHINESE

/** The English messages, loaded on first use (a separate, precached chunk: works offline). */
export async function loadEnglish(): Promise<Messages> {
  return (await import('./locales/all.en')).default as unknown as Messages
}

/**
 * The app's i18n. Chinese messages are in the start bundle; English ones are passed in when they
 * are already loaded (main.ts loads them first when English was the saved choice), else loaded by
 * `switchLocale` when a person chooses English.
 */
export function createAppI18n(locale: AppLocale = initialLocale(), english?: Messages) {
  return createI18n({
    legacy: false,
    locale: locale === 'en' && !english ? 'zh-CN' : locale,
    fallbackLocale: 'zh-CN',
    messages: {
      'zh-CN': CHINESE,
      ...(english ? { en: english } : {}),
    },
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
}

/** The slice of a global composer that switching language needs. */
interface LocaleComposer {
  locale: { value: string }
  availableLocales: string[]
  setLocaleMessage(locale: 'zh-CN' | 'en', messages: Messages): void
}

/** Switches the app's language, loading English first if needed, and remembers the choice. */
export async function switchLocale(composer: LocaleComposer, next: AppLocale): Promise<void> {
  if (next === 'en' && !composer.availableLocales.includes('en')) composer.setLocaleMessage('en', await loadEnglish())
  composer.locale.value = next
  localStorage.setItem(LOCALE_STORAGE_KEY, next)
  document.documentElement.lang = next
}
