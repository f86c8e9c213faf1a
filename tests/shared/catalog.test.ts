import { describe, expect, it } from 'vitest'
import { buildCatalog, nextVersion } from '../../src/shared/catalog'

const v = (id: string, version: number, label = `${id}@${version}`) => ({ id, version, label })

describe('buildCatalog', () => {
  it('falls back to the shipped entries before anything is pulled', () => {
    const c = buildCatalog([v('H1', 1), v('C4', 1)], [])
    expect(c.current.map((e) => e.label)).toEqual(['H1@1', 'C4@1'])
    expect(c.byId('C4')?.label).toBe('C4@1')
  })

  it('makes the highest version current and keeps every version reachable', () => {
    const c = buildCatalog([v('H1', 1), v('C4', 1)], [
      { data: v('C4', 3), rejected: false },
      { data: v('C4', 2), rejected: false },
    ])
    expect(c.byId('C4')?.label).toBe('C4@3')
    expect(c.byIdVersion('C4', 2)?.label).toBe('C4@2')
    expect(c.byIdVersion('C4', 1)?.label).toBe('C4@1') // an incident started before the edits
    expect(c.versions('C4')).toEqual([3, 2, 1])
    expect(c.current.map((e) => e.id)).toEqual(['H1', 'C4']) // shipped order kept
  })

  it('prefers a record to a shipped entry of the same version, and adds new plans after the shipped ones', () => {
    const c = buildCatalog([v('C4', 1, 'shipped')], [
      { data: v('C4', 1, 'seeded'), rejected: false },
      { data: v('complaint-escalation', 1), rejected: false },
    ])
    expect(c.byId('C4')?.label).toBe('seeded')
    expect(c.current.map((e) => e.id)).toEqual(['C4', 'complaint-escalation'])
  })

  it('never makes a refused record current, but keeps it reachable and counted for the next version', () => {
    const c = buildCatalog([v('C4', 1)], [{ data: v('C4', 2, 'refused'), rejected: true }])
    expect(c.byId('C4')?.label).toBe('C4@1')
    expect(c.byIdVersion('C4', 2)?.label).toBe('refused')
    expect(nextVersion(c, 'C4')).toBe(3)
    // the winner of the same version, pulled later, replaces the refused one
    const later = buildCatalog([v('C4', 1)], [
      { data: v('C4', 2, 'refused'), rejected: true },
      { data: v('C4', 2, 'theirs'), rejected: false },
    ])
    expect(later.byId('C4')?.label).toBe('theirs')
    expect(later.byIdVersion('C4', 2)?.label).toBe('theirs')
  })

  it('gives a new id version 1', () => {
    expect(nextVersion(buildCatalog([v('C4', 1)], []), 'urgent-work-order')).toBe(1)
  })
})
