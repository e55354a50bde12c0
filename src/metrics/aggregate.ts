/**
 * Streaming aggregates of the CX metrics: one tally per group (the whole
 * batch, a product, a channel…), fed row by row in O(1) memory per group, and
 * mergeable so shards can be summed.
 */
import { cesBand, cesFromTotals } from './ces.js'
import { SATISFIED_STARS, csatFromCounts, csatThreshold, STAR_METRIC_SCALE } from './csat.js'
import { npsCategory, npsFromCounts, starCategory } from './nps.js'
import { roundTo } from './stats.js'
import type { CesDirection, CesResult, CsatResult, MetricScale, NpsCounts, NpsResult } from './types.js'

/** The scales a tally reads survey answers on. */
export interface SurveyScales {
  ces: MetricScale
  csat: MetricScale
  cesDirection: CesDirection
}

/** The figures of one group. */
export interface GroupMetrics {
  /** Reviews (result rows) in the group. */
  reviews: number
  /** Reviews with a rating. */
  rated: number
  /** Mean rating on 1–5 stars; null when none is rated. */
  averageRating: number | null
  /** Count of ratings per whole star, index 0 = 1★ … 4 = 5★ (ratings rounded). */
  ratingHistogram: number[]
  /** Share of ratings of 4–5★. */
  csatStars: CsatResult
  /** Star-based NPS-style index (5★ promoters, 4★ passives, 1–3★ detractors); not a survey. */
  starIndex: NpsResult
  /** Mean sentiment score in −1 … 1; null when the group is empty. */
  averageSentiment: number | null
  sentimentLabels: { negative: number; neutral: number; positive: number }
  /** Survey NPS (0–10 answers); absent when no row has one. */
  nps?: NpsResult & { histogram: number[] }
  /** Survey CSAT; absent when no row has one. */
  csat?: CsatResult
  /** Survey CES; absent when no row has one. */
  ces?: CesResult & { histogram: Record<string, number> }
}

function emptyCounts(): NpsCounts {
  return { promoters: 0, passives: 0, detractors: 0 }
}

function bump(counts: NpsCounts, c: 'promoter' | 'passive' | 'detractor'): void {
  if (c === 'promoter') counts.promoters++
  else if (c === 'passive') counts.passives++
  else counts.detractors++
}

/** Accumulates ratings, sentiment and survey answers for one group. */
export class MetricTally {
  reviews = 0
  rated = 0
  ratingSum = 0
  satisfiedStars = 0
  readonly ratingHistogram = [0, 0, 0, 0, 0]
  readonly stars = emptyCounts()
  sentimentSum = 0
  readonly labels = { negative: 0, neutral: 0, positive: 0 }
  readonly nps = emptyCounts()
  /** Answers per whole point 0–10. */
  readonly npsHistogram = new Array<number>(11).fill(0)
  csatN = 0
  csatSatisfied = 0
  readonly ces = { n: 0, sum: 0, easy: 0, difficult: 0 }
  readonly cesHistogram = new Map<number, number>()

  constructor(private readonly scales: SurveyScales) {}

  /**
   * Add one review's figures.
   *
   * @param rating Stars on 1–5, or null.
   * @param sentiment Score in −1 … 1 and its label.
   * @param survey Survey answers carried by the row, if any.
   */
  add(
    rating: number | null,
    sentiment: { score: number; label: 'negative' | 'neutral' | 'positive' },
    survey?: { nps?: number; ces?: number; csat?: number },
  ): void {
    this.reviews++
    this.sentimentSum += sentiment.score
    this.labels[sentiment.label]++
    if (rating !== null && Number.isFinite(rating)) {
      this.rated++
      this.ratingSum += rating
      if (rating >= SATISFIED_STARS) this.satisfiedStars++
      const whole = Math.min(5, Math.max(1, Math.round(rating)))
      this.ratingHistogram[whole - 1]!++
      bump(this.stars, starCategory(rating))
    }
    if (survey === undefined) return
    if (survey.nps !== undefined) {
      bump(this.nps, npsCategory(survey.nps))
      this.npsHistogram[Math.min(10, Math.max(0, Math.round(survey.nps)))]!++
    }
    if (survey.csat !== undefined) {
      this.csatN++
      if (survey.csat >= csatThreshold(this.scales.csat)) this.csatSatisfied++
    }
    if (survey.ces !== undefined) {
      const c = this.ces
      c.n++
      c.sum += survey.ces
      const band = cesBand(survey.ces, this.scales.ces, this.scales.cesDirection)
      if (band === 'easy') c.easy++
      else if (band === 'difficult') c.difficult++
      this.cesHistogram.set(survey.ces, (this.cesHistogram.get(survey.ces) ?? 0) + 1)
    }
  }

  /**
   * Fold another tally (same scales) into this one.
   *
   * @param other A tally of another shard of the same group.
   */
  merge(other: MetricTally): void {
    this.reviews += other.reviews
    this.rated += other.rated
    this.ratingSum += other.ratingSum
    this.satisfiedStars += other.satisfiedStars
    for (let i = 0; i < 5; i++) this.ratingHistogram[i]! += other.ratingHistogram[i]!
    for (const k of ['promoters', 'passives', 'detractors'] as const) {
      this.stars[k] += other.stars[k]
      this.nps[k] += other.nps[k]
    }
    this.sentimentSum += other.sentimentSum
    for (const k of ['negative', 'neutral', 'positive'] as const) this.labels[k] += other.labels[k]
    for (let i = 0; i <= 10; i++) this.npsHistogram[i]! += other.npsHistogram[i]!
    this.csatN += other.csatN
    this.csatSatisfied += other.csatSatisfied
    this.ces.n += other.ces.n
    this.ces.sum += other.ces.sum
    this.ces.easy += other.ces.easy
    this.ces.difficult += other.ces.difficult
    for (const [k, v] of other.cesHistogram) this.cesHistogram.set(k, (this.cesHistogram.get(k) ?? 0) + v)
  }

  /**
   * The group's figures.
   *
   * @returns Ratings, CSAT from stars, the star-based index, sentiment, and survey metrics when present.
   */
  finish(): GroupMetrics {
    const out: GroupMetrics = {
      reviews: this.reviews,
      rated: this.rated,
      averageRating: this.rated === 0 ? null : roundTo(this.ratingSum / this.rated, 2),
      ratingHistogram: [...this.ratingHistogram],
      csatStars: csatFromCounts(this.satisfiedStars, this.rated, STAR_METRIC_SCALE),
      starIndex: npsFromCounts(this.stars),
      averageSentiment: this.reviews === 0 ? null : roundTo(this.sentimentSum / this.reviews, 3),
      sentimentLabels: { ...this.labels },
    }
    const npsN = this.nps.promoters + this.nps.passives + this.nps.detractors
    if (npsN > 0) out.nps = { ...npsFromCounts(this.nps), histogram: [...this.npsHistogram] }
    if (this.csatN > 0) out.csat = csatFromCounts(this.csatSatisfied, this.csatN, this.scales.csat)
    if (this.ces.n > 0) {
      const histogram: Record<string, number> = {}
      for (const k of [...this.cesHistogram.keys()].sort((a, b) => a - b)) histogram[String(k)] = this.cesHistogram.get(k)!
      out.ces = { ...cesFromTotals(this.ces, this.scales.ces, this.scales.cesDirection), histogram }
    }
    return out
  }
}
