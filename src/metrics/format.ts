/**
 * How signed figures are written, in the report and in `analyze`'s summary
 * alike: `+0.42`, `−0.10` (a minus sign, U+2212), `0.00` for zero.
 */

/**
 * A number with its sign and a fixed number of decimals. The sign is the
 * number's own, so a small mean still shows which side of zero it is on
 * (`+0.00` for 0.004); only zero itself has none.
 *
 * @param x A finite number.
 * @param digits Decimals to show.
 * @returns The number as text.
 */
export function signedFixed(x: number, digits: number): string {
  const s = Math.abs(x).toFixed(digits)
  return x > 0 ? `+${s}` : x < 0 ? `−${s}` : s
}
