/**
 * The combined score: signals → fakeScore in [0, 1] → verdict. Weights and
 * thresholds are documented here and overridable with
 * `options.authenticity.weights` / `.thresholds`.
 */
import type { AuthenticityResult, ResolvedOptions, Signal, SignalType, Verdict } from '../review/index.js'
import { FITTED_WEIGHTS } from './generated/weights.js'

/**
 * Default weight of each signal in fakeScore. Fitted by
 * scripts/fit-authenticity-weights.ts (see src/authenticity/generated/weights.ts
 * for the rows used); `cross_listed` is fixed at 0: a review listed under every
 * variant of a product is not a sign of fraud.
 */
export const DEFAULT_WEIGHTS: Record<SignalType, number> = { ...FITTED_WEIGHTS, cross_listed: 0 }

/** Weight of a signal type under the options. */
export function weightOf(type: SignalType, options: ResolvedOptions): number {
  return options.weights[type] ?? DEFAULT_WEIGHTS[type]
}

/**
 * Folds signals into fakeScore: a noisy-OR of weighted strengths,
 * fakeScore = 1 − Π (1 − x / (1 + x)) with x = strength · weight, so one weak
 * signal never decides alone and agreeing signals add up. Feed strengths in
 * signal order with `add`, then read `score`.
 */
export class ScoreAccumulator {
  private keep = 1
  add(weight: number, strength: number): void {
    const x = strength * weight
    this.keep *= 1 - x / (1 + x)
  }
  score(): number {
    return Math.round((1 - this.keep) * 1000) / 1000
  }
}

/**
 * The verdict of a fakeScore under the options' thresholds: `likely_fake` from
 * 0.7, `suspicious` from 0.4 (SUSPICIOUS_THRESHOLD and LIKELY_FAKE_THRESHOLD in
 * src/review/options.ts; `authenticity.thresholds` overrides them). With the
 * default weights a full-strength disclosure, spam or cross-author copy alone
 * is likely_fake, a strong burst or mismatch alone is suspicious, and
 * unverified, low_information or generated_text alone stay genuine.
 */
export function verdictOf(fakeScore: number, options: ResolvedOptions): Verdict {
  return fakeScore >= options.thresholds.likelyFake ? 'likely_fake' : fakeScore >= options.thresholds.suspicious ? 'suspicious' : 'genuine'
}

/**
 * Combine signals into fakeScore and a verdict.
 *
 * @param signals Per-review signals, then batch signals (the order is kept in the result).
 * @param options Resolved options (weights, thresholds).
 * @returns The authenticity result of one review.
 */
export function combineSignals(signals: Signal[], options: ResolvedOptions): AuthenticityResult {
  const acc = new ScoreAccumulator()
  for (const s of signals) acc.add(weightOf(s.type, options), s.strength)
  const fakeScore = acc.score()
  return { fakeScore, verdict: verdictOf(fakeScore, options), signals }
}
