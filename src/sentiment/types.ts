import type { SentimentResult } from '../review/index.js'

/**
 * The sentiment of one review plus what other parts reuse: each token's
 * contribution to the raw score (0 for tokens that carry none), so the journey
 * part can score the clauses of a stage without re-reading the text.
 */
export interface SentimentAnalysis {
  result: SentimentResult
  /** Contribution of each body token, indexed like `doc.body.tokens`. */
  body: Float32Array
  /** Contribution of each title token, or null without a title. */
  title: Float32Array | null
}
