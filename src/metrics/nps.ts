/**
 * Net Promoter Score from 0–10 "how likely are you to recommend…" answers,
 * and the star-based index recensio derives from ratings when there is no
 * survey (labeled as such: stars are not an answer to the NPS question).
 */
import { checkedAnswers } from './answers.js'
import { Z_95, roundTo } from './stats.js'
import type { NpsCategory, NpsCounts, NpsResult } from './types.js'

/** Lowest 0–10 answer counted as a promoter (Reichheld 2003). */
export const NPS_PROMOTER_MIN = 9
/** Lowest 0–10 answer counted as a passive; below it is a detractor. */
export const NPS_PASSIVE_MIN = 7
/** The scale of the NPS question ("0 not at all likely … 10 extremely likely"). */
const NPS_ANSWER_SCALE = { min: 0, max: 10 }

/**
 * The NPS category of one 0–10 answer: 9–10 promoter, 7–8 passive, 0–6
 * detractor. A non-integer answer is compared as is (8.5 is a passive).
 *
 * @param answer An answer on 0–10.
 * @returns Its category.
 */
export function npsCategory(answer: number): NpsCategory {
  if (answer >= NPS_PROMOTER_MIN) return 'promoter'
  if (answer >= NPS_PASSIVE_MIN) return 'passive'
  return 'detractor'
}

/**
 * The star-based category of one rating on 1–5 stars, rounded to the nearest
 * whole star: 5★ promoter, 4★ passive, 1–3★ detractor. It mirrors the NPS cut
 * (only the top answer promotes, the middle of the scale detracts); it is
 * derived from stars, not a survey.
 *
 * @param stars A rating on 1–5 stars.
 * @returns Its category.
 */
export function starCategory(stars: number): NpsCategory {
  const whole = Math.round(stars)
  if (whole >= 5) return 'promoter'
  if (whole === 4) return 'passive'
  return 'detractor'
}

/**
 * The score from category counts: NPS = 100 × (promoters − detractors) / n,
 * in −100 … 100, i.e. %promoters − %detractors. The 95% margin of error is
 * 1.96 × 100 × √((p + d − (p − d)²) / n), with p and d the two shares (the
 * variance of a variable that is +1, 0 or −1).
 *
 * @param counts Promoters, passives and detractors.
 * @returns The score (null when there are no answers) with its counts.
 */
export function npsFromCounts(counts: NpsCounts): NpsResult {
  const { promoters, passives, detractors } = counts
  const n = promoters + passives + detractors
  if (n === 0) return { n, promoters, passives, detractors, score: null, marginOfError: null }
  const p = promoters / n
  const d = detractors / n
  const variance = p + d - (p - d) ** 2
  return {
    n,
    promoters,
    passives,
    detractors,
    score: roundTo(100 * (p - d), 1),
    marginOfError: n < 2 ? null : roundTo(Z_95 * 100 * Math.sqrt(variance / n), 1),
  }
}

function tally(values: Iterable<number>, categorize: (v: number) => NpsCategory): NpsCounts {
  const counts: NpsCounts = { promoters: 0, passives: 0, detractors: 0 }
  for (const v of values) {
    const c = categorize(v)
    if (c === 'promoter') counts.promoters++
    else if (c === 'passive') counts.passives++
    else counts.detractors++
  }
  return counts
}

/**
 * Net Promoter Score of 0–10 answers: %promoters (9–10) − %detractors (0–6).
 *
 * @param answers Answers on 0–10.
 * @returns The score in −100 … 100 (null when empty), with counts and margin of error. Throws a `RecensioError` naming the first answer that is not a number on 0–10.
 */
export function netPromoterScore(answers: Iterable<number>): NpsResult {
  return npsFromCounts(tally(checkedAnswers('netPromoterScore', answers, NPS_ANSWER_SCALE), npsCategory))
}

/**
 * The star-based NPS-style index: %5★ − %1–3★ of rated reviews (4★ are
 * passives). Derived from stars, not a survey: label it so wherever shown.
 *
 * @param ratings Ratings on 1–5 stars.
 * @returns The index in −100 … 100 (null when empty), with counts and margin of error.
 */
export function starIndex(ratings: Iterable<number>): NpsResult {
  return npsFromCounts(tally(ratings, starCategory))
}
