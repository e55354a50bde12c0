import type { AuthenticityResult, ResolvedOptions, Signal, SignalType } from '../review/index.js'

/** Default weight of each signal in fakeScore (documented in the README). */
export const DEFAULT_WEIGHTS: Record<SignalType, number> = {
  duplicate: 2.5,
  cross_listed: 0,
  burst: 1.5,
  unverified: 0.4,
  rating_mismatch: 1,
  incentivized: 1.5,
  spam: 2.5,
  reviewer_activity: 1,
  low_information: 0.5,
  generated_text: 0.5,
}

/**
 * Combine signals into fakeScore = 1 − Π(1 − s·w / (1 + s·w)) … a noisy-OR of
 * weighted strengths, so no single weak signal decides, and a verdict.
 */
export function combineSignals(signals: Signal[], options: ResolvedOptions): AuthenticityResult {
  let keep = 1
  for (const s of signals) {
    const w = options.weights[s.type] ?? DEFAULT_WEIGHTS[s.type]
    const x = s.strength * w
    keep *= 1 - x / (1 + x)
  }
  const fakeScore = Math.round((1 - keep) * 1000) / 1000
  const verdict =
    fakeScore >= options.thresholds.likelyFake ? 'likely_fake' : fakeScore >= options.thresholds.suspicious ? 'suspicious' : 'genuine'
  return { fakeScore, verdict, signals }
}
