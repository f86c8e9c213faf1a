import { readFileSync, existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { RouteRecordRaw } from 'vue-router'
import { createAppI18n, initialLocale, loadAreas, loadEnglish, LOCALE_STORAGE_KEY, switchLocale } from '../../src/client/i18n'
import { AREA_NAMES, AREAS, type Area } from '../../src/client/locales/areas'
import { createAppRouter, routes } from '../../src/client/router'
import zhCN from '../../src/client/locales/zh-CN'
import peopleZhCN from '../../src/client/locales/people.zh-CN'
import incidentsZhCN from '../../src/client/locales/incidents.zh-CN'
import outageZhCN from '../../src/client/locales/outage.zh-CN'

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

function leaves(tree: object): string[] {
  return Object.values(tree).flatMap((v) => (typeof v === 'object' && v ? leaves(v as object) : [String(v)]))
}

const CORE = { 'zh-CN': { ...zhCN, ...peopleZhCN, ...incidentsZhCN, ...outageZhCN }, en: await loadEnglish() }
const AREA_MESSAGES = Object.fromEntries(
  await Promise.all(AREA_NAMES.map(async (area) => [area, { 'zh-CN': (await AREAS[area]['zh-CN']()).default, en: (await AREAS[area].en()).default }] as const)),
) as Record<Area, { 'zh-CN': object; en: object }>

/** The English texts are English: no Chinese characters except the language switch's own name. */
const chineseIn = (tree: object) => leaves(tree).filter((t) => /[\u4e00-\u9fff]/.test(t))

describe('i18n', () => {
  it('starts in Chinese and remembers the choice', () => {
    expect(initialLocale({ getItem: () => null })).toBe('zh-CN')
    expect(initialLocale({ getItem: (k) => (k === LOCALE_STORAGE_KEY ? 'en' : null) })).toBe('en')
    expect(initialLocale({ getItem: () => 'fr' })).toBe('zh-CN')
  })

  it('has every Chinese text of the core in English too, none empty', () => {
    expect(keys(CORE.en).sort()).toEqual(keys(CORE['zh-CN']).sort())
    for (const text of [...leaves(CORE['zh-CN']), ...leaves(CORE.en)]) expect(text.trim()).not.toBe('')
    expect(chineseIn(CORE.en)).toEqual(['中文'])
  })

  it.each(AREA_NAMES)('has every Chinese text of the %s area in English too, none empty', (area) => {
    const { 'zh-CN': chinese, en } = AREA_MESSAGES[area]
    expect(keys(chinese).length).toBeGreaterThan(0)
    expect(keys(en).sort()).toEqual(keys(chinese).sort())
    for (const text of [...leaves(chinese), ...leaves(en)]) expect(text.trim()).not.toBe('')
    expect(chineseIn(en).filter((t) => t !== '中文')).toEqual([])
  })

  it('never has a key in two places (core and areas are merged: one would hide the other)', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const all = [keys(CORE[locale]), ...AREA_NAMES.map((area) => keys(AREA_MESSAGES[area][locale]))].flat()
      expect(all.filter((k, i) => all.indexOf(k) !== i)).toEqual([])
    }
  })
})

// ---- which messages each screen needs: the literal keys of its sources, against what is loaded for it

const ROOT = resolve(import.meta.dirname, '../..')

