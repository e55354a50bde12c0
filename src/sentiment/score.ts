import type { LanguageCode } from '../review/index.js'
import type { Doc } from '../text/index.js'
import type { SentimentAnalysis } from './types.js'

export interface SentimentOptions {
  explain: boolean
}

/** Score a review's sentiment from its tokens. (Placeholder until the sentiment part lands.) */
export function scoreSentiment(doc: Doc, _lang: LanguageCode, _options: SentimentOptions): SentimentAnalysis {
  return {
    result: { score: 0, label: 'neutral', stars: 3, confidence: 0 },
    body: new Float32Array(doc.body.tokens.length),
    title: doc.title === null ? null : new Float32Array(doc.title.tokens.length),
  }
}

/** Map a score in [-1, 1] to a label. */
export function labelOf(score: number): 'negative' | 'neutral' | 'positive' {
  return score > 0.05 ? 'positive' : score < -0.05 ? 'negative' : 'neutral'
}
