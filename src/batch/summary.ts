/**
 * The batch summary, built row by row in input order (so its sums, and the
 * averages rounded from them, are the same for any worker count).
 */
import type { AuthenticitySummary } from '../authenticity/index.js'
import { JourneyAggregate } from '../journey/index.js'
import type { ErrorRow, FieldResolver, JourneyTag, Verdict } from '../review/index.js'
import type { RowFacts } from './spill-line.js'
import type { BatchSummary } from './types.js'

const MAX_ERROR_SAMPLES = 5

/** Accumulates the batch summary row by row. */
export class SummaryBuilder {
  private readonly summary: BatchSummary
  private sentimentSum = 0
  private readonly journey: JourneyAggregate

  /**
   * @param stages The taxonomy's stage ids, reported even when no review has them.
   * @param input How the input was read.
   * @param started When the batch started (`performance.now()`), for `elapsedMs`.
   */
  constructor(
    stages: readonly string[],
    input: BatchSummary['input'],
    private readonly started: number,
  ) {
    this.journey = new JourneyAggregate(stages)
    this.summary = {
      rows: 0,
      ok: 0,
      errors: 0,
      input,
      fields: {},
      languages: {},
      sentiment: { average: null, labels: { negative: 0, neutral: 0, positive: 0 } },
      verdicts: { genuine: 0, suspicious: 0, likely_fake: 0 },
      journey: {},
      authenticity: { products: [], duplicateClusters: 0, bursts: 0 },
      errorCodes: {},
      errorSamples: [],
      workers: 0,
      elapsedMs: 0,
      phases: { analyzeMs: 0, crossReviewMs: 0, writeMs: 0 },
      aborted: false,
    }
  }

  /** Count an error row. */
  addError(row: ErrorRow): void {
    const s = this.summary
    s.rows++
    s.errors++
    s.errorCodes[row.error.code] = (s.errorCodes[row.error.code] ?? 0) + 1
    if (s.errorSamples.length < MAX_ERROR_SAMPLES) {
      s.errorSamples.push(`row ${row.row}${row.id === null ? '' : ` (id ${row.id})`}, field "${row.error.field}": ${row.error.message}`)
    }
  }

  /** Count an ok row from its facts and its final verdict. */
  addOk(facts: RowFacts, verdict: Verdict): void {
    const s = this.summary
    s.rows++
    s.ok++
    s.languages[facts.language] = (s.languages[facts.language] ?? 0) + 1
    s.sentiment.labels[facts.label]++
    this.sentimentSum += facts.score
    s.verdicts[verdict]++
    if (facts.journey.length > 0) this.journey.add(facts.journey as JourneyTag[])
  }

  /**
   * Close the summary.
   *
   * @param analyzeMs Time spent in pass 1 (reading and the per-review stage).
   * @param crossReviewMs Time spent in the cross-review pass.
   */
  finish(fields: FieldResolver, authenticity: AuthenticitySummary, workers: number, aborted: boolean, analyzeMs: number, crossReviewMs: number): BatchSummary {
    const s = this.summary
    s.sentiment.average = s.ok === 0 ? null : Math.round((this.sentimentSum / s.ok) * 1000) / 1000
    s.fields = fields.detected()
    s.journey = this.journey.toJSON()
    s.authenticity = authenticity
    s.workers = workers
    s.elapsedMs = Math.round(performance.now() - this.started)
    // Rounded at the marks, so the parts add up to the whole.
    const a = Math.round(analyzeMs)
    const c = Math.round(analyzeMs + crossReviewMs)
    s.phases = { analyzeMs: a, crossReviewMs: c - a, writeMs: Math.max(0, s.elapsedMs - c) }
    s.aborted = aborted
    return s
  }
}
