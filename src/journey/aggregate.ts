/**
 * Per-stage counts and sentiment for a batch summary: add each review's tags,
 * merge shards, read the totals as JSON. Scores are summed in thousandths
 * (the precision they are rounded to), so the sums are exact and the totals
 * are the same however the reviews are split into shards; the batch summary
 * counts the same way.
 */
import type { JourneyTag } from '../review/index.js'

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

interface Totals {
  count: number
  /** Sum of the scores, in thousandths. */
  sum: number
  positive: number
  negative: number
}

/** Accumulates journey tags into per-stage counts and average sentiment; mergeable across shards. */
export class JourneyAggregate {
  private readonly totals = new Map<string, Totals>()

  /**
   * Create an aggregate, optionally listing stages to report even when no review has them.
   *
   * @param stages Stage ids reported with count 0 until seen (e.g. `compileTaxonomy().stages`).
   */
  constructor(stages: readonly string[] = []) {
    for (const s of stages) this.totalsOf(s)
  }

  private totalsOf(stage: string): Totals {
    let t = this.totals.get(stage)
    if (t === undefined) this.totals.set(stage, (t = { count: 0, sum: 0, positive: 0, negative: 0 }))
    return t
  }

  /**
   * Add one review's tags.
   *
   * @param tags The review's `journey` tags.
   */
  add(tags: readonly JourneyTag[]): void {
    for (const tag of tags) {
      const t = this.totalsOf(tag.stage)
      t.count++
      t.sum += Math.round(tag.sentiment.score * 1000)
      if (tag.sentiment.label === 'positive') t.positive++
      else if (tag.sentiment.label === 'negative') t.negative++
    }
  }

  /**
   * Add another aggregate's totals (from another worker or shard).
   *
   * @param other The aggregate to fold in; it is not changed.
   */
  merge(other: JourneyAggregate): void {
    for (const [stage, o] of other.totals) {
      const t = this.totalsOf(stage)
      t.count += o.count
      t.sum += o.sum
      t.positive += o.positive
      t.negative += o.negative
    }
  }

  /**
   * The totals per stage, in the order stages were first seen.
   *
   * @returns `{ [stage]: { count, averageSentiment, positive, negative } }`.
   */
  toJSON(): Record<string, JourneyStageSummary> {
    const out: Record<string, JourneyStageSummary> = {}
    for (const [stage, t] of this.totals) {
      out[stage] = {
        count: t.count,
        averageSentiment: t.count === 0 ? null : Math.round(t.sum / t.count) / 1000,
        positive: t.positive,
        negative: t.negative,
      }
    }
    return out
  }
}
