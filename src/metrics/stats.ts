/** Small statistics shared by the metrics. */

/** z for a two-sided 95% interval. */
export const Z_95 = 1.959964

/**
 * Wilson score interval of a proportion (better than the normal approximation
 * for small n and shares near 0 or 1; Wilson 1927).
 *
 * @param successes Count of successes.
 * @param n Number of trials.
 * @param z The normal quantile (default: 95%).
 * @returns `[low, high]` in 0 … 1, or null when n = 0.
 */
export function wilsonInterval(successes: number, n: number, z = Z_95): [number, number] | null {
  if (n <= 0) return null
  const p = successes / n
  const z2 = z * z
  const denom = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denom
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom
  return [Math.max(0, centre - half), Math.min(1, centre + half)]
}

/**
 * Round to a fixed number of decimals (for figures shown in the report).
 *
 * @param x The number.
 * @param decimals How many decimals to keep.
 * @returns The rounded number.
 */
export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals
  return Math.round(x * f) / f
}
