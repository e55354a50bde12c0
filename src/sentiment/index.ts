export type { SentimentAnalysis } from './types.js'
export type { SentimentOptions } from './score.js'
export { ContributionBuffers, labelOf, scoreSentiment } from './score.js'
