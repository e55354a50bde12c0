/**
 * The result contract shared by `analyze`, `analyzeBatch`, `analyzeFile` and the
 * CLI: the README's "Output rows". New fields are minor changes; renames are major.
 */
import type { Issue } from './errors.js'

export type LanguageCode = 'es' | 'it' | 'en' | 'und'

export interface LanguageResult {
  /** `es`, `it`, `en`, or `und` when the text gives no evidence of any of them. */
  code: LanguageCode
  /** 0–1. 1 when the caller supplied the language. */
  confidence: number
  /** `given` when the row (or options) named the language, else `detected`. */
  source: 'detected' | 'given'
}

export type SentimentLabel = 'negative' | 'neutral' | 'positive'

/** A substring of the input with its offsets, for evidence a moderator can see. */
export interface Span {
  /** Which input field the offsets point into: `pros` and `cons` for a review given in halves (its text is read from them). */
  field: 'text' | 'title' | 'pros' | 'cons'
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
  /** `negative`, `neutral` or `positive`. */
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
  /** The stage id (`discovery`, `purchase`, `delivery`, `usage`, `support`, `loyalty`, or a taxonomy's own). */
  stage: string
  /** 0–1: how strongly the cues found point to the stage. */
  confidence: number
  /** The exact input substrings that triggered the stage. */
  evidence: string[]
  /** Offsets of each evidence string, in the same order. */
  spans: Span[]
  /** Sentiment of the clauses that talk about this stage. */
  sentiment: StageSentiment
}

/** Every signal type, in one fixed order (the options' names for weights; the cross-review pass's codes). */
export const SIGNAL_TYPES = [
  'duplicate',
  'cross_listed',
  'burst',
  'unverified',
  'rating_mismatch',
  'incentivized',
  'spam',
  'reviewer_activity',
  'low_information',
  'generated_text',
] as const

/** Which detector fired (`duplicate`, `burst`, `spam` …; see the README's signal table). */
export type SignalType = (typeof SIGNAL_TYPES)[number]

export interface Signal {
  /** Which detector fired (`duplicate`, `burst`, `spam` …; see the README's signal table). */
  type: SignalType
  /** 0–1. */
  strength: number
  /** A sentence a moderator can read, in English for every review language (build another language's from `type` and the fields below). */
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
  /** How many: reviews in a burst, other copies of a duplicate, other listings of a cross-listing, reviews of an active author. */
  count?: number
  /** Reviews a burst's window would have held at the product's usual rate. */
  expected?: number
}

export type Verdict = 'genuine' | 'suspicious' | 'likely_fake'

export interface AuthenticityResult {
  /** 0–1, combining the signals with documented weights. */
  fakeScore: number
  /** `genuine`, `suspicious` (fakeScore from 0.4) or `likely_fake` (from 0.7; see the `authenticity.thresholds` option). */
  verdict: Verdict
  /** Every signal that fired, with its reason and evidence. */
  signals: Signal[]
}

/** Survey answers carried by the row (mapped columns), for the CX report. */
export interface SurveyFields {
  nps?: number
  ces?: number
  csat?: number
}

export interface ReviewResult {
  /** The review's id as given, else its row number as a string ("0" for a single `analyze` call). */
  id: string
  /** Always true for a result: test it to tell a result from an `ErrorRow`. */
  ok: true
  /** 1-based row number in the input (0 for a single `analyze` call). */
  row: number
  /** Which language the review is in (`es`, `it`, `en`, or `und`) and how sure that is. */
  language: LanguageResult
  /** Score in -1 … 1, label, 1–5 star estimate and confidence. */
  sentiment: SentimentResult
  /** The customer-journey stages the review talks about, each with its evidence and sentiment. */
  journey: JourneyTag[]
  /** `fakeScore`, verdict and the signals behind them, each with a reason. */
  authenticity: AuthenticityResult
  /** The input rating on 1–5 stars, or null when the row had none. */
  rating: number | null
  /** The row's date as ISO 8601, or null. */
  date: string | null
  /**
   * Present (true) when the row's date names no day: "March 2024", "2024-03",
   * "2024" (`date` is then the 1st), or a relative date in weeks, months or
   * years ("2 weeks ago", counted back from `referenceDate`). The review was
   * not necessarily posted on `date`.
   */
  dayless?: true
  /** The row's product, when it had one. */
  product?: string
  /** The row's author, when it had one. */
  author?: string
  /** The row's channel, when it had one. */
  channel?: string
  /** The row's segment, when it had one. */
  segment?: string
  /** The row's survey answers (`nps`, `ces`, `csat`), when it had any. */
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
   * claim one: join error rows back by `row`, or by `keep` fields).
   */
  id: string | null
  /** Always false for an error row: test it to tell one from a `ReviewResult`. */
  ok: false
  /** 1-based row number in the input. */
  row: number
  /** What was wrong: the field (dot path, or "row"), a code, and a message that says what was expected and what was found. */
  error: Issue
  /**
   * The `keep` fields, as a result row has them, when the row could be read
   * as an object and each of them held a value JSON can write (a key the row
   * lacks is null); absent for a line that is no JSON, a row over the size
   * limit, or without `keep`.
   */
  fields?: Record<string, unknown>
}

/** One output row: a result or an error record, discriminated on `ok`. */
export type ResultRow = ReviewResult | ErrorRow
