import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import SignaturePad from '../../src/client/components/SignaturePad.vue'
import { createTestI18n } from './i18n-helper'

/**
 * happy-dom has no canvas drawing: `getContext('2d')` returns null there. ONLY the 2D context is
 * stubbed (a recorder of the calls the pad makes); the canvas element, the pointer events and
 * `toBlob` (which happy-dom answers with an empty PNG Blob) are happy-dom's own.
 */
interface Call {
  name: string
  args: unknown[]
}

function recordingContext(calls: Call[]): CanvasRenderingContext2D {
  const record =
    (name: string) =>
    (...args: unknown[]) => {
      calls.push({ name, args })
    }
  const ctx: Record<string, unknown> = { fillStyle: '', strokeStyle: '', lineWidth: 1, lineCap: 'butt', lineJoin: 'miter' }
  for (const name of ['setTransform', 'fillRect', 'clearRect', 'beginPath', 'moveTo', 'lineTo', 'quadraticCurveTo', 'arc', 'fill', 'stroke']) ctx[name] = record(name)
  return ctx as unknown as CanvasRenderingContext2D
}

let calls: Call[]
beforeEach(() => {
  calls = []
  const ctx = recordingContext(calls)
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(((type: string) => (type === '2d' ? ctx : null)) as never)
})
afterEach(() => vi.restoreAllMocks())

function mountPad() {
  return mount(SignaturePad, { props: { label: '清点人 1：陈柜员' }, global: { plugins: [createTestI18n('zh-CN')] }, attachTo: document.body })
}

const pointer = (x: number, y: number, extra: Record<string, unknown> = {}) => ({ pointerId: 7, pointerType: 'pen', pressure: 0.6, button: 0, clientX: x, clientY: y, ...extra })
const drawn = () => calls.filter((c) => c.name === 'quadraticCurveTo' || c.name === 'arc')

describe('SignaturePad', () => {
  it('turns pointer events into a stroke, enables confirm, and emits a PNG', async () => {
    const wrapper = mountPad()
    const canvas = wrapper.find('canvas')
    expect(canvas.attributes('aria-label')).toContain('清点人 1：陈柜员')
    expect(wrapper.find('[data-testid="signature-confirm"]').attributes('disabled')).toBeDefined()
    expect(wrapper.text()).toContain('尚未签名')
    calls.length = 0

    await canvas.trigger('pointerdown', pointer(10, 20))
    for (const [x, y] of [[20, 24], [32, 30], [45, 28], [60, 35]]) await canvas.trigger('pointermove', pointer(x!, y!))
    await canvas.trigger('pointerup', pointer(60, 35))

    // A dot where the pen came down, then one curve per move: a stroke with ink in it.
    expect(calls.filter((c) => c.name === 'arc')).toHaveLength(1)
    const curves = calls.filter((c) => c.name === 'quadraticCurveTo')
    expect(curves).toHaveLength(4)
    // Each curve bends through the previous point and ends halfway to the new one (smooth, no corners).
    expect(curves[1]!.args).toEqual([20, 24, 26, 27])
    expect(calls.filter((c) => c.name === 'stroke').length).toBeGreaterThanOrEqual(4)
    expect(wrapper.emitted('change')?.[0]).toEqual([true])
    expect(wrapper.find('[data-testid="signature-confirm"]').attributes('disabled')).toBeUndefined()
    expect(wrapper.text()).toContain('已书写')

    await wrapper.find('[data-testid="signature-confirm"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.emitted('confirm')).toHaveLength(1))
    const blob = wrapper.emitted('confirm')![0]![0] as Blob
    expect(blob).toBeInstanceOf(Blob)
    expect(blob.type).toBe('image/png')
    wrapper.unmount()
  })

  it('ignores moves of another pointer and moves with no pen down', async () => {
    const wrapper = mountPad()
    const canvas = wrapper.find('canvas')
    calls.length = 0
    await canvas.trigger('pointermove', pointer(5, 5))
    expect(drawn()).toHaveLength(0)
    await canvas.trigger('pointerdown', pointer(10, 10))
    await canvas.trigger('pointermove', pointer(30, 30, { pointerId: 99 }))
    expect(calls.filter((c) => c.name === 'quadraticCurveTo')).toHaveLength(0)
    // A right click with a mouse is not ink.
    await canvas.trigger('pointerup', pointer(10, 10))
    calls.length = 0
    await canvas.trigger('pointerdown', pointer(10, 10, { pointerId: 3, pointerType: 'mouse', button: 2 }))
    expect(drawn()).toHaveLength(0)
    wrapper.unmount()
  })

  it('clears back to an empty pad: confirm disabled, paper repainted, nothing emitted', async () => {
    const wrapper = mountPad()
    const canvas = wrapper.find('canvas')
    await canvas.trigger('pointerdown', pointer(10, 20, { pointerType: 'touch' }))
    await canvas.trigger('pointermove', pointer(40, 50, { pointerType: 'touch' }))
    await canvas.trigger('pointerup', pointer(40, 50, { pointerType: 'touch' }))
    expect(wrapper.find('[data-testid="signature-confirm"]').attributes('disabled')).toBeUndefined()
    calls.length = 0

    await wrapper.find('[data-testid="signature-clear"]').trigger('click')
    await flushPromises()
    expect(wrapper.emitted('clear')).toHaveLength(1)
    expect(wrapper.emitted('change')?.at(-1)).toEqual([false])
    // The paper is painted white again and no stroke is drawn on it.
    expect(calls.some((c) => c.name === 'fillRect')).toBe(true)
    expect(drawn()).toHaveLength(0)
    expect(wrapper.find('[data-testid="signature-confirm"]').attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-testid="signature-clear"]').attributes('disabled')).toBeDefined()
    expect(wrapper.text()).toContain('尚未签名')
    await wrapper.find('[data-testid="signature-confirm"]').trigger('click')
    await flushPromises()
    expect(wrapper.emitted('confirm')).toBeUndefined()
    wrapper.unmount()
  })

  it('sizes its canvas to the device pixel ratio (capped at 2) and does not let the page scroll while signing', () => {
    const ratio = vi.spyOn(window, 'devicePixelRatio', 'get').mockReturnValue(3)
    const rect = vi.spyOn(HTMLCanvasElement.prototype, 'getBoundingClientRect').mockReturnValue({ width: 300, height: 200, left: 0, top: 0, right: 300, bottom: 200, x: 0, y: 0, toJSON: () => ({}) })
    const wrapper = mountPad()
    const el = wrapper.find('canvas').element as HTMLCanvasElement
    expect([el.width, el.height]).toEqual([600, 400])
    expect(calls.find((c) => c.name === 'setTransform' && c.args[0] === 2)).toBeDefined()
    wrapper.unmount()
    ratio.mockRestore()
    rect.mockRestore()
  })
})
