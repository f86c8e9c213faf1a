import type { AppLocale } from '../i18n'

/** A module of messages: a tree of sentences, by key. */
export interface MessageModule {
  default: object
}

/**
 * The message areas outside the start bundle, and where each language of each area is: the one
 * list of them (i18n.ts loads them, router.ts names those a route needs in its `meta.messages`,
 * the locale tests check both languages of each have the same keys).
 *
 * The core (zh-CN.ts, people, incidents, outage: everything the home page, the status bar, the
 * sign-in and lock screen, the alarm center, the reload prompt and the printed report use) is not
 * here: its Chinese is in the start bundle, its English is `core.en.ts` (i18n.ts `loadEnglish`).
 * English is split by area too: a tablet in English loads only the areas it opens. Each loader is
 * its own chunk, precached by the service worker like every asset: it works offline.
 *
 * A key a start screen needs stays in the core file with the same name (e.g. `media.entry`, in
 * zh-CN.ts and en.ts): an area file never repeats a core key (the locale tests check it).
 */
export const AREAS = {
  /** The playbook and contact-list editors. */
  editor: { 'zh-CN': () => import('./playbooks-editor.zh-CN'), en: () => import('./playbooks-editor.en') },
  /** The service hall's registers: media inquiries and the roll-call. */
  hall: { 'zh-CN': () => import('./hall.zh-CN'), en: () => import('./hall.en') },
  /** The lost-and-found register, with the signature pad and the photo picker. */
  lostFound: { 'zh-CN': () => import('./lost-found.zh-CN'), en: () => import('./lost-found.en') },
  /** The central console (a supervisor's desktop). */
  console: { 'zh-CN': () => import('./console.zh-CN'), en: () => import('./console.en') },
} as const satisfies Record<string, Record<AppLocale, () => Promise<MessageModule>>>

export type Area = keyof typeof AREAS
export const AREA_NAMES = Object.keys(AREAS) as Area[]
