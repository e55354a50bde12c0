/**
 * Dev rows → per-review results and records, through the real per-review
 * stage (`analyzeValid`), so the benchmark sees what a batch sees.
 */
import { analyzeValid, contextFor } from '../../src/analyze.js'
import type { ReviewRecord } from '../../src/authenticity/index.js'
import { type Options, type ReviewResult, resolveOptions } from '../../src/review/index.js'

/** A canonical input row (what `analyzeBatch` reads). */
export interface InputRow {
  id: string
  text: string
  title?: string
  rating?: number
  date?: string | number
  author?: string
  product?: string
  verified?: boolean
  lang?: string
}

/** Run the per-review stage on rows; index = position in `rows`. */
export function analyzeRows(rows: InputRow[], options?: Options): { results: ReviewResult[]; records: ReviewRecord[] } {
  const ctx = contextFor(resolveOptions(options))
  const results: ReviewResult[] = []
  const records: ReviewRecord[] = []
  rows.forEach((raw, index) => {
    const valid = ctx.validator.validate(raw, index + 1)
    if (!valid.ok) throw new Error(`row ${index + 1}: ${valid.error.message}`)
    const { result, record } = analyzeValid(valid, ctx, index)
    results.push(result)
    records.push(record)
  })
  return { results, records }
}
