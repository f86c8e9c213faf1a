import { toValue, type MaybeRefOrGetter } from 'vue'
import { useI18n } from 'vue-i18n'
import type { Locale, LocalizedText } from '../../shared/playbook'

export interface UseLocalizedOptions {
  /** A language of its own, e.g. the printed report's Chinese. @default the interface's language */
  locale?: MaybeRefOrGetter<Locale | undefined>
}

/** Picks the text of a playbook field in the interface's language (or the one asked for). */
export function useLocalized(options: UseLocalizedOptions = {}) {
  const { locale } = useI18n()
  return (text: LocalizedText | undefined): string => {
    if (!text) return ''
    const lang = toValue(options.locale) ?? locale.value
    return lang === 'en' ? text.en : text['zh-CN']
  }
}

/**
 * vue-i18n's `t` and `d` and `useLocalized`'s picker, all in `options.locale` when it names one
 * (paper is Chinese whatever the screen shows), else in the interface's language.
 */
export function useInLocale(options: UseLocalizedOptions = {}) {
  const composer = useI18n()
  const t = (key: string, named: Record<string, unknown> = {}): string => {
    const locale = toValue(options.locale)
    return locale ? composer.t(key, named, { locale }) : composer.t(key, named)
  }
  const d = (value: Date | string, key: 'short' | 'long'): string => {
    const date = typeof value === 'string' ? new Date(value) : value
    const locale = toValue(options.locale)
    return locale ? composer.d(date, { key, locale }) : composer.d(date, key)
  }
  return { t, d, local: useLocalized(options) }
}

/** "4:05" or "1:02:03": a clock people read at a glance, whatever the language. */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m)
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`
}
