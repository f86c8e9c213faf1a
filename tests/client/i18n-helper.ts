import { createAppI18n, loadEnglish, type AppLocale } from '../../src/client/i18n'
import { AREA_NAMES, AREAS } from '../../src/client/locales/areas'

/**
 * Every message of every area (locales/areas.ts), both languages, loaded once for the test file.
 * In the app the router's guard loads an area before its page resolves; a test that mounts a page
 * on its own gets them all up front.
 */
const english = await loadEnglish()
const areas = await Promise.all(AREA_NAMES.map(async (area) => ({ 'zh-CN': (await AREAS[area]['zh-CN']()).default, en: (await AREAS[area].en()).default })))

/** The app's i18n with every area's messages (both languages) already in it. */
export function createTestI18n(locale: AppLocale = 'zh-CN') {
  const i18n = createAppI18n(locale, locale === 'en' ? english : undefined)
  for (const area of areas) {
    i18n.global.mergeLocaleMessage('zh-CN', area['zh-CN'])
    if (locale === 'en') i18n.global.mergeLocaleMessage('en', area.en)
  }
  return i18n
}
