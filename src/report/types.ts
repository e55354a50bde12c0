/**
 * The analyst report: what `buildReport` computes from result rows and
 * `renderReportHtml` draws. Its JSON (`--json`) is this object.
 */
import type { CesDirection, CesResult, CsatResult, GroupMetrics, MetricScale, NpsResult } from '../metrics/index.js'
import type { LanguageCode, Signal, SignalType, Verdict } from '../review/index.js'

export type { CesResult, CsatResult, GroupMetrics, NpsResult }

/** A phrase and how many stage mentions carried it. */
export interface PhraseCount {
  text: string
  count: number
}

/** One journey stage over the whole batch. */
export interface StageReport {
  stage: string
  /** Reviews tagged with the stage. */
  mentions: number
  /** mentions / reviews analyzed. */
  share: number
  /** Mean of the stage's sentiment score over its mentions; null when none. */
  averageSentiment: number | null
  labels: { negative: number; neutral: number; positive: number }
  /** The most frequent cue phrases of positive mentions (what is praised). */
  praise: PhraseCount[]
  /** The most frequent cue phrases of negative mentions (what is complained about). */
  complaints: PhraseCount[]
  /** Sentiment words next to the stage's cues in positive mentions (rows analyzed with `explain`). */
  praiseWords: PhraseCount[]
  /** Sentiment words next to the stage's cues in negative mentions (rows analyzed with `explain`). */
  complaintWords: PhraseCount[]
}

/** A stage's figures inside one group (a product, a channel value…). */
export interface StageCell {
  stage: string
  mentions: number
  averageSentiment: number | null
  positive: number
  negative: number
}

/** A daily count series on the report's common date axis. */
export interface Timeline {
  /** First day of the series (YYYY-MM-DD, UTC). */
  start: string
  /** Reviews per day from `start`. */
  counts: number[]
  /** Reviews per day that were flagged (verdict other than genuine). */
  flagged: number[]
  /** The product's reviews whose date names no day ("March 2024"): not in `counts`, as they would all fall on the 1st. */
  dayless: number
}

/** A burst window found by the cross-review pass. */
export interface BurstReport {
  product: string
  start: string
  end: string
  /** Reviews in the burst (rows carrying the signal, and the ids they name). */
  reviews: number
  ids: string[]
  /** One of the signals' reasons, as the detector wrote it. */
  reason: string
}

/** One review in a duplicate cluster. */
export interface ClusterMember {
  id: string
  product?: string
  author?: string
  date?: string | null
  /** Present (true) when the row's date names no day ("March 2024", "2024"): `date` is then the 1st, as in the result row. */
  dayless?: true
  rating?: number | null
  verdict?: Verdict
  /** The review text (from the input dump, or a kept `text` field), cut to a readable length. */
  text?: string
}

/** Reviews sharing one text (near-duplicates or cross-listings). */
export interface ClusterReport {
  id: string
  kind: 'duplicate' | 'cross_listed'
  members: ClusterMember[]
  /** Products the members are posted on. */
  products: string[]
  /** Distinct authors among the members. */
  authors: number
  /** Highest similarity any member's signal reports. */
  similarity: number | null
  /** One of the signals' reasons. */
  reason: string
}

/** A review whose verdict is not genuine, with its reasons. */
export interface FlaggedReview {
  id: string
  row: number
  product?: string
  author?: string
  date: string | null
  /** Present (true) when the row's date names no day ("March 2024", "2024"): `date` is then the 1st, as in the result row. */
  dayless?: true
  rating: number | null
  fakeScore: number
  verdict: Verdict
  signals: Signal[]
  text?: string
}

export interface ProductReport {
  product: string
  metrics: GroupMetrics
  verdicts: Record<Verdict, number>
  /** Average rating without likely_fake reviews. */
  adjustedRating: number | null
  /** Share of the product's reviews left out of the adjusted rating, to 3 decimals (as the batch summary gives it). */
  removedShare: number
  /** Duplicate (copy) clusters with a review of this product; cross-listings are not counted. */
  clusters: number
  bursts: number
  /** Where the adjusted figures come from: the batch summary, or recomputed from rows. */
  adjustedFrom: 'summary' | 'rows'
  stages: StageCell[]
  /** Present for the products drawn as timelines. */
  timeline?: Timeline
  burstWindows: { start: string; end: string; reviews: number }[]
}

/** One value of a breakdown dimension. */
export interface GroupReport {
  value: string
  metrics: GroupMetrics
  stages: StageCell[]
}

/** Where a stage goes best and worst across the values of one dimension. */
export interface StageGap {
  stage: string
  best: { value: string; mentions: number; averageSentiment: number }
  worst: { value: string; mentions: number; averageSentiment: number }
  /** best − worst average stage sentiment. */
  difference: number
}

export interface Breakdown {
  /** `channel`, `segment`, or `fields.<name>` for a kept field. */
  dimension: string
  label: string
  groups: GroupReport[]
  /** Stages whose sentiment differs most between values (each side with enough mentions). */
  gaps: StageGap[]
  /** Rows with a value for the dimension. */
  covered: number
}

export interface SignalCount {
  type: SignalType
  /** Reviews on which the signal fired. */
  reviews: number
  /** reviews / reviews analyzed. */
  share: number
  /** Of those, how many ended up flagged. */
  flagged: number
}

export interface AuthenticityReport {
  verdicts: Record<Verdict, number>
  signals: SignalCount[]
  /** Flagged reviews listed, most suspect first (likely fake, then by fakeScore, then input order), at most `maxFlagged`. */
  flagged: FlaggedReview[]
  flaggedTotal: number
  clusters: ClusterReport[]
  /** Every group found: groups of copies and cross-listings. */
  clustersTotal: number
  /** How many of `clustersTotal` are cross-listings (one review under product variants), not copies. */
  crossListingsTotal: number
  bursts: BurstReport[]
  /** Where cluster and flagged texts come from. */
  texts: 'input' | 'kept_field' | 'none'
}

/** The scales and cut-offs the figures were computed with (shown in the method notes). */
export interface ReportMethod {
  cesScale: MetricScale
  cesDirection: CesDirection
  csatScale: MetricScale
  minGapMentions: number
}

/** The whole analyst report. */
export interface Report {
  version: 1
  title: string
  source: { kind: 'results' | 'input' | 'rows'; file?: string }
  method: ReportMethod
  totals: { rows: number; ok: number; errors: number }
  /**
   * The first and last day reviewed, and how many reviews have a date that
   * names a day (`dated`) or no day, only a month or a year or "2 weeks ago" (`dayless`: not in
   * `first`, `last` or the timelines).
   */
  dates: { first: string | null; last: string | null; dated: number; dayless: number }
  overall: GroupMetrics
  languages: { code: LanguageCode; reviews: number }[]
  errors: {
    byField: { field: string; code: string; rows: number }[]
    samples: { row: number; id: string | null; field: string; message: string }[]
  }
  stages: StageReport[]
  products: ProductReport[]
  productsTotal: number
  breakdowns: Breakdown[]
  authenticity: AuthenticityReport
  /** Things the reader should know (a group-by field never seen, capped lists). */
  notes: string[]
}
