/**
 * The result contract shared by `analyze`, `analyzeBatch`, `analyzeFile` and the
 * CLI: DESIGN.md's output row. New fields are minor changes; renames are major.
 */
import type { Issue } from './errors.js'

export type LanguageCode = 'es' | 'it' | 'en' | 'und'

export interface LanguageResult {
  code: LanguageCode
  /** 0–1. 1 when the caller supplied the language. */
  confidence: number
  /** `given` when the row (or options) named the language, else `detected`. */
  source: 'detected' | 'given'
}

export type SentimentLabel = 'negative' | 'neutral' | 'positive'

/** A substring of the input with its offsets, for evidence a moderator can see. */
export interface Span {
  /** Which input field the offsets point into. */
  field: 'text' | 'title'
  start: number
  end: number
}

/** A word or phrase that moved the sentiment score (with the `explain` option). */
export interface SentimentEvidence extends Span {
  text: string
  /** Contribution to the raw score after negation, intensity and contrast. */
  weight: number
}

export interface SentimentResult {
  /** -1 (very negative) … 1 (very positive). */
  score: number
  label: SentimentLabel
  /** Calibrated 1–5 star estimate. */
  stars: number
  /** 0–1: how much evidence the score rests on. */
  confidence: number
  /** Present with `explain: true`. */
  explain?: SentimentEvidence[]
}

export interface StageSentiment {
  score: number
  label: SentimentLabel
}

export interface JourneyTag {
  stage: string
  confidence: number
  /** The exact input substrings that triggered the stage. */
  evidence: string[]
  /** Offsets of each evidence string, in the same order. */
  spans: Span[]
  /** Sentiment of the clauses that talk about this stage. */
  sentiment: StageSentiment
}

export type SignalType =
  | 'duplicate'
  | 'cross_listed'
  | 'burst'
  | 'unverified'
  | 'rating_mismatch'
  | 'incentivized'
  | 'spam'
  | 'reviewer_activity'
  | 'low_information'
  | 'generated_text'

export interface Signal {
  type: SignalType
  /** 0–1. */
  strength: number
  /** A sentence a moderator can read. */
  reason: string
  /** Ids of the other reviews involved (copies, burst members). */
  related?: string[]
  /** Time window of a burst or an author's activity (ISO dates). */
  window?: { start: string; end: string }
  /** The phrase that triggered a content signal. */
  phrase?: string
  /** Near-duplicate cluster id. */
  cluster?: string
  /** Estimated similarity to the closest related review. */
  similarity?: number
  count?: number
  expected?: number
}

export type Verdict = 'genuine' | 'suspicious' | 'likely_fake'

export interface AuthenticityResult {
  /** 0–1, combining the signals with documented weights. */
  fakeScore: number
  verdict: Verdict
  signals: Signal[]
}

/** Survey answers carried by the row (mapped columns), for the CX report. */
export interface SurveyFields {
  nps?: number
  ces?: number
  csat?: number
}

export interface ReviewResult {
  id: string
  ok: true
  /** 1-based row number in the input (0 for a single `analyze` call). */
  row: number
  language: LanguageResult
  sentiment: SentimentResult
  journey: JourneyTag[]
  authenticity: AuthenticityResult
  /** The input rating on 1–5 stars, or null when the row had none. */
  rating: number | null
  /** The row's date as ISO 8601, or null. */
  date: string | null
  product?: string
  author?: string
  channel?: string
  segment?: string
  survey?: SurveyFields
  /** What the normalizer repaired, or why the text was capped. */
  warnings?: string[]
  /** Input fields named with `keep`, echoed so results can be joined back. */
  fields?: Record<string, unknown>
}

export interface ErrorRow {
  /**
   * The row's id as given; null when it had none or it could not be read (a
   * result row without an id gets its row number, an error row does not
   * claim one: join error rows back by `row`).
   */
  id: string | null
  ok: false
  /** 1-based row number in the input. */
  row: number
  error: Issue
}

/** One output row: a result or an error record, discriminated on `ok`. */
export type ResultRow = ReviewResult | ErrorRow
