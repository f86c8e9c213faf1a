/**
 * One schema step. Versions are numbered from 1 without gaps; a released migration is never edited,
 * a change is a new one. Each dialect has its own list with the same versions and meaning.
 */
export interface Migration {
  version: number
  name: string
  sql: string
}

/** Throws if the list is not 1, 2, 3… in order: a mistake here would skip or repeat a step. */
export function checkMigrations(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`)
  })
}
