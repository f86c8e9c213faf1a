import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { allowedActions, CALLBACK_ACTIONS, deriveCallback, nextCallbackState, type CallbackAction, type CallbackEvent } from '../../src/shared/callback'

const CALL = '0192f0c4-3333-7000-8000-000000000003'
let seq = 0
/** A step recorded at minute `minute`, by `author`. */
function step(state: CallbackAction, minute: number, author = '王芳', id = `id-${String(++seq).padStart(4, '0')}`): CallbackEvent {
  const at = new Date(Date.UTC(2026, 10, 28, 9, minute)).toISOString()
  return { id, createdAt: at, at, author, callRecordId: CALL, state, note: '' }
}

describe('the callback worklist state machine', () => {
  it('starts every entry as "to call"', () => {
    expect(deriveCallback([])).toEqual({ state: 'toCall', attempts: 0, history: [] })
  })

  it('counts unanswered attempts, then resolves and re-enters into the CRM, with who and when', () => {
    const summary = deriveCallback([step('noAnswer', 1, '王芳'), step('noAnswer', 20), step('resolved', 45, '李强'), step('reentered', 50, '赵敏')])
    expect(summary.state).toBe('reentered')
    expect(summary.attempts).toBe(2)
    expect(summary.last).toMatchObject({ author: '赵敏', state: 'reentered' })
    expect(summary.reentered).toMatchObject({ author: '赵敏', at: '2026-11-28T09:50:00.000Z' })
    expect(summary.history.every((s) => s.applied)).toBe(true)
  })

  it('lets a person confirm re-entry straight from "to call"', () => {
    expect(deriveCallback([step('reentered', 1)]).state).toBe('reentered')
  })

  it('keeps a step that does not apply in the history, marked, and changes nothing', () => {
    // Two tablets offline: one resolved the call, the other (later) marked "no answer".
    const summary = deriveCallback([step('resolved', 1, 'A'), step('noAnswer', 2, 'B')])
    expect(summary.state).toBe('resolved')
    expect(summary.attempts).toBe(0)
    expect(summary.history.map((s) => s.applied)).toEqual([true, false])
    expect(summary.last?.author).toBe('A')
  })

  it('reopens a mistaken step and forgets the re-entry', () => {
    const summary = deriveCallback([step('reentered', 1), step('reopened', 2)])
    expect(summary.state).toBe('toCall')
    expect(summary.reentered).toBeUndefined()
    expect(nextCallbackState('toCall', 'reopened')).toBeUndefined()
  })

  it('offers only the steps the state allows', () => {
    expect(allowedActions('toCall')).toEqual(['resolved', 'noAnswer', 'reentered'])
    expect(allowedActions('noAnswer')).toEqual(['resolved', 'noAnswer', 'reentered', 'reopened'])
    expect(allowedActions('resolved')).toEqual(['reentered', 'reopened'])
    expect(allowedActions('reentered')).toEqual(['reopened'])
  })

  it('derives the same state on every tablet, whatever order the events arrived in', () => {
    const arb = fc.array(fc.record({ action: fc.constantFrom(...CALLBACK_ACTIONS), minute: fc.integer({ min: 0, max: 5 }) }), { maxLength: 12 })
    fc.assert(
      fc.property(arb, (steps) => {
        const events = steps.map((s, i) => step(s.action, s.minute, 'x', `id-${String(i).padStart(3, '0')}`))
        const a = deriveCallback(events)
        const b = deriveCallback([...events].reverse())
        expect(b.state).toBe(a.state)
        expect(b.attempts).toBe(a.attempts)
        expect(b.history.map((s) => s.id)).toEqual(a.history.map((s) => s.id))
      }),
    )
  })
})
