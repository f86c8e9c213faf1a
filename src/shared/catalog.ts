/**
 * The plans (or contacts) a tablet holds, from two sources: the ones shipped with the app (there
 * before the first pull, so a tablet works offline from its first load) and the records pulled from
 * the server or saved on this tablet. Pure, so the rules are tested without a database:
 * - every (id, version) stays reachable: a running incident keeps the version it started with;
 * - the current entry of an id is its highest version, a record winning over a shipped entry of the
 *   same version (the server's copy is the one every tablet shares);
 * - a record the server refused is never current (it stays reachable by version, and is shown with
 *   its reason elsewhere), and a record of the same (id, version) that was not refused wins over it.
 */

export interface Versioned {
  id: string
  version: number
}

export interface CatalogRecord<T extends Versioned> {
  data: T
  rejected: boolean
}

export interface Catalog<T extends Versioned> {
  /** The highest non-refused version per id, in the shipped order, then new ids in id order. */
  current: T[]
  byId(id: string): T | undefined
  byIdVersion(id: string, version: number): T | undefined
  /** Every version of an id, highest first. */
  versions(id: string): number[]
}

interface Entry<T> {
  value: T
  /** 0 shipped, 1 a refused record, 2 a record: the higher wins at equal (id, version). */
  rank: number
}

export function buildCatalog<T extends Versioned>(shipped: readonly T[], records: readonly CatalogRecord<T>[]): Catalog<T> {
  const all = new Map<string, Map<number, Entry<T>>>()
  const put = (value: T, rank: number) => {
    let versions = all.get(value.id)
    if (!versions) all.set(value.id, (versions = new Map()))
    const held = versions.get(value.version)
    if (!held || rank > held.rank) versions.set(value.version, { value, rank })
  }
  for (const s of shipped) put(s, 0)
  for (const r of records) put(r.data, r.rejected ? 1 : 2)

  const currentById = new Map<string, T>()
  for (const [id, versions] of all) {
    const usable = [...versions.entries()].filter(([, e]) => e.rank !== 1).sort(([a], [b]) => b - a)
    const top = usable[0]
    if (top) currentById.set(id, top[1].value)
  }
  const order = new Map(shipped.map((s, i) => [s.id, i]))
  const current = [...currentById.values()].sort((a, b) => {
    const oa = order.get(a.id) ?? Number.MAX_SAFE_INTEGER
    const ob = order.get(b.id) ?? Number.MAX_SAFE_INTEGER
    return oa - ob || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  })

  return {
    current,
    byId: (id) => currentById.get(id),
    byIdVersion: (id, version) => all.get(id)?.get(version)?.value,
    versions: (id) => [...(all.get(id)?.keys() ?? [])].sort((a, b) => b - a),
  }
}

/** The version an edit of `id` gets: one above every version this tablet knows, refused ones included. */
export function nextVersion(catalog: Catalog<Versioned>, id: string): number {
  return (catalog.versions(id)[0] ?? 0) + 1
}
