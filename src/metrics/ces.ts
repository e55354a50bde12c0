/**
 * Customer Effort Score: the mean answer to "how easy was it…" on its scale,
 * and the shares of easy and difficult answers. The direction is part of the
 * scale: CES 2.0 ("the company made it easy…", 1 strongly disagree … 7
 * strongly agree) has 7 = easiest; the older 5-point "very easy … very
 * difficult" scale has 1 = easiest.
 */
import { checkDirection, checkScale, checkedAnswers } from './answers.js'
import { roundTo } from './stats.js'
import type { CesDirection, CesResult, MetricScale } from './types.js'

/** Default CES scale: the 7-point CES 2.0 agreement scale. */
export const DEFAULT_CES_SCALE: Readonly<MetricScale> = Object.freeze({ min: 1, max: 7 })
/** Default direction: higher answers are easier (CES 2.0). */
export const DEFAULT_CES_DIRECTION: CesDirection = 'higher_is_easier'

/**
 * Which answers count as easy and which as difficult: every answer strictly
 * on the easy side of the scale's midpoint is easy, strictly on the other side
 * difficult, the midpoint itself neither. 1–7 (7 easiest): easy 5–7, difficult
 * 1–3; 1–5 (1 easiest): easy 1–2, difficult 4–5.
 *
 * @param scale The answer scale.
 * @param direction Which end is easy.
 * @returns Inclusive `[from, to]` ranges of easy and difficult answers (integer scales).
 */
export function cesBands(scale: MetricScale, direction: CesDirection): { easy: [number, number]; difficult: [number, number] } {
  const mid = (scale.min + scale.max) / 2
  const above: [number, number] = [Math.floor(mid) + 1, scale.max]
  const below: [number, number] = [scale.min, Math.ceil(mid) - 1]
  return direction === 'higher_is_easier' ? { easy: above, difficult: below } : { easy: below, difficult: above }
}

/**
 * CES from the sum and band counts of answers: mean = Σ answers / n, easy
 * share = easy answers / n, difficult share = difficult answers / n.
 *
 * @param totals n, sum of answers, easy and difficult counts.
 * @param scale The answer scale.
 * @param direction Which end is easy.
 * @returns The CES summary (nulls when n = 0).
 */
export function cesFromTotals(
  totals: { n: number; sum: number; easy: number; difficult: number },
  scale: MetricScale,
  direction: CesDirection,
): CesResult {
  const { n, sum, easy, difficult } = totals
  const bands = cesBands(scale, direction)
  return {
    n,
    mean: n === 0 ? null : roundTo(sum / n, 2),
    easy,
    difficult,
    easyShare: n === 0 ? null : roundTo(easy / n, 4),
    difficultShare: n === 0 ? null : roundTo(difficult / n, 4),
    scale,
    direction,
    easyRange: bands.easy,
    difficultRange: bands.difficult,
  }
}

/**
 * Whether one answer is easy, difficult or neither on this scale.
 *
 * @param answer An answer on `scale`.
 * @param scale The answer scale.
 * @param direction Which end is easy.
 * @returns `easy`, `difficult` or `neutral`.
 */
export function cesBand(answer: number, scale: MetricScale, direction: CesDirection): 'easy' | 'difficult' | 'neutral' {
  const mid = (scale.min + scale.max) / 2
  if (answer === mid) return 'neutral'
  const high = answer > mid
  return high === (direction === 'higher_is_easier') ? 'easy' : 'difficult'
}

/**
 * Customer Effort Score of survey answers: the mean on the scale as given
 * (read it with the direction), and the shares of easy and difficult answers.
 *
 * @param answers Answers on `scale`.
 * @param scale The answer scale (default 1–7).
 * @param direction Which end is easy (default: higher is easier).
 * @returns The CES summary (nulls when empty). Throws a `RecensioError` for a bad scale or direction, or the first answer off the scale.
 */
export function customerEffortScore(
  answers: Iterable<number>,
  scale: MetricScale = DEFAULT_CES_SCALE,
  direction: CesDirection = DEFAULT_CES_DIRECTION,
): CesResult {
  checkScale('customerEffortScore', scale)
  checkDirection(direction)
  // The result's own copy: the caller's object may change after the call, and the default must not through a result.
  const own = { min: scale.min, max: scale.max }
  const totals = { n: 0, sum: 0, easy: 0, difficult: 0 }
  for (const a of checkedAnswers('customerEffortScore', answers, own)) {
    totals.n++
    totals.sum += a
    const band = cesBand(a, own, direction)
    if (band === 'easy') totals.easy++
    else if (band === 'difficult') totals.difficult++
  }
  return cesFromTotals(totals, own, direction)
}
