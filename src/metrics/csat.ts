/**
 * CSAT: the share of satisfied answers on a satisfaction scale, and its
 * review counterpart, the share of satisfied ratings.
 */
import { checkScale, checkedAnswers } from './answers.js'
import { roundTo, wilsonInterval } from './stats.js'
import type { CsatResult, MetricScale } from './types.js'

/** Lowest star rating (on 1–5) counted as satisfied: 4–5 of 5. */
export const SATISFIED_STARS = 4
/** The 1–5 star scale ratings are mapped to. */
export const STAR_METRIC_SCALE: MetricScale = { min: 1, max: 5 }

/** Scales with more answer points than this use a share of the range instead of the top-two box. */
export const TOP_TWO_BOX_MAX_POINTS = 11
/**
 * On wider scales (e.g. 0–100), the satisfied answers are the top quarter of
 * the range: where 4 sits on 1–5.
 */
export const SATISFIED_RANGE_SHARE = 0.75

/**
 * The lowest answer counted as satisfied on a CSAT scale: the top-two box
 * (1–5 → 4–5, 1–7 → 6–7, 0–10 → 9–10, 1–10 → 9–10) for scales of up to 11
 * answer points, and min + 0.75 × (max − min) on wider ones (0–100 → 75+).
 * Two-point scales (0–1, yes/no) count only the top answer.
 *
 * @param scale The answer scale.
 * @returns The threshold answer.
 */
export function csatThreshold(scale: MetricScale): number {
  const points = scale.max - scale.min + 1
  if (points <= 2) return scale.max
  if (points <= TOP_TWO_BOX_MAX_POINTS) return scale.max - 1
  return scale.min + SATISFIED_RANGE_SHARE * (scale.max - scale.min)
}

/**
 * CSAT = satisfied answers / answers, satisfied meaning at or above
 * `csatThreshold(scale)`; with a 95% Wilson interval.
 *
 * @param satisfied Count of satisfied answers.
 * @param n Count of answers.
 * @param scale The answer scale (for the threshold shown with the figure).
 * @returns The share in 0 … 1 (null when n = 0).
 */
export function csatFromCounts(satisfied: number, n: number, scale: MetricScale): CsatResult {
  const interval = wilsonInterval(satisfied, n)
  return {
    n,
    satisfied,
    share: n === 0 ? null : roundTo(satisfied / n, 4),
    interval: interval === null ? null : [roundTo(interval[0], 4), roundTo(interval[1], 4)],
    threshold: csatThreshold(scale),
    scale,
  }
}

/**
 * CSAT of survey answers: the share at or above `csatThreshold(scale)`
 * (1–5 → 4–5, 1–7 → 6–7, 0–10 → 9–10).
 *
 * @param answers Answers on `scale`.
 * @param scale The answer scale (default 1–5).
 * @returns The share in 0 … 1 (null when empty), with counts and interval. Throws a `RecensioError` for a bad scale or the first answer off the scale.
 */
export function csat(answers: Iterable<number>, scale: MetricScale = { min: 1, max: 5 }): CsatResult {
  checkScale('csat', scale)
  // The result's own copy: the caller's object (or the default) may change after the call.
  const own = { min: scale.min, max: scale.max }
  const threshold = csatThreshold(own)
  let n = 0
  let satisfied = 0
  for (const a of checkedAnswers('csat', answers, own)) {
    n++
    if (a >= threshold) satisfied++
  }
  return csatFromCounts(satisfied, n, own)
}

/**
 * The CSAT-style share of satisfied reviews: ratings of 4–5 on 1–5 stars.
 * Ratings given on other scales were mapped linearly to 1–5 at input
 * (`ratingScale`), so 8/10 (4.2★) counts and 7/10 (3.7★) does not.
 *
 * @param ratings Ratings on 1–5 stars.
 * @returns The share in 0 … 1 (null when empty), with counts and interval.
 */
export function csatFromStars(ratings: Iterable<number>): CsatResult {
  let n = 0
  let satisfied = 0
  for (const r of ratings) {
    n++
    if (r >= SATISFIED_STARS) satisfied++
  }
  return csatFromCounts(satisfied, n, STAR_METRIC_SCALE)
}

