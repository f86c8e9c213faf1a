import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { mount } from '@vue/test-utils'
import { createAppI18n, loadEnglish, type AppLocale } from '../../src/client/i18n'
import { useRejectionMessage } from '../../src/client/composables/useRejectionMessage'
import zhCN from '../../src/client/locales/zh-CN'
import en from '../../src/client/locales/en'
import { RECORD_KINDS } from '../../src/shared/records'
import { REJECTION_CODES, type RejectionCode, type RejectionParams } from '../../src/shared/sync'

/** The helper as a screen uses it, in a given language. */
async function messageIn(locale: AppLocale) {
  let message: ReturnType<typeof useRejectionMessage> | undefined
  const Probe = defineComponent({
    setup() {
      message = useRejectionMessage()
      return () => h('div')
    },
  })
  mount(Probe, { global: { plugins: [createAppI18n(locale, locale === 'en' ? await loadEnglish() : undefined)] } })
  return message!
}

/** Params the server would send with each code (tests/server/rejections.test.ts checks it does). */
const SAMPLES: Record<RejectionCode, RejectionParams> = {
  invalid_record: { field: 'data.request' },
  unstorable_text: {},
  wrong_site: { siteId: 'a', deviceSiteId: 'b' },
  wrong_device: { deviceId: 'a', expectedDeviceId: 'b' },
  server_only_kind: { kind: 'person' },
  no_person: { kind: 'callRecord' },
  person_unknown: { personId: 'p' },
  person_inactive: { name: '王五', staffNo: '1003' },
  role_not_allowed: { name: '张三', staffNo: '1002', role: 'agent', kind: 'fault' },
  stale_version: { kind: 'playbook', id: 'C7', version: 2, held: 3 },
  id_taken: { id: 'x' },
}

const REASON = 'English reason from the server'

describe('useRejectionMessage', () => {
  it('has a sentence for every code and a name for every record kind, in both languages', () => {
    for (const code of REJECTION_CODES) {
      expect(zhCN.record.rejection[code], code).toBeTruthy()
      expect(en.record.rejection[code], code).toBeTruthy()
    }
    expect(Object.keys(zhCN.record.kind).sort()).toEqual([...RECORD_KINDS].sort())
    expect(Object.keys(en.record.kind).sort()).toEqual([...RECORD_KINDS].sort())
  })

  it.each(['zh-CN', 'en'] as const)('says every code in %s with its params filled in, never the English reason', async (locale) => {
    const message = await messageIn(locale)
    for (const code of REJECTION_CODES) {
      const text = message(REASON, code, SAMPLES[code])
      expect(text, code).not.toBe(REASON)
      expect(text, code).not.toMatch(/[{}]/)
    }
  })

  it('translates the role and the record kind it names', async () => {
    const zh = await messageIn('zh-CN')
    expect(zh(REASON, 'role_not_allowed', SAMPLES.role_not_allowed)).toBe('张三（工号 1002）的角色“座席/柜员”不能新建故障记录')
    expect(zh(REASON, 'stale_version', SAMPLES.stale_version)).toContain('应急预案“C7”')
    expect(zh(REASON, 'invalid_record', { field: 'data.request' })).toContain('data.request')
    expect(zh(REASON, 'invalid_record', { field: '' })).toBe('记录内容不符合要求，服务器未保存')
    const english = await messageIn('en')
    expect(english(REASON, 'role_not_allowed', SAMPLES.role_not_allowed)).toBe(
      '张三 (staff no. 1002) has the role “Agent / teller”, which may not create new fault records',
    )
    // a role or kind this version does not know is named as it came
    expect(zh(REASON, 'role_not_allowed', { ...SAMPLES.role_not_allowed, role: 'nightGuard', kind: 'parcel' })).toBe(
      '张三（工号 1002）的角色“nightGuard”不能新建parcel',
    )
  })

  it('shows the reason for no code, an unknown code, or params that do not fit the code', async () => {
    const message = await messageIn('zh-CN')
    expect(message(REASON)).toBe(REASON)
    expect(message(REASON, 'site_closed', { until: '08:00' })).toBe(REASON)
    expect(message(REASON, 'role_not_allowed', { name: '张三' })).toBe(REASON)
    expect(message(undefined)).toBe('被拒绝')
  })
})
