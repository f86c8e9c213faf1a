// The result format every benchmark of `npm run bench` shares (tests/bench/run.ts prints the rows
// as a markdown table and writes them to bench-results.json).

export interface Row {
  benchmark: string
  measured: string
  baseline: string
  /** measured / baseline in the direction the goal is stated in. */
  ratio: string
  goal: string
  met: 'yes' | 'NO' | 'not measured'
  raw: Record<string, number | string>
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[Math.min(sorted.length, rank) - 1]!
}

export interface Summary {
  n: number
  p50: number
  p95: number
  min: number
  max: number
}

export function summarize(samples: number[]): Summary {
  return { n: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95), min: Math.min(...samples), max: Math.max(...samples) }
}
