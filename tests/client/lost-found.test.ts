import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { effectScope, nextTick, shallowRef } from 'vue'
import LostItemStepForm from '../../src/client/components/LostItemStepForm.vue'
import { createTestI18n } from './i18n-helper'
import { db } from '../../src/client/db/db'
import { emptyStepForm, useLostFoundStore, validateLostItemForm, type LostItemView, type StepFormValues } from '../../src/client/stores/lostFound'
import lostFoundZhCN from '../../src/client/locales/lost-found.zh-CN'
import lostFoundEn from '../../src/client/locales/lost-found.en'
import { enrollTablet, signedInPerson } from './builders'

const ITEM = '0192f0c4-1234-7000-8000-000000000001'

/** A tiny image the tablet accepts: PNG's signature, then a few bytes that differ per call. */
function png(seed: number): Blob {
  return new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, seed, seed + 1, seed + 2])], { type: 'image/png' })
}

async function fresh() {
  await db.delete()
  await db.open()
  await enrollTablet(db)
  await signedInPerson(db, { name: '陈柜员', role: 'agent' })
  const pinia = createPinia()
  setActivePinia(pinia)
  return useLostFoundStore()
}

afterEach(() => vi.restoreAllMocks())

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]))
}
function leaves(tree: object): string[] {
  return Object.values(tree).flatMap((v) => (typeof v === 'object' && v ? leaves(v as object) : [String(v)]))
}

describe('lost-and-found texts', () => {
  it('has every Chinese text in English, and the English has no Chinese', () => {
    expect(keys(lostFoundEn).sort()).toEqual(keys(lostFoundZhCN).sort())
    for (const text of [...leaves(lostFoundZhCN), ...leaves(lostFoundEn)]) expect(text.trim()).not.toBe('')
    expect(leaves(lostFoundEn).filter((t) => /[\u4e00-\u9fff]/.test(t))).toEqual([])
  })
})

describe('the lost-and-found store', () => {
  it('keeps a registration as a draft, refuses it until both counters signed, then saves it and a return against it', async () => {
    const store = await fresh()
    const id = await store.startDraft({ mode: 'found' })
    // A second "new" while this one is still blank takes it up again instead of piling drafts.
    expect(await store.startDraft({ mode: 'reported' })).toBe(id)
    const loaded = (await store.loadDraft(id))!
    expect(loaded.values.mode).toBe('reported')

    const sig1 = await store.storeImage(png(1))
    const values = {
      ...loaded.values,
      mode: 'found' as const,
      description: '黑色钱包',
      whereFound: '3号柜台',
      foundBy: '陈柜员',
      cctvCamera: '大厅2号摄像头',
      keptAt: '值班室保险柜',
      witnesses: [
        { ...loaded.values.witnesses[0], name: '陈柜员', signature: sig1 },
        { ...loaded.values.witnesses[1], name: '刘保安' },
      ] as typeof loaded.values.witnesses,
    }
    await store.updateDraft(id, values, loaded.createdAt)
    expect((await store.loadDraft(id))!.values.witnesses[0].signature).toEqual(sig1)

    const refused = await store.saveItem(id, values)
    expect(refused).toMatchObject({ ok: false, errors: { witness1Signature: 'signature' } })
    expect(await db.outbox.count()).toBe(0) // nothing saved (the roster's person record is the only row)
    // The same person twice is not two counters.
    const twice = validateLostItemForm({ ...values, witnesses: [values.witnesses[0], { ...values.witnesses[1], name: '陈柜员', signature: sig1 }] })
    expect(twice).toMatchObject({ ok: false, errors: { witness1Name: 'distinct', witness1Signature: 'distinct' } })

    const sig2 = await store.storeImage(png(2))
    const signed = { ...values, witnesses: [values.witnesses[0], { ...values.witnesses[1], signature: sig2 }] as typeof values.witnesses }
    const saved = await store.saveItem(id, signed)
    expect(saved.ok).toBe(true)
    expect(await db.drafts.get(id)).toBeUndefined()
    const record = (await db.records.get(id))!
    expect(record).toMatchObject({ kind: 'lostItem', author: '陈柜员', personId: expect.any(String), data: { mode: 'found', keptAt: '值班室保险柜' } })
    expect(await db.outbox.where('recordId').equals(id).count()).toBe(1)

    // The entry, live, with its state.
    const scope = effectScope()
    const { view } = scope.run(() => store.watchItem(shallowRef(id)))!
    await vi.waitFor(() => expect(view.value?.state.status).toBe('open'))
    const state = (view.value as LostItemView).state

    // A return: its draft is found again after a "reload"; refused without the claimant's signature.
    const step = await store.startStep(id, 'returned')
    const typed: StepFormValues = { ...step.values, claimantName: '王女士', idType: 'residentId', idLast4: '123X', returnedByName: '陈柜员' }
    await store.updateStep(step.id, typed, step.createdAt)
    expect((await store.findStepDraft(id))?.values).toMatchObject({ claimantName: '王女士', idLast4: '123X' })
    const noSignature = await store.saveStep(step.id, typed, state)
    expect(noSignature).toMatchObject({ ok: false, errors: { claimantSignature: 'signature' } })
    const longId = await store.saveStep(step.id, { ...typed, idLast4: '110101199003071234', claimantSignature: await store.storeImage(png(3)) }, state)
    expect(longId).toMatchObject({ ok: false, errors: { idLast4: 'idLast4' } })

    const done = await store.saveStep(step.id, { ...typed, claimantSignature: await store.storeImage(png(3)) }, state)
    expect(done.ok).toBe(true)
    await vi.waitFor(() => expect(view.value?.state.status).toBe('returned'))
    expect(await store.findStepDraft(id)).toBeUndefined()

    // After the return only an amendment; the state says why anything else is refused.
    const late = await store.startStep(id, 'ownerContacted')
    const after = await store.saveStep(late.id, { ...late.values, how: 'phone' }, view.value!.state)
    expect(after).toMatchObject({ ok: false, refused: ['finished'] })
    await store.discardStep(late.id)
    scope.stop()
  })
})

describe('the return form', () => {
  function mountForm(values: StepFormValues) {
    return mount(LostItemStepForm, {
      props: { modelValue: values, errors: {}, mode: 'found', current: {}, roster: [], saveImage: async () => ({ sha256: 'a'.repeat(64), type: 'image/png', size: 10 }) },
      global: { plugins: [createPinia(), createTestI18n('zh-CN')] },
    })
  }

  it('never keeps more than the last four characters of an identity number, and says so', async () => {
    const wrapper = mountForm(emptyStepForm(ITEM, 'returned', new Date('2026-11-28T08:00:00Z')))
    const input = wrapper.find('input[name="idLast4"]')
    await input.setValue('11010119900307123X')
    const emitted = wrapper.emitted('update:modelValue')!
    expect((emitted.at(-1)![0] as StepFormValues).idLast4).toBe('')
    expect((input.element as HTMLInputElement).value).toBe('')
    expect(wrapper.find('[data-testid="id-too-long"]').text()).toContain('完整号码不会被保存')

    await input.setValue('123x')
    expect((wrapper.emitted('update:modelValue')!.at(-1)![0] as StepFormValues).idLast4).toBe('123X')
    await nextTick()
    expect(wrapper.find('[data-testid="id-too-long"]').exists()).toBe(false)
  })
})
