import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import CallRecordForm from '../../src/client/components/CallRecordForm.vue'
import { createAppI18n } from '../../src/client/i18n'
import { emptyCallForm, validateCallForm, type CallFormValues } from '../../src/client/stores/callRecords'

function mountForm(values: Partial<CallFormValues> = {}, errors = {}, locale: 'zh-CN' | 'en' = 'zh-CN') {
  return mount(CallRecordForm, {
    props: { modelValue: { ...emptyCallForm(new Date('2026-11-28T08:00:00Z')), ...values }, errors },
    global: { plugins: [createAppI18n(locale)] },
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

describe('validateCallForm', () => {
  it('names the missing request and a callback with no number to call', () => {
    const result = validateCallForm({ ...emptyCallForm(), callbackNeeded: true })
    expect(result).toEqual({ ok: false, errors: { request: 'required', callbackNumber: 'callbackNumber' } })
  })

  it('accepts a callback to the caller phone', () => {
    const result = validateCallForm({ ...emptyCallForm(), request: '报修', callerPhone: '13800138000', callbackNeeded: true })
    expect(result.ok).toBe(true)
  })
})
