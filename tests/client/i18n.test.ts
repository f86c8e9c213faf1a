import { describe, expect, it } from 'vitest'
import { initialLocale, LOCALE_STORAGE_KEY } from '../../src/client/i18n'
import zhCN from '../../src/client/locales/zh-CN'
import en from '../../src/client/locales/en'

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

function leaves(tree: object): string[] {
  return Object.values(tree).flatMap((v) => (typeof v === 'object' && v ? leaves(v as object) : [String(v)]))
}

describe('i18n', () => {
  it('starts in Chinese and remembers the choice', () => {
    expect(initialLocale({ getItem: () => null })).toBe('zh-CN')
    expect(initialLocale({ getItem: (k) => (k === LOCALE_STORAGE_KEY ? 'en' : null) })).toBe('en')
    expect(initialLocale({ getItem: () => 'fr' })).toBe('zh-CN')
  })

  it('has every Chinese text in English too, none empty', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort())
    for (const text of [...leaves(zhCN), ...leaves(en)]) expect(text.trim()).not.toBe('')
    // The English texts are English: no Chinese characters except the language switch's own name.
    const chineseInEnglish = leaves(en).filter((t) => /[\u4e00-\u9fff]/.test(t))
    expect(chineseInEnglish).toEqual(['中文'])
  })
})
