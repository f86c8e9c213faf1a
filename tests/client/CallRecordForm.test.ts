import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import CallRecordForm from '../../src/client/components/CallRecordForm.vue'
import { createTestI18n } from './i18n-helper'
import { emptyCallForm, validateCallForm, type CallFormValues } from '../../src/client/stores/callRecords'

function mountForm(values: Partial<CallFormValues> = {}, errors = {}, locale: 'zh-CN' | 'en' = 'zh-CN') {
  return mount(CallRecordForm, {
    props: { modelValue: { ...emptyCallForm(new Date('2026-11-28T08:00:00Z')), ...values }, errors },
    global: { plugins: [createTestI18n(locale)] },
    attachTo: document.body,
  })
}

describe('CallRecordForm', () => {
  it('emits the whole form on every keystroke, so each one can be saved as a draft', async () => {
    const wrapper = mountForm()
    await wrapper.find('input[name="callerPhone"]').setValue('13800138000')
    await wrapper.find('textarea[name="request"]').setValue('停电咨询')
    const emitted = wrapper.emitted('update:modelValue')!
    expect(emitted).toHaveLength(2)
    expect(emitted[0]![0]).toMatchObject({ callerPhone: '13800138000' })
    expect(emitted[1]![0]).toMatchObject({ request: '停电咨询' })
    wrapper.unmount()
  })

  it('shows the callback number only when a callback is needed', async () => {
    expect(mountForm().find('input[name="callbackNumber"]').exists()).toBe(false)
    expect(mountForm({ callbackNeeded: true }).find('input[name="callbackNumber"]').exists()).toBe(true)
  })

  it('moves to the next field on Enter and submits from the last one', async () => {
    const wrapper = mountForm()
    const phone = wrapper.find('input[name="callerPhone"]')
    ;(phone.element as HTMLInputElement).focus()
    await phone.trigger('keydown', { key: 'Enter' })
    expect(document.activeElement?.getAttribute('name')).toBe('callerName')
    await wrapper.find('input[name="callbackNeeded"]').trigger('keydown', { key: 'Enter' })
    expect(wrapper.emitted('submit')).toHaveLength(1)
    wrapper.unmount()
  })

  it('says what is wrong in the chosen language', () => {
    const zh = mountForm({}, { request: 'required' })
    expect(zh.find('[data-testid="error-request"]').text()).toBe('请填写来电诉求')
    const en = mountForm({ callbackNeeded: true }, { callbackNumber: 'callbackNumber' }, 'en')
    expect(en.find('[data-testid="error-callback"]').text()).toContain('callback number')
  })
})

describe('CallRecordForm phone check', () => {
  it('says clearly what is wrong with a number once the field is left, and that it can still be saved', async () => {
    const wrapper = mountForm({ callerPhone: '1380013800' })
    expect(wrapper.find('[data-testid="phone-warning"]').exists()).toBe(false)
    await wrapper.find('input[name="callerPhone"]').trigger('blur')
    const warning = wrapper.find('[data-testid="phone-warning"]').text()
    expect(warning).toContain('11 位')
    expect(warning).toContain('未核实')
    const en = mountForm({ callerPhone: '62345678' }, {}, 'en')
    await en.find('input[name="callerPhone"]').trigger('blur')
    expect(en.find('[data-testid="phone-warning"]').text()).toContain('area code')
    wrapper.unmount()
    en.unmount()
  })

  it('marks a withheld number with one tap', async () => {
    const wrapper = mountForm()
    await wrapper.find('[data-testid="withheld"]').trigger('click')
    expect(wrapper.emitted('update:modelValue')![0]![0]).toMatchObject({ callerPhone: '号码未显示' })
    wrapper.unmount()
  })

  it('leaves Enter to the Chinese input method while it composes', async () => {
    const wrapper = mountForm()
    const name = wrapper.find('input[name="callerName"]')
    ;(name.element as HTMLInputElement).focus()
    await name.trigger('keydown', { key: 'Enter', isComposing: true })
    expect(document.activeElement?.getAttribute('name')).toBe('callerName')
    await name.trigger('keydown', { key: 'Enter', ctrlKey: true })
    expect(wrapper.emitted('submit')).toHaveLength(1)
    wrapper.unmount()
  })

  it('shows earlier calls from the same number without blocking', () => {
    const earlier = [{ id: 'a', data: { calledAt: '2026-11-28T07:40:00Z', callerName: '王先生', request: '宽带断网' } }]
    const wrapper = mount(CallRecordForm, {
      props: { modelValue: emptyCallForm(), errors: {}, earlier: earlier as never },
      global: { plugins: [createTestI18n('zh-CN')] },
    })
    expect(wrapper.find('[data-testid="same-number"]').text()).toContain('宽带断网')
  })
})

describe('validateCallForm', () => {
  it('saves a withheld caller only with a callback number of its own', async () => {
    const base = { ...emptyCallForm(), request: '报修', callerPhone: '未显示', callbackNeeded: true }
    expect(await validateCallForm(base)).toMatchObject({ ok: false, errors: { callbackNumber: 'callbackNumber' } })
    expect(await validateCallForm({ ...base, callbackNumber: '13800138000' })).toMatchObject({
      ok: true,
      data: { callerPhone: '', callerPhoneStatus: 'withheld', callbackNumber: '13800138000', callbackNumberStatus: 'mobile' },
    })
  })

  it('names the missing request and a callback with no number to call', async () => {
    const result = await validateCallForm({ ...emptyCallForm(), callbackNeeded: true })
    expect(result).toEqual({ ok: false, errors: { request: 'required', callbackNumber: 'callbackNumber' }, warnings: {} })
  })

  it('accepts a callback to the caller phone', async () => {
    const result = await validateCallForm({ ...emptyCallForm(), request: '报修', callerPhone: '13800138000', callbackNeeded: true })
    expect(result.ok).toBe(true)
  })
})
