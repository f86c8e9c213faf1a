import { createI18n } from 'vue-i18n'
import zhCN from './locales/zh-CN'
import en from './locales/en'
import peopleZhCN from './locales/people.zh-CN'
import peopleEn from './locales/people.en'
import incidentsZhCN from './locales/incidents.zh-CN'
import incidentsEn from './locales/incidents.en'
import outageZhCN from './locales/outage.zh-CN'
import outageEn from './locales/outage.en'
import editorZhCN from './locales/playbooks-editor.zh-CN'
import editorEn from './locales/playbooks-editor.en'
import hallZhCN from './locales/hall.zh-CN'
import hallEn from './locales/hall.en'
import lostFoundZhCN from './locales/lost-found.zh-CN'
import lostFoundEn from './locales/lost-found.en'
import consoleZhCN from './locales/console.zh-CN'
import consoleEn from './locales/console.en'

export const SUPPORTED_LOCALES = ['zh-CN', 'en'] as const
export type AppLocale = (typeof SUPPORTED_LOCALES)[number]
export const LOCALE_STORAGE_KEY = 'steadyline.locale'

/** The saved choice, else Chinese: the floor's language, whatever the tablet's system says. */
export function initialLocale(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): AppLocale {
  const saved = storage?.getItem(LOCALE_STORAGE_KEY)
  return SUPPORTED_LOCALES.find((l) => l === saved) ?? 'zh-CN'
}

export function createAppI18n(locale: AppLocale = initialLocale()) {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages: {
      'zh-CN': { ...zhCN, ...peopleZhCN, ...incidentsZhCN, ...outageZhCN, ...editorZhCN, ...hallZhCN, ...lostFoundZhCN, ...consoleZhCN },
      en: { ...en, ...peopleEn, ...incidentsEn, ...outageEn, ...editorEn, ...hallEn, ...lostFoundEn, ...consoleEn },
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
