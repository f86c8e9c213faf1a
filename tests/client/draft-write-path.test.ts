import { afterEach, describe, expect, it, vi } from 'vitest'
import { liveQuery } from 'dexie'
import { effectScope, nextTick, shallowRef } from 'vue'
import { draftQueue, listDrafts } from '../../src/client/db/drafts-repository'
import { useLiveQuery } from '../../src/client/composables/useLiveQuery'
import { newId } from '../../src/shared/ids'
import { useMemoryCaches } from './memory-caches'
import { callDraft, freshDb } from './builders'

useMemoryCaches()


afterEach(() => {
  vi.restoreAllMocks()
})

describe("a keystroke's draft write", () => {
  it('keeps the order of the writes and tells the live queries that read drafts', async () => {
    const db = await freshDb()
    const queue = draftQueue(db)
    const id = newId()
    const seen: string[] = []
    const subscription = liveQuery(() => listDrafts(db, 'callRecord')).subscribe((drafts) => {
      const request = drafts[0]?.values.request
      if (typeof request === 'string') seen.push(request)
    })
    const typed = ['停', '停电', '停电了']
    await Promise.all(typed.map((text) => queue.save(callDraft(id, text))))
    expect((await db.drafts.get(id))?.values).toEqual({ request: '停电了' })
    await vi.waitFor(() => expect(seen.at(-1)).toBe('停电了'))
    subscription.unsubscribe()
    await queue.settled()
    db.close()
  })
})

describe('useLiveQuery deps', () => {
  it('subscribes again when a value of the list changes, not when the list is only rebuilt', async () => {
    const scope = effectScope()
    const phone = shallowRef('')
    const request = shallowRef('')
    const querier = vi.fn(() => Promise.resolve(phone.value))
    scope.run(() => useLiveQuery(querier, { initial: '', deps: () => [phone.value, request.value.length > 0] }))
    await vi.waitFor(() => expect(querier).toHaveBeenCalledTimes(1))
    // typing in another field: the getter runs again and returns an equal list
    request.value = 'a'
    await nextTick()
    request.value = 'ab'
    await nextTick()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(querier).toHaveBeenCalledTimes(2) // the one change of `request.value.length > 0`
    phone.value = '13800138000'
    await nextTick()
    await vi.waitFor(() => expect(querier).toHaveBeenCalledTimes(3))
    scope.stop()
  })
})
