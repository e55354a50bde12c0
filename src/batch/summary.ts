import type { FieldResolver, ResultRow } from '../review/index.js'
import type { BatchSummary } from './types.js'

const MAX_ERROR_SAMPLES = 5

/** Accumulates the batch summary row by row. */
export class SummaryBuilder {
  private readonly summary: BatchSummary = {
    rows: 0,
    ok: 0,
    errors: 0,
    fields: {},
    languages: {},
    sentiment: { average: null, labels: { negative: 0, neutral: 0, positive: 0 } },
    verdicts: { genuine: 0, suspicious: 0, likely_fake: 0 },
    errorSamples: [],
    elapsedMs: 0,
    aborted: false,
  }
  private sentimentSum = 0
  private readonly started = performance.now()

  add(row: ResultRow): void {
    const s = this.summary
    s.rows++
    if (!row.ok) {
      s.errors++
      if (s.errorSamples.length < MAX_ERROR_SAMPLES) {
        s.errorSamples.push(`row ${row.row}${row.id === null ? '' : ` (id ${row.id})`}, field "${row.error.field}": ${row.error.message}`)
      }
      return
    }
    s.ok++
    s.languages[row.language.code] = (s.languages[row.language.code] ?? 0) + 1
    s.sentiment.labels[row.sentiment.label]++
    this.sentimentSum += row.sentiment.score
    s.verdicts[row.authenticity.verdict]++
  }

  finish(resolver: FieldResolver | undefined, aborted: boolean): BatchSummary {
    const s = this.summary
    s.sentiment.average = s.ok === 0 ? null : Math.round((this.sentimentSum / s.ok) * 1000) / 1000
    if (resolver !== undefined) s.fields = resolver.detected()
    s.elapsedMs = Math.round(performance.now() - this.started)
    s.aborted = aborted
    return s
  }
}
