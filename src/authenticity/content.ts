import type { LanguageCode, Review, SentimentResult, Signal } from '../review/index.js'
import type { Doc } from '../text/index.js'

/** Per-review signals (no batch needed). Only `unverified` until the authenticity part lands. */
export function contentSignals(_doc: Doc, review: Review, _lang: LanguageCode, _sentiment: SentimentResult): Signal[] {
  const signals: Signal[] = []
  if (review.verified === false) {
    signals.push({ type: 'unverified', strength: 1, reason: 'the platform says the purchase was not verified' })
  }
  return signals
}