/** The sources a module brings in: its relative imports (static, and dynamic ones when asked: lazy components). */
function sources(entry: string, options: { dynamic: boolean; stopAt?: (file: string) => boolean }): string[] {
  const seen = new Set<string>()
  const stack = [entry]
  while (stack.length) {
    const file = stack.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    const text = readFileSync(file, 'utf8')
    const imports = [...text.matchAll(/^\s*import\s+(?!type\b)[^'"]*?['"](\.[^'"]+)['"]/gm)].map((m) => m[1]!)
    if (options.dynamic) imports.push(...[...text.matchAll(/import\(\s*['"](\.[^'"]+\.vue)['"]\s*\)/g)].map((m) => m[1]!))
    for (const spec of imports) {
      const base = resolve(dirname(file), spec)
      const found = [base, `${base}.ts`, `${base}/index.ts`].find((f) => /\.(ts|vue)$/.test(f) && existsSync(f))
      if (found && !found.includes('/locales/') && !options.stopAt?.(found)) stack.push(found)
    }
  }
  return [...seen]
}

/** The keys written out in `t('…')`, `$t('…')`, `te('…')` calls (keys built at run time are not checked). */
function literalKeys(files: string[]): string[] {
  return [...new Set(files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/(?<![\w$])(?:\$t|t|te)\(\s*['"]([\w-]+(?:\.[\w-]+)+)['"]/g)].map((m) => m[1]!)))]
}

function has(tree: object, key: string): boolean {
  let node: unknown = tree
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return false
    node = (node as Record<string, unknown>)[part]
  }
  return typeof node === 'string'
}

function missing(keysUsed: string[], areas: readonly Area[]) {
  return (['zh-CN', 'en'] as const).flatMap((locale) =>
    keysUsed.filter((k) => !has(CORE[locale], k) && !areas.some((a) => has(AREA_MESSAGES[a][locale], k))).map((k) => `${locale}: ${k}`),
  )
}

describe('messages of the start screens and of each route', () => {
  it('has every key of the start screens (home, status bar, sign-in and lock, alarms, reload prompt) in the core', () => {
    const start = [...sources(resolve(ROOT, 'src/client/main.ts'), { dynamic: false }), ...sources(resolve(ROOT, 'src/client/pages/SignInPage.vue'), { dynamic: false })]
    expect(start.some((f) => f.endsWith('HomePage.vue'))).toBe(true)
    const used = literalKeys(start)
    expect(used.length).toBeGreaterThan(50)
    expect(missing(used, [])).toEqual([])
  })

  it("has every key of each page in the core or in the areas its route loads (the printed report's in Chinese)", async () => {
    const checked: string[] = []
    async function check(records: readonly RouteRecordRaw[], inherited: readonly Area[]) {
      for (const record of records) {
        const areas = [...inherited, ...(record.meta?.messages ?? [])]
        const component = 'component' in record ? record.component : undefined
        if (typeof component === 'function') {
          const loaded = (await (component as () => Promise<{ default: { __file?: string } }>)()).default
          const file = loaded.__file!
          const used = literalKeys(sources(file, { dynamic: true, stopAt: (f) => f !== file && f.includes('/pages/') && !f.endsWith('SignInPage.vue') }))
          expect({ route: record.name ?? record.path, missing: missing(used, areas) }).toEqual({ route: record.name ?? record.path, missing: [] })
          checked.push(String(record.name ?? record.path))
        }
        if (record.children) await check(record.children, areas)
      }
    }
    await check(routes, [])
    expect(checked).toEqual(expect.arrayContaining(['incident-report', 'lost-found-item', 'console-now', 'contacts', 'roll-call', 'diagnostics']))
  })
})

describe('loading areas', () => {
  afterEach(() => vi.restoreAllMocks())

  it('merges an area into the global messages once, in the current language and in Chinese', async () => {
    const i18n = createAppI18n('zh-CN')
    const spy = vi.spyOn(AREAS.hall, 'zh-CN')
    expect(i18n.global.te('rollCall.title')).toBe(false)
    expect(i18n.global.t('rollCall.open')).toBe('人员清点') // a core key beside the area's
    await Promise.all([loadAreas(i18n.global, ['hall']), loadAreas(i18n.global, ['hall'])])
    await loadAreas(i18n.global, ['hall'])
    expect(spy).toHaveBeenCalledTimes(1)
    expect(i18n.global.t('rollCall.title')).toBe('人员清点')
    expect(i18n.global.t('rollCall.open')).toBe('人员清点')
    expect(i18n.global.te('rollCall.title', 'en')).toBe(false)
  })

  it('switches the areas already loaded to English, and keeps Chinese for the printed report', async () => {
    const i18n = createAppI18n('zh-CN')
    await loadAreas(i18n.global, ['lostFound'])
    await switchLocale(i18n.global, 'en')
    expect(i18n.global.locale.value).toBe('en')
    expect(i18n.global.t('lostFound.title')).toBe('Lost-and-found register')
    expect(i18n.global.t('lostFound.entry')).toBe('Lost and found')
    expect(i18n.global.t('report.print')).toBe('Print')
    expect(i18n.global.t('report.print', {}, { locale: 'zh-CN' })).toBe('打印')
    // an area first opened in English comes with its Chinese (the fallback and the paper's language)
    await loadAreas(i18n.global, ['editor'])
    expect(i18n.global.te('editor.titleNew', 'en')).toBe(true)
    expect(i18n.global.te('editor.titleNew', 'zh-CN')).toBe(true)
    await switchLocale(i18n.global, 'zh-CN')
    expect(i18n.global.t('lostFound.title')).toBe('失物登记簿')
  })

  it('goes on when a chunk does not load: the keys fall back, and the next navigation tries again', async () => {
    const i18n = createAppI18n('en', await loadEnglish())
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const english = vi.spyOn(AREAS.console, 'en').mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'))
    await expect(loadAreas(i18n.global, ['console'])).resolves.toBeUndefined()
    expect(warn).toHaveBeenCalled()
    expect(i18n.global.te('console.title', 'en')).toBe(false)
    expect(i18n.global.t('console.title')).toBe(i18n.global.t('console.title', {}, { locale: 'zh-CN' })) // Chinese, not the key
    expect(i18n.global.t('console.title')).not.toBe('console.title')
    await loadAreas(i18n.global, ['console'])
    expect(english).toHaveBeenCalledTimes(2)
    expect(i18n.global.te('console.title', 'en')).toBe(true)
  })

  it("loads a route's areas before it resolves", async () => {
    const i18n = createAppI18n('zh-CN')
    const router = createAppRouter(i18n)
    await router.push('/console/sign-in')
    expect(router.currentRoute.value.name).toBe('console-sign-in')
    expect(i18n.global.te('console.title')).toBe(true)
    expect(i18n.global.te('lostFound.title')).toBe(false)
  })
})
