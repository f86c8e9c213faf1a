import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { hlcCompare, hlcParse, hlcReceive, hlcTick, hlcToString, type Hlc } from '../../src/shared/hlc'

const start = (node: string, millis = 1_000): Hlc => ({ millis, counter: 0, node })

describe('hybrid logical clock', () => {
  it('follows wall time and never goes backwards when the wall clock does', () => {
    const a = hlcTick(start('a'), 5_000)
    expect(a).toEqual({ millis: 5_000, counter: 0, node: 'a' })
    const b = hlcTick(a, 4_000) // the device clock was set back
    expect(hlcCompare(b, a)).toBeGreaterThan(0)
    expect(b).toEqual({ millis: 5_000, counter: 1, node: 'a' })
  })

  it('orders a received event after the sender even when our clock is behind', () => {
    const remote = { millis: 90_000, counter: 3, node: 'b' }
    const local = hlcReceive(start('a'), remote, 10_000)
    expect(hlcCompare(local, remote)).toBeGreaterThan(0)
    expect(local.node).toBe('a')
  })

  it('refuses a remote clock a day ahead', () => {
    expect(() => hlcReceive(start('a'), { millis: 10 ** 12, counter: 0, node: 'b' }, 1_000)).toThrow()
  })

  it('encodes as a string that sorts exactly like the clock', () => {
    fc.assert(
      fc.property(
        fc.record({ millis: fc.nat(2 ** 47), counter: fc.nat(99_999), node: fc.constantFrom('a', 'b', 'c') }),
        fc.record({ millis: fc.nat(2 ** 47), counter: fc.nat(99_999), node: fc.constantFrom('a', 'b', 'c') }),
        (x, y) => {
          const byString = hlcToString(x) < hlcToString(y) ? -1 : hlcToString(x) > hlcToString(y) ? 1 : 0
          expect(byString).toBe(Math.sign(hlcCompare(x, y)))
          expect(hlcParse(hlcToString(x))).toEqual(x)
        },
      ),
    )
  })

  it('is strictly increasing on one device through any mix of ticks and receives', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.record({ tick: fc.nat(10_000) }), fc.record({ remote: fc.nat(10_000), counter: fc.nat(50) })), { maxLength: 60 }),
        (steps) => {
          let clock = start('a', 0)
          for (const step of steps) {
            const next =
              'tick' in step
                ? hlcTick(clock, step.tick)
                : hlcReceive(clock, { millis: step.remote, counter: step.counter, node: 'b' }, 5_000)
            expect(hlcCompare(next, clock)).toBeGreaterThan(0)
            clock = next
          }
        },
      ),
    )
  })
})
