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

/**
 * A number with commas between its thousands (`12,345`), as
 * `toLocaleString('en-US')` writes it, without the engine's locale data:
 * loading that costs about 20 ms on a process's first call, a tenth of a
 * one-row run of the CLI. A number that is not a safe integer is left to
 * `toLocaleString`.
 *
 * @param n The number.
 * @returns The number as text.
 */
export function groupedInt(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US')
  const digits = String(Math.abs(n))
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1)
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`
  return n < 0 ? `-${out}` : out
}
