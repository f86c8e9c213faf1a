import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'

/**
 * What a reliability suite tried and what it found, as counts. Printed at the end of the suite
 * and written to test-results/reliability/<suite>.json (gitignored) so that a run can be read back.
 */
export class SuiteReport {
  readonly tried: Record<string, number> = {}
  readonly found: Record<string, number> = {}
  readonly notes: string[] = []

  constructor(readonly suite: string) {}

  try(what: string, n = 1): void {
    this.tried[what] = (this.tried[what] ?? 0) + n
  }

  find(what: string, n = 1): void {
    this.found[what] = (this.found[what] ?? 0) + n
  }

  note(text: string): void {
    this.notes.push(text)
  }

  print(): void {
    const line = (o: Record<string, number>) =>
      Object.entries(o)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ') || '—'
    console.info(
      `[reliability] ${this.suite}\n  tried: ${line(this.tried)}\n  found: ${line(this.found)}` +
        this.notes.map((n) => `\n  note: ${n}`).join(''),
    )
    const dir = resolve(import.meta.dirname, '../../test-results/reliability')
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      resolve(dir, `${this.suite}.json`),
      `${JSON.stringify({ suite: this.suite, tried: this.tried, found: this.found, notes: this.notes }, null, 2)}\n`,
    )
  }
}
