/**
 * Per-stage counts and sentiment for a batch summary: add each review's tags,
 * merge shards, read the totals as JSON. Scores are summed in thousandths
 * (the precision they are rounded to), so the sums are exact and the totals
 * are the same however the reviews are split into shards; the batch summary
 * counts the same way.
 */
import { type JourneyTag, RecensioError, describeValue } from '../review/index.js'

/** One stage's totals over a batch. */
export interface JourneyStageSummary {
  /** Reviews tagged with the stage. */
  count: number
  /** Mean of the stage's sentiment score over those reviews (rounded to 3 decimals, halves up), or null when count is 0. */
  averageSentiment: number | null
  /** Reviews whose stage sentiment was positive. */
  positive: number
  /** Reviews whose stage sentiment was negative. */
  negative: number
}

/** One stage's totals: tags, their sentiment summed in thousandths, positive tags, negative tags. */
export interface StageTotals {
  count: number
  /** Sum of the scores, in thousandths. */
  sum: number
  positive: number
  negative: number
}

/** Per-stage totals as plain data (a structured clone keeps them), in the order stages were first seen. */
export type JourneyTotals = Map<string, StageTotals>

/** A score as a whole number of thousandths (scores are rounded to three decimals). */
export function thousandths(score: number): number {
  return Math.round(score * 1000)
}

/** The mean of `count` scores summed in thousandths, rounded to three decimals (halves up); null for none. */
export function meanOfThousandths(sum: number, count: number): number | null {
  return count === 0 ? null : Math.round(sum / count) / 1000
}

/** Totals of no tags, listing `stages` with count 0. */
export function journeyTotals(stages: readonly string[] = []): JourneyTotals {
  const totals: JourneyTotals = new Map()
  for (const stage of stages) totalsOf(totals, stage)
  return totals
}

function totalsOf(totals: JourneyTotals, stage: string): StageTotals {
  let t = totals.get(stage)
  if (t === undefined) totals.set(stage, (t = { count: 0, sum: 0, positive: 0, negative: 0 }))
  return t
}

/** Add one review's tags to `totals`. */
export function addJourneyTags(totals: JourneyTotals, tags: readonly JourneyTag[]): void {
  for (const tag of tags) {
    const t = totalsOf(totals, tag.stage)
    t.count++
    t.sum += thousandths(tag.sentiment.score)
    if (tag.sentiment.label === 'positive') t.positive++
    else if (tag.sentiment.label === 'negative') t.negative++
  }
}

/** Add `from` to `into` (`from` is not changed). */
export function mergeJourneyTotals(into: JourneyTotals, from: JourneyTotals): void {
  for (const [stage, o] of from) {
    const t = totalsOf(into, stage)
    t.count += o.count
    t.sum += o.sum
    t.positive += o.positive
    t.negative += o.negative
  }
}

/** The totals per stage as the summary reports them. */
export function journeySummary(totals: JourneyTotals): Record<string, JourneyStageSummary> {
  const out: Record<string, JourneyStageSummary> = {}
  for (const [stage, t] of totals) {
    out[stage] = { count: t.count, averageSentiment: meanOfThousandths(t.sum, t.count), positive: t.positive, negative: t.negative }
  }
  return out
}

/** Accumulates journey tags into per-stage counts and average sentiment; mergeable across shards. */
export class JourneyAggregate {
  private readonly totals: JourneyTotals

  /**
   * Create an aggregate, optionally listing stages to report even when no review has them.
   *
   * @param stages Stage ids reported with count 0 until seen (e.g. `['discovery', 'purchase', 'delivery', 'usage', 'support', 'loyalty']`).
   */
  constructor(stages: readonly string[] = []) {
    this.totals = journeyTotals(stages)
  }

  /**
   * Add one review's tags.
   *
   * @param tags The review's `journey` tags.
   */
  add(tags: readonly JourneyTag[]): void {
    // A whole result row (`add(row)` for `add(row.journey)`) would fail deep inside with "tags is not iterable".
    if (!Array.isArray(tags)) {
      throw new RecensioError('invalid_value', `JourneyAggregate.add: expected a review's journey tags (result.journey), got ${describeValue(tags)}`)
    }
    addJourneyTags(this.totals, tags)
  }

  /**
   * Add another aggregate's totals (from another worker or shard).
   *
   * @param other The aggregate to fold in; it is not changed.
   */
  merge(other: JourneyAggregate): void {
    mergeJourneyTotals(this.totals, other.totals)
  }

  /**
   * The totals per stage, in the order stages were first seen.
   *
   * @returns `{ [stage]: { count, averageSentiment, positive, negative } }`.
   */
  toJSON(): Record<string, JourneyStageSummary> {
    return journeySummary(this.totals)
  }
}
// The CommonJS build assigns the class to exports.JourneyAggregate, which gives it no name of its own ("").
Object.defineProperty(JourneyAggregate, 'name', { value: 'JourneyAggregate' })
